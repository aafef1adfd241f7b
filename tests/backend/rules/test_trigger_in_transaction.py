"""trigger-in-transaction: a trigger inside transaction.atomic() before the commit."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "trigger-in-transaction"

HEAD = "import pusher\nfrom django.db import transaction\n\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"

VALID = [
    Valid(name="deferred with on_commit", files={"chat/views.py": HEAD + """
def reply(room):
    with transaction.atomic():
        transaction.on_commit(lambda: client.trigger(room, 'new-message', {}))
"""}),
    Valid(name="after the atomic block", files={"chat/views.py": HEAD + """
def reply(room):
    with transaction.atomic():
        save(room)
    client.trigger(room, 'new-message', {})
"""}),
    Valid(name="a nested function may be handed to on_commit", files={"chat/views.py": HEAD + """
def reply(room):
    with transaction.atomic():
        def announce():
            client.trigger(room, 'new-message', {})
        transaction.on_commit(announce)
"""}),
]

INVALID = [
    Invalid(name="inside with transaction.atomic()", files={"chat/views.py": HEAD + """
def reply(room):
    with transaction.atomic():
        save(room)
        client.trigger(room, 'new-message', {})
"""}, errors=[Error(rule=RULE, file="chat/views.py", line=9, message=("transaction.atomic()",))]),
    Invalid(name="a view decorated @transaction.atomic", files={"chat/views.py": HEAD + """
@transaction.atomic
def reply(room):
    client.trigger(room, 'new-message', {})
"""}, errors=[Error(rule=RULE, file="chat/views.py", line=8, message=("@transaction.atomic",))]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
