"""The entry point of `python -m pusher_doctor` and of the `pusher-doctor` script.

The cyclic garbage collector is paused while the CLI and the command's modules load: they make tens of
thousands of objects and no garbage, and its passes over them cost `check` about 3 % of its start. The
command's `cli.output.Output` resumes it once they are loaded.

SIGTERM and SIGHUP are caught before the CLI is imported (about 0.1 s, longer on a busy machine), where
the default would end the process silently with the bare signal. One that arrives then is kept and
delivered once the command has set up its output (`cli.signals`), so it ends as any interrupted run does:
its exit code (143, 129) and, with --json, its document.
"""

from __future__ import annotations

import gc
import signal
from types import FrameType

#: the signals that arrived before the CLI's own handlers were in place
_early: list[int] = []


def _keep(signum: int, _frame: FrameType | None) -> None:
    _early.append(signum)


def main() -> None:
    gc.disable()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _keep)
    from pusher_doctor.cli import main as run

    run(_early)


if __name__ == "__main__":
    main()
