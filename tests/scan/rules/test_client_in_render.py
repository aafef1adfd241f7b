"""client-in-render: ``new Pusher(...)`` or ``subscribe(...)`` in a body that runs on every render."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "client-in-render"

VALID = [
    Valid(
        name="hook libraries subscribe from the component body by design",
        code="""
        import { useEcho } from '@laravel/echo-react';
        import { useChannel, useEvent } from '@harelpls/use-pusher';
        export function Orders({ userId }) {
          useEcho(`orders.${userId}`, '.shipped', refresh);
          const channel = useChannel(`orders-${userId}`);
          useEvent(channel, 'order-created', refresh);
          return null;
        }
        """,
    ),
    Valid(
        name="module level",
        code="""
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        export function GuestChat() { return null; }
        """,
    ),
    Valid(
        name="useMemo, lazy useState and a guarded ref",
        code="""
        export function GuestChat() {
          const pusher = useMemo(() => new Pusher(KEY, { cluster: 'eu' }), []);
          const [lazy] = useState(() => new Pusher(KEY, { cluster: 'eu' }));
          const ref = useRef(null);
          if (ref.current === null) {
            ref.current = new Pusher(KEY, { cluster: 'eu' });
          }
          return [pusher, lazy];
        }
        """,
    ),
    Valid(
        name="subscribe inside useEffect",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            return () => pusher.unsubscribe(name);
          }, [name]);
          return null;
        }
        """,
    ),
    Valid(
        name="a plain factory function (lower-case name)",
        code="export function createClient() { return new Pusher(KEY, { cluster: 'eu' }); }",
    ),
    Valid(
        name="Vue setup runs once per instance",
        filename="GuestChat.vue",
        code="""
        <script setup>
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        const channel = pusher.subscribe(name);
        </script>
        """,
    ),
    Valid(
        name="class component: componentDidMount",
        code="""
        export class GuestChat extends React.Component {
          componentDidMount() { this.pusher = new Pusher(KEY, { cluster: 'eu' }); }
          render() { return null; }
        }
        """,
    ),
]

INVALID = [
    Invalid(
        name="new Echo in a component body",
        filename="src/components/Chat.tsx",
        code="""
        export function Chat() {
          const echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu' });
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=2, message=("new Echo(...) runs in the body of component Chat",))],
    ),
    Invalid(
        name="function component body",
        code="""
        export function GuestChat({ name }) {
          const pusher = new Pusher(KEY, { cluster: 'eu' });
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=2, column=18, message=("component GuestChat",))],
    ),
    Invalid(
        name="argument of useRef is evaluated on every render",
        code="""
        export const GuestChat = () => {
          const pusher = useRef(new Pusher(KEY, { cluster: 'eu' }));
          return null;
        };
        """,
        errors=[Error(rule=RULE, line=2, column=25, message=("the argument of useRef",))],
    ),
    Invalid(
        name="custom hook body",
        code="export function usePusher() { return new Pusher(KEY, { cluster: 'eu' }); }",
        errors=[Error(rule=RULE, line=1, message=("hook usePusher",))],
    ),
    Invalid(
        name="class render() creates the client and subscribes",
        code="""
        export default class GuestChat extends React.Component {
          render() {
            const pusher = new Pusher(KEY, { cluster: 'eu' });
            const channel = pusher.subscribe(this.props.channelName);
            return null;
          }
        }
        """,
        errors=[
            Error(rule=RULE, line=3, message=("render()",)),
            Error(rule=RULE, line=4, message=("subscribes in the body of render()",)),
        ],
    ),
    Invalid(
        name="subscribe in a function component body",
        code="""
        export function GuestChat({ pusher, name }) {
          const channel = pusher.subscribe(name);
          return channel.name;
        }
        """,
        errors=[Error(rule=RULE, line=2, column=19)],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
