"""Which browser opens the page: --browser, else one on this machine, else Playwright's; none is found
only when none is there, and then the fix names the install commands."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.page.browser import find_browser, no_browser


def _executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_the_browser_given_wins(tmp_path: Path):
    given = tmp_path / "my-chrome"
    assert find_browser(given, None, machine=(str(_executable(tmp_path / "chromium")),)) == given


def test_a_machine_browser_comes_before_playwrights(tmp_path: Path):
    machine = _executable(tmp_path / "chromium")
    playwright = _executable(tmp_path / "playwright-chrome")
    assert find_browser(None, str(playwright), machine=(str(tmp_path / "missing"), str(machine)),
                        path_names=()) == machine


def test_playwrights_browser_is_the_last_resort_and_a_plain_file_does_not_count(tmp_path: Path):
    not_executable = tmp_path / "chromium"
    not_executable.write_text("")
    playwright = _executable(tmp_path / "playwright-chrome")
    assert find_browser(None, str(playwright), machine=(str(not_executable),), path_names=()) == playwright


def test_nothing_found_is_none_and_its_problem_names_the_install_commands(tmp_path: Path):
    assert find_browser(None, str(tmp_path / "not-installed"), machine=(), path_names=()) is None
    found = no_browser("no Chrome or Chromium found")
    assert found.cause == "no-browser"
    assert found.hint.commands == ("sudo apt-get install -y chromium",
                                   "python -m playwright install chromium")
