"""watch-subscribe: a Vue watcher subscribes but misses the first value or keeps the old channel."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "watch-subscribe"

VALID = [
    Valid(
        name="immediate, and the old channel left first",
        filename="src/components/Room.vue",
        code="""
        <script>
        export default {
          props: ['roomId'],
          watch: {
            roomId: {
              immediate: true,
              handler(id, oldId) {
                if (oldId) window.Echo.leave(`room.${oldId}`);
                window.Echo.private(`room.${id}`).listen('.message', this.add);
              },
            },
          },
        };
        </script>
        """,
    ),
    Valid(
        name="composition API: watch with immediate that unsubscribes the old name",
        filename="src/views/Inbox.vue",
        code="""
        <script setup>
        import { watch } from 'vue';
        import { pusher } from '../pusher';
        const props = defineProps(['id']);
        watch(() => props.id, (id, old) => {
          if (old) pusher.unsubscribe(`inbox-${old}`);
          pusher.subscribe(`inbox-${id}`).bind('mail', add);
        }, { immediate: true });
        </script>
        """,
    ),
    Valid(
        name="mounted subscribes the first value, the watcher moves to the next",
        filename="src/components/Ticket.vue",
        code="""
        <script>
        export default {
          props: ['ticketId'],
          mounted() {
            this.channel = this.$pusher.subscribe(`ticket-${this.ticketId}`);
          },
          watch: {
            ticketId(id, old) {
              this.$pusher.unsubscribe(`ticket-${old}`);
              this.channel = this.$pusher.subscribe(`ticket-${id}`);
            },
          },
        };
        </script>
        """,
    ),
]

INVALID = [
    Invalid(
        name="options API watcher without immediate that never leaves",
        filename="resources/js/components/OrderTracker.vue",
        code="""
        <script>
        export default {
          props: ['orderId'],
          watch: {
            orderId(id) {
              window.Echo.private(`orders.${id}`).listen('.status', this.refresh);
            },
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=6, message=("without immediate: true", "never leaves the previous"))],
    ),
    Invalid(
        name="watch() in setup, without immediate",
        filename="src/views/Inbox.vue",
        code="""
        <script>
        import { watch } from 'vue';
        export default {
          props: ['id'],
          setup(props) {
            watch(() => props.id, (id, old) => {
              pusher.unsubscribe(`inbox-${old}`);
              pusher.subscribe(`inbox-${id}`).bind('mail', add);
            });
          },
        };
        </script>
        """,
        errors=[Error(rule=RULE, line=8, message=("without immediate: true",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
