"""unbind-all: ``channel.unbind()`` or ``unbind_all()`` removes other components' handlers too."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "unbind-all"

VALID = [
    Valid(
        name="a channel only this component uses: its handlers are all its own",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind_all();
          }, [name]);
        }
        """,
    ),
    Valid(
        name="the effect owns its client: nobody else listens on its channels",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const pusher = new Pusher(KEY, { cluster: 'eu' });
            const channel = pusher.subscribe(name);
            channel.bind('message', show);
            return () => {
              channel.unbind_all();
              pusher.disconnect();
            };
          }, [name]);
        }
        """,
    ),
    Valid(
        name="unbind() right before bind(): binding once, not removing everyone's handlers",
        code="""
        export function listen(channel, onMessage) {
          channel.unbind('new-message');
          channel.bind('new-message', onMessage);
        }
        """,
    ),
    Valid(
        name="unbind only your own handler",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => channel.unbind('new-staff-message', onMessage);
          }, [name]);
        }
        """,
    ),
    Valid(
        name="inside the handler it is early-unsubscribe's to report",
        code="""
        const channel = pusher.subscribe(name);
        channel.bind('new-staff-message', () => channel.unbind_all());
        """,
    ),
    Valid(name="jQuery unbind is not Pusher", code="$(element).unbind();"),
]

INVALID = [
    Invalid(
        name="a module-level client's channel is shared: unbind() in a Vue 2 beforeDestroy",
        filename="src/components/Inbox.vue",
        code="""
        <script>
        import Pusher from 'pusher-js';
        const pusher = new Pusher(process.env.VUE_APP_PUSHER_KEY, { cluster: 'eu' });
        export default {
          mounted() {
            this.channel = pusher.subscribe('inbox');
            this.channel.bind('message', this.add);
          },
          beforeDestroy() {
            this.channel.unbind();
          },
        };
        </script>
        """,
        others={"src/components/UnreadBadge.vue": "<script>\nimport { pusher } from '../pusher';\n"
                "export default {\n  mounted() {\n    pusher.subscribe('inbox').bind('message', this.bump);\n  },\n};\n"
                "</script>\n"},
        errors=[Error(rule=RULE, line=10, column=5, severity="warning")],
    ),
    Invalid(
        name="unbind() and unbind_all() in a cleanup",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', onMessage);
            return () => {
              channel.unbind();
              channel.unbind_all();
            };
          }, [name]);
        }
        """,
        others={"Unread.jsx": "export function Unread({ name }) {\n"
                "  useEffect(() => { pusher.subscribe(name).bind('new-staff-message', bump); }, [name]);\n}\n"},
        errors=[
            Error(rule=RULE, line=6, column=7, message=("channel.unbind() removes every handler",)),
            Error(rule=RULE, line=7, column=7, message=("channel.unbind_all() removes every handler",)),
        ],
    ),
    Invalid(
        name="Vue beforeUnmount",
        filename="GuestChat.vue",
        code="""
        <script>
        export default {
          mounted() {
            this.channel = this.$pusher.subscribe('lobby');
          },
          beforeUnmount() {
            this.channel.unbind_all();
          },
        };
        </script>
        """,
        others={"Lobby.vue": "<script>\nexport default {\n  mounted() {\n"
                "    this.$pusher.subscribe('lobby').bind('joined', this.add);\n  },\n};\n</script>\n"},
        errors=[Error(rule=RULE, line=7, column=5, message=("Lobby.vue",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
