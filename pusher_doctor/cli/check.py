"""`pusher-doctor check`: the delivery checklist against the app in the backend's settings."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, VerboseOption, app
from pusher_doctor.cli.common import (
    AppIdOption,
    ClusterOption,
    EnvFileOption,
    HostOption,
    HotelOption,
    KeyOption,
    PortOption,
    SchemeOption,
    SecretOption,
)
from pusher_doctor.cli.output import Output, Reporting
from pusher_doctor.hotel_chat import TEST_MESSAGE

EXAMPLES = """\b
Examples:
  cd backend && pusher-doctor check --hotel hotel-paradise --room 101
  pusher-doctor check --hotel h --room 101 --conversation 45 --env-file a/.env
  pusher-doctor check --hotel h --room 101 --key KEY --cluster eu   # key only
  pusher-doctor check --hotel h --room 101 --json --strict --junit out.xml
"""


@app.command(epilog=EXAMPLES)
def check(
    hotel: HotelOption,
    room: Annotated[str, typer.Option(metavar="NUMBER", help="Room number of the guest page (101).")],
    conversation: Annotated[str | None, typer.Option(
        metavar="ID", help="Conversation id: also checks new-message and message-delivered on its channel.")] = None,
    env_file: EnvFileOption = None,
    app_id: AppIdOption = None,
    key: KeyOption = None,
    secret: SecretOption = None,
    cluster: ClusterOption = None,
    host: HostOption = None,
    port: PortOption = None,
    scheme: SchemeOption = None,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Send the test message even when a live guest is subscribed, without asking.")] = False,
    message: Annotated[str, typer.Option(
        metavar="TEXT", show_default=False,
        help="Text of the test message; paste a long real message to test Pusher's 10 KB limit.")] = TEST_MESSAGE,
    json_output: JsonOption = False,
    verbose: VerboseOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show only problems and the verdict.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too (exit code 1).")] = False,
    only: Annotated[str | None, typer.Option(
        metavar="IDS", help="Run only these checks (comma-separated ids) and the ones they need.")] = None,
    skip: Annotated[str | None, typer.Option(
        metavar="IDS", help="Do not run these checks (comma-separated ids); checks that need them are skipped.")] = None,
    junit: Annotated[Path | None, typer.Option(
        "--junit", metavar="FILE", help="Also write the checklist as JUnit XML, one test case per check.")] = None,
) -> None:
    """Run the delivery checklist against the app in the backend's settings and name the broken link.

    Settings come from the options, then the environment, then the env file. Check ids, in order:
    settings, channels, rest-api, websocket, live-guest, subscribe, trigger, delivery.
    """
    from pusher_doctor.checks import select_checks
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.config.endpoints import ClusterDirectory, ClusterHostsError
    from pusher_doctor.config.settings import EnvFileError, load_settings

    started_at = time.monotonic()  # the budget covers reading the env file too
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
    try:
        checks = select_checks(_ids(only), _ids(skip))
    except ValueError as error:
        out.usage_error(str(error), "see the check ids in --help")
    if junit is not None and (problem_with := _unwritable(junit)):
        out.usage_error(f"--junit {junit}: {problem_with}", "give a file path in a folder that exists")
    request = CheckRequest(hotel, room, conversation, timeout, assume_yes=yes, message_text=message,
                           clusters=clusters, started_at=started_at)
    reporting = Reporting(quiet=quiet, strict=strict, junit=junit)
    raise typer.Exit(out.with_settings(loaded).check(request, loaded, checks=checks, reporting=reporting))


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _unwritable(path: Path) -> str | None:
    """Why a report file cannot be written there, found before the run rather than after it."""
    if path.is_dir():
        return "is a folder"
    if not path.parent.is_dir():
        return "its folder does not exist"
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "is not writable"
    return None
