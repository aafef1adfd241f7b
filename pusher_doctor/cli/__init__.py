"""Command line: parses options, builds a request, calls the core, renders, exits with an ExitCode.

One module per command, each registering itself on `app`; `output.Output` is the one place that picks
terminal or JSON and builds the redactor.
"""

from __future__ import annotations

import sys

import typer

# Importing a command module registers its command on `app`, in this order in --help.
from pusher_doctor.cli import check, demo, scan_frontend  # noqa: F401
from pusher_doctor.cli.app import app
from pusher_doctor.cli.output import Output
from pusher_doctor.results import ExitCode

try:  # typer up to 0.25 builds on click; later releases carry their own copy of it
    from click import UsageError
except ImportError:
    from typer._click.exceptions import UsageError

__all__ = ["app", "main"]


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
