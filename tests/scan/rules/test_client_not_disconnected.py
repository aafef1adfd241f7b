"""client-not-disconnected: a client created per mount or effect run that nothing disconnects."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "client-not-disconnected"

FACTORY = """import Pusher from 'pusher-js';
export function createPusher() {
  return new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, { cluster: 'eu' });
}
"""
TICKET = """
        <script setup>
        import { onMounted, onUnmounted } from 'vue';
        import { createPusher } from '../lib/pusher';
        const props = defineProps(['id']);
        let client;
        let channel;
        onMounted(() => {
          client = createPusher();
          channel = client.subscribe(`private-ticket.${props.id}`);
          channel.bind('updated', reload);
        });
        onUnmounted(() => {
          channel.unbind('updated', reload);%s
        });
        </script>
        """

VALID = [
    Valid(
        name="a client from a factory in another module, disconnected at unmount",
        filename="src/views/Ticket.vue",
        code=TICKET % "\n          client.disconnect();",
        others={"src/lib/pusher.js": FACTORY},
    ),
    Valid(
        name="Echo disconnected, then connected again (after login)",
        code="""
        export async function login(credentials) {
          await api.post('/login', credentials);
          window.Echo.disconnect();
          window.Echo.connect();
        }
        """,
    ),
    Valid(
        name="a service class, made once by code the scan does not see",
        filename="src/services/RealtimeService.ts",
        code="""
        export class RealtimeService {
          private pusher = new Pusher(KEY, { cluster: 'eu' });
          constructor(private readonly userId: string) {
            this.echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu' });
          }
        }
        export const realtime = new RealtimeService(currentUser.id);
        """,
    ),
    Valid(
        name="a second effect disconnects the state client whenever it changes",
        code="""
        export function Chat({ room }) {
          const [pusher, setPusher] = useState(null);
          useEffect(() => {
            const client = new Pusher(KEY, { cluster: 'eu' });
            setPusher(client);
            return () => client.disconnect();
          }, [room]);
          useEffect(() => () => pusher?.disconnect(), [pusher]);
          return null;
        }
        """,
    ),
    Valid(
        name="React: the effect's cleanup disconnects the client it created",
        code="""
        import Pusher from 'pusher-js';
        export function GuestChat({ channelName }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const pusher = new Pusher(process.env.REACT_APP_PUSHER_KEY, { cluster: 'eu' });
            const channel = pusher.subscribe(channelName);
            channel.bind('message', (m) => setMessages((prev) => [...prev, m]));
            return () => {
              channel.unbind_all();
              pusher.disconnect();
            };
          }, [channelName]);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="module-level client shared by every component",
        code="""
        import Pusher from 'pusher-js';
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function Feed() {
          useEffect(() => {
            pusher.subscribe('feed').bind('post', add);
            return () => pusher.unsubscribe('feed');
          }, []);
        }
        """,
    ),
    Valid(
        name="a guarded singleton created in an effect",
        code="""
        export function App() {
          useEffect(() => {
            if (!window.Echo) {
              window.Echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu' });
            }
          }, []);
        }
        """,
    ),
    Valid(
        name="Vue options API: beforeUnmount disconnects through a helper",
        filename="src/components/LiveScores.vue",
        code="""
        <script>
        import Pusher from 'pusher-js';
        export default {
          mounted() {
            this.pusher = new Pusher(process.env.VUE_APP_PUSHER_KEY, { cluster: 'eu' });
            this.pusher.subscribe('scores').bind('goal', this.onGoal);
          },
          beforeUnmount() {
            this.disconnectPusher();
          },
          methods: {
            onGoal(goal) { this.goals.push(goal); },
            disconnectPusher() { this.pusher.disconnect(); },
          },
        };
        </script>
        """,
    ),
    Valid(
        name="Nuxt plugin: one Echo for the app",
        filename="plugins/echo.client.ts",
        code="""
        import Echo from 'laravel-echo';
        import Pusher from 'pusher-js';
        export default defineNuxtPlugin(() => {
          window.Pusher = Pusher;
          const echo = new Echo({ broadcaster: 'pusher', key: useRuntimeConfig().public.pusherKey, cluster: 'eu' });
          return { provide: { echo } };
        });
        """,
    ),
    Valid(
        name="a factory function: how often it is called cannot be told",
        code="""
        export function createClient(key) {
          return new Pusher(key, { cluster: 'eu' });
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="a client from a factory in another module, per mount, never disconnected",
        filename="src/views/Ticket.vue",
        code=TICKET % "",
        others={"src/lib/pusher.js": FACTORY},
        errors=[Error(rule=RULE, line=8, message=("createPusher() (src/lib/pusher.js) returns a new Pusher",))],
    ),
    Invalid(
        name="Echo.connect() again in a component",
        filename="src/components/Live.vue",
        code="""
        <script>
        export default {
          mounted() {
            window.Echo.connect();
            window.Echo.channel('live').listen('.tick', this.tick);
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=4, message=("opens another connection",))],
    ),
    Invalid(
        name="stale closure: the cleanup disconnects the state from the render the effect ran in",
        filename="src/components/Chat.tsx",
        code="""
        export function Chat({ room }: { room: string }) {
          const [pusher, setPusher] = useState<Pusher | null>(null);
          useEffect(() => {
            const client = new Pusher(KEY, { cluster: 'eu' });
            client.subscribe(room).bind('message', show);
            setPusher(client);
            return () => pusher?.disconnect();
          }, [room]);
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=4, message=("disconnects 'pusher', the state of the render",))],
    ),
    Invalid(
        name="React: the cleanup unsubscribes but never disconnects, and the effect re-runs per message",
        code="""
        import Pusher from 'pusher-js';
        export function Chat({ room }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const pusher = new Pusher(process.env.NEXT_PUBLIC_PUSHER_KEY, { cluster: 'eu' });
            const channel = pusher.subscribe(`room-${room}`);
            channel.bind('message', (m) => setMessages([...messages, m]));
            return () => pusher.unsubscribe(`room-${room}`);
          }, [room, messages]);
          return messages.length;
        }
        """,
        errors=[
            Error(
                rule=RULE,
                line=5,
                column=20,
                severity="warning",
                message=("new Pusher(...) opens a WebSocket on every run of its effect", "room, messages change"),
            )
        ],
    ),
    Invalid(
        name="Vue 3 <script setup>: Echo per component instance",
        filename="src/components/Notifications.vue",
        code="""
        <script setup lang="ts">
        import Echo from 'laravel-echo';
        const echo = new Echo({ broadcaster: 'pusher', key: import.meta.env.VITE_PUSHER_APP_KEY, cluster: 'eu' });
        onMounted(() => echo.private(`App.Models.User.${userId}`).notification(show));
        onUnmounted(() => echo.leave(`App.Models.User.${userId}`));
        </script>
        """,
        errors=[Error(rule=RULE, line=3, message=("new Echo(...) opens a WebSocket on every mount",))],
    ),
    Invalid(
        name="class component: created in componentDidMount, only unsubscribed at unmount",
        code="""
        export class Ticker extends React.Component {
          componentDidMount() {
            this.pusher = new Pusher(KEY, { cluster: 'eu' });
            this.pusher.subscribe('prices').bind('tick', this.onTick);
          }
          componentWillUnmount() {
            this.pusher.unsubscribe('prices');
          }
          render() { return null; }
        }
        """,
        errors=[Error(rule=RULE, line=3, column=19)],
    ),
    Invalid(
        name="class component field: one client per instance",
        code="""
        export class Ticker extends React.Component {
          pusher = new Pusher(KEY, { cluster: 'eu' });
          render() { return null; }
        }
        """,
        errors=[Error(rule=RULE, line=2, message=("every instance of the component",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
