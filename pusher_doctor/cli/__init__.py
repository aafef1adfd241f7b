"""Command line: parses options, builds a request, calls the core, renders, exits with an ExitCode.

One module per command, each defining its command on `app.commands` and imported only when that command
is looked up (`app.COMMAND_MODULES`); `output.Output` is the one place that picks terminal or JSON and
builds the redactor.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from typing import TextIO

from pusher_doctor.lazy import CLI_DEFERRED, defer

for _name in CLI_DEFERRED:
    defer(_name)

import typer  # after the deferrals above, on purpose

from pusher_doctor.cli.app import FolderGone, app
from pusher_doctor.cli.signals import handle_termination, interrupted_exit_code, pending_signal
from pusher_doctor.results import ExitCode

try:  # typer up to 0.25 builds on click; later releases carry their own copy of it
    from click import UsageError
    from click.exceptions import NoArgsIsHelpError
except ImportError:
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

__all__ = ["app", "main"]


def main(early_signals: list[int] | None = None) -> None:
    """The console script: runs a command and exits with its code, whatever happens to the streams.

    Click's usage errors are caught here so that --json still gets one document, and are printed through
    the same cleaning as every other message (they quote the user's own option values). `early_signals`
    arrived while the CLI was being imported (`pusher_doctor.__main__`).
    """
    handle_termination(early_signals or [])
    _tolerate_narrow_encodings()
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        _say("stdout is closed: the report is not shown; the exit code still tells the result")
        # What would be written goes nowhere, so no writer (watch's flush, a JSON line) meets a None.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = _ReaderMayLeave(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None:  # a full stderr (2>/dev/full) must not turn a usage error's 2 into a traceback
        sys.stderr = _ReaderMayLeave(sys.stderr)  # type: ignore[assignment]
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as error:
        # Bare `pusher-doctor`: the help itself, as click shows it (stderr, exit 2), not an error quoting it.
        error.show()
        code = ExitCode.USAGE_ERROR
    except UsageError as error:
        from pusher_doctor.render.safe_text import printable

        pending_signal()  # an early signal does not cut the usage error short: it is said, exit 2

        if error.ctx is not None and "--json" not in sys.argv[1:]:
            typer.echo(printable(error.ctx.get_usage()), err=True)
        code = _usage_error(error.format_message(), "see --help", _schema_of(error))
    except FolderGone as error:
        code = _usage_error("the current folder no longer exists (deleted or moved away)",
                            "cd to an existing folder and run the command again", _schema_of_command(error.command))
    except OSError as error:
        if error.errno not in _PATH_REFUSED or error.filename is None:
            raise
        from pusher_doctor.cli.common import PATH_REFUSED_FIX, shown_path

        # A path a command did not look at first (each checks its own options): still one line, exit 2.
        code = _usage_error(f"{shown_path(str(error.filename))}: {error.strerror}", PATH_REFUSED_FIX, None)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C (or SIGTERM/SIGHUP) outside a check run
        code = interrupted_exit_code()
    if code in (ExitCode.INTERRUPTED, ExitCode.TERMINATED, ExitCode.HANGUP):
        # typer says 130 for every KeyboardInterrupt; SIGTERM and SIGHUP have codes of their own
        code = interrupted_exit_code()
        from pusher_doctor.cli.output import Output

        Output.after_interrupt()
    elif pending_signal():  # arrived before any command set up its output (--help, a usage error)
        code = interrupted_exit_code()
    # The process ends here. Its shutdown would have the cyclic garbage collector walk every object the
    # imports made (~20 ms for `check`, ~10 ms for --help), to free memory that exit frees anyway.
    gc.freeze()
    sys.exit(_flushed(int(code or ExitCode.OK)))


#: what the system says when it refuses to look a path up: the user's input, never the tool's own failing
_PATH_REFUSED = frozenset((errno.ENAMETOOLONG, errno.ELOOP, errno.EACCES, errno.EPERM, errno.ENOTDIR))


def _usage_error(message: str, fix: str, schema: int | None) -> ExitCode:
    """Says a usage error in one line (one document with --json), masked: the message may quote a value the
    user gave, the secret given in the wrong place among them."""
    from pusher_doctor.cli.output import Output

    Output("--json" in sys.argv[1:], False, *_secrets_given(sys.argv[1:]), schema=schema).show_usage_error(message, fix)
    return ExitCode.USAGE_ERROR


def _schema_of(error: UsageError) -> int | None:
    """The JSON schema of the command whose options were wrong: a triage command's error is numbered as
    its documents are (None: the default, check's)."""
    return _schema_of_command(error.ctx.command.name if error.ctx is not None else None)


def _schema_of_command(command: str | None) -> int | None:
    """The JSON schema of `command`'s documents, its usage errors included (None: check's)."""
    from pusher_doctor.cli.app import TRIAGE_COMMANDS

    if command not in TRIAGE_COMMANDS:
        return None
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    return TRIAGE_SCHEMA


class _ReaderMayLeave:
    """An output stream (stdout, or stderr) that may stop taking output: a reader that left (`| head -1`)
    or a full disk. The run goes on either way; what is written after that goes nowhere instead of raising mid-run, and a failure
    other than the reader leaving is remembered for the exit code."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.failure: OSError | None = None
        #: a write found the reader gone (the descriptor now points at /dev/null): a watch ends on it
        self.reader_left = False

    def _lost(self, error: OSError) -> None:
        if isinstance(error, BrokenPipeError):
            self.reader_left = True
        elif self.failure is None:
            self.failure = error
        _silence_stdout(self._stream)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            self._lost(error)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            self._lost(error)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _secrets_given(args: list[str]) -> list[str]:
    """The secret as given on this command line or in the environment, for masking a usage error."""
    given = [os.environ.get(name, "") for name in ("PUSHER_SECRET", "PUSHER_APP_SECRET")]
    for index, arg in enumerate(args):
        if arg == "--secret" and index + 1 < len(args):
            given.append(args[index + 1])
        elif arg.startswith("--secret="):
            given.append(arg.removeprefix("--secret="))
    return [value for value in given if value]


def _tolerate_narrow_encodings() -> None:
    # With PYTHONIOENCODING=ascii (or a C locale) a ✓ would raise. Escaped as `printable` escapes (\xe9),
    # not replaced by "?": a message naming a character Pusher does not allow must show which one.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _flushed(code: int) -> int:
    """The exit code once stdout is flushed: output that could not be written (a full disk) is said in
    one line on stderr and exits 74; a reader that left early changes nothing."""
    stdout = sys.stdout
    if isinstance(stdout, _ReaderMayLeave):
        stdout.flush()
        if stdout.failure is not None:
            _say(f"the report could not be written to stdout: {stdout.failure.strerror or stdout.failure}")
            return ExitCode.OUTPUT_FAILED
    return code


def _say(message: str) -> None:
    try:
        sys.stderr.write(f"pusher-doctor: {message}\n")
        sys.stderr.flush()
    except (OSError, AttributeError):  # stderr closed too: the exit code is all that is left
        pass


def _silence_stdout(stream: TextIO) -> None:
    # Point the descriptor at /dev/null: what is still buffered, and Python's own flush at exit, then
    # have nowhere to fail.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stream.fileno())
    os.close(devnull)
