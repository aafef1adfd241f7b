"""`pusher-doctor sandbox`: the demo's soketi with a throwaway app, kept up until Ctrl-C, so that `check`,
`watch`, `rooms`, `trigger` and `check --page` can be tried with no account (as `supabase start` or the
Firebase emulators keep a local backend up). It prints the `PUSHER_*` lines to export in another terminal;
with `--broken CAUSE` the sandbox is broken as `demo --broken CAUSE` breaks it, and the lines carry the
fault. Ctrl-C, SIGTERM and SIGHUP stop it and everything it started; that is its normal end (exit 0).
"""

from __future__ import annotations

import shlex
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING

import typer

from pusher_doctor.cli.app import commands
from pusher_doctor.cli.demo import BrokenOption
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.sandbox.broken import Scenario
    from pusher_doctor.sandbox.soketi import SoketiServer

EXAMPLES = """\b
Examples:
  pusher-doctor sandbox                        # then, in another terminal,
                                               # the export lines it prints
  pusher-doctor sandbox --broken wrong-secret  # the exports carry the fault
"""

#: how often the sandbox looks whether soketi is still up while it waits for Ctrl-C
POLL_S = 0.5
#: the Node guest of a scenario whose fault is the guest (a near miss, a full app) ends by itself after this
GUEST_LIFETIME_S = 8 * 3600.0


@commands.command(epilog=EXAMPLES, short_help="Keep a local soketi up until Ctrl-C, to try commands on.")
def sandbox(broken: BrokenOption = None) -> None:
    """Start a local soketi with a throwaway app and keep it up until Ctrl-C: no account needed.

    Prints the PUSHER_* lines to export in another terminal and commands to try there (check, watch,
    rooms, trigger). --broken CAUSE starts it broken as `demo --broken` does.
    """
    from pusher_doctor.cli.demo import (
        REINSTALL,
        SANDBOX_START,
        auth_endpoint_for,
        backend_server,
        node_deps_or_exit,
        sandbox_app,
        scenario_or_exit,
        start_guest,
    )
    from pusher_doctor.cli.output import Output
    from pusher_doctor.results import Remediation
    from pusher_doctor.sandbox.soketi import SandboxError, SoketiServer

    out = Output(False, False)
    scenario = scenario_or_exit(out, "sandbox", broken)
    deps = node_deps_or_exit(out)
    throwaway = sandbox_app(scenario)
    try:
        with ExitStack() as stack:
            server = stack.enter_context(SoketiServer([throwaway], deps.soketi, ready_timeout=SANDBOX_START))
            auth_url = auth_endpoint_for(stack, scenario, throwaway)
            if scenario.guest == "near-miss" or scenario.max_connections > 0:  # the guest is the fault
                start_guest(stack, scenario, deps, server, throwaway, auth_url, SANDBOX_START, GUEST_LIFETIME_S)
            host, port = backend_server(stack, scenario, server)
            settings = scenario.settings(throwaway.id, throwaway.key, throwaway.secret, host, port)
            typer.echo(_instructions(scenario, server, settings, auth_url))
            code = _wait_while_up(server)
    except SandboxError as error:
        out.usage_error(str(error), Remediation(REINSTALL))
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP: the sandbox's normal end; all is stopped now
        typer.echo("pusher-doctor: sandbox stopped", err=True)
        code = ExitCode.OK
    raise typer.Exit(code)


def _wait_while_up(server: SoketiServer) -> ExitCode:
    """Waits for Ctrl-C; if soketi stops by itself first, says so and exits 1."""
    while server.alive():
        time.sleep(POLL_S)
    typer.echo("pusher-doctor: soketi stopped by itself; the sandbox is down: " + " ".join(server.log_tail(3).split()),
               err=True)
    return ExitCode.PROBLEMS_FOUND


def _instructions(scenario: Scenario, server: SoketiServer, settings: dict[str, str], auth_url: str | None) -> str:
    """The export lines (the throwaway app's own values: nothing to keep secret), then commands to try."""
    from pusher_doctor.sandbox.broken import ROOM

    broken = f" --broken {scenario.cause}: {scenario.shows}" if scenario.cause else ""
    exports = [f"export PUSHER_{name.upper()}={shlex.quote(value)}" for name, value in settings.items()]
    hotel, room = shlex.quote(scenario.hotel), ROOM
    private = (f" --channel-prefix {scenario.channel_prefix} --auth-endpoint {auth_url}"
               if scenario.channel_prefix and auth_url else "")
    channel = shlex.quote(scenario.room_channel())
    tries = [f"pusher-doctor check --hotel {hotel} --room {room}{private}",
             f"pusher-doctor watch --hotel {hotel} --room {room}{private}",
             f"pusher-doctor rooms --hotel {hotel}",
             f"pusher-doctor trigger {channel} new-staff-message '{{\"id\": 1, \"message\": \"hi\"}}' --yes"]
    return "\n".join([
        f"pusher-doctor sandbox{broken}",
        f"soketi on {server.url} with a throwaway app; Ctrl-C stops it. In another terminal:",
        "", *exports, "", "# then, for example:", *tries, ""])
