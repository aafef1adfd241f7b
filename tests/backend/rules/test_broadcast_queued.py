"""broadcast-queued: ShouldBroadcast events on a queue that is not sync, with or without a worker set up."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "broadcast-queued"


def event(interface: str, extra: str = "") -> str:
    return f"""
    <?php
    namespace App\\Events;

    class MessageSent implements {interface}
    {{
        {extra}
        public function broadcastOn(): array {{ return [new PrivateChannel('chat')]; }}
    }}
    """


ENV = "BROADCAST_CONNECTION=reverb\nQUEUE_CONNECTION=database\n"

VALID = [
    Valid(name="ShouldBroadcastNow is sent at once", files={**LARAVEL, ".env": ENV,
                                                            "app/Events/MessageSent.php": event("ShouldBroadcastNow")}),
    Valid(name="the sync queue sends at once", files={**LARAVEL, ".env": "BROADCAST_CONNECTION=reverb\nQUEUE_CONNECTION=sync\n",
                                                      "app/Events/MessageSent.php": event("ShouldBroadcast")}),
    Valid(name="the event's own connection is sync",
          files={**LARAVEL, ".env": ENV, "app/Events/MessageSent.php": event("ShouldBroadcast",
                                                                             "public $connection = 'sync';")}),
]

INVALID = [
    Invalid(name="database queue and no worker anywhere",
            files={**LARAVEL, ".env": ENV, "app/Events/MessageSent.php": event("ShouldBroadcast")},
            errors=[Error(rule=RULE, file=".env", line=2, message=("MessageSent", "no", "worker"),
                          severity="warning")]),
    Invalid(name="a worker in the Procfile: a note",
            files={**LARAVEL, ".env": ENV, "Procfile": "web: php artisan serve\nworker: php artisan queue:work\n",
                   "app/Events/MessageSent.php": event("ShouldBroadcast")},
            errors=[Error(rule=RULE, file=".env", line=2, message=("Procfile",), severity="note")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
