"""channel-not-subscribed: the backend sends on a channel the frontend misses by a prefix or a little."""

from __future__ import annotations

from tests.backend.rule_tester import LARAVEL, Error, Invalid, Valid, run

RULE = "channel-not-subscribed"


def event(channel: str) -> dict[str, str]:
    return {**LARAVEL, "app/Events/MessageSent.php": f"""
    <?php
    class MessageSent implements ShouldBroadcast
    {{
        public function broadcastOn(): array
        {{
            return [{channel}];
        }}
    }}
    """}


def subscribe(code: str) -> dict[str, str]:
    return {"chat.js": f"export const join = (roomId, show) => {code};\n"}


VALID = [
    Valid(name="the same private channel", files=event("new PrivateChannel('chat.'.$this->roomId)"),
          frontend=subscribe("window.Echo.private(`chat.${roomId}`).listen('MessageSent', show)")),
    Valid(name="presence joined with join()", files=event("new PresenceChannel(\"chat.{$this->roomId}\")"),
          frontend=subscribe("window.Echo.join(`chat.${roomId}`).listen('MessageSent', show)")),
    Valid(name="a channel nothing on the frontend is like", files=event("new Channel('prices')"),
          frontend=subscribe("window.Echo.private(`chat.${roomId}`).listen('MessageSent', show)")),
    Valid(name="Python trigger on the page's channel", files={
        "views.py": "import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"
                    "def send(hotel, room):\n    c.trigger(f'{hotel}-room-{room}-chat', 'new-staff-message', {})\n"},
          frontend={"guest.js": "pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);\n"}),
]

INVALID = [
    Invalid(name="presence sent, private subscribed", files=event("new PresenceChannel('chat.'.$this->roomId)"),
            frontend=subscribe("window.Echo.private(`chat.${roomId}`).listen('MessageSent', show)"),
            errors=[Error(rule=RULE, file="app/Events/MessageSent.php", line=6, message=("presence", "private"),
                          severity="error")]),
    Invalid(name="a dot sent, a dash subscribed", files=event("new PrivateChannel('chat.'.$this->roomId)"),
            frontend=subscribe("window.Echo.private(`chat-${roomId}`).listen('MessageSent', show)"),
            errors=[Error(rule=RULE, file="app/Events/MessageSent.php", line=6, severity="warning")]),
    Invalid(name="Python trigger, the page spells it differently", files={
        "views.py": "import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n"
                    "def send(hotel, room):\n    c.trigger(f'{hotel}-room-{room}-chat', 'new-staff-message', {})\n"},
            frontend={"guest.js": "pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);\n"},
            errors=[Error(rule=RULE, file="views.py", line=4)]),
    Invalid(name="the channel from a helper in another module", files={
        "chat/realtime.py": "import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n\n"
                            "def room_channel(hotel_slug, room_number):\n"
                            "    return f'{hotel_slug}-room-{room_number}-chat'\n",
        "chat/views.py": "from .realtime import client, room_channel\n\ndef reply(hotel, room):\n"
                         "    client.trigger(room_channel(hotel, room), 'new-staff-message', {})\n"},
            frontend={"guest.js": "pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chats`);\n"},
            errors=[Error(rule=RULE, file="chat/views.py", line=4, message=("{hotel_slug}-room-{room_number}-chat",))]),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
