"""Writing the files a run was asked for (--report, --junit, $GITHUB_STEP_SUMMARY) without ever waiting on
a named pipe (FIFO) that nothing reads: opening one for writing blocks until a reader comes, forever if
none does. A FIFO that is read (`--junit >(xmllint -)`, /dev/stdout into a pipe) is written as asked."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: FIFOs opened before the run (`claim`), kept open until written: closing one would end its reader's input
_held: dict[Path, int] = {}

#: the reason an OSError gives for a FIFO with no reader (the system's own says "No such device or address")
NO_READER = "a named pipe (FIFO) that nothing reads"


def claim(path: Path) -> None:
    """Before the run: a FIFO at `path` is opened now, and kept for `write_text`; OSError (NO_READER) when
    nothing reads it. Any other path is left for `write_text`."""
    try:
        is_fifo = stat.S_ISFIFO(path.stat().st_mode)
    except OSError:  # nothing there yet, or not reachable: the write says why
        return
    if is_fifo and path not in _held:
        _held[path] = _opened(path, os.O_TRUNC)


def write_text(path: Path, text: str, append: bool = False) -> None:
    """Writes (or appends) `text` as UTF-8 to `path`; OSError (NO_READER for a FIFO nothing reads) when it
    cannot."""
    fd = _held.pop(path, None)
    if fd is None:
        fd = _opened(path, os.O_APPEND if append else os.O_TRUNC)
    with open(fd, "w", encoding="utf-8") as file:
        file.write(text)


def _opened(path: Path, mode: int) -> int:
    # Non-blocking only to open: a FIFO with no reader fails at once (ENXIO) instead of waiting; once open,
    # a slow reader is waited for as a shell's `>` would.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NONBLOCK | mode, 0o666)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, NO_READER, str(path)) from None
        raise
    os.set_blocking(fd, True)
    return fd
