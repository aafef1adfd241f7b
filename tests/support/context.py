"""A check context aimed at one app of a real soketi, for running single checks as the runner would."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext, CheckRequest
from pusher_doctor.config.settings import load_settings
from pusher_doctor.deadline import Deadline
from pusher_doctor.sandbox import SandboxApp, SoketiServer


def context_for(server: SoketiServer, app: SandboxApp, *, room: str = "101", conversation: str | None = None,
                timeout: float = 5.0, assume_yes: bool = True, **settings: str) -> CheckContext:
    """A fresh context with the app's settings (overridden by `settings`), as after `check` parsed options."""
    options = {"app_id": app.id, "key": app.key, "secret": app.secret, "host": server.HOST,
               "port": str(server.port), "scheme": "http", **settings}
    loaded = load_settings(options, environ={}, read_default_env_file=False)
    request = CheckRequest("hotel-paradise", room, conversation, timeout, assume_yes=assume_yes)
    return CheckContext(request, loaded, Deadline(timeout))
