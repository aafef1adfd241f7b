"""scan-frontend, whole process, on trees shaped like real apps: files/s and peak memory at 2,000 and
8,000 files, side by side with another checkout of pusher-doctor (the alternative, e.g. main).

    python -m benchmarks.scan_memory [--baseline DIR] [--runs N] [--json]

DIR holds another checkout's ``pusher_doctor`` package (``git archive main pusher_doctor | tar -x -C
DIR``); each command runs with its checkout as the working folder, so that its package is the one
imported. Runs alternate between the two, three of each; the median time and the largest peak RSS are
kept, and the CPU seconds (user + system, the helper process included), which move less than wall time
on a machine others share.

Run it from a small process: Linux carries the peak RSS of a process over ``exec``, so a scan started
from a large parent (``make bench`` after its in-process runs) would report the parent's peak as its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.frontend_tree import write_app_tree

HERE = Path(__file__).resolve().parent.parent
SIZES = (2000, 8000)
RUNS = 3
#: issue #24: whole process, on the app-shaped tree
FILES_PER_S_BOUND = 1500
#: issue #24: peak RSS at 8,000 files at most this times that at 2,000
MEMORY_RATIO_BOUND = 1.2


@dataclass
class Runs:
    """One checkout's runs on one tree."""

    files: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kb: int = 0

    @property
    def files_per_s(self) -> float:
        return self.files / statistics.median(self.seconds)

    def line(self, name: str) -> str:
        return (f"{name:8} {self.files:5} files: {self.files_per_s:6.0f} files/s (median of "
                f"{', '.join(f'{t:.2f}' for t in self.seconds)} s; CPU {statistics.median(self.cpu):.2f} s), "
                f"peak RSS {self.peak_kb / 1024:.0f} MB")


def run_once(checkout: Path, tree: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KB) and CPU seconds of one whole scan-frontend process."""
    command = [sys.executable, "-m", "pusher_doctor", "scan-frontend", str(tree), "--json", "--allow-skipped"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode in (0, 1), (checkout, process.returncode)
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def measure(checkouts: dict[str, Path], sizes: tuple[int, ...] = SIZES, runs: int = RUNS) -> dict[int, dict[str, Runs]]:
    """Each checkout's runs on an app-shaped tree of each size, alternating between checkouts."""
    found: dict[int, dict[str, Runs]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            tree = Path(scratch) / f"app{size}"
            write_app_tree(tree, size)
            found[size] = {name: Runs(size) for name in checkouts}
            for _ in range(runs):
                for name, checkout in checkouts.items():
                    elapsed, peak, cpu = run_once(checkout, tree)
                    side = found[size][name]
                    side.seconds.append(elapsed)
                    side.cpu.append(cpu)
                    side.peak_kb = max(side.peak_kb, peak)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout's root (holding pusher_doctor/)")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs of each side on each tree")
    parser.add_argument("--json", action="store_true", help="print only this checkout's figures, as JSON")
    args = parser.parse_args()
    checkouts = {"this": HERE, **({"baseline": args.baseline} if args.baseline else {})}
    load = os.getloadavg()
    found = measure(checkouts, runs=args.runs)
    if args.json:
        this = {size: sides["this"] for size, sides in found.items()}
        print(json.dumps({size: {"files_per_s": runs.files_per_s, "peak_kb": runs.peak_kb, "line": runs.line("this")}
                          for size, runs in this.items()}))
        return
    print(f"load average before: {load}")
    for size, sides in found.items():
        for name, side in sides.items():
            print(side.line(name))
        this = sides["this"]
        print(f"         {size:5} files: {this.files_per_s / FILES_PER_S_BOUND:.2f} of the {FILES_PER_S_BOUND} files/s bound"
              + (f", {this.files_per_s / sides['baseline'].files_per_s:.2f}x the baseline's files/s, CPU "
                 f"{statistics.median(this.cpu) / statistics.median(sides['baseline'].cpu):.2f}x"
                 if "baseline" in sides else ""))
    small, large = min(found), max(found)
    for name in checkouts:
        ratio = found[large][name].peak_kb / found[small][name].peak_kb
        print(f"{name:8} peak RSS {large} / {small} files: {ratio:.2f}x (bound {MEMORY_RATIO_BOUND}x)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
