"""key-mismatch: the frontend's Pusher key differs from the backend's."""

from __future__ import annotations

from pusher_doctor.scan.model import BackendPusherSettings
from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "key-mismatch"
BACKEND = BackendPusherSettings(key="3f2a9c1b7d", cluster="eu")

VALID = [
    Valid(backend=BACKEND, code="new Pusher('3f2a9c1b7d', { cluster: 'eu' });"),
    Valid(
        name="same key through the env file",
        backend=BACKEND,
        env="VITE_PUSHER_KEY=3f2a9c1b7d\n",
        code="new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: 'eu' });",
    ),
    Valid(name="backend key unknown", code="new Pusher('some-other-key', { cluster: 'eu' });"),
    Valid(
        name="a key the scan cannot resolve, and no env file",
        backend=BACKEND,
        code="new Pusher(window.PUSHER_KEY, { cluster: 'eu' });",
    ),
]

INVALID = [
    Invalid(
        name="Echo's key option, from a MIX_ variable",
        filename="resources/js/bootstrap.js",
        code="""
        window.Echo = new Echo({ broadcaster: 'pusher', key: process.env.MIX_PUSHER_APP_KEY, cluster: 'eu' });
        """,
        env="MIX_PUSHER_APP_KEY=old-app-key\n",
        backend=BackendPusherSettings(key="3f2a9c1b7d", cluster="eu"),
        errors=[Error(rule=RULE, line=1, message=("'old-app-key'", "MIX_PUSHER_APP_KEY"))],
    ),
    Invalid(
        name="literal key",
        backend=BACKEND,
        code="""
        import Pusher from 'pusher-js';
        export const pusher = new Pusher('old-app-key', { cluster: 'eu' });
        """,
        errors=[
            Error(
                rule=RULE, line=2, column=34, message=("'old-app-key' (literal in the code)", "'3f2a9c1b7d'")
            )
        ],
    ),
    Invalid(
        name="key from the env file, reported at the code",
        backend=BACKEND,
        env="REACT_APP_PUSHER_KEY=frontend-old-key\n",
        code="""
        const key = process.env.REACT_APP_PUSHER_KEY;
        export const pusher = new Pusher(key, { cluster: 'eu' });
        """,
        errors=[Error(rule=RULE, line=2, message=("from REACT_APP_PUSHER_KEY in .env",))],
    ),
    Invalid(
        name="client key unresolvable: the env file's key is compared at its line",
        backend=BACKEND,
        env="# frontend\nVITE_PUSHER_KEY=env-key\n",
        code="export const pusher = new Pusher(window.KEY, { cluster: 'eu' });",
        errors=[Error(rule=RULE, line=2, column=1, file=".env", message=("VITE_PUSHER_KEY in .env",))],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
