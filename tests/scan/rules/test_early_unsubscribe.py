"""early-unsubscribe: the subscription is torn down while the chat is still shown."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "early-unsubscribe"

HOOK = """
export function usePusherChannel(channelName, handler) {
  useEffect(() => {
    const channel = pusher.subscribe(channelName);
    channel.bind('new-staff-message', handler);
    return () => {
      channel.unbind('new-staff-message', handler);
      pusher.unsubscribe(channelName);
    };
  }, [channelName, handler]);
}
"""

VALID = [
    Valid(
        name="unbind right before bind is the de-duplication idiom, not an early unsubscribe",
        code="""
        export function GuestChat({ hotelSlug, roomNumber, onMessage }) {
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);
            channel.unbind('new-staff-message');
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind('new-staff-message', onMessage);
          }, [hotelSlug, roomNumber, onMessage]);
        }
        """,
    ),
    Valid(
        name="[] deps, teardown in the cleanup",
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const name = `${hotelSlug}-room-${roomNumber}-chat`;
            const channel = pusher.subscribe(name);
            const onMessage = (m) => setMessages((prev) => [...prev, m]);
            channel.bind('new-staff-message', onMessage);
            return () => { channel.unbind('new-staff-message', onMessage); pusher.unsubscribe(name); };
          }, []);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="deps are what the channel name is built from",
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);
            channel.bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));
            return () => pusher.unsubscribe(`${hotelSlug}-room-${roomNumber}-chat`);
          }, [hotelSlug, roomNumber, pusher]);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="a handler kept stable with useCallback",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          const onMessage = useCallback((m) => setMessages((prev) => [...prev, m]), []);
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind('new-staff-message', onMessage);
          }, [name, onMessage]);
          return messages.length;
        }
        """,
    ),
    Valid(
        name="switching rooms: unsubscribe the old channel, then subscribe the new one",
        code="""
        export function switchRoom(oldName, newName) {
          pusher.unsubscribe(oldName);
          return pusher.subscribe(newName);
        }
        """,
    ),
    Valid(
        name="class component: mount and unmount",
        code="""
        export class GuestChat extends React.Component {
          componentDidMount() {
            this.channel = pusher.subscribe(this.props.channelName);
            this.channel.bind('new-staff-message', this.onMessage);
          }
          componentWillUnmount() {
            this.channel.unbind('new-staff-message', this.onMessage);
            pusher.unsubscribe(this.props.channelName);
          }
          onMessage(m) { this.setState({ last: m }); }
          render() { return null; }
        }
        """,
    ),
    Valid(
        name="Vue composition API: onMounted and onBeforeUnmount",
        filename="GuestChat.vue",
        code="""
        <script setup>
        import { onBeforeUnmount, onMounted } from 'vue';
        const props = defineProps(['hotelSlug', 'roomNumber']);
        const name = `${props.hotelSlug}-room-${props.roomNumber}-chat`;
        onMounted(() => {
          pusher.subscribe(name).bind('new-staff-message', onMessage);
        });
        onBeforeUnmount(() => {
          pusher.unsubscribe(name);
        });
        </script>
        """,
    ),
    Valid(
        name="an effect without deps that does not touch Pusher",
        code="""
        export function Title({ count }) {
          useEffect(() => { document.title = `${count} new`; });
          return null;
        }
        """,
    ),
    Valid(
        name="a hook called with a stable handler",
        filename="src/RoomChat.jsx",
        code="""
        export function RoomChat({ name }) {
          const onMessage = useCallback((m) => show(m), []);
          usePusherChannel(name, onMessage);
          return null;
        }
        """,
        others={"src/usePusherChannel.js": HOOK},
    ),
]

INVALID = [
    Invalid(
        name="Echo: leave() inside the listener",
        filename="src/components/Ticket.vue",
        code="""
        <script>
        export default {
          mounted() {
            window.Echo.channel(`tickets.${this.id}`).listen('.closed', () => {
              this.closed = true;
              window.Echo.leave(`tickets.${this.id}`);
            });
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=6, column=7, severity="error", message=("inside the Pusher event handler",))],
    ),
    Invalid(
        name="state set by the handler is a dependency",
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);
            channel.bind('new-staff-message', (m) => setMessages([...messages, m]));
            return () => pusher.unsubscribe(`${hotelSlug}-room-${roomNumber}-chat`);
          }, [hotelSlug, roomNumber, messages]);
          return messages.length;
        }
        """,
        errors=[
            Error(rule=RULE, line=7, column=30, message=("the message handler changes (via setMessages)",))
        ],
    ),
    Invalid(
        name="a name like the message list",
        code="""
        export function GuestChat({ name, allMessages }) {
          useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', show);
            return () => pusher.unsubscribe(name);
          }, [name, allMessages]);
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=5, message=("looks like the message list",))],
    ),
    Invalid(
        name="no dependency array",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));
            return () => pusher.unsubscribe(name);
          });
          return messages.length;
        }
        """,
        errors=[Error(rule=RULE, line=3, column=3, message=("and its cleanup unsubscribes each time",))],
    ),
    Invalid(
        name="teardown inside the event handler",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', (m) => {
              show(m);
              channel.unbind_all();
            });
          }, [name]);
        }
        """,
        errors=[Error(rule=RULE, line=6, column=7, message=("inside the Pusher event handler",))],
    ),
    Invalid(
        name="unsubscribe right after subscribing",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', show);
            pusher.unsubscribe(name);
          }, [name]);
        }
        """,
        errors=[Error(rule=RULE, line=5, column=5, message=("right after subscribing",))],
    ),
    Invalid(
        name="a handler created anew on every render",
        code="""
        export function GuestChat({ name }) {
          const [messages, setMessages] = useState([]);
          const onMessage = (m) => setMessages((prev) => [...prev, m]);
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind('new-staff-message', onMessage);
          }, [name, onMessage]);
          return messages.length;
        }
        """,
        errors=[Error(rule=RULE, line=8, column=13, message=("created anew on every render",))],
    ),
    Invalid(
        name="state another handler of the component changes",
        code="""
        export function GuestChat({ name }) {
          const [draft, setDraft] = useState('');
          useEffect(() => {
            pusher.subscribe(name).bind('new-staff-message', () => console.log(draft));
            return () => pusher.unsubscribe(name);
          }, [name, draft]);
          return <input value={draft} onChange={(e) => setDraft(e.target.value)} />;
        }
        """,
        errors=[Error(rule=RULE, line=6, message=("changes while the chat is shown (via setDraft)",))],
    ),
    Invalid(
        name="a hook called with an inline handler",
        filename="src/RoomChat.jsx",
        code="""
        export function RoomChat({ name }) {
          usePusherChannel(name, (m) => show(m));
          return null;
        }
        """,
        others={"src/usePusherChannel.js": HOOK},
        errors=[
            Error(
                rule=RULE,
                line=2,
                column=26,
                file="src/RoomChat.jsx",
                message=("usePusherChannel(...) re-subscribes whenever 'handler' changes",),
            )
        ],
    ),
    Invalid(
        name="Vue options API: unsubscribe right after subscribing",
        filename="GuestChat.vue",
        code="""
        <template><p /></template>
        <script>
        export default {
          mounted() {
            const name = `${this.hotelSlug}-room-${this.roomNumber}-chat`;
            this.channel = pusher.subscribe(name);
            pusher.unsubscribe(name);
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=7, column=5)],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
