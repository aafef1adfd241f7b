"""cluster-mismatch: the frontend's Pusher cluster differs from the backend's."""

from __future__ import annotations

from pusher_doctor.scan.model import BackendPusherSettings
from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "cluster-mismatch"
BACKEND = BackendPusherSettings(key="3f2a9c1b7d", cluster="eu")

VALID = [
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
