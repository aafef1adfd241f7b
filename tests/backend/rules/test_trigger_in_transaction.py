"""trigger-in-transaction: a trigger inside transaction.atomic() before the commit."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "trigger-in-transaction"

HEAD = "import pusher\nfrom django.db import transaction\n\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"


def laravel(event_head: str, controller_body: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**LARAVEL, **(extra or {}), "app/Events/MessageSent.php": f"""
    <?php
    class MessageSent {event_head}
    {{
        public function broadcastOn() {{ return new PrivateChannel('chat.1'); }}
    }}
    """, "app/Http/Controllers/C.php": f"<?php\nclass C\n{{\n    public function store($m)\n    {{\n{controller_body}\n    }}\n}}\n"}


IN_CLOSURE = "        DB::transaction(function () use ($m) {\n            $m->save();\n            broadcast(new MessageSent($m));\n        });"
BEGIN_COMMIT = "        DB::beginTransaction();\n        $m->save();\n        MessageSent::dispatch($m);\n        DB::commit();"

VALID = [
    Valid(name="Laravel: ShouldDispatchAfterCommit waits", files=laravel(
        "implements ShouldBroadcastNow, ShouldDispatchAfterCommit", IN_CLOSURE)),
    Valid(name="Laravel: $afterCommit", files=laravel(
        "implements ShouldBroadcast\n{\n    public $afterCommit = true;\n}\nclass Other", IN_CLOSURE)),
    Valid(name="Laravel: a queued broadcast with the queue's after_commit", files=laravel(
        "implements ShouldBroadcast", IN_CLOSURE, {"config/queue.php": "<?php\nreturn ['default' => "
                                                   "env('QUEUE_CONNECTION', 'database'), 'connections' => "
                                                   "['database' => ['after_commit' => true]]];\n"})),
    Valid(name="Laravel: broadcast after the commit", files=laravel(
        "implements ShouldBroadcastNow", "        DB::transaction(fn () => $m->save());\n"
                                          "        broadcast(new MessageSent($m));")),
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

ATOMIC = {"hotel/settings.py": "DATABASES = {'default': {'ENGINE': 'x', 'ATOMIC_REQUESTS': True}}\n"}
VALID += [
    Valid(name="ATOMIC_REQUESTS, the view sends on commit", files={**ATOMIC, "chat/views.py": HEAD + """
def reply(request, room):
    transaction.on_commit(lambda: client.trigger(room, 'new-message', {}))
"""}),
    Valid(name="ATOMIC_REQUESTS, a non-atomic view", files={**ATOMIC, "chat/views.py": HEAD + """
@transaction.non_atomic_requests
def reply(request, room):
    client.trigger(room, 'new-message', {})
"""}),
    Valid(name="a view without ATOMIC_REQUESTS", files={"chat/views.py": HEAD + """
def reply(request, room):
    client.trigger(room, 'new-message', {})
"""}),
]

INVALID = [
    Invalid(name="a helper that triggers, called inside atomic()", files={"chat/views.py": HEAD + """
def notify(channel, event):
    client.trigger(channel, event, {})

def reply(room):
    with transaction.atomic():
        notify(room, 'new-message')
"""}, errors=[Error(rule=RULE, file="chat/views.py", line=11)]),
    Invalid(name="ATOMIC_REQUESTS wraps the view", files={**ATOMIC, "chat/views.py": HEAD + """
class Reply(View):
    def post(self, request, room):
        client.trigger(room, 'new-message', {})
"""}, errors=[Error(rule=RULE, file="chat/views.py", line=8, message=("ATOMIC_REQUESTS", "hotel/settings.py:1"))]),
    Invalid(name="Laravel: inside DB::transaction()", files=laravel("implements ShouldBroadcastNow", IN_CLOSURE),
            errors=[Error(rule=RULE, file="app/Http/Controllers/C.php", line=8, message=("DB::transaction()",))]),
    Invalid(name="Laravel: between beginTransaction and commit", files=laravel("implements ShouldBroadcast",
                                                                                BEGIN_COMMIT),
            errors=[Error(rule=RULE, file="app/Http/Controllers/C.php", line=8, message=("beginTransaction",))]),
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
