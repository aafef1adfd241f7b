"""`pusher-doctor demo`: the whole chain on a local soketi sandbox, no account needed; with `--broken CAUSE`,
the same sandbox broken on purpose to show one cause's report.

The sandbox is soketi with a throwaway app, the app's auth endpoint, and a real pusher-js guest (Node)
subscribed to the room channel before the check runs: the check finds a live guest, sends the test
message without asking (the guest is the demo's own), and the guest reports what it received. Every
part is stopped on every way out (Ctrl-C, SIGTERM and SIGHUP arrive as KeyboardInterrupt).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, VerboseOption, commands
from pusher_doctor.cli.signals import interrupted_exit_code
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
    from pusher_doctor.sandbox.broken import Scenario
    from pusher_doctor.sandbox.guest import PusherJsGuest
    from pusher_doctor.sandbox.node_deps import NodeDeps
    from pusher_doctor.sandbox.soketi import SandboxApp, SoketiServer

EXAMPLES = """\b
Examples:
  pusher-doctor demo                        # the whole chain, all green
  pusher-doctor demo --broken wrong-secret  # one broken link's report
  pusher-doctor demo --broken list          # the causes it can show
  pusher-doctor demo --json                 # one JSON document
"""

BrokenOption = Annotated[str | None, typer.Option(
    "--broken", metavar="CAUSE",
    help="Break the sandbox on purpose and show that cause's report: a cause id such as wrong-secret, "
         "app-disabled or payload-too-large; `--broken list` lists all offered.")]

#: seconds soketi and the guest may each take to start, at least: their start is not the check's budget
#: (--timeout), and Node starts slowly on a busy machine
SANDBOX_START = 20.0


@commands.command(epilog=EXAMPLES, short_help="Run the full check against a local sandbox: no account.")
def demo(
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show only problems and the verdict.")] = False,
    broken: BrokenOption = None,
) -> None:
    """Run the full check against a local soketi sandbox with a throwaway app: no account needed.

    Starts soketi on a free loopback port, the app's auth endpoint, and a real Node guest subscribed to
    the room channel; runs `check` (hotel demo-hotel, room 101, conversation 1); stops it all. Outside a
    clone, npm installs soketi and pusher-js into the user cache on first use.
    """
    # Imported here, as every command's core is: the scenario table costs ~3 ms that --help need not pay.
    from pusher_doctor.cli.output import Output

    scenario = scenario_or_exit(Output(json_output, verbose), "demo", broken)
    deps = node_deps_or_exit(Output(json_output, verbose))
    try:
        code = _run(scenario, deps, timeout, json_output, verbose, quiet)
    except KeyboardInterrupt:  # while the sandbox started or stopped (or SIGTERM/SIGHUP); it is gone now
        raise typer.Exit(interrupted_exit_code()) from None
    raise typer.Exit(code)


def _run(scenario: Scenario, deps: NodeDeps, timeout: float, json_output: bool, verbose: bool,
         quiet: bool = False) -> ExitCode:
    from pusher_doctor.checks import checks_for
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.cli.output import Output, Reporting
    from pusher_doctor.config.settings import load_settings
    from pusher_doctor.hotel_chat import TEST_MESSAGE
    from pusher_doctor.results import Remediation
    from pusher_doctor.sandbox.broken import CONVERSATION, ROOM, with_message
    from pusher_doctor.sandbox.soketi import SandboxError, SoketiServer
    from pusher_doctor.triage.connect import auth_endpoints

    throwaway = sandbox_app(scenario)
    out = Output(json_output, verbose, throwaway.secret, keys=(throwaway.key,))
    try:
        with ExitStack() as stack:
            server = stack.enter_context(SoketiServer([throwaway], deps.soketi,
                                                      ready_timeout=max(timeout, SANDBOX_START)))
            auth_url = auth_endpoint_for(stack, scenario, throwaway)
            guest = start_guest(stack, scenario, deps, server, throwaway, auth_url, timeout)
            host, port = backend_server(stack, scenario, server)
            settings = scenario.settings(throwaway.id, throwaway.key, throwaway.secret, host, port)
            loaded = load_settings(settings, environ={}, read_default_env_file=False)
            request = CheckRequest(
                scenario.hotel, ROOM, CONVERSATION, timeout,
                # The only guest on the room channel is the demo's own: it may get the test message.
                assume_yes=True, message_text=with_message(scenario, TEST_MESSAGE),
                channel_prefix=scenario.channel_prefix,
                auth_endpoint=auth_endpoints(auth_url, None, (), (), None)["--auth-endpoint"],
                # Asked after delivery whether it got the message, when it is on the room channel.
                demo_guest=guest if guest is not None and guest.channel == scenario.room_channel() else None)
            checks = checks_for(None, demo_guest=request.demo_guest is not None)
            return out.with_settings(loaded).check(request, loaded, checks=checks,
                                                   title=_title(scenario, server, guest), reporting=Reporting(quiet=quiet))
    except SandboxError as error:
        out.usage_error(str(error), Remediation("raise --timeout if the part named is slow to start; otherwise "
                                                + REINSTALL))


#: what to do when a part of the sandbox cannot start
REINSTALL = ("reinstall the sandbox's Node parts: `make setup` in a clone, or remove the user cache and run the "
             "demo again, which installs them")


def scenario_or_exit(out: Output, command: str, broken: str | None) -> Scenario:
    """The sandbox's scenario for `--broken` (None: healthy); `list` lists them and exits 0, an unknown
    cause is a usage error naming them."""
    from pusher_doctor.results import Remediation
    from pusher_doctor.sandbox.broken import BROKEN, scenario_for

    if broken == "list":
        _list_causes(out, command)
        raise typer.Exit(ExitCode.OK)
    if broken is not None and broken not in BROKEN:
        out.usage_error(f"{command} --broken: no scenario for {broken[:80]!r}",
                        Remediation(f"give one of: {', '.join(BROKEN)}", (f"pusher-doctor {command} --broken list",)))
    return scenario_for(broken)


def auth_endpoint_for(stack: ExitStack, scenario: Scenario, throwaway: SandboxApp) -> str | None:
    """Starts the app's auth endpoint (refusing, or signing with another secret, when that is the fault);
    its URL, or None for public channels, which need no signature."""
    from pusher_doctor.sandbox.loopback import AuthEndpoint

    wrong = scenario.auth == "wrong-secret"
    signing_secret = "0" * len(throwaway.secret) if wrong else throwaway.secret
    auth = stack.enter_context(AuthEndpoint(throwaway.key, signing_secret,
                                            refuse_with=403 if scenario.auth == "refuses" else None))
    return auth.url if scenario.channel_prefix else None


def sandbox_app(scenario: Scenario) -> SandboxApp:
    import secrets  # here, not at the top: every command's start imports this module

    from pusher_doctor.sandbox.soketi import SandboxApp

    return SandboxApp(str(secrets.randbelow(900_000) + 100_000), "demo-" + secrets.token_hex(8),
                      secrets.token_hex(16), enabled=scenario.app_enabled,
                      max_connections=scenario.max_connections,
                      max_event_payload_kb=scenario.payload_limit_kb,
                      client_messages=scenario.client_messages)


def start_guest(stack: ExitStack, scenario: Scenario, deps: NodeDeps, server: SoketiServer,
                throwaway: SandboxApp, auth_url: str | None, timeout: float,
                lifetime: float | None = None) -> PusherJsGuest | None:
    """The demo's pusher-js guest, subscribed; None when the scenario has none or pusher-js was not found."""
    from pusher_doctor.hotel_chat import ROOM_EVENT
    from pusher_doctor.sandbox.guest import PusherJsGuest

    channel = scenario.guest_channel()
    if channel is None or deps.node_modules is None:
        return None
    # It outlives the check by a margin, and ends by itself even if this process is killed outright.
    guest = stack.enter_context(PusherJsGuest(deps.node_modules, server.HOST, server.port, throwaway.key,
                                              channel, ROOM_EVENT, lifetime=lifetime or timeout * 2 + 60,
                                              auth_endpoint=auth_url))
    return guest.start(max(timeout, SANDBOX_START))


def backend_server(stack: ExitStack, scenario: Scenario, server: SoketiServer) -> tuple[str, int]:
    """Where the "backend's" PUSHER_HOST and PUSHER_PORT point: soketi, or the scenario's wrong server."""
    from pusher_doctor.sandbox import loopback

    if scenario.server == "closed-port":
        return loopback.HOST, loopback.closed_port()
    if scenario.server == "web-server":
        return loopback.HOST, stack.enter_context(loopback.WebServer()).port
    if scenario.server == "silent":
        return loopback.HOST, stack.enter_context(loopback.silent_server())
    return server.HOST, server.port


def _title(scenario: Scenario, server: SoketiServer, guest: PusherJsGuest | None) -> str:
    if scenario.cause:
        return f"pusher-doctor demo --broken {scenario.cause}: {scenario.shows} (soketi on {server.url})"
    if guest is None:
        return f"pusher-doctor demo: soketi on {server.url}, no guest (pusher-js was not found)"
    return (f"pusher-doctor demo: soketi on {server.url}; the demo's own pusher-js guest is on "
            f"{guest.channel}, so the test message is sent without asking")


def _list_causes(out: Output, command: str) -> None:
    from pusher_doctor.sandbox.broken import BROKEN

    if out.json_output:
        out.document({"broken": [{"cause": cause, "shows": s.shows} for cause, s in BROKEN.items()]})
        return
    typer.echo(f"Causes `pusher-doctor {command} --broken CAUSE` shows against the sandbox:")
    width = max(len(cause) for cause in BROKEN)
    for cause, scenario in BROKEN.items():
        typer.echo(f"  {cause:<{width}}  {scenario.shows}")


def node_deps_or_exit(out: Output) -> NodeDeps:
    """soketi and pusher-js: found on this machine, or installed with npm into the user cache (first use).
    Without npm, the message says what to run; with soketi but no pusher-js, the demo runs without its
    guest."""
    from pusher_doctor.results import Remediation
    from pusher_doctor.sandbox.node_deps import NodeDepsError, find_node_deps, install_node_deps

    found = find_node_deps()
    if found is not None and found.node_modules is not None:
        return found
    try:
        with _install_progress() as on_progress:
            return install_node_deps(on_progress=on_progress)
    except NodeDepsError as error:
        if found is not None:
            _say(f"the demo runs without its pusher-js guest: {error}")
            return found
        out.usage_error(f"soketi (the demo's server) is not installed here, and {error}",
                        Remediation(error.fix, error.commands))
    except KeyboardInterrupt:  # npm is stopped and its scratch folder removed
        raise typer.Exit(interrupted_exit_code()) from None


@contextmanager
def _install_progress() -> Iterator[Callable[[int, int, float], None]]:
    """Shows the npm install's progress on stderr (stdout stays the report's, and JSON's alone): a rich
    status line on a terminal, otherwise a plain line now and then."""
    from pusher_doctor.cli.output import console as make_console
    from pusher_doctor.cli.output import is_tty
    from pusher_doctor.sandbox.node_deps import INSTALL_TIMEOUT, cache_prefix, pins

    limit = f"first use only; at most {INSTALL_TIMEOUT:.0f} s"
    what = f"{pins().describe()} with npm into {cache_prefix()} ({limit})"
    started = time.monotonic()
    if is_tty(sys.stderr):
        from rich.markup import escape

        console = make_console(stderr=True)
        console.print(escape(f"Installing {what}"))
        # One short line that rewrites itself: the long path above would wrap and repeat on every refresh.
        with console.status("npm: starting") as status:
            yield lambda done, total, seconds: status.update(
                f"npm: {min(done, total)} of {total} packages, {seconds:.0f} s")
        console.print(f"Installed {pins().describe()} in {time.monotonic() - started:.0f} s")
        return
    _say(f"installing {what}")
    last = [0.0]

    def plain(done: int, total: int, seconds: float) -> None:
        if seconds - last[0] >= 10:
            last[0] = seconds
            _say(f"  {min(done, total)} of {total} packages after {seconds:.0f} s")

    yield plain
    _say(f"installed {pins().describe()} in {time.monotonic() - started:.0f} s")


def _say(line: str) -> None:
    from pusher_doctor.render.safe_text import printable

    typer.echo(f"pusher-doctor: {printable(line)}", err=True)
