"""Command line: parses options, builds a request, calls the core, renders, exits with an ExitCode.

Each command imports only the layers it needs, inside its body: `--help` loads no network stack,
`scan-frontend` no Pusher client, `check --json` no terminal renderer.
"""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from pusher_doctor import __version__
from pusher_doctor.config.secret import Redactor, Secret
from pusher_doctor.hotel_chat import TEST_MESSAGE
from pusher_doctor.results import ExitCode, Remediation

if TYPE_CHECKING:
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.render.terminal import TerminalReport

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
    # Plain help: rich-formatted help costs ~80 ms of imports on every --help.
    rich_markup_mode=None,
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
        help="Text of the test message; paste a long real message to test Pusher's 10 KB limit.")] = TEST_MESSAGE,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the delivery checklist against the app in the backend's settings and name the broken link.

    Settings come from the options, then the environment, then the env file. Steps: settings, channel
    names, REST API, WebSocket, live guest, subscribe, trigger the backend's three events, delivery.
    """
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings

    options = {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster,
               "host": host, "port": port, "scheme": scheme}
    out = Output(json_output, verbose, secret)
    try:
        loaded = load_settings(options, env_file=env_file, env_file_required=env_file is not None)
        clusters = ClusterDirectory.from_environ(os.environ)
    except EnvFileError as error:
        out.usage_error(str(error), "give --env-file the path of the backend's .env, or leave it out")
    except ClusterHostsError as error:
        out.usage_error(str(error), "unset it to use Pusher cloud's hosts")
    request = CheckRequest(hotel, room, conversation, timeout, assume_yes=yes, message_text=message,
                           clusters=clusters)
    raise typer.Exit(out.with_settings(loaded).check(request, loaded))


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
        with SoketiServer([sandbox_app]) as server:
            options = {"app_id": sandbox_app.id, "key": sandbox_app.key, "secret": sandbox_app.secret,
                       "host": server.HOST, "port": str(server.port), "scheme": "http"}
            loaded = load_settings(options, environ={}, read_default_env_file=False)
            request = CheckRequest("demo-hotel", "101", "1", timeout)
            code = out.check(request, loaded, title=f"pusher-doctor demo: soketi on {server.url}")
    except SandboxError as error:
        out.usage_error(str(error), Remediation("install soketi in the pusher-doctor checkout", ("make setup",)))
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
    from pusher_doctor.config.settings import EnvFileError, load_settings
    from pusher_doctor.config.target import frontend_expectations
    from pusher_doctor.render.json import SCAN_SCHEMA
    from pusher_doctor.scan.engine import scan_frontend
    from pusher_doctor.scan.model import BackendPusherSettings, ScanInputError

    out = Output(json_output, verbose, schema=SCAN_SCHEMA)
    try:
        backend = None
        if backend_env is not None:
            loaded = load_settings({}, environ={}, env_file=backend_env, env_file_required=True)
            out = out.with_settings(loaded)
            backend = BackendPusherSettings(*frontend_expectations(loaded))
        report = scan_frontend(path, env_file, backend)
    except (ScanInputError, EnvFileError) as error:
        out.usage_error(str(error), "give the guest page's source folder, and env files that exist")
    out.scan(report)
    raise typer.Exit(ExitCode.OK if report.ok else ExitCode.PROBLEMS_FOUND)


class Output:
    """The one place that picks terminal or JSON output for a command, and the redactor all of it
    passes through. Renderers are imported only when used: JSON output never loads rich."""

    def __init__(self, json_output: bool, verbose: bool, *secret_values: Secret | str | None,
                 keys: tuple[str | None, ...] = (), schema: int | None = None) -> None:
        self.json_output = json_output
        self.verbose = verbose
        self.redact = Redactor(*secret_values, keys=keys)
        self._secret_values = secret_values
        self._keys = keys
        self._schema = schema

    def with_settings(self, loaded: LoadedSettings) -> Output:
        """The same output, also masking the secret and shortening the key these settings hold."""
        return Output(self.json_output, self.verbose, *self._secret_values, loaded.settings["secret"].value,
                      keys=(*self._keys, loaded.settings["key"].value), schema=self._schema)

    def _terminal(self, stream: object = None) -> TerminalReport:
        from rich.console import Console

        from pusher_doctor.render.terminal import TerminalReport

        return TerminalReport(Console(file=stream or sys.stdout, highlight=False), self.redact, self.verbose)

    def _document(self, document: dict[str, object]) -> None:
        from pusher_doctor.render.json import dumps

        typer.echo(dumps(document, self.redact))

    def usage_error(self, message: str, hint: str | Remediation) -> NoReturn:
        """Says why the command cannot run (one JSON document in --json mode) and exits with 2."""
        self.show_usage_error(message, hint)
        raise typer.Exit(ExitCode.USAGE_ERROR)

    def show_usage_error(self, message: str, hint: str | Remediation) -> None:
        fix = hint if isinstance(hint, Remediation) else Remediation(hint)
        if self.json_output:
            from pusher_doctor.render.json import SCHEMA, error_to_dict

            self._document(error_to_dict("usage-error", message, fix, self._schema or SCHEMA))
        else:
            self._terminal(sys.stderr).error(message, fix)

    def scan(self, report: object) -> None:
        if self.json_output:
            from pusher_doctor.render.json import scan_to_dict

            self._document(scan_to_dict(report))  # type: ignore[arg-type]
        else:
            from pusher_doctor.render.terminal import TerminalScanReport

            TerminalScanReport(self._terminal().console, self.redact, self.verbose).show(report)  # type: ignore[arg-type]

    def check(self, request: CheckRequest, loaded: LoadedSettings, title: str | None = None) -> ExitCode:
        """Runs the checklist, showing each check as it finishes on a terminal; the exit code.

        The output must already mask the secret of `loaded` (see `with_settings`)."""
        from pusher_doctor.runner.session import CheckRun

        if self.json_output:
            from pusher_doctor.render.json import report_to_dict

            report = CheckRun(request, loaded).run()
            self._document(report_to_dict(report))
        else:
            terminal = self._terminal()
            if _is_tty(sys.stdin) and _is_tty(sys.stdout):
                request = replace(request, confirm=terminal.confirm)
            terminal.heading(title or f"pusher-doctor check: {request.hotel}, room {request.room}"
                             + (f", conversation {request.conversation}" if request.conversation else ""))
            with terminal.progress() as on_start:
                report = CheckRun(request, loaded).run(terminal.check, on_start)
            terminal.summary(report)
        if report.interrupted:
            return ExitCode.INTERRUPTED
        return ExitCode.OK if report.ok else ExitCode.PROBLEMS_FOUND


def _is_tty(stream: object) -> bool:
    # A closed stdin (`<&-`) is None or raises on isatty(): nobody is there to answer.
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (ValueError, OSError):
        return False


def main() -> None:
    """The console script. Click's usage errors are caught here so that --json still gets one document."""
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        if "--json" in sys.argv[1:]:
            Output(True, False).show_usage_error(error.format_message(), "see --help")
        else:
            error.show()
        sys.exit(ExitCode.USAGE_ERROR)
    except typer.Abort:  # Ctrl-C at a prompt
        sys.exit(ExitCode.INTERRUPTED)
    sys.exit(code or ExitCode.OK)
