"""mount-without-teardown: a component subscribes or binds when it mounts and never undoes it."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "mount-without-teardown"

VALID = [
    Valid(
        name="Vue 2 options API: beforeDestroy leaves the Echo channel",
        filename="src/components/OrderStatus.vue",
        code="""
        <template><p>{{ status }}</p></template>
        <script>
        export default {
          props: ['orderId'],
          data: () => ({ status: 'pending' }),
          mounted() {
            window.Echo.private(`orders.${this.orderId}`).listen('.status-changed', (e) => (this.status = e.status));
          },
          beforeDestroy() {
            window.Echo.leave(`orders.${this.orderId}`);
          },
        };
        </script>
        """,
    ),
    Valid(
        name="Vue 3 <script setup>: onBeforeUnmount unbinds",
        filename="src/components/GuestChat.vue",
        code="""
        <script setup>
        import { onBeforeUnmount, onMounted, ref } from 'vue';
        import { pusher } from '../pusher';
        const messages = ref([]);
        const onMessage = (m) => messages.value.push(m);
        let channel;
        onMounted(() => {
          channel = pusher.subscribe('lobby');
          channel.bind('new-message', onMessage);
        });
        onBeforeUnmount(() => channel.unbind('new-message', onMessage));
        </script>
        """,
    ),
    Valid(
        name="the app's root component mounts once",
        filename="src/App.vue",
        code="""
        <script>
        export default {
          mounted() {
            window.Echo.channel('announcements').listen('.posted', this.show);
          },
        };
        </script>
        """,
    ),
    Valid(
        name="React: the effect returns a cleanup",
        code="""
        export function Feed({ topic }) {
          useEffect(() => {
            const channel = pusher.subscribe(topic);
            channel.bind('post', add);
            return () => pusher.unsubscribe(topic);
          }, [topic]);
        }
        """,
    ),
    Valid(
        name="a setup that tears down too early is early-unsubscribe's",
        code="""
        export function Feed({ topic }) {
          useEffect(() => {
            const channel = pusher.subscribe(topic);
            channel.bind('post', (p) => { add(p); pusher.unsubscribe(topic); });
          }, [topic]);
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="Vue 3 options API with Echo: mounted, no unmount hook",
        filename="src/components/RoomChat.vue",
        code="""
        <script>
        export default {
          props: ['roomId'],
          data: () => ({ messages: [] }),
          mounted() {
            window.Echo.join(`chat.${this.roomId}`)
              .here((users) => (this.users = users))
              .listen('.message.sent', (e) => this.messages.push(e.message));
          },
        };
        </script>
        """,
        errors=[
            Error(
                rule=RULE,
                line=6,
                column=5,
                severity="warning",
                message=("mounted() subscribes to 'presence-chat.{this.roomId}'", "never tears it down"),
            )
        ],
    ),
    Invalid(
        name="Vue 3 <script setup> with pusher-js: onMounted, nothing at unmount",
        filename="src/components/Scores.vue",
        code="""
        <script setup>
        import { onMounted } from 'vue';
        import { pusher } from '@/pusher';
        onMounted(() => {
          pusher.subscribe('scores').bind('goal', (g) => goals.value.push(g));
        });
        </script>
        """,
        errors=[Error(rule=RULE, line=5, message=("subscribes to 'scores'",))],
    ),
    Invalid(
        name="React class component: componentDidMount binds, no componentWillUnmount",
        code="""
        export class Notifications extends React.Component {
          componentDidMount() {
            const channel = pusher.subscribe(`user-${this.props.userId}`);
            channel.bind('notify', this.onNotify);
          }
          onNotify = (n) => this.setState({ last: n });
          render() { return null; }
        }
        """,
        errors=[Error(rule=RULE, line=3, message=("componentDidMount()",))],
    ),
    Invalid(
        name="React: an effect with deps that binds and returns no cleanup",
        filename="src/components/Presence.tsx",
        code="""
        export function Presence({ roomId }: { roomId: string }) {
          useEffect(() => {
            echo.join(`room.${roomId}`).listen('.joined', (e: Joined) => addUser(e.user));
          }, [roomId]);
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=2, column=3, message=("returns no cleanup",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
