"""event-name-mismatch: the frontend binds a name the backend does not send, but one very like it."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "event-name-mismatch"


def event(name: str = "MessageSent", namespace: str = "App\\Events", broadcast_as: str | None = None) -> str:
    renamed = f"public function broadcastAs(): string {{ return '{broadcast_as}'; }}" if broadcast_as else ""
    return f"""
    <?php
    namespace {namespace};

    class {name} implements ShouldBroadcastNow
    {{
        public function broadcastOn(): array {{ return [new PrivateChannel('chat.1')]; }}
        {renamed}
    }}
    """


def listen(name: str) -> dict[str, str]:
    return {"chat.js": f"window.Echo.private('chat.1').listen('{name}', (e) => show(e));\n"}


DJANGO = {"chat/views.py": "import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"
                           "client.trigger('hotel-room-1-chat', 'new-staff-message', {})\n"}

VALID = [
    Valid(name="Echo: the class name without a dot", files={**LARAVEL, "app/Events/MessageSent.php": event()},
          frontend=listen("MessageSent")),
    Valid(name="Echo: broadcastAs with a dot", files={**LARAVEL, "app/Events/MessageSent.php": event(
        broadcast_as="message.sent")}, frontend=listen(".message.sent")),
    Valid(name="Echo: a namespaced class", files={**LARAVEL, "app/Events/Chat/MessageSent.php": event(
        namespace="App\\Events\\Chat")}, frontend=listen("Chat.MessageSent")),
    Valid(name="Echo: a broadcastAs() the scan cannot read is not taken for the class name",
          files={**LARAVEL, "app/Events/MessageSent.php": event().replace(
              "{ return [new PrivateChannel('chat.1')]; }",
              "{ return [new PrivateChannel('chat.1')]; }\n    public function broadcastAs(): string "
              "{ return self::NAME; }")}, frontend=listen(".App.Events.MessageSent")),
    Valid(name="pusher-js: the trigger's name", files=DJANGO, frontend={
        "guest.js": "pusher.subscribe('hotel-room-1-chat').bind('new-staff-message', show);\n"}),
    Valid(name="a name unlike any the backend sends", files=DJANGO, frontend={
        "guest.js": "pusher.subscribe('hotel-room-1-chat').bind('typing', show);\n"}),
]

INVALID = [
    Invalid(name="Echo: the class name of a broadcastAs() event",
            files={**LARAVEL, "app/Events/MessageSent.php": event(broadcast_as="message.sent")},
            frontend=listen("MessageSent"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1, message=("message.sent", "broadcastAs"))]),
    Invalid(name="Echo: a dot before a class name", files={**LARAVEL, "app/Events/MessageSent.php": event()},
            frontend=listen(".MessageSent"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1, message=("App\\Events\\MessageSent",))]),
    Invalid(name="Echo: '.App.Events.X' keeps its dots", files={**LARAVEL, "app/Events/MessageSent.php": event()},
            frontend=listen(".App.Events.MessageSent"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1)]),
    Invalid(name="Echo: the class is in a sub-namespace", files={**LARAVEL, "app/Events/Chat/MessageSent.php": event(
        namespace="App\\Events\\Chat")}, frontend=listen("MessageSent"),
            errors=[Error(rule=RULE, file="../frontend/chat.js", line=1, message=("App\\Events\\Chat\\MessageSent",))]),
    Invalid(name="pusher-js: the event given to a helper that triggers", files={
        "chat/realtime.py": "import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n\n"
                            "def notify(channel, event, data):\n    client.trigger(channel, event, data)\n",
        "chat/views.py": "from .realtime import notify\n\ndef reply(request, hotel, room):\n"
                         "    notify(f'{hotel}-room-{room}-chat', event='new-staff-message', data={})\n"},
            frontend={"guest.js": "pusher.subscribe(`${hotel}-room-${room}-chat`).bind('new_staff_message', show);\n"},
            errors=[Error(rule=RULE, file="../frontend/guest.js", line=1, message=("chat/views.py:4",))]),
    Invalid(name="pusher-js: underscores for dashes", files=DJANGO, frontend={
        "guest.js": "pusher.subscribe('hotel-room-1-chat').bind('new_staff_message', show);\n"},
            errors=[Error(rule=RULE, file="../frontend/guest.js", line=1, message=("new-staff-message",))]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
