"""`pusher-doctor demo`: the full check against a local soketi sandbox, no account needed."""

from __future__ import annotations

import secrets

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, VerboseOption, app
from pusher_doctor.cli.output import Output
from pusher_doctor.cli.signals import interrupted_exit_code
from pusher_doctor.results import Remediation


@app.command()
def demo(
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the full check against a local soketi sandbox with a throwaway app: no account needed.

    Starts soketi (installed by `make setup`) on a free loopback port, runs `check` for hotel
    demo-hotel, room 101, conversation 1, and stops the server, leaving nothing behind.
    """
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.settings import load_settings
    from pusher_doctor.sandbox import SandboxApp, SandboxError, SoketiServer

    sandbox_app = SandboxApp(str(secrets.randbelow(900_000) + 100_000),
                             "demo-" + secrets.token_hex(8), secrets.token_hex(16))
    out = Output(json_output, verbose, sandbox_app.secret, keys=(sandbox_app.key,))
    try:
        # soketi's start shares nothing with the check's budget, but is bounded by --timeout all the same.
        with SoketiServer([sandbox_app], ready_timeout=timeout) as server:
            options = {"app_id": sandbox_app.id, "key": sandbox_app.key, "secret": sandbox_app.secret,
                       "host": server.HOST, "port": str(server.port), "scheme": "http"}
            loaded = load_settings(options, environ={}, read_default_env_file=False)
            request = CheckRequest("demo-hotel", "101", "1", timeout)
            code = out.check(request, loaded, title=f"pusher-doctor demo: soketi on {server.url}")
    except SandboxError as error:
        out.usage_error(str(error), Remediation("install soketi in the pusher-doctor checkout, or raise --timeout "
                                                "if it is slow to start", ("make setup",)))
    except KeyboardInterrupt:  # while soketi started or stopped (or SIGTERM/SIGHUP); the server is gone
        raise typer.Exit(interrupted_exit_code()) from None
    raise typer.Exit(code)
