"""SIGTERM and SIGHUP are handled like Ctrl-C: the run stops, reports what it learned, stops what it
started (the demo's soketi) and removes its files; the exit code says which signal it was."""

from __future__ import annotations

import signal
from types import FrameType

from pusher_doctor.results import ExitCode

_received: list[int] = []
#: a signal that came before the command had set up its output, not yet delivered
_pending: list[int] = []
#: whether the command has its output: from then on a signal interrupts at once
_output_ready: list[bool] = []


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    # A second signal must not cut the cleanup short (that is what leaves a server running).
    for other in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(other, signal.SIG_IGN)
    if not _output_ready:
        # Still loading the command (imports cut short leave half-made modules): it waits for `output_ready`.
        _pending.append(signum)
        return
    _received.append(signum)
    raise KeyboardInterrupt


def handle_termination(early: list[int]) -> None:
    """Turns SIGTERM and SIGHUP into KeyboardInterrupt in the main thread, where cleanup already runs.
    One that comes before the command has its output (or came in `early`, while the CLI was imported)
    waits for `output_ready`, so that the run still ends with its code and, with --json, its document."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    if early:
        _interrupt(early[0], None)


def output_ready() -> None:
    """The command has its output: a signal that waited is delivered now, as KeyboardInterrupt."""
    if not _output_ready:
        _output_ready.append(True)
    if _pending:
        _received.append(_pending.pop())
        raise KeyboardInterrupt


def pending_signal() -> bool:
    """Whether a signal that came early was never delivered (no command set up its output); it counts
    as received from here on."""
    if _pending:
        _received.append(_pending.pop())
        return True
    return False


def received_name() -> str:
    """The signal that stopped the run, as people know it: SIGTERM, SIGHUP, or Ctrl-C (SIGINT)."""
    return signal.Signals(_received[0]).name if _received else "Ctrl-C"


def interrupted_exit_code() -> ExitCode:
    """130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP."""
    if _received and _received[0] == signal.SIGTERM:
        return ExitCode.TERMINATED
    if _received and _received[0] == signal.SIGHUP:
        return ExitCode.HANGUP
    return ExitCode.INTERRUPTED
