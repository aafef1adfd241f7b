"""Fixtures of the page tests: a real headless Chromium (required: these tests fail, never skip, without
it), the guest pages served for the session's soketi, and `check --page` run through the real CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pusher_doctor.page.browser import find_browser
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import CliResult, app_options
from tests.support.pages import GuestPages, guest_pages
from tests.support.servers import HEALTHY


@pytest.fixture(scope="session")
def chromium() -> None:
    if find_browser(None, None) is None:
        pytest.fail("no Chrome/Chromium for the page tests: run `make setup` "
                    "(or `apt-get install -y chromium`)")


@pytest.fixture(scope="session")
def pages(soketi: SoketiServer, chromium: None) -> Iterator[GuestPages]:
    with guest_pages(soketi) as served:
        yield served


@pytest.fixture(autouse=True)
def no_browser_left() -> Iterator[None]:
    """No browser thread may outlive the run that started it."""
    yield
    left = [t.name for t in threading.enumerate() if t.name == "pusher-doctor-page" and t.is_alive()]
    assert not left, f"browser threads left running: {left}"


@pytest.fixture
def check_page(cli: Callable[..., CliResult], soketi: SoketiServer, pages: GuestPages) -> Callable[..., Any]:
    """Runs `check --page` on one guest page, in a room of its own, with --json unless told otherwise;
    never with --yes, so every run also shows the doctor's own page is not taken for a live guest."""

    def run(page: str, *options: str, room: str | None = None, private: bool = False,
            json_output: bool = True) -> CliResult:
        room = room or f"page-{page}"
        args = ["check", "--hotel", "hotel-paradise", "--room", room,
                "--page", pages.url(page, room, private), *app_options(soketi, HEALTHY), *options]
        return cli([*args, "--json"] if json_output else args)

    return run
