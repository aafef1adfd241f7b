"""SIGTERM and SIGHUP are handled like Ctrl-C: the run stops, reports what it learned, stops what it
started (the demo's soketi) and removes its files; the exit code says which signal it was."""

from __future__ import annotations

import signal
from types import FrameType

from pusher_doctor.results import ExitCode

_received: list[int] = []


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    _received.append(signum)
    # A second signal must not cut the cleanup short (that is what leaves a server running).
    for other in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(other, signal.SIG_IGN)
    raise KeyboardInterrupt


def handle_termination() -> None:
    """Turns SIGTERM and SIGHUP into KeyboardInterrupt in the main thread, where cleanup already runs."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)


def interrupted_exit_code() -> ExitCode:
    """130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP."""
    if _received and _received[0] == signal.SIGTERM:
        return ExitCode.TERMINATED
    if _received and _received[0] == signal.SIGHUP:
        return ExitCode.HANGUP
    return ExitCode.INTERRUPTED
