"""``channel-mismatch``: the page listens on a channel the app never sends that event on, or on a name
prefixed twice.

Two shapes, both about names that cannot meet:

- a prefix added twice: Echo's ``private('private-orders')`` subscribes to ``private-private-orders``
  (Echo adds the ``private-`` itself), and a name built from a prefixed part gets the same;
- the app's own server code (a Next.js API route, a Node backend in the scanned tree) triggers an event
  on one channel while the page binds that event on another that can never have the same name
  (``presence-group-{id}`` against ``presence-dm-{id}``). Names are compared by their literal start and
  end around what the scan cannot resolve, so ``{toKey(id)}`` never differs from anything; only apps
  whose triggers are in the scanned tree are judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan.channel_index import doubled_prefix, key, may_equal
from pusher_doctor.scan.facts import LARAVEL_ECHO
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at


def check(project: Project) -> Iterator[Hit]:
    for facts, subscription in project.subscriptions():
        doubled = doubled_prefix(subscription.channel)
        if doubled is None:
            continue
        added = " (Echo adds the first itself)" if subscription.api == LARAVEL_ECHO else ""
        yield hit_at(
            facts,
            subscription.arg,
            f"the channel name '{subscription.channel.display()}' starts with '{doubled}'{added}: no server sends "
            "on such a name, so nothing arrives",
            "pass the name without the prefix the method adds (Echo.private('orders.1') subscribes to "
            "'private-orders.1'), or build it once",
            Severity.ERROR,
        )
    binds = [(facts, bind) for facts, bind in project.binds()
             if bind.channel is not None and bind.event.literal is not None and key(bind.channel) is not None]
    # in the order of the app's index (channel by channel), as on the whole project: two binds found at one
    # hook argument (a channel name for one, an event name for the other) then keep the same message there
    binds.sort(key=lambda found: _channel_order(project, found[0].package).get(key(found[1].channel), -1))
    for facts, bind in binds:
        event = bind.event.literal
        assert bind.channel is not None and event is not None  # kept above
        sent = project.channel_index(facts.package).sent(event)
        if not sent or any(may_equal(trigger.channel, bind.channel) for trigger in sent):
            continue
        where = sorted({f"'{trigger.channel.display()}' ({trigger.rel})" for trigger in sent})
        yield hit_at(
            facts,
            bind.node,
            f"binds '{event}' on '{bind.channel.display()}', but this app triggers '{event}' only on "
            f"{', '.join(where)}: the two names can never be equal, so the handler never runs",
            "subscribe to the channel the server triggers on (build both names with one helper)",
        )


def _channel_order(project: Project, package: str) -> dict[str | None, int]:
    """The position of each channel of the app in its index (the order the whole project's run went by)."""
    return project.memo(
        ("channel-mismatch order", package),
        lambda: {name: at for at, name in enumerate(project.channel_index(package).uses)},
    )


RULE = Rule(
    id="channel-mismatch",
    checklist_item="channel-name",
    title="The page listens on a channel the app does not send that event on",
    finds="A channel name that starts with two prefixes (`private-private-`, `presence-private-`...: Echo's "
    "`private()`/`join()` add their own, error); and, when the scanned tree holds the app's server code "
    "(`pusher.trigger(channel, event, data)` with the server SDK), a `bind(event)` (or Echo `listen`) on a "
    "channel that can never be named like any channel the app triggers that event on (`presence-group-{id}` "
    "against `presence-dm-{id}`). Names that cannot be resolved are never taken to differ.",
    why="Pusher delivers an event only to subscribers of exactly the channel it was triggered on: the "
    "subscription succeeds, and nothing ever arrives.",
    fix="Build the channel name once (one helper used by the server and the page) and let Echo add its "
    "prefix.",
    wrong="// server: pusher.trigger(`presence-group-${id}`, 'new-message', message)\n"
    "pusher.subscribe(`presence-dm-${id}`).bind('new-message', add);",
    right="pusher.subscribe(`presence-group-${id}`).bind('new-message', add);",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
