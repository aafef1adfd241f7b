"""secret-in-browser: the Pusher secret reachable from code that runs in the browser."""

from __future__ import annotations

from pusher_doctor.scan.digest import secret_digest
from pusher_doctor.scan.model import BackendPusherSettings
from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "secret-in-browser"

#: the backend of these cases; the scan only ever sees the secret's digest
SECRET = "0d1e2f3a4b5c6d7e8f90"
BACKEND = BackendPusherSettings("7a8b9c0d1e2f3a4b5c6d", "eu", secret_digest(SECRET))

SERVER_LIB = """
import Pusher from 'pusher';

export const pusherServer = new Pusher({
  appId: process.env.PUSHER_APP_ID,
  key: process.env.NEXT_PUBLIC_PUSHER_KEY,
  secret: process.env.PUSHER_SECRET,
  cluster: 'eu',
  useTLS: true,
});
"""

#: a client component that reaches the server SDK through a module of helpers
CHAT_INPUT = """
'use client';
import { sendMessage } from '@/lib/chat';
export function ChatInput() { return null; }
"""
CHAT_LIB = """
import { pusherServer } from './pusher-server';
export const sendMessage = (m: string) => pusherServer.trigger('chat', 'new-message', { m });
"""

VALID = [
    Valid(
        name="a client component imports a module whose server SDK reads a server-only variable",
        filename="src/components/ChatInput.tsx",
        code=CHAT_INPUT,
        # process.env.PUSHER_SECRET is undefined in the client bundle: nothing secret ships
        others={"src/lib/chat.ts": CHAT_LIB, "src/lib/pusher-server.ts": SERVER_LIB},
    ),
    Valid(
        name="server actions ('use server') imported by a client component",
        filename="src/components/Send.tsx",
        code="""
        'use client';
        import { send } from '@/app/actions';
        export function Send() { return null; }
        """,
        others={
            "src/app/actions.ts": """
            'use server';
            import Pusher from 'pusher';
            const pusher = new Pusher({ appId: '1', key: 'k', secret: 'a-literal-secret', cluster: 'eu' });
            export async function send(m: string) { await pusher.trigger('chat', 'new-message', { m }); }
            """,
        },
    ),
    Valid(
        name="Next.js: the server SDK in an API route, pusher-js in the client component",
        filename="src/app/chat/ChatBox.tsx",
        code="""
        'use client';
        import PusherClient from 'pusher-js';
        const pusher = new PusherClient(process.env.NEXT_PUBLIC_PUSHER_KEY!, { cluster: 'eu' });
        export function ChatBox() { return null; }
        """,
        others={
            "src/lib/pusher-server.ts": SERVER_LIB,
            "src/app/api/messages/route.ts": """
            import { pusherServer } from '@/lib/pusher-server';
            export async function POST(request: Request) {
              await pusherServer.trigger('chat', 'new-message', await request.json());
              return Response.json({ ok: true });
            }
            """,
        },
        env="NEXT_PUBLIC_PUSHER_KEY=7a8b9c0d1e2f3a4b5c6d\nPUSHER_SECRET=0d1e2f3a4b5c6d7e8f90\n",
        backend=BACKEND,
    ),
    Valid(
        name="a Next.js server component may import the server SDK",
        filename="app/page.tsx",
        code="""
        import { pusherServer } from '../lib/pusher';
        export default async function Page() {
          await pusherServer.trigger('stats', 'visit', {});
          return null;
        }
        """,
        others={"lib/pusher.ts": SERVER_LIB},
    ),
    Valid(
        name="the key under a browser prefix, the secret without one",
        filename="src/main.js",
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, { cluster: 'eu' });
        """,
        env="VITE_PUSHER_APP_KEY=7a8b9c0d1e2f3a4b5c6d\nPUSHER_APP_SECRET=0d1e2f3a4b5c6d7e8f90\n",
        backend=BACKEND,
    ),
]

INVALID = [
    Invalid(
        name="Vite: the secret read from a VITE_ variable",
        filename="src/lib/pusher.js",
        code="""
        import Pusher from 'pusher-js';
        const key = import.meta.env.VITE_PUSHER_APP_KEY;
        const secret = import.meta.env.VITE_PUSHER_APP_SECRET;
        export const pusher = new Pusher(key, { cluster: 'eu', authorizer: signLocally(secret) });
        """,
        errors=[Error(rule=RULE, line=3, column=16, severity="error", message=("VITE_PUSHER_APP_SECRET",))],
    ),
    Invalid(
        name="Laravel Mix: defined under MIX_ in .env, never read",
        filename="resources/js/bootstrap.js",
        code="""
        import Echo from 'laravel-echo';
        window.Echo = new Echo({ broadcaster: 'pusher', key: process.env.MIX_PUSHER_APP_KEY, cluster: 'eu' });
        """,
        env="MIX_PUSHER_APP_KEY=7a8b9c0d1e2f3a4b5c6d\nMIX_PUSHER_APP_SECRET=0d1e2f3a4b5c6d7e8f90\n",
        errors=[Error(rule=RULE, file=".env", line=2, message=("MIX_PUSHER_APP_SECRET",))],
    ),
    Invalid(
        name="the frontend's key is the backend's secret (swapped in the backend's .env)",
        filename="src/pusher.ts",
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: 'eu' });
        """,
        env="VITE_PUSHER_KEY=0d1e2f3a4b5c6d7e8f90\n",
        backend=BACKEND,
        errors=[Error(rule=RULE, file=".env", line=1, message=("VITE_PUSHER_KEY is the backend's PUSHER_SECRET",
                                                               "swapped"))],
    ),
    Invalid(
        name="the secret as a literal key in the code",
        filename="src/pusher.js",
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher('0d1e2f3a4b5c6d7e8f90', { cluster: 'eu' });
        """,
        backend=BACKEND,
        errors=[Error(rule=RULE, line=2, column=34, message=("the key in new Pusher(...)",))],
    ),
    Invalid(
        name="a client component imports a module that creates the server SDK (through another module)",
        filename="src/components/ChatInput.tsx",
        code=CHAT_INPUT,
        others={
            "src/lib/chat.ts": CHAT_LIB,
            "src/lib/pusher-server.ts": SERVER_LIB.replace("process.env.PUSHER_SECRET", "'0d1e2f3a4b5c6d7e8f90'"),
            "src/components/Other.tsx": """
            'use client';
            import { pusherServer } from '@/lib/pusher-server';
            export function Other() { return null; }
            """,
        },
        # one leaking module, two importers: one finding, at the first importer (by path)
        errors=[Error(rule=RULE, line=2, message=("src/lib/chat.ts -> src/lib/pusher-server.ts",))],
    ),
    Invalid(
        name="a Vue component imports the server package and builds it with the secret",
        filename="src/components/Notify.vue",
        code="""
        <script setup>
        import Pusher from 'pusher';
        const pusher = new Pusher({ appId: '1', key: 'k', secret: import.meta.env.VITE_SECRET, cluster: 'eu' });
        </script>
        """,
        # the import and the constructor are one bug: reported once, where the secret is given
        errors=[Error(rule=RULE, line=3, message=("server SDK (Pusher imported from 'pusher')", "VITE_SECRET"))],
    ),
    Invalid(
        name="the server package taken for pusher-js in a client component",
        filename="src/components/Live.tsx",
        code="""
        'use client';
        import Pusher from 'pusher';
        const pusher = new Pusher('7a8b9c0d1e2f3a4b5c6d', { cluster: 'eu' });
        export function Live() { return null; }
        """,
        errors=[Error(rule=RULE, line=3, message=("cannot work", "'pusher-js'"))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
