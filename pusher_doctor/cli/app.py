"""The Typer application and the options several commands share. Commands register themselves on `app`
from their own modules; each imports the layers it needs inside its body, so startup stays small."""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor import __version__

DEFAULT_TIMEOUT = 5.0

app = typer.Typer(
    name="pusher-doctor",
    help="Finds out why a real-time message did not reach its recipient over Pusher Channels.\n\n"
         "Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error, 74 output could "
         "not be written, 130/143/129 interrupted (Ctrl-C, SIGTERM, SIGHUP).",
    epilog="\b\nExamples:\n  pusher-doctor demo                     # the whole chain on a local sandbox\n"
           "  pusher-doctor check --hotel h --room 101\n  pusher-doctor scan-frontend ./src",
    no_args_is_help=True,
    add_completion=True,
    # Plain help: rich-formatted help costs ~80 ms of imports on every --help.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, max=600.0, metavar="SECONDS",
    help="Seconds the whole run may take; every wait shares this budget. Only an event that never arrives "
         "waits it out.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout, nothing else.")]
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
