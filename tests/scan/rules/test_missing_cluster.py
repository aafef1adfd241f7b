"""missing-cluster: ``new Pusher`` without a cluster (nor ``wsHost``)."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "missing-cluster"

#: Echo pointed at a self-hosted server (soketi, Reverb in pusher mode) by wsHost alone
WS_HOST_ONLY = """
        import Echo from 'laravel-echo';
        import Pusher from 'pusher-js';
        window.Pusher = Pusher;
        window.Echo = new Echo({
          broadcaster: 'pusher',
          key: import.meta.env.VITE_PUSHER_APP_KEY,
          wsHost: import.meta.env.VITE_PUSHER_HOST,
          wsPort: 6001,
          forceTLS: false,
          enabledTransports: ['ws', 'wss'],
        });
        """

VALID = [
    Valid(
        name="pusher-js 7 with wsHost and no cluster connects to the host",
        filename="resources/js/bootstrap.js",
        code=WS_HOST_ONLY,
        others={"package.json": '{"devDependencies": {"laravel-echo": "^1.11.0", "pusher-js": "^7.0.3"}}'},
    ),
    Valid(name="wsHost with no package.json to tell the version: not judged", filename="src/echo.js", code=WS_HOST_ONLY),
    Valid(
        name="the server SDK is not a browser client",
        filename="server/pusher.js",
        code="""
        import Pusher from 'pusher';
        export const pusher = new Pusher({ appId: ID, key: KEY, secret: SECRET, useTLS: true });
        """,
    ),
    Valid(
        name="Echo on Reverb connects by wsHost, not by cluster",
        code="""
        import Echo from 'laravel-echo';
        window.Echo = new Echo({ broadcaster: 'reverb', key: import.meta.env.VITE_REVERB_APP_KEY });
        """,
    ),
    Valid(code="new Pusher(KEY, { cluster: 'eu' });"),
    Valid(name="self-hosted (soketi)", code="new Pusher(KEY, { wsHost: '127.0.0.1', wsPort: 6001 });"),
    Valid(
        name="options from a const",
        code="""
        const options = { cluster: import.meta.env.VITE_PUSHER_CLUSTER };
        new Pusher(KEY, options);
        """,
    ),
    Valid(name="a spread may carry the cluster", code="new Pusher(KEY, { ...base, forceTLS: true });"),
    Valid(name="options the scan cannot read", code="new Pusher(KEY, makeOptions());"),
    Valid(name="a class imported from elsewhere", code="import Client from './client';\nnew Client(KEY);"),
]

INVALID = [
    Invalid(
        name="pusher-js 8 with wsHost and no cluster throws",
        filename="resources/js/bootstrap.js",
        code=WS_HOST_ONLY,
        others={"package.json": '{"devDependencies": {"laravel-echo": "^1.15.0", "pusher-js": "^8.0.1"}}'},
        errors=[Error(rule=RULE, line=4, message=("pusher-js 8", "must provide a cluster"), severity="error")],
    ),
    Invalid(
        name="Echo with the pusher broadcaster and no cluster",
        filename="resources/js/bootstrap.js",
        code="""
        import Echo from 'laravel-echo';
        import Pusher from 'pusher-js';
        window.Pusher = Pusher;
        window.Echo = new Echo({
          broadcaster: 'pusher',
          key: process.env.MIX_PUSHER_APP_KEY,
          forceTLS: true,
        });
        """,
        errors=[Error(rule=RULE, line=4, column=24, severity="error", message=("new Echo({ broadcaster: 'pusher' })",))],
    ),
    Invalid(
        name="no options at all",
        code="""
        import Pusher from 'pusher-js';
        const pusher = new Pusher(import.meta.env.VITE_PUSHER_KEY);
        """,
        errors=[Error(rule=RULE, line=2, column=16, message=("has no options",))],
    ),
    Invalid(
        name="options without cluster, through a const",
        filename="pusher.ts",
        code="""
        const options = { forceTLS: true };
        export const pusher = new Pusher(KEY, options);
        """,
        errors=[Error(rule=RULE, line=2, column=39, message=("options have no 'cluster'",))],
    ),
    Invalid(
        name="pusher-js imported under another name",
        code="""
        import PusherJs from 'pusher-js';
        const Legacy = require('pusher-js');
        new PusherJs(KEY);
        new Legacy(KEY, {});
        """,
        errors=[Error(rule=RULE, line=3), Error(rule=RULE, line=4, message=("options have no 'cluster'",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
