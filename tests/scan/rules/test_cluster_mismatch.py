"""cluster-mismatch: the frontend's Pusher cluster differs from the backend's."""

from __future__ import annotations

from pusher_doctor.scan.model import BackendPusherSettings
from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "cluster-mismatch"
BACKEND = BackendPusherSettings(key="3f2a9c1b7d", cluster="eu")

VALID = [
    Valid(
        name="the server SDK's cluster is the backend's business, not the page's",
        filename="server/pusher.js",
        code="""
        import Pusher from 'pusher';
        export const pusher = new Pusher({ appId: ID, key: KEY, secret: SECRET, cluster: 'us2' });
        """,
        backend=BackendPusherSettings(key="3f2a9c1b7d", cluster="eu"),
    ),
    Valid(backend=BACKEND, code="new Pusher(KEY, { cluster: 'eu' });"),
    Valid(
        name="options in a const, cluster from the env file",
        backend=BACKEND,
        env="VITE_PUSHER_CLUSTER=eu\n",
        code="""
        const options = { cluster: import.meta.env.VITE_PUSHER_CLUSTER, forceTLS: true };
        new Pusher(KEY, options);
        """,
    ),
    Valid(name="backend cluster unknown", code="new Pusher(KEY, { cluster: 'us2' });"),
]

INVALID = [
    Invalid(
        name="Laravel Echo's cluster option, from MIX_ variables",
        filename="resources/js/bootstrap.js",
        code="""
        window.Echo = new Echo({
          broadcaster: 'pusher',
          key: process.env.MIX_PUSHER_APP_KEY,
          cluster: process.env.MIX_PUSHER_APP_CLUSTER,
        });
        """,
        env="MIX_PUSHER_APP_KEY=3f2a9c1b7d\nMIX_PUSHER_APP_CLUSTER=us2\n",
        backend=BackendPusherSettings(key="3f2a9c1b7d", cluster="eu"),
        errors=[Error(rule=RULE, line=4, column=12, severity="error", message=("'us2'", "MIX_PUSHER_APP_CLUSTER"))],
    ),
    Invalid(
        name="literal cluster",
        backend=BACKEND,
        code="""
        export const pusher = new Pusher(KEY, {
          cluster: 'us2',
        });
        """,
        errors=[Error(rule=RULE, line=2, column=12, message=("'us2'", "'eu'"))],
    ),
    Invalid(
        name="client cluster unresolvable: the env file's cluster at its line",
        backend=BACKEND,
        env="VITE_PUSHER_KEY=3f2a9c1b7d\nVITE_PUSHER_APP_CLUSTER=mt1\n",
        code="export const pusher = new Pusher(KEY, makeOptions());",
        errors=[Error(rule=RULE, line=2, file=".env", message=("VITE_PUSHER_APP_CLUSTER in .env",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
