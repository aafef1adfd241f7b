"""The --page options: every unusable one is a one-line usage error (exit 2) that never shows a cookie's or
header's value; a browser that does not start is `no-browser` with the install commands."""

from __future__ import annotations

import pytest

from tests.support.cli import app_options
from tests.support.pages import checks_by_id
from tests.support.servers import HEALTHY, closed_port

BASE = ["check", "--hotel", "hotel-paradise", "--room", "101", "--key", "k", "--secret", "s3cr3t-value",
        "--app-id", "1", "--json"]
PAGE = ["--page", "http://guest.example/"]


@pytest.mark.parametrize(("options", "message"), [
    (["--page", "ftp://guest.example/"], "is not an http:// or https:// address"),
    ([*PAGE, "--page-cookie", "only-a-Value-1234"], "--page-cookie takes NAME=VALUE"),
    ([*PAGE, "--page-header", "Bearer Value-1234"], "--page-header takes 'Name: value'"),
    (["--page-cookie", "a=Value-1234"], "go with --page"),
    ([*PAGE, "--browser", "/nonexistent/chrome"], "--browser /nonexistent/chrome: no such"),
    ([*PAGE, "--page-screenshot", "/nonexistent/dir/x.png"], "existing directory"),
    ([*PAGE, "--page-storage-state", "/nonexistent.json"], "cannot be read"),
    # a device or a FIFO is never read: /dev/zero would fill the memory, a FIFO block
    ([*PAGE, "--page-storage-state", "/dev/zero"], "/dev/zero: not a regular file"),
])
def test_an_unusable_page_option_is_a_usage_error(cli, options, message):
    result = cli([*BASE, *options])
    assert result.exit_code == 2, result.output
    error = result.json()["error"]
    assert error["cause"] == "usage-error" and message in error["message"]
    assert "Value-1234" not in result.output


def test_a_storage_state_file_too_large_to_be_one_is_not_read_whole(cli, tmp_path):
    state = tmp_path / "huge.json"
    state.write_bytes(b" " * ((16 << 20) + 1))
    result = cli([*BASE, *PAGE, "--page-storage-state", str(state)])
    assert result.exit_code == 2 and "larger than 16 MB" in result.json()["error"]["message"]


def test_a_storage_state_that_is_not_one_is_a_usage_error_without_its_values(cli, tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [{"value": "Value-1234"}], "origins": 3}')
    result = cli([*BASE, *PAGE, "--page-storage-state", str(state)])
    assert result.exit_code == 2 and "not a Playwright storage-state" in result.json()["error"]["message"]
    assert "Value-1234" not in result.output


def test_help_says_page_raises_the_default_timeout(cli):
    assert "Raises the default --timeout to 15 s" in " ".join(cli(["check", "--help"]).stdout.split())


def test_a_browser_that_does_not_start_is_no_browser_with_the_install_commands(check_page, tmp_path):
    not_a_browser = tmp_path / "chrome"
    not_a_browser.write_text("#!/bin/sh\nexit 3\n")
    not_a_browser.chmod(0o755)
    result = check_page("correct", "--browser", str(not_a_browser), room="no-browser")
    load = checks_by_id(result)["page-load"]
    assert (load["status"], load["cause"]) == ("fail", "no-browser")
    assert "sudo apt-get install -y chromium" in load["fix"]["commands"]


def test_a_browser_given_by_a_relative_path_is_started_from_there(check_page, tmp_path):
    # the cli fixture runs in tmp_path: ./chrome is this file, not a "chrome" to look for on PATH
    (tmp_path / "chrome").write_text("#!/bin/sh\nexit 3\n")
    (tmp_path / "chrome").chmod(0o755)
    result = check_page("correct", "--browser", "./chrome", room="relative-browser")
    load = checks_by_id(result)["page-load"]
    assert (load["status"], load["cause"]) == ("fail", "no-browser")
    assert "ENOENT" not in load["summary"] and str(tmp_path / "chrome") in load["summary"], load["summary"]


def test_a_page_nothing_answers_is_unreachable(cli, soketi, chromium):
    url = f"http://127.0.0.1:{closed_port()}/rooms/101?token=Value-1234"
    result = cli(["check", "--hotel", "hotel-paradise", "--room", "unreachable", "--page", url, "--json",
                  *app_options(soketi, HEALTHY)])
    load = checks_by_id(result)["page-load"]
    assert (load["status"], load["cause"]) == ("fail", "page-unreachable")
    assert "connection refused" in load["summary"] and "Value-1234" not in result.output
