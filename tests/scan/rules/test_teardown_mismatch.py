"""teardown-mismatch: a cleanup that tears down something other than what was set up."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "teardown-mismatch"

VALID = [
    Valid(
        name="same name, same event, same handler",
        code="""
        export function GuestChat({ hotelSlug, roomNumber }) {
          useEffect(() => {
            const name = `${hotelSlug}-room-${roomNumber}-chat`;
            const channel = pusher.subscribe(name);
            const onMessage = (m) => show(m);
            channel.bind('new-staff-message', onMessage);
            return () => {
              channel.unbind('new-staff-message', onMessage);
              pusher.unsubscribe(name);
            };
          }, [hotelSlug, roomNumber]);
        }
        """,
    ),
    Valid(
        name="a name the scan cannot compare is not judged",
        code="""
        export function Chat({ channelName }) {
          useEffect(() => {
            const channel = pusher.subscribe(`${channelName}`);
            channel.bind('message', add);
            return () => pusher.unsubscribe(channel.name);
          }, [channelName]);
        }
        """,
    ),
    Valid(
        name="Echo: leave(name) leaves the private channel too",
        filename="src/components/Orders.vue",
        code="""
        <script>
        export default {
          mounted() {
            window.Echo.private(`orders.${this.id}`).listen('.shipped', this.reload);
          },
          unmounted() {
            window.Echo.leave(`orders.${this.id}`);
          },
        };
        </script>
        """,
    ),
    Valid(
        name="class component: the bound function kept in a field",
        code="""
        export class Feed extends React.Component {
          onPost = (p) => this.setState({ last: p });
          componentDidMount() {
            this.channel = pusher.subscribe('feed');
            this.channel.bind('post', this.onPost);
          }
          componentWillUnmount() {
            this.channel.unbind('post', this.onPost);
          }
          render() { return null; }
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="Echo leaveChannel needs the full private- name",
        filename="resources/js/components/OrderStatus.vue",
        code="""
        <script>
        export default {
          props: ['orderId'],
          mounted() {
            window.Echo.private(`orders.${this.orderId}`).listen('.status', this.refresh);
          },
          beforeDestroy() {
            window.Echo.leaveChannel(`orders.${this.orderId}`);
          },
        };
        </script>
        """,
        errors=[
            Error(
                rule=RULE,
                line=8,
                message=("leaveChannel('orders.{this.orderId}') leaves exactly that name",
                         "'private-orders.{this.orderId}'"),
            )
        ],
    ),
    Invalid(
        name="unsubscribes 'mychannel' after subscribing 'my-channel'",
        code="""
        export function Live() {
          useEffect(() => {
            const channel = pusher.subscribe('my-channel');
            channel.bind('my-event', (data) => alert(JSON.stringify(data)));
            return () => {
              pusher.unsubscribe('mychannel');
            };
          }, []);
        }
        """,
        errors=[
            Error(
                rule=RULE,
                line=6,
                column=7,
                severity="warning",
                message=("unsubscribes 'mychannel' but 'my-channel' was subscribed",),
            )
        ],
    ),
    Invalid(
        name="a template with a typo, in TypeScript",
        filename="src/hooks/useRoom.ts",
        code="""
        export function useRoom(roomId: string) {
          useEffect(() => {
            pusher.subscribe(`room-${roomId}`).bind('message', add);
            return () => pusher.unsubscribe(`rooms-${roomId}`);
          }, [roomId]);
        }
        """,
        errors=[Error(rule=RULE, line=4, message=("'rooms-{roomId}'", "'room-{roomId}'"))],
    ),
    Invalid(
        name="unbinds another event than it bound",
        code="""
        export function Inbox() {
          useEffect(() => {
            const channel = pusher.subscribe('inbox');
            channel.bind('new-message', add);
            return () => channel.unbind('message', add);
          }, []);
        }
        """,
        errors=[Error(rule=RULE, line=5, message=("unbinds 'message' but 'new-message' was bound",))],
    ),
    Invalid(
        name="unbinds a new inline function",
        code="""
        export function Inbox() {
          useEffect(() => {
            const channel = pusher.subscribe('inbox');
            channel.bind('new-message', (m) => add(m));
            return () => channel.unbind('new-message', (m) => add(m));
          }, []);
        }
        """,
        errors=[Error(rule=RULE, line=5, message=("passes a new function to unbind",))],
    ),
    Invalid(
        name="class component: bound with .bind(this), unbound without",
        code="""
        export class Feed extends React.Component {
          componentDidMount() {
            this.channel = pusher.subscribe('feed');
            this.channel.bind('post', this.onPost.bind(this));
          }
          componentWillUnmount() {
            this.channel.unbind('post', this.onPost);
          }
          onPost(p) { this.setState({ last: p }); }
          render() { return null; }
        }
        """,
        errors=[Error(rule=RULE, line=7, message=("bind(this) made a new function",))],
    ),
    Invalid(
        name="class component: a prop's handler bound at mount, the prop as it is at unmount unbound",
        code="""
        export class Feed extends React.Component {
          componentDidMount() {
            this.channel = pusher.subscribe('feed');
            this.channel.bind('post', this.props.onPost);
          }
          componentWillUnmount() {
            this.channel.unbind('post', this.props.onPost);
          }
          render() { return null; }
        }
        """,
        errors=[Error(rule=RULE, line=7, severity="note", message=("this.props.onPost as it is at unmount",))],
    ),
    Invalid(
        name="Vue 2: stopListening a name never listened to",
        filename="src/components/Orders.vue",
        code="""
        <script>
        export default {
          mounted() {
            this.channel = window.Echo.private(`orders.${this.id}`);
            this.channel.listen('.shipped', this.reload);
          },
          beforeDestroy() {
            this.channel.stopListening('.ship');
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=8, message=("unbinds 'ship' but 'shipped' was bound",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
