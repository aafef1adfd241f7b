"""Time bounds that hostile servers and pages must not stretch (issue #20, item 8): `watch --duration`
against a server that never greets, and `check --page` on a page that floods its console."""

from __future__ import annotations

import json
import time

import pytest

from pusher_doctor.page.browser import find_browser
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options, run_process
from tests.support.hostile import hostile_server
from tests.support.pages import guest_pages
from tests.support.servers import HEALTHY, silent_server

SERVERS = {"accepts-and-says-nothing": silent_server,
           "upgrades-and-never-greets": lambda: hostile_server(lambda: (200, b"{}"), list)}


@pytest.mark.parametrize("server", SERVERS)
def test_watch_ends_at_its_duration_when_the_server_never_greets(tmp_path, server: str) -> None:
    with SERVERS[server]() as port:
        started = time.monotonic()
        done = run_process(["watch", "--channel", "hotel-paradise-room-101-chat", "--key", "k", "--host", "127.0.0.1",
                            "--port", str(port), "--scheme", "http", "--duration", "0.5"], tmp_path, timeout=30)
        took = time.monotonic() - started
    assert done.exit_code == 1, done.output
    assert "--duration ended before the server greeted" in done.output
    assert took < 3.0, f"took {took:.1f} s"  # the process's start and end included


def test_check_page_on_a_page_flooding_its_console_keeps_to_timeout(tmp_path, soketi: SoketiServer) -> None:
    assert find_browser(None, None) is not None, "no Chromium: run `make setup`"
    timeout = 8
    with guest_pages(soketi) as pages:
        started = time.monotonic()
        done = run_process(["check", "--hotel", "hotel-paradise", "--room", "flood", "--page",
                            pages.url("console-flood", "flood"), *app_options(soketi, HEALTHY), "--yes",
                            "--timeout", str(timeout), "--json"], tmp_path, timeout=60)
        took = time.monotonic() - started
    document = json.loads(done.stdout)
    assert document["duration_ms"] < (timeout + 1.5) * 1000
    assert took < timeout + 3.5, f"took {took:.1f} s with --timeout {timeout}"


def test_scan_backend_keeps_to_its_time_limit_on_a_tree_of_many_scripts(tmp_path) -> None:
    from pusher_doctor.backend.engine import scan_backend

    (tmp_path / "manage.py").write_text("import os\n")
    for n in range(20_000):
        (tmp_path / f"f{n}.js").touch()
    started = time.monotonic()
    scan = scan_backend(tmp_path, time_limit=0.1)
    took = time.monotonic() - started
    # the frontend's walk gets what is left of the limit, not a second of its own
    assert scan.frontend_cut and scan.frontend_files < 20_000 and scan.report.incomplete is not None
    assert took < 1.0, f"took {took:.1f} s with a 0.1 s limit"
    done = run_process(["scan-backend", str(tmp_path), "--timeout", "0.1"], tmp_path, timeout=30)
    assert done.exit_code == 1, done.output
    assert "no frontend code found" not in done.output
    assert "frontend not read: the scan's time limit came first" in done.output or "the rest not read" in done.output
