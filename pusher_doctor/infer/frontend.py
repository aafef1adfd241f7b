"""The contract as the frontend's code shows it: the channels it subscribes to, the events it binds on each,
and the auth endpoint its client is given.

It runs scan-frontend's engine with one rule of its own that reports nothing and collects the facts the
engine extracted (subscriptions, binds, clients), so that the walk, the parsers and their time limits
are the scan's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pusher_doctor.contract import ChannelTemplate, TemplateError
from pusher_doctor.contract.model import EXEMPT_EVENT_PREFIXES, echo_wire_event
from pusher_doctor.infer.model import Inferred

if TYPE_CHECKING:
    from pusher_doctor.scan.facts import Client, FileFacts
    from pusher_doctor.scan.project import Project
    from pusher_doctor.scan.rules import Hit
    from pusher_doctor.scan.values import Pattern

#: the frontend scan's time limit for init: a large tree is still read in seconds
TIME_LIMIT = 30.0
#: Laravel Echo's default auth endpoint, when a client is Echo's and names none
ECHO_AUTH_ENDPOINT = "/broadcasting/auth"
#: what a field's name loses: `hotelSlug`, `room_number`, `orderId` name the hotel, the room, the order
_ID_SUFFIX = re.compile(r"_(slug|number|num|id|uuid|key|name)$")


def infer_frontend(root: Path, env_file: Path | None = None) -> Inferred:
    """What the JavaScript, TypeScript and Vue files under `root` say about the contract. A folder without
    such files says nothing (an empty `Inferred`), never an error."""
    from pusher_doctor.scan import Rule, ScanInputError, Scope, scan_frontend

    found = Inferred(f"the frontend in {root}")
    collector = Rule(id="init-contract", checklist_item="contract", title="collects the contract's facts",
                     finds="", why="", fix="", wrong="", right="",
                     check=lambda project: _collect(project, found), scope=Scope.GENERIC)
    try:
        report = scan_frontend(root, env_file, rules=[collector], time_limit=TIME_LIMIT, contract="none")
    except ScanInputError as error:
        found.notes.append(f"the frontend was not read: {error}")
        return found
    if report.incomplete:
        found.notes.append(f"the frontend was read only in part: {report.incomplete}")
    return found


def _collect(project: Project, found: Inferred) -> Iterator[Hit]:
    """The collecting rule's check: records into `found`, reports no hit."""
    from pusher_doctor.scan.facts import LARAVEL_ECHO

    channels_by_subscription: dict[int, str] = {}
    for facts, subscription in project.subscriptions():
        template = template_of(subscription.channel)
        where = f"{facts.src.rel}:{subscription.node.start_point[0] + 1}"
        if template is None:
            found.notes.append(f"{where} subscribes to {subscription.channel.display()!r}, which is not a "
                               "channel template (left out)")
            continue
        found.channel(template).seen_at.append(where)
        channels_by_subscription[id(subscription)] = template
    unplaced: list[str] = []
    for facts, bind in project.binds():
        event = bind.event.literal
        if not event or event.startswith(EXEMPT_EVENT_PREFIXES):
            continue
        if bind.echo_prefixed:  # Echo's listen('OrderShipped') binds App\Events\OrderShipped
            event = echo_wire_event(event)
        template = (channels_by_subscription.get(id(bind.subscription)) if bind.subscription is not None
                    else template_of(bind.channel) if bind.channel is not None else None)
        if template is None:
            unplaced.append(event)
            continue
        found.channel(template).add_event(event)
    if len(found.channels) == 1:  # one channel: an event bound on an unknown receiver is surely its own
        for event in unplaced:
            found.channels[0].add_event(event)
    elif unplaced:
        found.notes.append(f"bound on a channel that could not be told: {', '.join(dict.fromkeys(unplaced))}")
    for facts in project.files:
        for client in facts.clients:
            endpoint = _auth_endpoint(facts, client)
            if endpoint is None and client.library == LARAVEL_ECHO:
                endpoint = ECHO_AUTH_ENDPOINT
            if endpoint is not None and found.auth_endpoint is None:
                found.auth_endpoint = endpoint
                found.auth_endpoint_at = f"{facts.src.rel}:{client.node.start_point[0] + 1}"
    return iter(())


def _auth_endpoint(facts: FileFacts, client: Client) -> str | None:
    """The literal `authEndpoint` (or `channelAuthorization.endpoint`) of a client's options, if any."""
    from pusher_doctor.scan.rules._base import options_object
    from pusher_doctor.scan.tree import object_property

    options = options_object(facts, client.options)
    if options is None:
        return None
    node = object_property(options, "authEndpoint")
    if node is None:
        nested = object_property(options, "channelAuthorization")
        nested = options_object(facts, nested) if nested is not None else None
        node = object_property(nested, "endpoint") if nested is not None else None
    if node is None:
        return None
    value = facts.resolver.pattern(node).literal
    return value if value and value.startswith(("http://", "https://", "/")) and value.isprintable() else None


def template_of(pattern: Pattern) -> str | None:
    """A channel template from a name the scan resolved: its literal parts as they are, each unknown part a
    field named after what it holds (`${hotelSlug}` is {hotel}); None when it cannot be a channel name."""
    from pusher_doctor.scan.values import Hole

    parts: list[str] = []
    used: set[str] = set()
    previous_was_field = False
    for part in pattern.parts:
        if isinstance(part, Hole):
            if previous_was_field:  # two unknown parts side by side stand for one value
                continue
            name = field_name(part.label, used)
            used.add(name)
            parts.append("{" + name + "}")
            previous_was_field = True
        else:
            parts.append(part)
            previous_was_field = False
    try:
        return ChannelTemplate.parse("".join(parts)).text
    except TemplateError:
        return None


def field_name(label: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A field's name from the expression a hole stands for: its last identifier in snake case, without an
    id-like suffix (`props.hotelSlug` is hotel, `roomNumber` room, `order.id` order), unique among `taken`."""
    identifiers = re.findall(r"[A-Za-z_$][A-Za-z0-9_$]*", label)
    words = [w for w in identifiers if w not in ("this", "props", "state", "params", "route", "value", "$route")]
    if words and words[-1].lower() in ("id", "slug", "uuid") and len(words) > 1:
        words = words[:-1]  # order.id is the order
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", words[-1] if words else "value").lower().strip("_$")
    snake = re.sub(r"[^a-z0-9_]", "", snake)
    name = _ID_SUFFIX.sub("", re.sub(r"^(get|current|selected|active)_", "", snake)) or "value"
    if not name[0].isalpha():
        name = "f_" + name
    name = name[:40]
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name}{number}", number + 1
    return unique
