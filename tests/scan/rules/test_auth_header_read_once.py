"""auth-header-read-once: a client created once whose auth headers are read when it is created."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "auth-header-read-once"

VALID = [
    Valid(
        name="pusher-js 8: headersProvider reads the token for each request",
        filename="src/lib/pusher.ts",
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, {
          cluster: 'eu',
          channelAuthorization: {
            endpoint: '/api/pusher/auth',
            transport: 'ajax',
            headersProvider: () => ({ Authorization: `Bearer ${localStorage.getItem('token')}` }),
          },
        });
        """,
    ),
    Valid(
        name="Laravel's CSRF token is fixed for the page",
        filename="resources/js/bootstrap.js",
        code="""
        window.Echo = new Echo({
          broadcaster: 'pusher',
          key: process.env.MIX_PUSHER_APP_KEY,
          cluster: 'eu',
          auth: { headers: { 'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]').content } },
        });
        """,
    ),
    Valid(
        name="a client created after login, inside the component",
        code="""
        export function Inbox({ token }) {
          useEffect(() => {
            const pusher = new Pusher(KEY, { cluster: 'eu', auth: { headers: { Authorization: `Bearer ${token}` } } });
            return () => pusher.disconnect();
          }, [token]);
        }
        """,
    ),
    Valid(
        name="a static header from the env",
        code="""
        export const pusher = new Pusher(KEY, {
          cluster: 'eu',
          channelAuthorization: { endpoint: '/auth', headers: { 'X-Api-Token': import.meta.env.VITE_API_TOKEN } },
        });
        """,
    ),
]

INVALID = [
    Invalid(
        name="pusher-js 8 at module level, the token from localStorage",
        filename="src/pusher.jsx",
        code="""
        import PusherClient from 'pusher-js';

        export const pusherClient = new PusherClient(import.meta.env.VITE_PUSHER_APP_KEY, {
          cluster: 'ap1',
          channelAuthorization: {
            headers: {
              Authorization: `Bearer ${localStorage.getItem('accessToken')}`,
            },
            endpoint: '/api/v1/auth/pusher',
            transport: 'ajax',
          },
        });
        """,
        errors=[Error(rule=RULE, line=7, column=22, severity="warning", message=("Authorization header is read once",))],
    ),
    Invalid(
        name="Echo in a Nuxt plugin, the token from a store, headers through a const",
        filename="plugins/echo.client.ts",
        code="""
        export default defineNuxtPlugin(() => {
          const auth = useAuthStore();
          const headers = { Authorization: 'Bearer ' + auth.token };
          const echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu', auth: { headers } });
          return { provide: { echo } };
        });
        """,
        errors=[Error(rule=RULE, line=3, message=("when new Echo(...) runs",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
