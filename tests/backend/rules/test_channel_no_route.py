"""channel-no-route: a private or presence channel no Broadcast::channel() matches."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "channel-no-route"

ROUTES = """
<?php
use Illuminate\\Support\\Facades\\Broadcast;

Broadcast::channel('chat.{roomId}', fn ($user, $roomId) => $user->canJoin($roomId));
Broadcast::channel('App.Models.User.{id}', fn ($user, $id) => (int) $user->id === (int) $id);
"""


def subscribe(code: str) -> dict[str, str]:
    return {"chat.js": f"export const join = (id) => {code};\n"}


VALID = [
    Valid(name="the route matches", files={**LARAVEL, "routes/channels.php": ROUTES},
          frontend=subscribe("window.Echo.private(`chat.${id}`)")),
    Valid(name="presence: the route matches without the prefix", files={**LARAVEL, "routes/channels.php": ROUTES},
          frontend=subscribe("window.Echo.join(`chat.${id}`)")),
    Valid(name="public channels need no route", files={**LARAVEL, "routes/channels.php": ROUTES},
          frontend=subscribe("window.Echo.channel(`prices.${id}`)")),
    Valid(name="the user's own channel", files={**LARAVEL, "routes/channels.php": ROUTES},
          frontend=subscribe("window.Echo.private(`App.Models.User.${id}`)")),
]

INVALID = [
    Invalid(name="the frontend's channel has no route", files={**LARAVEL, "routes/channels.php": ROUTES},
            frontend=subscribe("window.Echo.private(`chat-room.${id}`)"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1, message=("private-chat-room.{id}", "403"))]),
    Invalid(name="a {param} stands for one dot-free part", files={**LARAVEL, "routes/channels.php": ROUTES},
            frontend=subscribe("window.Echo.private(`chat.${id}.messages`)"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1)]),
    Invalid(name="an event's private channel, no channel routes at all", files={**LARAVEL, "app/Events/A.php": """
        <?php
        class A implements ShouldBroadcast
        {
            public function broadcastOn() { return new PrivateChannel('orders.'.$this->id); }
        }
        """}, errors=[Error(rule=RULE, file="app/Events/A.php", line=4, severity="warning")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
