"""broadcast-payload-unbounded: a whole collection sent because the event has no broadcastWith()."""

from __future__ import annotations

from tests.backend.rule_tester import Error, Invalid, Valid, run

RULE = "broadcast-payload-unbounded"


def event(members: str, interface: str = "implements ShouldBroadcastNow") -> dict[str, str]:
    return {"app/Events/ConversationUpdated.php": f"""
    <?php
    class ConversationUpdated {interface}
    {{
    {members}
        public function broadcastOn() {{ return new PrivateChannel('conversation.1'); }}
    }}
    """}


VALID = [
    Valid(name="broadcastWith() picks what is sent", files=event(
        "public function __construct(public Collection $messages) {}\n"
        "public function broadcastWith(): array { return ['count' => $this->messages->count()]; }")),
    Valid(name="a single model is bounded", files=event("public function __construct(public Message $message) {}")),
    Valid(name="a private collection is not sent", files=event("public function __construct(private array $rows) {}")),
    Valid(name="a class that does not broadcast", files=event("public array $rows = [];", interface="")),
]

INVALID = [
    Invalid(name="a promoted Collection", files=event("public function __construct(public Collection $messages) {}"),
            errors=[Error(rule=RULE, file="app/Events/ConversationUpdated.php", line=4, message=("$messages",),
                          severity="note")]),
    Invalid(name="a declared array", files=event("public array $rows = [];"),
            errors=[Error(rule=RULE, file="app/Events/ConversationUpdated.php", line=4, message=("array $rows",))]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
