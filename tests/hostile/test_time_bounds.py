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
