"""``trigger-in-transaction``: a ``trigger(...)`` inside ``transaction.atomic()`` runs before the row is
committed. The page gets the event at once and fetches a message that is not there yet (or, if the
transaction rolls back, one that never will be).

A trigger in a nested function or lambda is not judged: ``transaction.on_commit(...)`` may run it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Backend
from ._base import Hit, Rule, Severity, cause_fix, hit

ID = "trigger-in-transaction"
LANGUAGE = "python"


def check(backend: Backend) -> Iterator[Hit]:
    for trigger in backend.triggers:
        if trigger.in_transaction is None:
            continue
        yield hit(trigger.location, f"this trigger runs inside {trigger.in_transaction}, before the transaction "
                  "commits: the page may fetch the message before it exists, or get one that is rolled back",
                  "send it after the commit: transaction.on_commit(lambda: pusher_client.trigger(...))")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="A trigger inside an uncommitted transaction",
    finds="A Python `trigger(...)` lexically inside `with transaction.atomic():` or a function decorated with "
    "`@transaction.atomic` (also `atomic` imported alone), with no function or lambda between them.",
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
