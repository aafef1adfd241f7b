"""relative-auth-endpoint: an auth endpoint on the page's origin while the API is on another one."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "relative-auth-endpoint"

VALID = [
    Valid(
        name="the endpoint on the API's origin, from the same env variable",
        filename="src/echo.js",
        code="""
        const api = import.meta.env.VITE_API_URL;
        export const echo = new Echo({
          broadcaster: 'pusher', key: import.meta.env.VITE_PUSHER_APP_KEY, cluster: 'eu',
          authEndpoint: `${api}/broadcasting/auth`,
        });
        echo.private(`room.${id}`);
        """,
    ),
    Valid(
        name="a relative endpoint where nothing says the API is elsewhere (a Laravel app serving its pages)",
        filename="resources/js/bootstrap.js",
        code="""
        window.Echo = new Echo({ broadcaster: 'pusher', key: process.env.MIX_PUSHER_APP_KEY, cluster: 'eu',
                                 authEndpoint: '/broadcasting/auth' });
        window.Echo.private('orders');
        """,
    ),
    Valid(
        name="no endpoint and only public channels: nothing is authorized",
        code="""
        const base = process.env.REACT_APP_API_URL;
        const pusher = new Pusher(KEY, { cluster: 'eu' });
        pusher.subscribe('hotel-room-1-chat');
        """,
    ),
    Valid(
        name="pusher-js 8 with an absolute endpoint",
        code="""
        const base = process.env.NEXT_PUBLIC_BACKEND_URL;
        export const pusher = new Pusher(KEY, {
          cluster: 'eu',
          channelAuthorization: { endpoint: 'https://api.example.com/pusher/auth', transport: 'ajax' },
        });
        """,
    ),
]

VALID += [
    Valid(
        name="pusher-js 8 signs through its own customHandler: no endpoint is asked",
        code="""
        const api = import.meta.env.VITE_API_URL;
        const pusher = new Pusher(KEY, {
          cluster: 'eu',
          channelAuthorization: { customHandler: ({ socketId, channelName }, callback) => sign(api, socketId, callback) },
        });
        pusher.subscribe('private-room-1');
        """,
    ),
    Valid(
        name="Echo with an authorizer",
        code="""
        const api = import.meta.env.VITE_API_URL;
        const echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu',
                                authorizer: (channel) => ({ authorize: (socketId, callback) => post(api, callback) }) });
        echo.private('room.1');
        """,
    ),
]

INVALID = [
    Invalid(
        name="Echo in a Vite SPA with a relative authEndpoint",
        filename="src/echo.js",
        code="""
        const api = import.meta.env.VITE_API_URL;
        export const echo = new Echo({
          broadcaster: 'pusher',
          key: import.meta.env.VITE_PUSHER_APP_KEY,
          cluster: 'eu',
          authEndpoint: '/broadcasting/auth',
        });
        """,
        errors=[Error(rule=RULE, line=6, column=17, severity="warning",
                      message=("authEndpoint '/broadcasting/auth' is relative", "API is at VITE_API_URL"))],
    ),
    Invalid(
        name="pusher-js 8: channelAuthorization and userAuthentication endpoints through a const",
        code="""
        const AUTH = '/pusher/auth';
        const api = axios.create({ baseURL: process.env.REACT_APP_API_BASE_URL });
        export const pusher = new Pusher(KEY, {
          cluster: 'eu',
          channelAuthorization: { endpoint: AUTH, transport: 'ajax' },
          userAuthentication: { endpoint: '/pusher/user-auth', transport: 'ajax' },
        });
        """,
        errors=[Error(rule=RULE, line=5, message=("channelAuthorization.endpoint '/pusher/auth'",)),
                Error(rule=RULE, line=6, message=("userAuthentication.endpoint '/pusher/user-auth'",))],
    ),
    Invalid(
        name="no endpoint at all, a private channel, the API elsewhere: Echo asks /broadcasting/auth",
        filename="src/realtime.ts",
        code="""
        const backend = import.meta.env.VITE_BACKEND_URL;
        const echo = new Echo({ broadcaster: 'pusher', key: KEY, cluster: 'eu' });
        echo.private(`hotel.${hotel}.room.${room}`).listen('.new-staff-message', show);
        """,
        errors=[Error(rule=RULE, line=2, message=("no auth endpoint", "'/broadcasting/auth'"))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
