"""A newcomer's first runs: the key alone, the wrong folder, bad option values, output that fits."""

from __future__ import annotations

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import run_process
from tests.support.servers import HEALTHY


def test_a_support_engineer_with_only_the_key_gets_every_step_the_key_allows(cli, soketi: SoketiServer) -> None:
    result = cli(["check", "--hotel", "first-hour", "--room", "1", "--key", HEALTHY.key, "--host", soketi.HOST,
                  "--port", str(soketi.port), "--scheme", "http", "--json"])
    assert result.exit_code == 0, result.output
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert checks["settings"]["status"] == "warn" and checks["settings"]["data"] == {"key_only": True}
    assert (checks["websocket"]["status"], checks["subscribe"]["status"]) == ("pass", "pass")
    assert checks["rest-api"]["status"] == "skip" and "PUSHER_APP_ID and PUSHER_SECRET" in checks["rest-api"]["summary"]
    assert "delivery was not tested" in result.json()["verdict"]


def test_run_where_there_is_no_env_file_says_so_and_names_env_file(cli) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1"])
    assert result.exit_code == 1
    assert "(no .env file in this folder)" in result.stdout
    assert "pass --env-file PATH" in result.stdout


def test_a_scheme_other_than_http_or_https_on_the_command_line_is_a_usage_error(cli) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", "--scheme", "ftp"])
    assert result.exit_code == 2, result.output


def test_scan_frontend_says_how_to_compare_key_and_cluster_with_the_backend(cli, tmp_path) -> None:
    (tmp_path / "Chat.js").write_text("const pusher = new Pusher(KEY, { cluster: 'eu' });\n")
    assert "add --backend-env" in cli(["scan-frontend", str(tmp_path)]).stdout
    backend = tmp_path / "backend.env"
    backend.write_text("PUSHER_KEY=k\nPUSHER_CLUSTER=eu\n")
    assert "add --backend-env" not in cli(["scan-frontend", str(tmp_path), "--backend-env", str(backend)]).stdout


def test_bare_pusher_doctor_shows_the_help_not_an_error_quoting_it(tmp_path) -> None:
    result = run_process([], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ") and "[OPTIONS] COMMAND [ARGS]...\n\n  Finds out why" in result.stderr
    assert "\nCommands:\n" in result.stderr and "  check " in result.stderr
    assert "\\n" not in result.output and "error:" not in result.output


def test_color_always_colours_a_pipe_and_never_wins_over_force_color(tmp_path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_text("")
    always = run_process(["--color=always", "scan-logs", str(empty)], cwd=tmp_path, env={"NO_COLOR": "1"})
    never = run_process(["--color=never", "scan-logs", str(empty)], cwd=tmp_path, env={"FORCE_COLOR": "1"})
    auto = run_process(["scan-logs", str(empty)], cwd=tmp_path)
    assert "\x1b[" in always.stdout
    assert "\x1b[" not in never.stdout and "\x1b[" not in auto.stdout
