"""Command line: parses options, builds a request, calls the core, renders, exits with an ExitCode."""

from __future__ import annotations

import os
import secrets as random_tokens
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pusher_doctor import __version__
from pusher_doctor.context import DEFAULT_TEST_MESSAGE, CheckRequest
from pusher_doctor.doctor import CheckRun
from pusher_doctor.endpoints import ClusterDirectory, ClusterHostsError
from pusher_doctor.exit_codes import ExitCode
from pusher_doctor.render import json as json_render
from pusher_doctor.render.terminal import TerminalReport, TerminalScanReport
from pusher_doctor.sandbox import SandboxApp, SandboxError, SoketiServer
from pusher_doctor.scan import BackendPusherSettings, ScanInputError, scan_frontend
from pusher_doctor.secrets import Redactor
from pusher_doctor.settings import EnvFileError, LoadedSettings, load_settings
from pusher_doctor.target import frontend_expectations

try:  # typer up to 0.2x builds on click; newer releases carry their own copy of it
    from click import UsageError
except ImportError:
    from typer._click.exceptions import UsageError

DEFAULT_TIMEOUT = 5.0

app = typer.Typer(
    name="pusher-doctor",
    help="Finds out why a real-time message did not reach its recipient over Pusher Channels.\n\n"
         "Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error, 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, max=600.0,
    help="Seconds the whole run may take; every wait shares this budget. Only an event that never arrives "
         "waits it out.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document (schema 1) on stdout, nothing else.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also show the details of passing checks.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pusher-doctor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                     help="Show the version and exit.")] = None,
) -> None:
    """Finds out why a real-time message did not reach its recipient over Pusher Channels."""


@app.command()
def check(
    hotel: Annotated[str, typer.Option(help="Hotel slug, as in the backend's channel names (hotel-paradise).")],
    room: Annotated[str, typer.Option(help="Room number of the guest page (101).")],
    conversation: Annotated[str | None, typer.Option(
        help="Conversation id: also checks new-message and message-delivered on its channel.")] = None,
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", help="The backend's env file (python-dotenv). Default: ./.env when it exists.")] = None,
    app_id: Annotated[str | None, typer.Option(help="App id (else PUSHER_APP_ID).")] = None,
    key: Annotated[str | None, typer.Option(help="App key (else PUSHER_KEY or PUSHER_APP_KEY).")] = None,
    secret: Annotated[str | None, typer.Option(
        help="App secret (else PUSHER_SECRET or PUSHER_APP_SECRET). Never shown in any output.")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Pusher cloud cluster, e.g. eu (else PUSHER_CLUSTER or PUSHER_APP_CLUSTER; default mt1).")] = None,
    host: Annotated[str | None, typer.Option(
        help="Self-hosted server (soketi, Reverb) host name (else PUSHER_HOST); replaces the cluster.")] = None,
    port: Annotated[str | None, typer.Option(help="Self-hosted server port (else PUSHER_PORT).")] = None,
    scheme: Annotated[str | None, typer.Option(help="http or https for a self-hosted server (else PUSHER_SCHEME).")] = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Send the test message even when a live guest is subscribed, without asking.")] = False,
    message: Annotated[str, typer.Option(
        help="Text of the test message; paste a long real message to test Pusher's 10 KB limit.")] = DEFAULT_TEST_MESSAGE,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the delivery checklist against the app in the backend's settings and name the broken link.

    Settings come from the options, then the environment, then the env file. Steps: settings, channel
    names, REST API, WebSocket, live guest, subscribe, trigger the backend's three events, delivery.
    """
    options = {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster,
               "host": host, "port": port, "scheme": scheme}
    redact = Redactor(secret)
    try:
        loaded = load_settings(options, env_file=env_file, env_file_required=env_file is not None)
        clusters = ClusterDirectory.from_environ(os.environ)
    except EnvFileError as error:
        _usage_error(str(error), "give --env-file the path of the backend's .env, or leave it out",
                     json_output, redact)
    except ClusterHostsError as error:
        _usage_error(str(error), "unset it to use Pusher cloud's hosts", json_output, redact)
    request = CheckRequest(hotel, room, conversation, timeout, assume_yes=yes, message_text=message,
                           clusters=clusters)
    raise typer.Exit(_run(request, loaded, json_output, verbose))


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
    sandbox_app = SandboxApp(str(random_tokens.randbelow(900_000) + 100_000),
                             "demo-" + random_tokens.token_hex(8), random_tokens.token_hex(16))
    redact = Redactor(sandbox_app.secret)
    try:
        with SoketiServer([sandbox_app]) as server:
            options = {"app_id": sandbox_app.id, "key": sandbox_app.key, "secret": sandbox_app.secret,
                       "host": server.HOST, "port": str(server.port), "scheme": "http"}
            loaded = load_settings(options, environ={}, read_default_env_file=False)
            request = CheckRequest("demo-hotel", "101", "1", timeout)
            code = _run(request, loaded, json_output, verbose, title=f"pusher-doctor demo: soketi on {server.url}")
    except SandboxError as error:
        _usage_error(str(error), "run `make setup` in the pusher-doctor checkout", json_output, redact)
    except KeyboardInterrupt:  # while soketi started or stopped; the server is gone either way
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    raise typer.Exit(code)


@app.command("scan-frontend")
def scan_frontend_command(
    path: Annotated[Path, typer.Argument(help="The guest page's source folder (or one file).")],
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", help="The frontend's env file (VITE_/REACT_APP_/NEXT_PUBLIC_/VUE_APP_ PUSHER_KEY and "
                           "PUSHER_CLUSTER). Default: .env.local, .env.development or .env next to PATH "
                           "or in its parent.")] = None,
    backend_env: Annotated[Path | None, typer.Option(
        "--backend-env", help="The backend's .env: compares the frontend's key and cluster with it.")] = None,
    json_output: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files that were skipped.")] = False,
) -> None:
    """Read the guest page's JavaScript/TypeScript/Vue source for the guide's frontend mistakes.

    Finds: no subscription to the room channel, wrong channel or event name, unsubscribing early,
    stale state in the handler, a Pusher client created on every render, unbind() with no arguments,
    key/cluster differing from the backend, a missing cluster. node_modules, build output and
    minified bundles are skipped. Exit code 0: no problem found; 1: findings; 2: bad path or file.
    """
    redact = Redactor()
    try:
        backend = None
        if backend_env is not None:
            loaded = load_settings({}, environ={}, env_file=backend_env, env_file_required=True)
            redact = Redactor(loaded.value("secret"))
            backend = BackendPusherSettings(*frontend_expectations(loaded))
        report = scan_frontend(path, env_file, backend)
    except (ScanInputError, EnvFileError) as error:
        _usage_error(str(error), "give the guest page's source folder, and env files that exist",
                     json_output, redact)
    if json_output:
        typer.echo(json_render.dumps(json_render.scan_to_dict(report), redact))
    else:
        TerminalScanReport(_console(), redact, verbose).show(report)
    raise typer.Exit(ExitCode.OK if report.ok else ExitCode.PROBLEMS_FOUND)


def _console(stream: object = None) -> Console:
    return Console(file=stream or sys.stdout, highlight=False)


def _run(request: CheckRequest, loaded: LoadedSettings, json_output: bool, verbose: bool,
         title: str | None = None) -> ExitCode:
    redact = Redactor(loaded.settings["secret"].value, keys=(loaded.settings["key"].value,))
    if json_output:
        report = CheckRun(request, loaded).run()
        typer.echo(json_render.dumps(json_render.report_to_dict(report), redact))
    else:
        terminal = TerminalReport(_console(), redact, verbose)
        if sys.stdin.isatty() and sys.stdout.isatty():
            request = replace(request, confirm=terminal.confirm)
        terminal.heading(title or f"pusher-doctor check: {request.hotel}, room {request.room}"
                         + (f", conversation {request.conversation}" if request.conversation else ""))
        with terminal.progress() as on_start:
            report = CheckRun(request, loaded).run(terminal.check, on_start)
        terminal.summary(report)
    if report.interrupted:
        return ExitCode.INTERRUPTED
    return ExitCode.OK if report.ok else ExitCode.PROBLEMS_FOUND


def _usage_error(message: str, hint: str, json_output: bool, redact: Redactor) -> None:
    if json_output:
        typer.echo(json_render.dumps(json_render.error_to_dict("usage-error", message, hint), redact))
    else:
        TerminalReport(_console(sys.stderr), redact).error(message, hint)
    raise typer.Exit(ExitCode.USAGE_ERROR)


def main() -> None:
    """The console script. Click's usage errors are caught here so that --json still gets one document."""
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        if "--json" in sys.argv[1:]:
            typer.echo(json_render.dumps(json_render.error_to_dict("usage-error", error.format_message(),
                                                                   "see --help"), Redactor()))
        else:
            error.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except typer.Abort:  # Ctrl-C at a prompt
        sys.exit(ExitCode.INTERRUPTED)
    sys.exit(code or ExitCode.OK)
