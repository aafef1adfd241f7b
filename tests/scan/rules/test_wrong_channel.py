"""wrong-channel: a subscription whose name can never equal the backend's channel."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "wrong-channel"

VALID = [
    Valid(
        name="another feature's room channel in the hotel app is not a typo of the backend's",
        contract="hotel",
        code="""
        window.Echo.join(`rooms.${roomId}`).listen('.message.sent', add);
        pusher.subscribe(`presence-chat-room.${roomId}`);
        """,
    ),
    Valid(code="pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);"),
    Valid(code="pusher.subscribe(hotelSlug + '-room-' + roomNumber + '-chat');"),
    Valid(
        name="built by a same-file helper",
        code="""
        const roomChannel = (hotel, room) => `${hotel}-room-${room}-chat`;
        pusher.subscribe(roomChannel(hotelSlug, roomNumber));
        """,
    ),
    Valid(name="unresolvable name", code="export const subscribe = (name) => pusher.subscribe(name);"),
    Valid(name="another feature's channel", code="pusher.subscribe(`${hotelSlug}-notifications`);"),
    Valid(
        name="staff view on the conversation channel",
        filename="src/staff/Inbox.jsx",
        code="pusher.subscribe(`${hotelSlug}-conversation-${conversationId}-chat`);",
    ),
    Valid(
        name="TypeScript wrappers around the parts",
        filename="chat.ts",
        code="pusher.subscribe(`${hotelSlug!}-room-${(roomNumber as string)}-chat`);",
    ),
]

INVALID = [
    Invalid(
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);
          }, [hotelSlug, roomNumber]);
        }
        """,
        errors=[Error(rule=RULE, line=3, column=38, message=("'rooms' where the backend says 'room'",))],
    ),
    Invalid(
        code="""
        const name = hotelSlug + '_room_' + roomNumber + '-chat';
        pusher.subscribe(name);
        """,
        errors=[Error(rule=RULE, line=2, message=("'_' where the backend uses '-'",))],
    ),
    Invalid(
        code="pusher.subscribe(`${hotelSlug}-room-${roomNumber}`);",
        errors=[Error(rule=RULE, line=1, message=("lacks the '-chat' suffix",))],
    ),
    Invalid(
        code="pusher.subscribe(`private-${hotelSlug}-room-${roomNumber}-chat`);",
        errors=[Error(rule=RULE, line=1, message=("starts with 'private-'",))],
    ),
    Invalid(
        filename="chat.ts",
        code="""
        export function join(pusher: Pusher, hotelSlug: string, roomNumber: string): void {
          pusher.subscribe(`${hotelSlug}-Room-${roomNumber}-chat` as string);
        }
        """,
        errors=[Error(rule=RULE, line=2, message=("letter case",))],
    ),
    Invalid(
        code="pusher.subscribe(`${roomNumber}-room-${hotelSlug}-chat`);",
        errors=[Error(rule=RULE, line=1, message=("swapped",))],
    ),
    Invalid(
        name="guest view on the conversation channel",
        filename="src/pages/GuestChat.jsx",
        code="pusher.subscribe(`${hotelSlug}-conversation-${conversationId}-chat`);",
        errors=[Error(rule=RULE, line=1, message=("guest view subscribes to the conversation channel",))],
    ),
    Invalid(
        name="wrong name passed to a custom hook, reported at the call",
        filename="src/RoomChat.jsx",
        code="""
        import { usePusherChannel } from './usePusherChannel';
        export function RoomChat({ hotelSlug, roomNumber, onMessage }) {
          usePusherChannel(`${hotelSlug}-room-${roomNumber}-chats`, onMessage);
          return null;
        }
        """,
        others={
            "src/usePusherChannel.js": """
            export function usePusherChannel(channelName, handler) {
              useEffect(() => {
                const channel = pusher.subscribe(channelName);
                channel.bind('new-staff-message', handler);
                return () => pusher.unsubscribe(channelName);
              }, [channelName, handler]);
            }
            """
        },
        errors=[
            Error(rule=RULE, line=3, file="src/RoomChat.jsx", message=("through usePusherChannel(...)",))
        ],
    ),
    Invalid(
        name="Vue script setup, lines of the .vue file",
        filename="GuestChat.vue",
        code="""
        <template>
          <ul><li v-for="m in messages">{{ m }}</li></ul>
        </template>
        <script setup lang="ts">
        const props = defineProps<{ hotelSlug: string; roomNumber: string }>();
        pusher.subscribe(`${props.hotelSlug}-room-${props.roomNumber}-chat-room`);
        </script>
        """,
        errors=[Error(rule=RULE, line=6, column=18, message=("does not have the shape",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
