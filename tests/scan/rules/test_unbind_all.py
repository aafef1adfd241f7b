"""unbind-all: ``channel.unbind()`` or ``unbind_all()`` removes other components' handlers too."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "unbind-all"

VALID = [
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
          beforeUnmount() {
            this.channel.unbind_all();
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=4, column=5)],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
