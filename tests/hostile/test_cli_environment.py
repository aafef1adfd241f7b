"""The process's surroundings turned hostile: a deleted working folder, a stderr that cannot be written,
pathological env files, FIFOs where files are expected, a nonsensical terminal width. Each ends within
its bound with its documented exit code, one clear line and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dotenv.variables import Variable, parse_variables
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.config.settings import _variables
from tests.support.cli import REPO, app_options
from tests.support.servers import HEALTHY

PYTHON = f"{sys.executable} -m pusher_doctor"
#: settings for a server that is never reached (a closed port): enough for every command to start
CLOSED = "--app-id 1 --key k --secret s --host 127.0.0.1 --port 9 --scheme http"


def shell(command: str, cwd: Path, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs a shell line (for `cd`, `rmdir` and redirections) with the project on the path."""
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **env}, check=False)


@pytest.mark.parametrize("command", [
    f"check --hotel h --room 1 {CLOSED}", f"rooms {CLOSED}", f"trigger ch ev '{{}}' --yes {CLOSED}",
    f"latency --hotel h --room 1 {CLOSED}", f"watch --hotel h --room 1 --duration 1 {CLOSED}", "init --dry-run",
    "scan-logs /etc/hostname", "scan-frontend .", "scan-backend .", "demo", "sandbox",
])
def test_a_deleted_working_folder_is_a_usage_error_not_a_traceback(tmp_path, command) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    done = shell(f"cd {gone} && rmdir {gone} && {PYTHON} {command}", tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == ["error: the current folder no longer exists (deleted or moved away)",
                                        "  fix: cd to an existing folder and run the command again"]


def test_a_deleted_working_folder_with_json_is_one_document_and_help_still_shows(tmp_path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    done = shell(f"cd {gone} && rmdir {gone} && {PYTHON} rooms --json {CLOSED}", tmp_path)
    assert done.returncode == 2 and done.stderr == ""
    document = json.loads(done.stdout)
    assert document["schema"] == 1 and document["error"]["cause"] == "usage-error"
    helped = shell(f"mkdir {gone} && cd {gone} && rmdir {gone} && {PYTHON} check --help", tmp_path)
    assert helped.returncode == 0 and "--hotel" in helped.stdout


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="${}:-ab\n", max_size=40))
def test_env_values_are_cut_into_references_as_python_dotenv_cuts_them(value: str) -> None:
    theirs = [(atom.name, atom.default) if isinstance(atom, Variable) else atom.value
              for atom in parse_variables(value)]
    assert list(_variables(value)) == theirs


#: env files python-dotenv takes seconds over (quadratic backtracking at each unclosed `${`; 13 µs a line)
PATHOLOGICAL_ENV = {"unclosed": "A=" + "${" * 20000 + "\n", "unclosed-name": "A=" + "${" * 20000 + ":x}\n"}


@pytest.mark.parametrize("text", PATHOLOGICAL_ENV.values(), ids=PATHOLOGICAL_ENV.keys())
@pytest.mark.parametrize("command", [
    f"check --hotel h --room 1 {CLOSED} --timeout 1 --env-file hostile.env",
    "scan-frontend src --backend-env hostile.env --timeout 1",
    "scan-backend app",
], ids=["check", "scan-frontend", "scan-backend"])
def test_an_env_file_of_unclosed_references_is_read_within_the_timeout(tmp_path, text: str, command: str) -> None:
    done = _timed_with_env(tmp_path, "hostile.env", text, command)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stdout + done.stderr


@pytest.mark.parametrize("command", [
    f"check --hotel h --room 1 {CLOSED} --timeout 1 --env-file many.env",
    "scan-frontend src --backend-env many.env",
    "scan-backend app",
], ids=["check", "scan-frontend", "scan-backend"])
def test_an_env_file_of_more_lines_than_settings_is_a_usage_error_at_once(tmp_path, command: str) -> None:
    done = _timed_with_env(tmp_path, "many.env", "A=1\n" * 250_000, command)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "has 250,000 lines, more than 5,000: not an env file" in done.stderr


def _timed_with_env(tmp_path: Path, name: str, text: str, command: str) -> subprocess.CompletedProcess[str]:
    """`command` run with `text` as the env file `name`, as a frontend's and a Django backend's .env; it must
    end within 3 s (python-dotenv alone took 7 to 40 s over these files)."""
    (tmp_path / name).write_text(text)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "guest.js").write_text("pusher.subscribe(`${hotel}-room-${room}-chat`);\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "manage.py").write_text("")
    (tmp_path / "app" / ".env").write_text(text)
    started = time.monotonic()
    done = shell(f"{PYTHON} {command}", tmp_path, timeout=60)
    assert time.monotonic() - started < 3, done.stdout + done.stderr
    return done


@pytest.mark.parametrize("command", [
    f"check --hotel h --room 1 {CLOSED} --timeout 1", f"watch --hotel h --room 1 {CLOSED} --duration 1",
    "scan-logs some.log", "scan-frontend src",
], ids=["check", "watch", "scan-logs", "scan-frontend"])
def test_a_step_summary_that_is_a_fifo_nothing_reads_is_a_warning_not_a_hang(tmp_path, command: str) -> None:
    os.mkfifo(tmp_path / "summary")
    (tmp_path / "some.log").write_text("nothing of Pusher's\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "guest.js").write_text("pusher.subscribe(`${hotel}-room-${room}-chat`);\n")
    done = shell(f"{PYTHON} {command}", tmp_path, timeout=20, GITHUB_STEP_SUMMARY=str(tmp_path / "summary"))
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    if command.startswith(("check", "scan")):  # watch writes no job summary
        assert ("warning: $GITHUB_STEP_SUMMARY " in done.stderr
                and "could not be written (a named pipe (FIFO) that nothing reads)" in done.stderr)


@pytest.mark.parametrize(("option", "command"), [
    ("--junit", f"check --hotel h --room 1 {CLOSED} --timeout 1 --junit pipe"),
    ("--report", f"check --hotel h --room 1 {CLOSED} --timeout 1 --report pipe.md"),
    ("--report", f"watch --hotel h --room 1 {CLOSED} --duration 1 --report pipe.md"),
], ids=["check-junit", "check-report", "watch-report"])
def test_an_output_file_that_is_a_fifo_nothing_reads_is_a_usage_error_before_the_run(tmp_path, option: str,
                                                                                      command: str) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "pipe.md").symlink_to("pipe")
    done = shell(f"{PYTHON} {command}", tmp_path, timeout=20)
    assert done.returncode == 2, done.stdout + done.stderr
    name = "pipe" if option == "--junit" else "pipe.md"
    assert done.stderr.splitlines() == [f"error: {option} {name}: is a named pipe (FIFO) that nothing reads",
                                        "  fix: start its reader first, or give a regular file's path"]


def test_a_fifo_that_is_read_gets_the_junit_as_asked(tmp_path) -> None:
    os.mkfifo(tmp_path / "pipe")
    done = shell(f"cat pipe > got.xml & {PYTHON} check --hotel h --room 1 {CLOSED} --timeout 1 --junit pipe; "
                 "status=$?; wait; exit $status", tmp_path, timeout=20)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (tmp_path / "got.xml").read_text().startswith("<?xml")


@pytest.mark.parametrize(("option", "example"), [("--junit", "results.xml"), ("--report", "ticket.html")])
def test_an_output_file_named_dash_is_a_usage_error_not_a_file_named_dash(tmp_path, option: str,
                                                                          example: str) -> None:
    done = shell(f"{PYTHON} check --hotel h --room 1 {CLOSED} --timeout 1 {option} -", tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    said = f"error: {option} -: writes a file, not stdout (the run's own output goes there)"
    assert done.stderr.splitlines() == [said, f"  fix: give a file name, e.g. {option} {example}"]
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", ["check --bogus", "check --hotel h", "scan-frontend /nonexistent", "--bogus", ""],
                         ids=["unknown-option", "missing-room", "missing-path", "group-option", "no-command"])
def test_a_usage_error_on_a_full_stderr_still_exits_2(tmp_path, command: str) -> None:
    done = shell(f"{PYTHON} {command} 2>/dev/full", tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr


@pytest.mark.parametrize(("command", "shown"), [
    (f"check --hotel h --room 1 {CLOSED} --timeout 1", "✗ REST API"),
    (f"rooms --hotel h {CLOSED} --timeout 1", "connection refused"),
    (f"trigger ch ev '{{}}' --yes {CLOSED} --timeout 1", "connection refused"),
    (f"watch --hotel h --room 1 {CLOSED} --duration 1", "connection refused"),
    ("scan-logs some.log", "0 message(s) traced"),
    ("check --bogus", "error: No such option '--bogus'"),
], ids=["check", "rooms", "trigger", "watch", "scan-logs", "usage-error"])
def test_a_terminal_width_of_zero_columns_still_shows_everything(tmp_path, command: str, shown: str) -> None:
    (tmp_path / "some.log").write_text("nothing of Pusher's\n")
    done = shell(f"{PYTHON} {command}", tmp_path, COLUMNS="0")
    assert shown in done.stdout + done.stderr, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("selection", "said"), [
    ("--only settings --skip settings", "--only/--skip leave no check that can run"),
    ("--skip settings,channels --strict",
     "--only/--skip leave no check that can run: every check left needs channels or settings, which they leave out"),
], ids=["nothing-left", "nothing-runnable"])
@pytest.mark.parametrize("json_mode", [False, True])
def test_a_selection_that_leaves_nothing_to_run_is_a_usage_error_not_ok(tmp_path, selection: str, said: str,
                                                                        json_mode: bool) -> None:
    done = shell(f"{PYTHON} check --hotel h --room 1 {CLOSED} --timeout 1 {selection}"
                 + (" --json" if json_mode else ""), tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    if json_mode:
        assert json.loads(done.stdout)["error"]["message"] == said
    else:
        assert done.stderr.splitlines()[0] == f"error: {said}"


def test_a_selection_that_leaves_an_offline_check_runs_it(tmp_path) -> None:
    done = shell(f"{PYTHON} check --hotel h --room 1 {CLOSED} --timeout 1 --skip settings --json", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    statuses = {check["id"]: check["status"] for check in json.loads(done.stdout)["checks"]}
    assert statuses["channels"] == "pass" and statuses["rest-api"] == "skip"


@pytest.mark.parametrize(("length", "said"), [(9000, "near"), (30000, "over")])
def test_a_payload_past_pushers_limit_is_said_to_be_over_it_not_near(cli, soketi, length: int, said: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", "--ci", "--json", *app_options(soketi, HEALTHY),
                  "--message", "x" * length])
    trigger = next(c for c in result.json()["checks"] if c["id"] == "trigger")
    assert (trigger["status"], trigger["cause"]) == ("warn", "payload-too-large"), result.output
    assert f"bytes, {said} Pusher's 10240-byte limit" in trigger["summary"]


@pytest.mark.parametrize("fields", ["--field hotel=a --field room=1", "--hotel a --field room=1",
                                    "--hotel a --field hotel=a --room 1"])
def test_fields_of_the_built_in_contract_stand_for_their_options(tmp_path, fields: str) -> None:
    done = shell(f"{PYTHON} check {fields} {CLOSED} --timeout 1 --json --only channels", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    channels = next(c for c in json.loads(done.stdout)["checks"] if c["id"] == "channels")
    assert channels["status"] == "pass" and "a-room-1-chat" in channels["summary"]


@pytest.mark.parametrize("command", ["check", "trigger", "latency"])
def test_a_field_given_two_values_is_a_usage_error_not_one_dropped(tmp_path, command: str) -> None:
    done = shell(f"{PYTHON} {command} --hotel a --field hotel=b --room 1 {CLOSED} --timeout 1", tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.splitlines() == ["error: --field hotel=b and --hotel give {hotel} two values",
                                        "  fix: give one of them"]


def test_an_ascii_only_stdout_shows_the_character_pusher_refuses_escaped_not_as_a_question_mark(tmp_path) -> None:
    done = shell(f"{PYTHON} check --hotel é --room 1 {CLOSED} --timeout 1", tmp_path, PYTHONIOENCODING="ascii")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "contains characters Pusher does not allow: '\\xe9'" in done.stdout
    assert "?" not in done.stdout
