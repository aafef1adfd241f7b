"""Command line: parses options, builds a request, calls the core, renders, exits with an ExitCode.

One module per command, each registering itself on `app`; `output.Output` is the one place that picks
terminal or JSON and builds the redactor.
"""

from __future__ import annotations

import os
import sys

import typer

# Importing a command module registers its command on `app`, in this order in --help.
from pusher_doctor.cli import check, demo, rooms, scan_frontend, watch  # noqa: F401
from pusher_doctor.cli.app import app
from pusher_doctor.cli.output import Output
from pusher_doctor.cli.signals import handle_termination, interrupted_exit_code
from pusher_doctor.render.safe_text import printable
from pusher_doctor.results import ExitCode

try:  # typer up to 0.25 builds on click; later releases carry their own copy of it
    from click import UsageError
except ImportError:
    from typer._click.exceptions import UsageError

__all__ = ["app", "main"]


def main() -> None:
    """The console script: runs a command and exits with its code, whatever happens to the streams.

    Click's usage errors are caught here so that --json still gets one document, and are printed through
    the same cleaning as every other message (they quote the user's own option values).
    """
    handle_termination()
    _tolerate_narrow_encodings()
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        if error.ctx is not None and "--json" not in sys.argv[1:]:
            typer.echo(printable(error.ctx.get_usage()), err=True)
        Output("--json" in sys.argv[1:], False).show_usage_error(error.format_message(), "see --help")
        code = ExitCode.USAGE_ERROR
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C (or SIGTERM/SIGHUP) outside a check run
        code = interrupted_exit_code()
    except BrokenPipeError:
        code = ExitCode.BROKEN_PIPE
    sys.exit(_flushed(int(code or ExitCode.OK)))


def _tolerate_narrow_encodings() -> None:
    # With PYTHONIOENCODING=ascii (or a C locale) a ✓ would raise: show a replacement character instead.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _flushed(code: int) -> int:
    """The exit code once stdout is flushed: a reader that went away is not a failure of the run, a
    full disk is said in one line, and neither leaves Python's own traceback at exit."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        try:
            sys.stderr.write(f"error: the report could not be written: {error.strerror or error}\n")
            sys.stderr.flush()
        except OSError:
            pass
        return ExitCode.OUTPUT_FAILED
    return code


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush has nowhere to fail.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
