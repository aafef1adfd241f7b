"""wrong-event: a bound event the backend never sends on that channel."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "wrong-event"

ROOM = "const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);\n"

VALID = [
    Valid(
        name="Echo with the leading dot binds the raw name the backend sends",
        code="""
        window.Echo.channel(`${hotelSlug}-room-${roomNumber}-chat`).listen('.new-staff-message', show);
        """,
    ),
    Valid(code=ROOM + "channel.bind('new-staff-message', onMessage);"),
    Valid(
        name="conversation events in a staff view",
        filename="src/staff/Inbox.jsx",
        code="""
        const channel = pusher.subscribe(`${hotelSlug}-conversation-${conversationId}-chat`);
        channel.bind('new-message', onMessage);
        channel.bind('message-delivered', onDelivered);
        """,
    ),
    Valid(
        name="pusher-js's own events", code=ROOM + "channel.bind('pusher:subscription_succeeded', onReady);"
    ),
    Valid(name="client events", code=ROOM + "channel.bind('client-typing', onTyping);"),
    Valid(
        name="non-chat event on a channel that cannot be named",
        code="export const listen = (channel) => channel.bind('typing', onTyping);",
    ),
    Valid(
        name="another feature's channel",
        code="""
        const alerts = pusher.subscribe(`${hotelSlug}-notifications`);
        alerts.bind('new-message', onAlert);
        """,
    ),
    Valid(
        name="the event name comes from a parameter",
        code=ROOM + "export const on = (e, f) => channel.bind(e, f);",
    ),
]

INVALID = [
    Invalid(
        name="Echo: the conversation event on the room channel",
        code="""
        window.Echo.channel(`${hotelSlug}-room-${roomNumber}-chat`).listen('.new-message', show);
        """,
        errors=[Error(rule=RULE, line=1, message=("'new-message'", "conversation channel"))],
    ),
    Invalid(
        name="conversation event on the room channel",
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);
            channel.bind('new-message', onMessage);
          }, [hotelSlug, roomNumber]);
        }
        """,
        errors=[
            Error(rule=RULE, line=4, column=18, message=("conversation channel, not on the room channel",))
        ],
    ),
    Invalid(
        name="chat-looking event through a const, on a channel that cannot be named",
        code="""
        const EVENT = 'message-received';
        export const listen = (channel) => channel.bind(EVENT, onMessage);
        """,
        contract="hotel",
        errors=[Error(rule=RULE, line=2, message=("never sends 'message-received'",))],
    ),
    Invalid(
        name="underscores in TypeScript",
        filename="chat.ts",
        code="""
        const channel: Channel = pusher.subscribe(`${hotel}-room-${room}-chat`);
        channel.bind('new_staff_message', (data: Message) => show(data));
        """,
        errors=[Error(rule=RULE, line=2, column=14)],
    ),
    Invalid(
        name="Vue options API, this.channel",
        filename="GuestChat.vue",
        code="""
        <script>
        export default {
          props: ['hotelSlug', 'roomNumber'],
          mounted() {
            this.channel = pusher.subscribe(`${this.hotelSlug}-room-${this.roomNumber}-chat`);
            this.channel.bind('staff-message', (m) => this.messages.push(m));
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=6, column=23, message=("'staff-message'",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
