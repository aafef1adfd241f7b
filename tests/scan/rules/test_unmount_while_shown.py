"""unmount-while-shown: the guide's "Issue 4" code gets a note, never more."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "unmount-while-shown"

ISSUE_4 = """
import { useEffect, useState } from 'react';
import { pusher } from '../lib/pusher';

export default function GuestChat({ hotelSlug, roomNumber }) {
  const [messages, setMessages] = useState([]);
  useEffect(() => {
    const name = `${hotelSlug}-room-${roomNumber}-chat`;
    const channel = pusher.subscribe(name);
    channel.bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));
    return () => {
      channel.unbind();
      pusher.unsubscribe(name);
    };
  }, []);
  return messages.map((m) => m.text);
}
"""

VALID = [
    Valid(
        name="deps name the channel: re-subscribing on change is the point",
        code="""
        export function GuestChat({ name }) {
          useEffect(() => {
            const channel = pusher.subscribe(name);
            channel.bind('new-staff-message', show);
            return () => pusher.unsubscribe(name);
          }, [name]);
        }
        """,
    ),
    Valid(
        name="a mount-once effect that only unbinds its handler",
        code="""
        export function Badge() {
          useEffect(() => {
            const channel = pusher.subscribe('alerts');
            channel.bind('alert', bump);
            return () => channel.unbind('alert', bump);
          }, []);
        }
        """,
    ),
    Valid(name="the layout never unmounts", filename="app/layout.tsx", code=ISSUE_4),
    Valid(
        name="the app shell renders it unconditionally: it never unmounts, whatever its name",
        filename="src/pages/GuestChat.jsx",
        code=ISSUE_4,
        others={
            "src/main.jsx": "import { createRoot } from 'react-dom/client';\nimport Shell from './Shell';\n"
            "createRoot(document.getElementById('root')).render(<Shell />);\n",
            "src/Shell.jsx": "import GuestChat from './pages/GuestChat';\n"
            "export default function Shell() { return <main><GuestChat hotelSlug='h' roomNumber={1} /></main>; }\n",
            "src/lib/pusher.js": "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n",
        },
    ),
]

INVALID = [
    Invalid(
        name="the app shell shows it only on some condition",
        filename="src/pages/GuestChat.jsx",
        code=ISSUE_4,
        others={
            "src/main.jsx": "import { createRoot } from 'react-dom/client';\nimport Shell from './Shell';\n"
            "createRoot(document.getElementById('root')).render(<Shell />);\n",
            "src/Shell.jsx": "import GuestChat from './pages/GuestChat';\nexport default function Shell({ open }) {\n"
            "  return <main>{open && <GuestChat hotelSlug='h' roomNumber={1} />}</main>;\n}\n",
            "src/lib/pusher.js": "import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n",
        },
        errors=[Error(rule=RULE, line=12, severity="note")],
    ),
    Invalid(
        name="the guide's Issue 4 code",
        filename="src/pages/GuestChat.jsx",
        code=ISSUE_4,
        errors=[
            Error(
                rule=RULE,
                line=12,
                column=7,
                severity="note",
                message=("unmounts while the chat is still on screen",),
            )
        ],
    ),
    Invalid(
        name="Echo.leave in a mount-once effect (TypeScript)",
        filename="src/components/Room.tsx",
        code="""
        export function Room({ id }: { id: number }) {
          useEffect(() => {
            window.Echo.channel(`rooms.${id}`).listen('.posted', add);
            return () => window.Echo.leave(`rooms.${id}`);
          }, []);
          return null;
        }
        """,
        errors=[Error(rule=RULE, line=4, severity="note")],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
