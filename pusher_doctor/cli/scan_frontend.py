"""`pusher-doctor scan-frontend`: reads the guest page's source for the guide's frontend mistakes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pusher_doctor.cli.app import JsonOption, app
from pusher_doctor.cli.output import Output
from pusher_doctor.results import ExitCode

EXAMPLES = """\b
Examples:
  pusher-doctor scan-frontend ./guest-app/src
  pusher-doctor scan-frontend ./src --backend-env ../backend/.env
  pusher-doctor scan-frontend ./src --json | jq '.findings[].rule'
"""


@app.command("scan-frontend", epilog=EXAMPLES)
def scan_frontend_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The guest page's source folder (or one file).")],
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", metavar="PATH", help="The frontend's env file (VITE_/REACT_APP_/NEXT_PUBLIC_/VUE_APP_ PUSHER_KEY and "
                           "PUSHER_CLUSTER). Default: .env.local, .env.development or .env next to PATH "
                           "or in its parent.")] = None,
    backend_env: Annotated[Path | None, typer.Option(
        "--backend-env", metavar="PATH",
        help="The backend's .env: compares the frontend's key and cluster with it.")] = None,
    json_output: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files that were skipped.")] = False,
    allow_skipped: Annotated[bool, typer.Option(
        "--allow-skipped", help="Exit 0 even when some source files could not be analysed (they may hide "
                                "problems; they are still listed).")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0.1, max=3600.0, metavar="SECONDS",
        help="Stop reading more files after this long; what was read is still checked and the report says "
             "it is incomplete (exit code 1).")] = 60.0,
    file_timeout: Annotated[float, typer.Option(
        "--file-timeout", min=0.01, max=600.0, metavar="SECONDS",
        help="Skip a file that takes longer than this to analyse (it is listed; see --allow-skipped).")] = 2.0,
) -> None:
    """Read the guest page's JavaScript/TypeScript/Vue source for the guide's frontend mistakes.

    Finds: no subscription to the room channel, wrong channel or event name, unsubscribing early,
    stale state in the handler, a Pusher client created on every render, unbind() with no arguments,
    key/cluster differing from the backend, a missing cluster. node_modules, build output and
    minified bundles are skipped. Exit code 0: no problem found; 1: findings, a source file that could
    not be analysed (unless --allow-skipped) or a scan cut short by --timeout; 2: bad path or file.
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
        report = scan_frontend(path, env_file, backend, file_time_limit=file_timeout, time_limit=timeout)
    except (ScanInputError, EnvFileError) as error:
        out.usage_error(str(error), "give the guest page's source folder, and env files that exist")
    out.scan(report, compared_with_backend=backend is not None, allow_skipped=allow_skipped)
    raise typer.Exit(ExitCode.OK if report.clean(allow_skipped) else ExitCode.PROBLEMS_FOUND)
