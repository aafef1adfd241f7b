"""``event-name-mismatch``: the frontend binds an event name the backend never sends, and the backend sends
one very like it: Echo's namespace and leading dot, ``broadcastAs()``, a namespaced class, separators.

The backend's names are what goes on the wire: ``broadcastAs()``'s value, else the class's full name
(``App\\Events\\MessageSent``), and each ``trigger(...)``'s event. The frontend's are what its binds
receive: Echo's ``listen('MessageSent')`` receives ``App\\Events\\MessageSent``, ``listen('.message.sent')``
receives ``message.sent`` and ``listen('.App.Events.MessageSent')`` receives ``App.Events.MessageSent``
(dots kept), which no class name is. A bound name that matches nothing and is near nothing is left alone
(another backend may send it).
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend, Listen
from pusher_doctor.backend.names import event_near
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, broadcast_events, cause_fix, hit
from pusher_doctor.contract.model import echo_listen_for

ID = "event-name-mismatch"
LANGUAGE = "js"


def sent_events(backend: Backend) -> dict[str, str]:
    """Wire name -> where the backend sends it."""
    found: dict[str, str] = {}
    for event in broadcast_events(backend):
        where = event.broadcast_as_location or event.location
        if event.wire_name is not None:
            found.setdefault(event.wire_name, f"{event.name} ({where.file}:{where.line})")
    for trigger in backend.triggers:
        name = trigger.event.literal
        if name:
            found.setdefault(name, f"trigger ({trigger.location.file}:{trigger.location.line})")
    return found


def check(backend: Backend) -> Iterator[Hit]:
    if backend.frontend is None:
        return
    sent = sent_events(backend)
    if not sent:
        return
    #: classes renamed by broadcastAs(): a listen for the class's own name never matches
    renamed = {event.fqcn: event for event in broadcast_events(backend) if event.broadcast_as is not None}
    for listen in backend.frontend.listens:
        if listen.wire in sent:
            continue
        if listen.wire in renamed:
            event = renamed[listen.wire]
            where = event.broadcast_as_location or event.location
            yield hit(listen.location, _message(listen, event.broadcast_as or "", f"{event.name}'s broadcastAs() "
                                                f"({where.file}:{where.line}), not its class name"),
                      _hint(listen, event.broadcast_as or ""))
            continue
        meant = [wire for wire in sent if event_near(listen.wire, wire)]
        if len(meant) != 1:
            continue  # nothing near, or several: which one was meant cannot be told
        yield hit(listen.location, _message(listen, meant[0], sent[meant[0]]), _hint(listen, meant[0]))


def _message(listen: Listen, wire: str, where: str) -> str:
    receives = f" (Echo receives '{listen.wire}')" if listen.echo and listen.wire != listen.written else ""
    return f"binds '{listen.written}'{receives} but the backend sends '{wire}' from {where}: the handler never runs"


def _hint(listen: Listen, wire: str) -> str:
    if listen.echo:
        return f".listen('{echo_listen_for(wire)}', ...)"
    return f".bind('{wire}', ...)"


RULE = Rule(
    id=ID,
    checklist_item="event-name",
    title="The frontend binds an event name the backend does not send",
    finds="A frontend bind (pusher-js `bind`, Echo `listen`) whose name, as it arrives on the wire, is not one the "
    "backend sends, while exactly one sent name is very like it: the same words with a namespace added or "
    "missing (`.listen('.MessageSent')` for `App\\Events\\MessageSent`, `.listen('message.sent')` for "
    "`broadcastAs('message.sent')`), `.listen('.App.Events.X')` (dots are not backslashes), another namespace "
    "(`App\\Events\\Chat\\MessageSent`), or other separators (`new_message` for `new-message`). Needs the "
    "frontend's code (in the scanned folder or `--frontend`).",
    why="Pusher delivers an event only to handlers bound to exactly its name: one character apart and the "
    "handler never runs, without an error on either side.",
    fix=cause_fix(ID),
    wrong="// public function broadcastAs(): string { return 'message.sent'; }\n"
    "Echo.private(`chat.${id}`).listen('MessageSent', show);",
    right="Echo.private(`chat.${id}`).listen('.message.sent', show);",
    check=check,
    severity=Severity.ERROR,
)
