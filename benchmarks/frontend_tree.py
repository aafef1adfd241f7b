"""Generates a frontend source tree of typical small component files for the scan-frontend benchmark."""

from __future__ import annotations

from pathlib import Path

GUEST_CHAT = """import React, {{ useEffect, useState }} from "react";
import Pusher from "pusher-js";

const pusher = new Pusher(import.meta.env.VITE_PUSHER_KEY, {{ cluster: "eu" }});

export function GuestChat{n}({{ hotelSlug, roomNumber }}) {{
  const [messages, setMessages] = useState([]);
  useEffect(() => {{
    const channelName = `${{hotelSlug}}-room-${{roomNumber}}-chat`;
    const channel = pusher.subscribe(channelName);
    const onMessage = (data) => setMessages((prev) => [...prev, data]);
    channel.bind("new-staff-message", onMessage);
    return () => {{
      channel.unbind("new-staff-message", onMessage);
      pusher.unsubscribe(channelName);
    }};
  }}, [hotelSlug, roomNumber]);
  return <ul>{{messages.map((m) => <li key={{m.id}}>{{m.message}}</li>)}}</ul>;
}}
"""

BROKEN_CHAT = """import {{ useEffect, useState }} from "react";
import Pusher from "pusher-js";

export default function RoomChat{n}({{ hotelSlug, roomNumber }}: {{ hotelSlug: string; roomNumber: string }}) {{
  const [messages, setMessages] = useState<string[]>([]);
  const pusher = new Pusher("abc123", {{}});
  useEffect(() => {{
    const channel = pusher.subscribe(hotelSlug + "-rooms-" + roomNumber);
    channel.bind("message-received", (data: string) => setMessages([...messages, data]));
    return () => channel.unbind();
  }}, [messages]);
  return <div>{{messages.length}}</div>;
}}
"""

ECHO_COMPONENT = """<template>
  <ul><li v-for="m in messages" :key="m.id">{{{{ m.body }}}}</li></ul>
</template>

<script setup>
import {{ onBeforeUnmount, onMounted, ref }} from "vue";
import echo from "../echo";

const props = defineProps({{ roomId: Number }});
const messages = ref([]);
const name = `rooms.${{props.roomId}}`;
onMounted(() => echo.join(name).listen(".message.sent{n}", (m) => messages.value.push(m)));
onBeforeUnmount(() => echo.leave(name));
</script>
"""

PLAIN_MODULE = """export const formatTime{n} = (iso) => new Date(iso).toLocaleTimeString();
export function groupByDay{n}(messages) {{
  const days = {{}};
  for (const message of messages) {{
    const day = message.created_at.slice(0, 10);
    (days[day] ||= []).push(message);
  }}
  return days;
}}
"""


def write_tree(root: Path, count: int) -> int:
    """Writes `count` files under root (a tenth with mistakes, a tenth Vue components using Laravel Echo);
    returns how many were written."""
    for n in range(count):
        folder = root / f"feature{n % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 10 == 0:
            (folder / f"RoomChat{n}.tsx").write_text(BROKEN_CHAT.format(n=n))
        elif n % 10 == 5:
            (folder / f"RoomMessages{n}.vue").write_text(ECHO_COMPONENT.format(n=n))
        elif n % 3 == 0:
            (folder / f"GuestChat{n}.jsx").write_text(GUEST_CHAT.format(n=n))
        else:
            (folder / f"util{n}.js").write_text(PLAIN_MODULE.format(n=n))
    return count
