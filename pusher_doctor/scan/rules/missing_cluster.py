"""``missing-cluster``: ``new Pusher(key)`` without options, or options with no ``cluster`` nor ``wsHost``;
with pusher-js 8 or later (read from the app's ``package.json``), options with no ``cluster`` at all:
pusher-js 8 throws ``Options object must provide a cluster`` even when ``wsHost`` names the server.

Also ``new Echo({broadcaster: 'pusher', ...})``, which hands its options to pusher-js; Echo with
another broadcaster (``reverb``, ``socket.io``) or one the scan cannot read is not judged. Options
that cannot be read (a function call, an object with a spread) are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan.facts import LARAVEL_ECHO, Client, FileFacts
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, options_object
from pusher_doctor.scan.tree import object_keys, object_property


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for client in facts.clients:
            if client.library == LARAVEL_ECHO:
                if _echo_with_pusher(facts, client):
                    yield from _without_cluster(project, facts, client, "new Echo({ broadcaster: 'pusher' })")
                continue
            if client.options is None:
                yield hit_at(
                    facts,
                    client.node,
                    "new Pusher(...) has no options: pusher-js needs { cluster } to know where to connect",
                    "pass the backend's cluster: new Pusher(key, { cluster: 'eu' })",
                )
                continue
            yield from _without_cluster(project, facts, client, "new Pusher(...)")


def _without_cluster(project: Project, facts: FileFacts, client: Client, what: str) -> Iterator[Hit]:
    options = options_object(facts, client.options)
    if options is None or client.options is None:
        return
    keys, spread = object_keys(options)
    if spread or "cluster" in keys:
        return
    if "wsHost" not in keys:
        yield hit_at(
            facts,
            client.options,
            f"{what} options have no 'cluster' (and no 'wsHost'): pusher-js cannot tell which cluster to connect to",
            "add the backend's cluster: { cluster: 'eu' }",
        )
        return
    major = project.dependency_major(facts, "pusher-js")
    if major is not None and major >= 8:
        yield hit_at(
            facts,
            client.options,
            f"{what} options have 'wsHost' but no 'cluster': pusher-js {major} (package.json) throws 'Options "
            "object must provide a cluster' before connecting, whatever host it is given",
            "add a cluster (any value when wsHost names the server, e.g. Reverb or soketi): "
            "cluster: import.meta.env.VITE_PUSHER_APP_CLUSTER ?? 'mt1'",
        )


def _echo_with_pusher(facts: FileFacts, client: Client) -> bool:
    """Echo whose broadcaster is, literally, 'pusher'."""
    options = options_object(facts, client.options)
    broadcaster = object_property(options, "broadcaster") if options is not None else None
    return broadcaster is not None and facts.resolver.pattern(broadcaster).literal == "pusher"


RULE = Rule(
    id="missing-cluster",
    checklist_item="credentials",
    title="Pusher client without a cluster",
    finds="`new Pusher(key)` with no options, or with an options object (literal or `const`) that has "
    "neither `cluster` nor `wsHost` and no spread; likewise `new Echo({ broadcaster: 'pusher', ... })`. When "
    "the app's `package.json` depends on pusher-js 8 or later, options with `wsHost` and no `cluster` too "
    "(pusher-js 8 requires a cluster whatever the host). Echo with another broadcaster (Reverb, socket.io) "
    "and the server SDK are not judged.",
    why="pusher-js 8 throws 'Options object must provide a cluster' (even with `wsHost`); older versions "
    "silently connect to the default cluster (mt1), which is not where the backend triggers.",
    fix="Pass the backend's cluster.",
    wrong="new Pusher(import.meta.env.VITE_PUSHER_KEY);",
    right="new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: import.meta.env.VITE_PUSHER_CLUSTER });",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
)
