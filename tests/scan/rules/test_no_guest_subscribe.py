"""no-guest-subscribe: a Pusher client while nothing subscribes to the guest's room channel."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "no-guest-subscribe"

VALID = [
    Valid(
        name="the server SDK in a guest-side API route is not a client that should subscribe",
        filename="src/pages/api/guest/send.js",
        contract="hotel",
        code="""
        import Pusher from 'pusher';
        const pusher = new Pusher({ appId: ID, key: KEY, secret: SECRET, cluster: 'eu' });
        export default async function handler(req, res) {
          await pusher.trigger(`${req.body.hotel}-room-${req.body.room}-chat`, 'new-staff-message', req.body);
          res.status(200).end();
        }
        """,
    ),
    Valid(
        name="client and room-channel subscription",
        code="""
        import Pusher from 'pusher-js';
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function GuestChat({ hotelSlug, roomNumber }) {
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);
            return () => pusher.unsubscribe(channel.name);
          }, [hotelSlug, roomNumber]);
        }
        """,
    ),
    Valid(
        name="a name that cannot be resolved may be the room channel",
        code="""
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function subscribeTo(channelName) {
          return pusher.subscribe(channelName);
        }
        """,
    ),
    Valid(
        name="client in one module, subscription in another",
        filename="src/lib/pusher.js",
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher(KEY, { cluster: 'eu' });
        """,
        others={
            "src/pages/GuestChat.jsx": """
            import { pusher } from '../lib/pusher';
            export function GuestChat({ hotelSlug, roomNumber }) {
              useEffect(() => {
                pusher.subscribe(hotelSlug + '-room-' + roomNumber + '-chat');
              }, [hotelSlug, roomNumber]);
            }
            """
        },
    ),
    Valid(
        name="another app (no sign of the hotel chat): the contract rules do not run",
        code="""
        import Pusher from 'pusher-js';
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function Orders({ userId }) {
          useEffect(() => {
            const channel = pusher.subscribe(`orders-${userId}`);
            channel.bind('order-shipped', refresh);
            return () => pusher.unsubscribe(`orders-${userId}`);
          }, [userId]);
        }
        """,
    ),
    Valid(
        name="--contract none turns the contract rules off even in a guest view",
        filename="src/guest/Chat.jsx",
        contract="none",
        code="""
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export const listen = () => pusher.subscribe('lobby').bind('notice', show);
        """,
    ),
    Valid(
        name="no client created in the scanned code",
        code="""
        export function subscribeNotifications(pusher, hotelSlug) {
          return pusher.subscribe(`${hotelSlug}-notifications`);
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="client, but only a notifications channel",
        code="""
        import Pusher from 'pusher-js';

        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function Notifications({ hotelSlug }) {
          useEffect(() => {
            pusher.subscribe(`${hotelSlug}-notifications`);
          }, [hotelSlug]);
        }
        """,
        contract="hotel",
        errors=[Error(rule=RULE, line=3, column=16, message=("'{hotelSlug}-notifications'",))],
    ),
    Invalid(
        name="Vue component that never subscribes",
        filename="GuestChat.vue",
        code="""
        <template><p>{{ status }}</p></template>
        <script>
        import Pusher from 'pusher-js';
        export default {
          data: () => ({ status: 'connecting' }),
          mounted() {
            this.pusher = new Pusher(KEY, { cluster: 'eu' });
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=7, message=("{hotel_slug}-room-{room_number}-chat",))],
    ),
    Invalid(
        name="only the guest-side client is reported when staff views have clients too",
        filename="src/Chat.jsx",
        code="""
        export const pusher = new Pusher(KEY, { cluster: 'eu' });
        """,
        others={
            "src/staff/Inbox.jsx": """
            const staffPusher = new Pusher(KEY, { cluster: 'eu' });
            staffPusher.subscribe(`${hotelSlug}-conversation-${conversationId}-chat`);
            """
        },
        errors=[Error(rule=RULE, line=1, file="src/Chat.jsx")],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
