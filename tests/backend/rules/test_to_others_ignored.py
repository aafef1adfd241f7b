"""to-others-ignored: toOthers() without InteractsWithSockets, or with no X-Socket-ID on the frontend's requests."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "to-others-ignored"


def event(traits: str) -> str:
    return f"""
    <?php
    class MessageSent implements ShouldBroadcast
    {{
        use {traits};
        public function broadcastOn() {{ return new PrivateChannel('chat.1'); }}
    }}
    """


CONTROLLER = "<?php\nfunction store($m) {\n    broadcast(new MessageSent($m))->toOthers();\n}\n"
AXIOS = {"bootstrap.js": "import axios from 'axios';\nwindow.axios = axios;\n"}
FETCH = {"send.js": "export const send = (body) => fetch('/messages', { method: 'POST', body });\n"}

VALID = [
    Valid(name="the trait and a global axios", files={**LARAVEL, "app/Events/MessageSent.php": event(
        "Dispatchable, InteractsWithSockets"), "app/Http/Controllers/C.php": CONTROLLER}, frontend=AXIOS),
    Valid(name="fetch with the header set by hand", files={**LARAVEL, "app/Events/MessageSent.php": event(
        "InteractsWithSockets"), "app/Http/Controllers/C.php": CONTROLLER}, frontend={
        "send.js": "export const send = (body) => fetch('/m', { headers: { 'X-Socket-ID': window.Echo.socketId() } });\n"}),
    Valid(name="without toOthers() nothing is asked", files={**LARAVEL, "app/Events/MessageSent.php": event(
        "Dispatchable"), "app/Http/Controllers/C.php": "<?php\nbroadcast(new MessageSent($m));\n"}, frontend=FETCH),
]

INVALID = [
    Invalid(name="the event lacks InteractsWithSockets", files={**LARAVEL, "app/Events/MessageSent.php": event(
        "Dispatchable"), "app/Http/Controllers/C.php": CONTROLLER}, frontend=AXIOS,
            errors=[Error(rule=RULE, file="app/Http/Controllers/C.php", line=3, message=("InteractsWithSockets",),
                          severity="warning")]),
    Invalid(name="the frontend posts with fetch and no header", files={**LARAVEL, "app/Events/MessageSent.php": event(
        "InteractsWithSockets"), "app/Http/Controllers/C.php": CONTROLLER}, frontend=FETCH,
            errors=[Error(rule=RULE, file="app/Http/Controllers/C.php", line=3, message=("X-Socket-ID",),
                          severity="note")]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
