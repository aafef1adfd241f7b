"""shared-channel-unsubscribed: a page unsubscribes a channel the layout still listens on."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "shared-channel-unsubscribed"

#: the layout's badge: rendered on every page, it binds on the user's channel
BADGE = """
'use client';
import { useEffect, useState } from 'react';
import { pusherClient } from '@/lib/pusher';
export function RequestBadge({ sessionId }) {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const channel = pusherClient.subscribe(`user-${sessionId}-requests`);
    const add = () => setCount((c) => c + 1);
    channel.bind('incoming_request', add);
    return () => channel.unbind('incoming_request', add);
  }, [sessionId]);
  return <span>{count}</span>;
}
"""
LAYOUT = """
import { RequestBadge } from '@/components/RequestBadge';
export default function Layout({ children, sessionId }) {
  return <div><nav><RequestBadge sessionId={sessionId} /></nav>{children}</div>;
}
"""
PAGE = """
'use client';
import { useEffect, useState } from 'react';
import { pusherClient } from '@/lib/pusher';
export function Requests({ sessionId }) {
  const [requests, setRequests] = useState([]);
  useEffect(() => {
    const channel = pusherClient.subscribe(`user-${sessionId}-requests`);
    const add = (r) => setRequests((all) => [...all, r]);
    channel.bind('incoming_request', add);
    return () => {
      channel.unbind('incoming_request', add);
      %s
    };
  }, [sessionId]);
  return requests.length;
}
"""
CLIENT = "import PusherClient from 'pusher-js';\nexport const pusherClient = new PusherClient('k', { cluster: 'eu' });\n"
APP = {"src/app/(dashboard)/layout.tsx": LAYOUT, "src/components/RequestBadge.tsx": BADGE, "src/lib/pusher.ts": CLIENT}

VALID = [
    Valid(
        name="the page unbinds only its own handler",
        filename="src/components/Requests.tsx",
        code=PAGE % "",
        others=APP,
    ),
    Valid(
        name="no component that stays mounted listens on it",
        filename="src/components/Requests.tsx",
        code=PAGE % "pusherClient.unsubscribe(`user-${sessionId}-requests`);",
        others={**APP, "src/app/(dashboard)/layout.tsx": LAYOUT.replace("<RequestBadge sessionId={sessionId} />", "")},
    ),
]

INVALID = [
    Invalid(
        name="the Next.js chat tutorial: the requests page unsubscribes the layout badge's channel",
        filename="src/components/Requests.tsx",
        code=PAGE % "pusherClient.unsubscribe(`user-${sessionId}-requests`);",
        others=APP,
        errors=[Error(rule=RULE, line=12, message=("RequestBadge.tsx", "'user-{sessionId}-requests'"))],
    ),
    Invalid(
        name="Echo.leave in a Vue page while the root's component listens",
        filename="src/views/Orders.vue",
        code="""
        <script setup>
        import { onMounted, onUnmounted } from 'vue';
        const props = defineProps(['userId']);
        onMounted(() => window.Echo.private(`orders.${props.userId}`).listen('.shipped', refresh));
        onUnmounted(() => window.Echo.leave(`orders.${props.userId}`));
        </script>
        """,
        others={
            "src/main.js": "import { createApp } from 'vue';\nimport App from './App.vue';\n"
            "import router from './router';\ncreateApp(App).use(router).mount('#app');\n",
            "src/App.vue": "<template><OrderBell /><router-view /></template>\n<script setup>\n"
            "import OrderBell from './components/OrderBell.vue';\n</script>\n",
            "src/components/OrderBell.vue": "<script setup>\nconst props = defineProps(['userId']);\n"
            "window.Echo.private(`orders.${props.userId}`).listen('.shipped', ring);\n</script>\n",
        },
        errors=[Error(rule=RULE, line=5, message=("OrderBell.vue",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
