"""--output-format github and $GITHUB_STEP_SUMMARY, through the real CLI: annotations GitHub reads from
stdout, and the job summary's Markdown appended to the file GitHub names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options
from tests.support.servers import HEALTHY


def test_check_annotates_its_warnings_and_adds_its_report_to_the_job_summary(cli, soketi: SoketiServer,
                                                                            tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    result = cli(["check", "--hotel", "gh-out", "--room", "1", "--yes", "--output-format", "github",
                  *app_options(soketi, HEALTHY)], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 0, result.output
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::warning title=pusher-doctor live-guest%3A Live guest::no guest page")
    assert annotations[-1].startswith("::notice title=pusher-doctor verdict::")
    assert "Verdict:" in result.stdout  # the text is still there for the log
    written = summary.read_text()
    assert written.startswith("earlier step\n# pusher-doctor report: gh-out, room 1")
    assert "**Result: WARN**" in written and HEALTHY.secret not in written


def test_scan_frontend_annotates_each_finding_at_its_place_in_the_repository(cli, tmp_path: Path) -> None:
    source = tmp_path / "web" / "src"
    source.mkdir(parents=True)
    (source / "Chat.js").write_text("const pusher = new Pusher(KEY, { cluster: 'eu' });\n"
                                    "pusher.subscribe('h-room-1-chat').bind('new-msg', () => {});\n")
    summary = tmp_path / "summary.md"
    result = cli(["scan-frontend", "web/src", "--output-format", "github", "--contract", "hotel"],
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert line.startswith("::error file=web/src/Chat.js,line=2,col=")
    assert ",title=pusher-doctor wrong-event::binds 'new-msg'" in line
    assert "| `web/src/Chat.js:2` | wrong-event | error |" in summary.read_text()


def test_without_github_actions_no_summary_is_written(cli, tmp_path: Path) -> None:
    (tmp_path / "Chat.js").write_text("const x = 1;\n")
    result = cli(["scan-frontend", str(tmp_path)], env={"GITHUB_STEP_SUMMARY": ""})
    assert result.exit_code == 0 and "::" not in result.stdout


def test_scan_logs_annotates_each_finding_at_its_log_line(cli, tmp_path: Path) -> None:
    from tests.support.cli import REPO

    log = tmp_path / "django.log"
    log.write_bytes((REPO / "tests" / "fixtures" / "logs" / "django.log").read_bytes())
    summary = tmp_path / "summary.md"
    result = cli(["scan-logs", str(log), "--output-format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert f"::error file={log},line=6,title=pusher-doctor scan-logs%3A message 813::" in "\n".join(annotations)
    assert any(line.startswith("::warning ") and "exception" in line for line in annotations)
    assert "**Result: FAIL**" in summary.read_text() and "| 813 |" in summary.read_text()


@pytest.mark.parametrize("where", ["folder", "/dev/full"])
def test_a_summary_that_cannot_be_written_is_a_warning_keeping_the_exit_code(cli, tmp_path: Path,
                                                                             where: str) -> None:
    summary = str(tmp_path) if where == "folder" else where
    if where == "/dev/full" and not Path(where).exists():
        pytest.skip("no /dev/full here")
    (tmp_path / "Chat.js").write_text("const x = 1;\n")
    clean = cli(["scan-frontend", str(tmp_path / "Chat.js")], env={"GITHUB_STEP_SUMMARY": summary})
    assert clean.exit_code == 0, clean.output
    assert f"warning: $GITHUB_STEP_SUMMARY {summary}: could not be written" in clean.stderr
    (tmp_path / "empty.log").write_text("")
    logs = cli(["scan-logs", str(tmp_path / "empty.log"), "--json"], env={"GITHUB_STEP_SUMMARY": summary})
    assert logs.exit_code == 1 and json.loads(logs.stdout)["ok"] is False  # no message found: its own exit code
    assert "could not be written" in logs.stderr
