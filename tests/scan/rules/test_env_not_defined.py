"""env-not-defined: the code reads a Pusher env variable that no env file the scan read defines."""

from __future__ import annotations

from tests.scan.rule_tester import Error, Invalid, Valid, run

RULE = "env-not-defined"

CLIENT = """
import Pusher from 'pusher-js';
export const pusher = new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, {
  cluster: import.meta.env.VITE_PUSHER_APP_CLUSTER,
});
"""

VALID = [
    Valid(
        name="both variables defined",
        filename="src/pusher.js",
        code=CLIENT,
        env="VITE_PUSHER_APP_KEY=3f2a9c1b7d\nVITE_PUSHER_APP_CLUSTER=eu\n",
    ),
    Valid(name="no env file found: the build's env is unknown", filename="src/pusher.js", code=CLIENT),
    Valid(
        name="a variable that is not Pusher's",
        filename="src/api.js",
        code="export const api = import.meta.env.VITE_API_URL;",
        env="VITE_PUSHER_APP_KEY=3f2a9c1b7d\n",
    ),
]

INVALID = [
    Invalid(
        name="the code reads VITE_PUSHER_APP_KEY, the env file has VITE_PUSHER_KEY",
        filename="src/pusher.js",
        code=CLIENT,
        env="VITE_PUSHER_KEY=3f2a9c1b7d\nVITE_PUSHER_APP_CLUSTER=eu\n",
        errors=[
            Error(rule=RULE, line=2, column=34, severity="warning",
                  message=("VITE_PUSHER_APP_KEY is not defined in .env",)),
        ],
    ),
    Invalid(
        name="Laravel Mix: MIX_ variables",
        filename="resources/js/bootstrap.js",
        code="""
        window.Echo = new Echo({
          broadcaster: 'pusher',
          key: process.env.MIX_PUSHER_APP_KEY,
          cluster: process.env.MIX_PUSHER_APP_CLUSTER,
        });
        """,
        env="PUSHER_APP_KEY=3f2a9c1b7d\nPUSHER_APP_CLUSTER=eu\n",
        errors=[Error(rule=RULE, line=3), Error(rule=RULE, line=4)],
    ),
]

test_valid, test_invalid = run(RULE, valid=VALID, invalid=INVALID)
