"""mount-without-teardown: a component subscribes or binds when it mounts and never undoes it."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "mount-without-teardown"

#: a Laravel page's notifications component: it mounts once per page load unless a router swaps it
NOTIFICATIONS = """
        <template><ul><li v-for="n in items">{{ n.text }}</li></ul></template>
        <script>
        export default {
          props: ['userId'],
          data: () => ({ items: [] }),
          mounted() {
            window.Echo.private(`App.Models.User.${this.userId}`).notification((n) => this.items.push(n));
          },
        };
        </script>
        """
LARAVEL_ENTRY = """
import Vue from 'vue';
import Notifications from './components/Notifications.vue';
Vue.component('order-list', require('./components/OrderList.vue').default);
new Vue({ el: '#app', components: { Notifications } });
"""

VALID = [
    Valid(
        name="a component a page-per-request root registers (Laravel Blade) lives as long as the page",
        filename="resources/js/components/Notifications.vue",
        code=NOTIFICATIONS,
        others={
            "resources/js/app.js": LARAVEL_ENTRY,
            "resources/js/components/OrderList.vue": NOTIFICATIONS.replace("App.Models.User", "orders"),
        },
    ),
    Valid(
        name="a component the root renders unconditionally stays mounted (found from createApp, not its name)",
        filename="src/components/NavBar.vue",
        code="""
        <script setup>
        import { pusher } from '../pusher';
        const props = defineProps(['userId']);
        pusher.subscribe(`private-user.${props.userId}`).bind('unread', (n) => console.log(n));
        </script>
        """,
        others={
            "src/main.js": "import { createApp } from 'vue';\nimport Shell from './Shell.vue';\n"
            "import router from './router';\ncreateApp(Shell).use(router).mount('#app');\n",
            "src/router.js": "import { createRouter } from 'vue-router';\nexport default createRouter({});\n",
            "src/Shell.vue": "<template><NavBar :user-id='1' /><router-view /></template>\n"
            "<script setup>\nimport NavBar from './components/NavBar.vue';\n</script>\n",
            "src/pusher.js": "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n",
        },
    ),
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
        name="with a router in the app, a registered component comes and goes",
        filename="resources/js/components/Notifications.vue",
        code=NOTIFICATIONS,
        others={
            "resources/js/app.js": "import VueRouter from 'vue-router';\n" + LARAVEL_ENTRY,
        },
        errors=[Error(rule=RULE, line=7)],
    ),
    Invalid(
        name="a component the root shows under v-if unmounts",
        filename="src/components/NavBar.vue",
        code="""
        <script setup>
        import { pusher } from '../pusher';
        pusher.subscribe('private-user.1').bind('unread', (n) => console.log(n));
        </script>
        """,
        others={
            "src/main.js": "import { createApp } from 'vue';\nimport Shell from './Shell.vue';\n"
            "createApp(Shell).mount('#app');\n",
            "src/Shell.vue": "<template><NavBar v-if='open' /></template>\n"
            "<script setup>\nimport NavBar from './components/NavBar.vue';\n</script>\n",
            "src/pusher.js": "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n",
        },
        errors=[Error(rule=RULE, line=3)],
    ),
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
