"""``event-not-broadcastable``: an event class with ``broadcastOn()`` that does not implement
``ShouldBroadcast`` or ``ShouldBroadcastNow``: Laravel dispatches it to listeners and never broadcasts it.

The class's parents and interfaces are followed through the scanned code; when one of them lies outside
it (a package's base class) nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.laravel import implements_broadcast
from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit

ID = "event-not-broadcastable"
LANGUAGE = "php"


def check(backend: Backend) -> Iterator[Hit]:
    for event in backend.events:
        if event.broadcast_on is None or implements_broadcast(backend, event) is not False:
            continue
        if "BroadcastsEvents" in event.traits:
            continue  # an Eloquent model that broadcasts its own changes
        yield hit(event.location, f"{event.name} has broadcastOn() but implements neither ShouldBroadcast nor "
                  "ShouldBroadcastNow: Laravel never broadcasts it",
                  f"class {event.name} implements ShouldBroadcastNow (sent at once) or ShouldBroadcast (queued)")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="Event class with broadcastOn() that is not ShouldBroadcast",
    finds="A PHP class with a `broadcastOn()` method whose class, parents and interfaces (as far as the scanned "
    "code holds them) include neither `ShouldBroadcast` nor `ShouldBroadcastNow`.",
    why="`event(new X)` and `X::dispatch()` only run listeners for such a class; `broadcast(new X)` queues a "
    "broadcast job only for a `ShouldBroadcast` one. Nothing reaches Pusher and nothing fails.",
    fix=cause_fix(ID),
    wrong="class MessageSent\n{\n    public function broadcastOn(): array { return [new Channel('chat')]; }\n}",
    right="class MessageSent implements ShouldBroadcastNow\n{\n    public function broadcastOn(): array "
    "{ return [new Channel('chat')]; }\n}",
    check=check,
    severity=Severity.ERROR,
)
