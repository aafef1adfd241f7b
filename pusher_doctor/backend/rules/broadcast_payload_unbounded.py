"""``broadcast-payload-unbounded``: an event class without ``broadcastWith()`` whose public properties include a
whole collection or array: Laravel sends every public property, and a long conversation's messages pass
Pusher's 10 KB limit one day; Pusher then refuses the event (413) and the page never gets it.

A note: the scan cannot tell how large the collection grows, and a small one is fine.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, broadcast_events, cause_fix, hit

ID = "broadcast-payload-unbounded"
LANGUAGE = "php"


def check(backend: Backend) -> Iterator[Hit]:
    for event in broadcast_events(backend):
        if event.broadcast_with:
            continue
        for name, type_name, where in event.unbounded:
            yield hit(where, f"{event.name} has no broadcastWith(), so the whole {type_name} {name} is sent: past "
                      "Pusher's 10 KB per event it is refused (413) and never arrives",
                      "add broadcastWith() returning only what the page shows (an id it can fetch by, a few fields)")


RULE = Rule(
    id=ID,
    checklist_item="payload-size",
    title="A broadcast that sends a whole collection",
    finds="A broadcasting event class with no `broadcastWith()` and a public property (declared or promoted in the "
    "constructor) typed `array`, `Collection`, `EloquentCollection`, `LengthAwarePaginator`, `Paginator` or "
    "`iterable`. A note: a small collection is fine.",
    why="Without `broadcastWith()` Laravel serializes every public property. Pusher refuses an event over 10 KB "
    "(soketi and Reverb have their own limits); the broadcast fails in the worker or the request, and nothing "
    "reaches the page.",
    fix=cause_fix(ID),
    wrong="class ConversationUpdated implements ShouldBroadcast\n{\n    public function __construct(public "
    "Collection $messages) {}\n}",
    right="class ConversationUpdated implements ShouldBroadcast\n{\n    public function __construct(public "
    "Collection $messages) {}\n\n    public function broadcastWith(): array\n    {\n        return ['last_id' => "
    "$this->messages->last()?->id];\n    }\n}",
    check=check,
    severity=Severity.NOTE,
)
