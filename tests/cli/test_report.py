"""check --report: a Markdown or HTML report of a real run, ready to attach to a ticket; the HTML page is
opened in headless Chromium to prove its sections render."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import app_options
from tests.support.servers import HEALTHY, SENTINEL

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def run_with_report(cli, soketi, path: Path, app=HEALTHY) -> None:
    result = cli(["check", "--hotel", "report-hotel", "--room", "7", "--conversation", "3", "--yes",
                  *app_options(soketi, app), "--report", str(path)])
    assert result.exit_code == 0, result.output


def test_a_markdown_report_has_the_facts_for_the_frontend_team(cli, soketi, tmp_path) -> None:
    report = tmp_path / "ticket.md"
    run_with_report(cli, soketi, report)
    text = report.read_text()
    assert text.startswith("# pusher-doctor report: report-hotel, room 7, conversation 3")
    for section in ("## Verdict", "## For the frontend team", "## Checks", "## Probe timeline", "## Settings"):
        assert section in text
    assert "- `new-staff-message` on `report-hotel-room-7-chat`" in text
    assert "  message: string," in text and "| Delivery | pass |" in text


def test_the_secret_is_masked_in_a_report(cli, soketi, tmp_path) -> None:
    for name in ("ticket.md", "ticket.html"):
        run_with_report(cli, soketi, tmp_path / name, SENTINEL)
        assert SENTINEL.secret not in (tmp_path / name).read_text()


def test_an_html_report_renders_its_sections_in_chromium(cli, soketi, tmp_path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is missing: `make setup` installs it (apt-get install chromium)"
    report = tmp_path / "ticket.html"
    run_with_report(cli, soketi, report)
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          report.as_uri()], capture_output=True, text=True, timeout=60, check=True).stdout
    for anchor in ('id="verdict"', 'id="frontend"', 'id="checks"', 'id="timeline"', 'id="settings"'):
        assert anchor in dom
    assert 'aria-label="latency chart"' in dom and "new-staff-message" in dom


@pytest.mark.parametrize(("name", "message"), [("ticket.pdf", "must end in .md or .html"),
                                               ("missing/ticket.md", "its folder does not exist")])
def test_a_report_path_that_cannot_be_used_is_a_usage_error_before_the_run(cli, soketi, tmp_path, name, message):
    result = cli(["check", "--hotel", "h", "--room", "1", *app_options(soketi, HEALTHY), "--report",
                  str(tmp_path / name)])
    assert result.exit_code == 2 and message in result.output


def test_a_report_that_cannot_be_written_after_the_run_exits_74_in_one_line(cli, soketi, tmp_path) -> None:
    full = tmp_path / "ticket.md"
    full.symlink_to("/dev/full")
    result = cli(["check", "--hotel", "h", "--room", "1", "--yes", "--json", *app_options(soketi, HEALTHY),
                  "--report", str(full)])
    assert result.exit_code == 74 and "Traceback" not in result.output
    assert f"--report {full}: could not be written (No space left on device)" in result.stderr
    assert result.json()["checks"]  # the run's own document is whole on stdout
