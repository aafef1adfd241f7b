"""scan-frontend, whole process, on trees shaped like real apps: files/s and peak memory at 2,000 and
8,000 files, side by side with another checkout of pusher-doctor (the alternative, e.g. main).

    python -m benchmarks.scan_memory [--baseline DIR]

DIR holds another checkout's ``pusher_doctor`` package (``git archive main pusher_doctor | tar -x -C
DIR``); each command runs with its checkout as the working folder, so that its package is the one
imported. Runs alternate between the two, three of each; the median time and the largest peak RSS are
kept.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.frontend_tree import write_app_tree

HERE = Path(__file__).resolve().parent.parent
SIZES = (2000, 8000)
RUNS = 3


def run_once(checkout: Path, tree: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one whole scan-frontend process."""
    command = [sys.executable, "-m", "pusher_doctor", "scan-frontend", str(tree), "--json", "--allow-skipped"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), (checkout, process.returncode)
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout's root (holding pusher_doctor/)")
    args = parser.parse_args()
    checkouts = {"this": HERE, **({"baseline": args.baseline} if args.baseline else {})}
    with tempfile.TemporaryDirectory() as scratch:
        for size in SIZES:
            tree = Path(scratch) / f"app{size}"
            write_app_tree(tree, size)
            times: dict[str, list[float]] = {name: [] for name in checkouts}
            peaks: dict[str, int] = dict.fromkeys(checkouts, 0)
            for _ in range(RUNS):
                for name, checkout in checkouts.items():
                    elapsed, peak = run_once(checkout, tree)
                    times[name].append(elapsed)
                    peaks[name] = max(peaks[name], peak)
            for name in checkouts:
                median = statistics.median(times[name])
                print(f"{name:8} {size:5} files: {size / median:6.0f} files/s (median of "
                      f"{', '.join(f'{t:.2f}' for t in times[name])} s), peak RSS {peaks[name] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
