"""``trigger-in-transaction``: a ``trigger(...)`` inside ``transaction.atomic()``, or a Laravel broadcast inside
``DB::transaction()``, runs before the row is committed. The page gets the event at once and fetches a message
that is not there yet (or, if the transaction rolls back, one that never will be); a queued Laravel broadcast
may even be picked up by the worker before the commit and fail to load its model.

A trigger in a nested function or lambda is not judged: ``transaction.on_commit(...)`` may run it. A Laravel
event that implements ``ShouldDispatchAfterCommit`` or sets ``$afterCommit = true`` waits for the commit, as
does a queued one when ``config/queue.php`` sets ``'after_commit' => true``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.laravel import implements
from pusher_doctor.backend.model import Backend, Dispatch, LaravelEvent
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit

ID = "trigger-in-transaction"
LANGUAGE = "python"


def check(backend: Backend) -> Iterator[Hit]:
    atomic = backend.atomic_requests
    for trigger in backend.triggers:
        where = trigger.in_transaction
        if where is None and atomic is not None and trigger.in_view:
            where = f"the view's transaction ('ATOMIC_REQUESTS': True, {atomic.file}:{atomic.line})"
        if where is None:
            continue
        yield hit(trigger.location, f"this trigger runs inside {where}, before the transaction "
                  "commits: the page may fetch the message before it exists, or get one that is rolled back",
                  "send it after the commit: transaction.on_commit(lambda: pusher_client.trigger(...))")
    events = {event.name: event for event in backend.events}
    for dispatch in backend.dispatches:
        event = events.get(dispatch.event)
        if dispatch.in_transaction is None or event is None or _waits_for_commit(backend, event):
            continue
        yield hit(dispatch.location, _laravel_message(dispatch, event),
                  f"implements ShouldDispatchAfterCommit on {event.name} (or set public $afterCommit = true)")


def _waits_for_commit(backend: Backend, event: LaravelEvent) -> bool:
    if event.after_commit or implements(backend, event.name, ("ShouldDispatchAfterCommit",)) is not False:
        return True  # a parent outside the scanned code may implement it: not judged
    queued = "ShouldBroadcastNow" not in event.implements and not event.sync_connection
    return queued and backend.queue_after_commit


def _laravel_message(dispatch: Dispatch, event: LaravelEvent) -> str:
    return (f"{event.name} is broadcast inside {dispatch.in_transaction}, before the transaction commits: the "
            "page may fetch the message before it exists, and a queued broadcast may fail to load its model")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="A trigger inside an uncommitted transaction",
    finds="A Python `trigger(...)` lexically inside `with transaction.atomic():` or a function decorated with "
    "`@transaction.atomic` (also `atomic` imported alone), with no function or lambda between them, or in a view "
    "(a function taking `request`, not `@transaction.non_atomic_requests`) when the settings set "
    "`'ATOMIC_REQUESTS': True`; a Laravel "
    "`broadcast(new X)`, `event(new X)` or `X::dispatch()` inside `DB::transaction(function () {...})` or between "
    "`DB::beginTransaction()` and `DB::commit()`, when `X` neither implements `ShouldDispatchAfterCommit` nor sets "
    "`$afterCommit = true` (and, queued, `config/queue.php` does not set `'after_commit' => true`).",
    why="Pusher delivers in milliseconds, usually before the transaction commits: a page that reloads the "
    "conversation on the event reads the database before the new row is visible, and shows nothing new.",
    fix=cause_fix(ID),
    wrong="with transaction.atomic():\n    message = Message.objects.create(room=room, text=text)\n"
    "    pusher_client.trigger(channel, 'new-message', {'id': message.id})",
    right="with transaction.atomic():\n    message = Message.objects.create(room=room, text=text)\n"
    "    transaction.on_commit(lambda: pusher_client.trigger(channel, 'new-message', {'id': message.id}))",
    check=check,
    severity=Severity.WARNING,
)
