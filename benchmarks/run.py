"""Speed targets, measured in one run on this machine and printed as ratios against their bounds.

Targets (issues #4 and #5):
- a failure the server has already answered (error frame, HTTP error, refused connection): verdict < 1 s
- a run never outlives --timeout by more than 0.5 s (silent server, event never delivered)
- scan-frontend: at least 1,000 files/s on a generated 2,000-file tree; issue #24: at least 1,500 files/s
  whole process on app-shaped trees of 2,000 and 8,000 files, and peak RSS at 8,000 at most 1.2x that at 2,000
- startup (issue #8): the whole `check --json` process at most 2x a hand-written pusher-js script doing
  the same job (benchmarks/pusherjs_check.cjs), measured side by side; `--help` under 0.15 s; issue #24's
  goal for the same ratio is 1.3x

Run with `make bench`, or one group of targets with `benchmarks/run.py startup` (`--help` lists them).
Timings on shared machines are noisy: read the ratios, not the digits.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pusher_doctor.checks.context import CheckRequest
from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.settings import load_settings
from pusher_doctor.protocol.guest import GuestConnection
from pusher_doctor.runner.session import CheckRun
from pusher_doctor.sandbox import SandboxApp, SoketiServer
from tests.support.proxies import frame_dropping_proxy
from tests.support.servers import ALL_APPS, DISABLED, FULL, HEALTHY, closed_port, silent_server

HERE = Path(__file__).resolve().parent
ANSWERED_BOUND_S = 1.0
STARTUP_RATIO_BOUND = 2.0
#: issue #24's goal for the same ratio
STARTUP_RATIO_GOAL = 1.3
HELP_BOUND_S = 0.15
#: runs of each command in the startup comparison; the median is compared
STARTUP_RUNS = 7
OVERRUN_BOUND_S = 0.5
SCAN_TARGET_FILES_PER_S = 1000
TIMEOUT_S = 5.0


def run_check(options: dict[str, str], timeout: float = TIMEOUT_S) -> tuple[float, str]:
    loaded = load_settings(options, environ={}, read_default_env_file=False)
    started = time.monotonic()
    report = CheckRun(CheckRequest("hotel-paradise", "101", "45", timeout, assume_yes=True), loaded).run()
    elapsed = time.monotonic() - started
    failed = next((c.outcome.cause for c in report.checks if c.status.is_problem), None)
    return elapsed, failed or "ok"


def app_settings(server_port: int, app: SandboxApp, **overrides: str) -> dict[str, str]:
    return {"app_id": app.id, "key": app.key, "secret": app.secret, "host": "127.0.0.1",
            "port": str(server_port), "scheme": "http", **overrides}


def row(name: str, measured: float, bound: float, unit: str, higher_is_better: bool = False) -> bool:
    ratio = measured / bound if bound else float("inf")
    ok = measured >= bound if higher_is_better else measured <= bound
    print(f"{'PASS' if ok else 'MISS'}  {name:<52} {measured:9.3f} {unit:<8} bound {bound:g} {unit:<8} "
          f"ratio {ratio:5.2f}")
    return ok


def bench_check(server: SoketiServer) -> list[bool]:
    port = server.port
    results = []
    print(f"\ncheck: answered failures (bound {ANSWERED_BOUND_S} s, --timeout {TIMEOUT_S} s)")
    answered: dict[str, Callable[[], dict[str, str]]] = {
        "connection refused": lambda: app_settings(closed_port(), HEALTHY),
        "unknown app id": lambda: app_settings(port, HEALTHY, app_id="9999"),
        "unknown key": lambda: app_settings(port, HEALTHY, key="nope"),
        "wrong secret": lambda: app_settings(port, HEALTHY, secret="nope-nope"),
        "app disabled": lambda: app_settings(port, DISABLED),
    }
    for name, options in answered.items():
        elapsed, cause = run_check(options())
        results.append(row(f"{name} -> {cause}", elapsed, ANSWERED_BOUND_S, "s"))
    with GuestConnection(Endpoint("127.0.0.1", port, False), FULL.key) as occupant:
        occupant.connect(5)
        elapsed, cause = run_check(app_settings(port, FULL))
        results.append(row(f"connection quota -> {cause}", elapsed, ANSWERED_BOUND_S, "s"))

    print(f"\ncheck: waits that must end within --timeout + {OVERRUN_BOUND_S} s")
    with silent_server() as silent:
        elapsed, cause = run_check(app_settings(silent, HEALTHY), timeout=2.0)
        results.append(row(f"silent server -> {cause} (overrun)", elapsed - 2.0, OVERRUN_BOUND_S, "s"))
    # greeting, pong, and the two subscription acks (room and conversation) pass; then frames are dropped
    with frame_dropping_proxy(port, frames_to_pass=4) as proxy:
        elapsed, cause = run_check(app_settings(proxy, HEALTHY), timeout=2.0)
        results.append(row(f"event never delivered -> {cause} (overrun)", elapsed - 2.0, OVERRUN_BOUND_S, "s"))

    print("\ncheck: healthy run, all three events")
    elapsed, cause = run_check(app_settings(port, HEALTHY))
    results.append(row(f"healthy -> {cause}", elapsed, ANSWERED_BOUND_S, "s"))
    return results


def bench_scan() -> list[bool]:
    from benchmarks.frontend_tree import write_tree
    from pusher_doctor.scan.engine import scan_frontend

    print(f"\nscan-frontend: generated tree (target {SCAN_TARGET_FILES_PER_S} files/s)")
    with tempfile.TemporaryDirectory() as root:
        files = write_tree(Path(root), 2000)
        started = time.monotonic()
        report = scan_frontend(Path(root))
        elapsed = time.monotonic() - started
    assert report.files_scanned == files, (report.files_scanned, files)
    results = [row(f"{files} files, {len(report.findings)} findings", files / elapsed, SCAN_TARGET_FILES_PER_S,
                   "files/s", higher_is_better=True)]
    # issue #24: whole processes on app-shaped trees, median of three; memory flat from 2,000 to 8,000 files.
    # Started from a small process: this one's peak RSS would be carried over into each scan's (see scan_memory).
    from benchmarks.scan_memory import FILES_PER_S_BOUND, MEMORY_RATIO_BOUND

    print(f"\nscan-frontend: whole process, app-shaped trees (target {FILES_PER_S_BOUND} files/s, "
          f"peak RSS {MEMORY_RATIO_BOUND}x at 4x the files)")
    done = subprocess.run([sys.executable, "-m", "benchmarks.scan_memory", "--json"], cwd=HERE.parent,
                          check=True, capture_output=True, text=True)
    found = {int(size): figures for size, figures in json.loads(done.stdout).items()}
    for size, figures in found.items():
        print(f"      {figures['line']}")
        results.append(row(f"whole process, {size} files", figures["files_per_s"], FILES_PER_S_BOUND,
                           "files/s", higher_is_better=True))
    small, large = min(found), max(found)
    results.append(row(f"peak RSS {large} / {small} files", found[large]["peak_kb"] / found[small]["peak_kb"],
                       MEMORY_RATIO_BOUND, "x"))
    return results


def _process_seconds(command: list[str], expect: int = 0) -> float:
    """Wall time of one whole process."""
    started = time.monotonic()
    code = subprocess.run(command, check=False, capture_output=True, env={**os.environ, "NO_COLOR": "1"},
                          stdin=subprocess.DEVNULL).returncode
    assert code == expect, (command, code)
    return time.monotonic() - started


def bench_startup(server: SoketiServer, runs: int = STARTUP_RUNS) -> list[bool]:
    print(f"\nstartup: whole processes, median of {runs}, run alternately")
    app = HEALTHY
    doctor = [sys.executable, "-m", "pusher_doctor", "check", "--hotel", "bench", "--room", "1", "--yes", "--json",
              "--app-id", app.id, "--key", app.key, "--secret", app.secret, "--host", server.HOST,
              "--port", str(server.port), "--scheme", "http"]
    script = ["node", str(HERE / "pusherjs_check.cjs"), server.HOST, str(server.port), app.id, app.key,
              app.secret, "bench-room-1-chat"]
    help_command = [sys.executable, "-m", "pusher_doctor", "--help"]
    times: dict[str, list[float]] = {"doctor": [], "script": [], "help": []}
    for _ in range(runs):
        times["doctor"].append(_process_seconds(doctor))
        times["script"].append(_process_seconds(script))
        times["help"].append(_process_seconds(help_command))
    doctor_s, script_s, help_s = (statistics.median(times[k]) for k in ("doctor", "script", "help"))
    print(f"      check --json {doctor_s:.3f} s, pusher-js script {script_s:.3f} s")
    return [row("check --json / pusher-js script", doctor_s / script_s, STARTUP_RATIO_BOUND, "x"),
            row("check --json / pusher-js script (#24)", doctor_s / script_s, STARTUP_RATIO_GOAL, "x"),
            row("--help", help_s, HELP_BOUND_S, "s")]


#: the groups of targets, in the order a full run measures them
GROUPS = ("check", "startup", "scan", "triage", "page")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the speed targets; all groups unless some are named.")
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"one or more of: {', '.join(GROUPS)}")
    parser.add_argument("--startup-runs", type=int, default=STARTUP_RUNS,
                        help="alternating rounds of the startup comparison (default %(default)s)")
    options = parser.parse_args(argv)
    wanted = set(options.groups or GROUPS)
    if wanted - set(GROUPS):
        parser.error(f"unknown group: {', '.join(sorted(wanted - set(GROUPS)))}")
    # An installed package has its bytecode compiled by pip; a clone run with PYTHONDONTWRITEBYTECODE (set
    # on these machines) would recompile every edited module on each timed start (40-50 ms for check).
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "pusher_doctor"), quiet=1)
    results: list[bool] = []
    if wanted & {"check", "startup"}:
        with SoketiServer(ALL_APPS) as server:
            if "check" in wanted:
                results += bench_check(server)
            if "startup" in wanted:
                results += bench_startup(server, options.startup_runs)
    if "scan" in wanted:
        results += bench_scan()
    # Each subsystem keeps its own targets beside its own setup; all are reported in this one run.
    from benchmarks import page, triage

    if "triage" in wanted:
        results += triage.main()
    if "page" in wanted:
        results += page.main()
    print(f"\n{sum(results)} of {len(results)} targets met")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
