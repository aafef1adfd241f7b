"""echo-event-prefix: Echo's listen('name') without the leading dot, for a raw (broadcastAs) name."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "echo-event-prefix"

BOOTSTRAP = """
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';

window.Pusher = Pusher;
window.Echo = new Echo({
  broadcaster: 'pusher',
  key: import.meta.env.VITE_PUSHER_APP_KEY,
  cluster: import.meta.env.VITE_PUSHER_APP_CLUSTER,
  forceTLS: true,
});
"""

VALID = [
    Valid(
        name="a broadcastAs name after a dot",
        filename="resources/js/orders.js",
        code="""
        Echo.private(`orders.${orderId}`).listen('.order.shipped', (e) => refresh(e.order));
        """,
    ),
    Valid(
        name="listen on a channel of another library, in a file that shows no Echo",
        code="""
        export function watchPrices(channel, update) {
          channel.listen('price-changed', update);
        }
        """,
    ),
    Valid(
        name="the leading dot: the name is used as it is",
        filename="resources/js/components/GuestChat.vue",
        code="""
        <script setup>
        import { onMounted, onUnmounted } from 'vue';
        const props = defineProps({ hotelSlug: String, roomNumber: Number });
        const name = `${props.hotelSlug}-room-${props.roomNumber}-chat`;
        onMounted(() => {
          window.Echo.channel(name).listen('.new-staff-message', (e) => messages.value.push(e));
        });
        onUnmounted(() => window.Echo.leave(name));
        </script>
        """,
        others={"resources/js/bootstrap.js": BOOTSTRAP},
    ),
    Valid(
        name="an event class needs no dot",
        filename="resources/js/orders.js",
        code="""
        export function watchOrder(orderId, refresh) {
          Echo.private(`orders.${orderId}`).listen('OrderShipmentStatusUpdated', refresh);
        }
        """,
    ),
    Valid(
        name="namespace turned off in new Echo: nothing is prefixed",
        filename="src/echo.js",
        code="""
        import Echo from 'laravel-echo';
        export const echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu', namespace: false });
        echo.channel('lobby').listen('user-joined', show);
        """,
    ),
    Valid(
        name="pusher-js bind takes the name as it is",
        code="pusher.subscribe('lobby').bind('user-joined', show);",
    ),
    Valid(
        name="notification() and listenForWhisper() are not prefixed",
        code="""
        Echo.private(`App.Models.User.${userId}`).notification((n) => toast(n.message));
        Echo.join(`chat.${roomId}`).listenForWhisper('typing', (e) => setTyping(e.name));
        """,
    ),
]

INVALID = [
    Invalid(
        name="@laravel/echo-react's useEcho listens through Echo: the same prefix",
        filename="resources/js/components/Orders.tsx",
        code="""
        import { useEcho } from '@laravel/echo-react';
        export function Orders({ userId }) {
          useEcho(`orders.${userId}`, ['OrderShipped', 'order.updated'], (e) => refresh(e));
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=3, severity="warning", message=("'App\\Events\\order\\updated'",))],
    ),
    Invalid(
        name="the full class name after a dot keeps its dots",
        filename="resources/js/orders.js",
        code="""
        Echo.private(`orders.${orderId}`)
          .listen('.App.Events.OrderShipped', (e) => refresh(e.order));
        """,
        errors=[
            Error(
                rule=RULE,
                line=2,
                severity="error",
                message=("'App.Events.OrderShipped' as written", "'App\\Events\\OrderShipped'"),
            )
        ],
    ),
    Invalid(
        name="a namespaced class, or a broadcastAs name: a note",
        filename="resources/js/billing.js",
        code="""
        Echo.private(`billing.${teamId}`).listen('Billing.InvoicePaid', refresh);
        """,
        errors=[Error(rule=RULE, line=1, severity="note", message=("'App\\Events\\Billing\\InvoicePaid'",))],
    ),
    Invalid(
        name="a dashed name: Echo listens for App\\Events\\new-staff-message",
        filename="resources/js/components/GuestChat.vue",
        code="""
        <script>
        export default {
          props: ['channelName'],
          mounted() {
            window.Echo.channel(this.channelName)
              .listen('new-staff-message', (e) => this.messages.push(e));
          },
          beforeUnmount() {
            window.Echo.leave(this.channelName);
          },
        };
        </script>
        """,
        others={"resources/js/bootstrap.js": BOOTSTRAP},
        errors=[
            Error(
                rule=RULE,
                line=6,
                column=15,
                severity="error",
                message=("listen('new-staff-message') has no leading dot", "'App\\Events\\new-staff-message'"),
            )
        ],
    ),
    Invalid(
        name="a broadcastAs name with dots, through this.$echo (vue-echo) and a const",
        filename="src/components/OrderStatus.vue",
        code="""
        <script>
        const SHIPPED = 'order.shipped';
        export default {
          created() {
            this.$echo.private(`orders.${this.id}`).listen(SHIPPED, this.reload);
          },
          beforeDestroy() {
            this.$echo.leave(`orders.${this.id}`);
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=5, severity="warning", message=("'App\\Events\\order\\shipped'",))],
    ),
    Invalid(
        name="React: an imported echo, a channel kept in a variable, another namespace",
        filename="src/hooks/useRoomMessages.ts",
        code="""
        import { useEffect } from 'react';
        import echo from '@/lib/echo';

        export function useRoomMessages(roomId: string, onMessage: (m: Message) => void) {
          useEffect(() => {
            const channel = echo.join(`rooms.${roomId}`);
            channel.listen('message_sent', onMessage);
            return () => echo.leave(`rooms.${roomId}`);
          }, [roomId, onMessage]);
        }
        """,
        others={
            "src/lib/echo.ts": """
            import Echo from 'laravel-echo';
            export default new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu', namespace: 'Domain.Events' });
            """
        },
        errors=[Error(rule=RULE, line=7, message=("'Domain\\Events\\message_sent'",))],
    ),
    Invalid(
        name="Nuxt: useNuxtApp().$echo",
        filename="pages/rooms/[id].vue",
        code="""
        <script setup lang="ts">
        const { $echo } = useNuxtApp();
        const route = useRoute();
        onMounted(() => {
          $echo.channel(`hotel-room-${route.params.id}-chat`).listen('new-staff-message', push);
        });
        onBeforeUnmount(() => $echo.leave(`hotel-room-${route.params.id}-chat`));
        </script>
        """,
        errors=[Error(rule=RULE, line=5, severity="error")],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
