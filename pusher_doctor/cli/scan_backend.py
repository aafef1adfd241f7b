"""`pusher-doctor scan-backend`: reads the backend's code and config for why its messages never reach a page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pusher_doctor.cli.app import JsonOption, commands, seconds
from pusher_doctor.cli.common import usable_path_or_exit
from pusher_doctor.cli.scan_options import (
    FailOn,
    FailOnOption,
    Format,
    FormatOption,
    ScanVerboseOption,
    scan_output_or_exit,
)
from pusher_doctor.results import ExitCode

EXAMPLES = """\b
Examples:
  pusher-doctor scan-backend ./my-laravel-app
  pusher-doctor scan-backend ./backend --frontend ./guest-app/src
  pusher-doctor scan-backend . --json | jq '.findings[].rule'
  pusher-doctor scan-backend . --format sarif > backend.sarif
"""


@commands.command("scan-backend", epilog=EXAMPLES, short_help="Read the backend's code and config for Pusher mistakes.")
def scan_backend_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The backend's project folder (Laravel, Django, "
                                                              "a Python or Node server).")],
    frontend: Annotated[Path | None, typer.Option(
        "--frontend", metavar="DIR", help="The frontend's source, for the cross-checks of channel and event names. "
                                          "Default: PATH itself (Laravel's resources/js, Django's static/).")] = None,
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", metavar="PATH", help="The backend's env file. Default: .env in PATH, else .env.example.")] = None,
    json_output: JsonOption = False,
    verbose: ScanVerboseOption = False,
    allow_skipped: Annotated[bool, typer.Option(
        "--allow-skipped", help="Exit 0 even when some source files could not be analysed.")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", click_type=seconds(0.1, 3600.0), metavar="SECONDS",
        help="Stop reading more files after this long; the report then says it is incomplete (exit code 1).")] = 60.0,
    fail_on: FailOnOption = FailOn.WARNING,
    output_format: FormatOption = Format.TEXT,
) -> None:
    """Read the backend's code and config for why its messages never reach the page.

    Laravel: the broadcaster (BROADCAST_CONNECTION/BROADCAST_DRIVER log or null), queued broadcasts without a
    worker, event classes that are not ShouldBroadcast, routes/channels.php against the channels used,
    /broadcasting/auth's registration and guard, toOthers(). Python (Django) and Node: the pusher client's
    host and cluster, built before the env file is loaded, triggers whose errors are thrown away or that run
    inside a transaction. Channel and event names are compared with the frontend's code (Echo's leading dot,
    broadcastAs(), private/presence). The code is read, never run. A `// pusher-doctor-ignore RULE` (PHP, JS)
    or `# pusher-doctor-ignore RULE` (Python, .env) comment silences one line.
    Exit code 0: nothing at or above --fail-on; 1: such findings, a file that could not be analysed (unless
    --allow-skipped) or a scan cut short by --timeout; 2: bad path or file.
    """
    from pusher_doctor.backend.engine import scan_backend
    from pusher_doctor.scan.model import ScanInputError

    out = scan_output_or_exit(json_output, output_format, verbose)
    for option, given in (("PATH", path), ("--frontend", frontend), ("--env-file", env_file)):
        if given is not None:
            usable_path_or_exit(out, option, given)
    try:
        scan = scan_backend(path, frontend, env_file, time_limit=timeout)
    except ScanInputError as error:
        out.usage_error(str(error), error.fix
                        or "give the backend's project folder, and a frontend folder and env file that exist")
    scope = {"command": "scan-backend", "frameworks": list(scan.frameworks), "frontend": scan.frontend,
             "frontend_files": scan.frontend_files, "frontend_cut": scan.frontend_cut}
    out = out.masking(*scan.secrets)  # a quoted line may hold one (a literal secret=, an env file's line)
    out.scan(scan.report, allow_skipped=allow_skipped, fail_on=fail_on.value, sarif=output_format is Format.SARIF, scope=scope)
    clean = scan.report.clean(allow_skipped, fail_on.value)
    raise typer.Exit(ExitCode.OK if clean else ExitCode.PROBLEMS_FOUND)
