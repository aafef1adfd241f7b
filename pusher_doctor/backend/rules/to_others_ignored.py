"""``to-others-ignored``: ``broadcast(...)->toOthers()`` that cannot leave the sender out, so the sender's
page gets its own message back (shown twice, or replacing the optimistic copy).

``toOthers()`` needs the event to use ``InteractsWithSockets`` (it records the socket id) and the request to
carry the sender's socket id in ``X-Socket-ID``: Echo adds it to a global ``window.axios``; ``fetch`` and
other clients must send it themselves (``Echo.socketId()``).
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit

ID = "to-others-ignored"
LANGUAGE = "php"


def check(backend: Backend) -> Iterator[Hit]:
    by_name = {event.name: event for event in backend.events}
    for dispatch in backend.dispatches:
        if not dispatch.to_others:
            continue
        event = by_name.get(dispatch.event)
        if event is not None and event.extends is None and "InteractsWithSockets" not in event.traits:
            yield hit(dispatch.location, f"toOthers() does nothing: {event.name} does not use InteractsWithSockets, "
                      "so the sender receives its own event too",
                      f"add `use InteractsWithSockets;` to {event.name}")
            continue
        view = backend.frontend
        if view is not None and view.files and not view.sends_socket_id:
            yield hit(dispatch.location, "toOthers() needs the sender's socket id in the request's X-Socket-ID header, "
                      "and the frontend sets neither window.axios (which Echo adds it to) nor the header: the sender "
                      "receives its own event too",
                      "send headers: { 'X-Socket-ID': window.Echo.socketId() } with the request, or use "
                      "window.axios", Severity.NOTE)


RULE = Rule(
    id=ID,
    checklist_item="sender-excluded",
    title="toOthers() that cannot leave the sender out",
    finds="`broadcast(new X)->toOthers()` (or `X::broadcast()->toOthers()`) where the event class `X` does not "
    "use `InteractsWithSockets` (a warning), or where the frontend's code sets neither a global `window.axios` "
    "nor an `X-Socket-ID` header (a note: the request may come from code the scan did not read).",
    why="Without the trait or the header Laravel does not know the sender's socket and sends the event to it too: "
    "the sender sees its message twice, or an optimistic copy replaced.",
    fix=cause_fix(ID),
    wrong="class MessageSent implements ShouldBroadcast\n{\n    use Dispatchable;\n}\n"
    "broadcast(new MessageSent($message))->toOthers();",
    right="class MessageSent implements ShouldBroadcast\n{\n    use Dispatchable, InteractsWithSockets;\n}\n"
    "broadcast(new MessageSent($message))->toOthers();",
    check=check,
    severity=Severity.WARNING,
)
