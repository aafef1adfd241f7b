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


# --- a tree shaped like real apps: most files never touch Pusher ----------------------------------------

REACT_COMPONENT = """import {{ useEffect, useMemo, useState }} from "react";
import {{ Link }} from "react-router-dom";
import {{ api }} from "../lib/api";
import {{ Button }} from "../ui/Button";

export function OrderTable{n}({{ customerId, pageSize = 20 }}) {{
  const [orders, setOrders] = useState([]);
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState("");
  useEffect(() => {{
    let cancelled = false;
    api.get(`/customers/${{customerId}}/orders`, {{ params: {{ page, pageSize }} }}).then((response) => {{
      if (!cancelled) setOrders(response.data.items);
    }});
    return () => {{
      cancelled = true;
    }};
  }}, [customerId, page, pageSize]);
  const visible = useMemo(
    () => orders.filter((order) => order.number.toLowerCase().includes(filter.toLowerCase())),
    [orders, filter],
  );
  return (
    <section className="orders">
      <input value={{filter}} onChange={{(event) => setFilter(event.target.value)}} placeholder="Search" />
      <table>
        <tbody>
          {{visible.map((order) => (
            <tr key={{order.id}}>
              <td><Link to={{`/orders/${{order.id}}`}}>{{order.number}}</Link></td>
              <td>{{new Date(order.createdAt).toLocaleDateString()}}</td>
              <td>{{order.total.toFixed(2)}}</td>
            </tr>
          ))}}
        </tbody>
      </table>
      <Button disabled={{page === 0}} onClick={{() => setPage(page - 1)}}>Previous</Button>
      <Button onClick={{() => setPage(page + 1)}}>Next</Button>
    </section>
  );
}}
"""

VUE_COMPONENT = """<template>
  <form class="profile" @submit.prevent="save">
    <label>Name <input v-model="form.name" /></label>
    <label>Email <input v-model="form.email" type="email" /></label>
    <p v-if="error" class="error">{{{{ error }}}}</p>
    <button :disabled="saving">Save</button>
  </form>
</template>

<script setup lang="ts">
import {{ reactive, ref }} from "vue";
import {{ useUserStore }} from "../stores/user";

const props = defineProps<{{ userId: number }}>();
const store = useUserStore();
const form = reactive({{ name: store.user?.name ?? "", email: store.user?.email ?? "" }});
const saving = ref(false);
const error = ref("");

async function save{n}() {{
  saving.value = true;
  try {{
    await store.update(props.userId, form);
  }} catch (e) {{
    error.value = (e as Error).message;
  }} finally {{
    saving.value = false;
  }}
}}
const save = save{n};
</script>
"""

SERVICE = """import axios from "axios";

export interface Invoice{n} {{
  id: number;
  number: string;
  total: number;
  paidAt: string | null;
}}

const client = axios.create({{ baseURL: import.meta.env.VITE_API_URL, withCredentials: true }});

export async function listInvoices{n}(page = 0): Promise<Invoice{n}[]> {{
  const response = await client.get<Invoice{n}[]>("/invoices", {{ params: {{ page }} }});
  return response.data;
}}

export async function payInvoice{n}(id: number): Promise<void> {{
  await client.post(`/invoices/${{id}}/pay`);
}}

export function formatTotal{n}(invoice: Invoice{n}, currency = "EUR"): string {{
  return new Intl.NumberFormat(undefined, {{ style: "currency", currency }}).format(invoice.total);
}}
"""


def write_app_tree(root: Path, count: int) -> int:
    """Writes `count` files shaped like a real app's: React and Vue components, services, utilities, and
    one file in fifty using Pusher or Echo (as in the apps of issue #22's sets); returns how many."""
    for n in range(count):
        folder = root / "src" / f"feature{n % 60}"
        folder.mkdir(parents=True, exist_ok=True)
        if n % 50 == 0:
            (folder / f"GuestChat{n}.jsx").write_text(GUEST_CHAT.format(n=n))
        elif n % 50 == 25:
            (folder / f"RoomMessages{n}.vue").write_text(ECHO_COMPONENT.format(n=n))
        elif n % 4 == 0:
            (folder / f"OrderTable{n}.jsx").write_text(REACT_COMPONENT.format(n=n))
        elif n % 4 == 1:
            (folder / f"Profile{n}.vue").write_text(VUE_COMPONENT.format(n=n))
        elif n % 4 == 2:
            (folder / f"invoices{n}.ts").write_text(SERVICE.format(n=n))
        else:
            (folder / f"util{n}.js").write_text(PLAIN_MODULE.format(n=n))
    return count
