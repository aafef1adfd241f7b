"""subscribe-never-left: a function run on user actions subscribes, and nothing ever leaves."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "subscribe-never-left"

ROOMS = """
<template>
  <ul><li v-for="room in rooms" :key="room.id" @click="open(room.id)">{{ room.name }}</li></ul>
</template>
<script>
export default {
  data: () => ({ rooms: [], messages: [] }),
  methods: {
    open(id) {
      this.join(id);
    },
    join(id) {
      this.$pusher.subscribe(`room-${id}`).bind('message', (m) => this.messages.push(m));%s
    },
  },
};
</script>
"""

VALID = [
    Valid(
        name="the previous room is left before the next is joined",
        filename="src/components/Rooms.vue",
        code=ROOMS % "\n      if (this.current) this.$pusher.unsubscribe(`room-${this.current}`);",
    ),
    Valid(
        name="a helper nothing on the page wires to an event",
        filename="src/lib/rooms.js",
        code="export function join(pusher, id) { pusher.subscribe(`room-${id}`).bind('message', show); }",
    ),
]

INVALID = [
    Invalid(
        name="a Vue method a click runs (through another method)",
        filename="src/components/Rooms.vue",
        code=ROOMS % "",
        errors=[Error(rule=RULE, line=12, message=("join() (through open())", "'room-{id}'"))],
    ),
    Invalid(
        name="a React click handler",
        code="""
        export function Search({ pusher }) {
          const [results, setResults] = useState([]);
          const watchQuery = (q) => {
            const channel = pusher.subscribe(`search-${q}`);
            channel.bind('result', (r) => setResults((all) => [...all, r]));
          };
          return <SearchBox onSubmit={(q) => watchQuery(q)} />;
        }
        """,
        errors=[Error(rule=RULE, line=4, message=("watchQuery()",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
