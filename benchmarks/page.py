"""Speed targets of `check --page` (issue #13), measured in one run and printed as `row()`s:

- the whole `check --page` process on a local guest page, cold browser start included: under 3 s
- the page steps add at most 0.2 s beyond the browser's start and the page's load

Also prints each part's share of the whole (browser start, page load, the page steps, the rest of the
checklist), read from the run's own JSON durations. `main()` returns one bool per target; the lead wires
it into `make bench`. Runs need soketi and a Chrome/Chromium (`make setup`).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import row
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options
from tests.support.pages import guest_pages
from tests.support.servers import ALL_APPS, HEALTHY

WHOLE_BOUND_S = 3.0
PAGE_STEPS_BOUND_S = 0.2
RUNS = 5
#: the page steps after page-load; the screenshot and the offline test are left out (they are asked for)
PAGE_STEPS = ("page-connection", "page-subscribe", "page-receive", "page-bindings", "page-render",
              "page-lifecycle", "page-console")


def _one_run(server: SoketiServer, url: str, room: str) -> tuple[float, dict[str, float]]:
    """Wall time of one whole `check --page` process, and its parts in seconds from its own JSON."""
    command = [sys.executable, "-m", "pusher_doctor", "check", "--hotel", "hotel-paradise", "--room", room,
               "--page", url, "--json", *app_options(server, HEALTHY)]
    started = time.monotonic()
    done = subprocess.run(command, check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env={**os.environ, "NO_COLOR": "1"})
    whole = time.monotonic() - started
    document = json.loads(done.stdout)
    assert done.returncode == 0, document.get("verdict")
    checks = {c["id"]: c for c in document["checks"]}
    load = checks["page-load"]
    parts = {"browser start": load["data"]["launch_ms"] / 1000,
             "page load": (load["data"]["load_ms"] - load["data"]["launch_ms"]) / 1000,
             "page steps": sum(checks[step]["duration_ms"] for step in PAGE_STEPS) / 1000}
    parts["rest of the checklist"] = document["duration_ms"] / 1000 - sum(parts.values())
    parts["process start and exit"] = whole - document["duration_ms"] / 1000
    return whole, parts


def main() -> list[bool]:
    print(f"\ncheck --page: whole process on a local guest page, cold browser, median of {RUNS}")
    with SoketiServer(ALL_APPS) as server, guest_pages(server) as pages:
        runs = [_one_run(server, pages.url("correct", f"bench-{i}"), f"bench-{i}") for i in range(RUNS)]
    whole = statistics.median(w for w, _ in runs)
    for part in runs[0][1]:
        seconds = statistics.median(parts[part] for _, parts in runs)
        print(f"      {part:<24} {seconds:6.3f} s  {seconds / whole:5.1%}")
    page_steps = statistics.median(parts["page steps"] for _, parts in runs)
    return [row("check --page, whole process (cold browser)", whole, WHOLE_BOUND_S, "s"),
            row("page steps beyond browser start and load", page_steps, PAGE_STEPS_BOUND_S, "s")]


if __name__ == "__main__":
    sys.exit(0 if all(main()) else 1)
