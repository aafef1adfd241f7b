"""missing-cluster: ``new Pusher`` without a cluster (nor ``wsHost``)."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "missing-cluster"

VALID = [
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
