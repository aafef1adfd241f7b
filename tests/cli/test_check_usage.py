"""The command line as a user meets it: help, usage errors, exit codes, Ctrl-C, and no secret anywhere."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.config.endpoints import CLUSTER_HOSTS_VARIABLE
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options, run_process
from tests.support.servers import (
    DISABLED,
    SENTINEL,
    TINY_PAYLOAD,
    closed_port,
    plain_http_server,
    silent_server,
)

CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101"]


@pytest.mark.parametrize(("command", "options"), [
    ([], ["check", "demo", "scan-frontend"]),
    (["check"], ["--hotel", "--room", "--conversation", "--env-file", "--app-id", "--key", "--secret", "--cluster",
                 "--host", "--port", "--scheme", "--timeout", "--yes", "--message", "--json", "--verbose"]),
    (["demo"], ["--timeout", "--json", "--verbose"]),
])
def test_help_explains_every_option(cli, command: list[str], options: list[str]) -> None:
    result = cli([*command, "--help"])
    assert result.exit_code == 0
    for option in options:
        assert option in result.stdout


def test_missing_env_file_is_a_usage_error_in_one_line(cli) -> None:
    result = cli([*CHECK, "--env-file", "nowhere/.env"])
    assert result.exit_code == 2
    assert "nowhere/.env does not exist" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_usage_error_in_json_mode_is_still_one_document(cli) -> None:
    result = cli([*CHECK, "--env-file", "nowhere/.env", "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["error"]["cause"] == "usage-error"


def test_env_file_that_is_a_directory(cli, tmp_path: Path) -> None:
    result = cli([*CHECK, "--env-file", str(tmp_path)])
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_binary_env_file_is_reported_not_a_crash(cli, tmp_path: Path) -> None:
    (tmp_path / "binary.env").write_bytes(b"\x00\xff\xfePUSHER_KEY\x00")
    result = cli([*CHECK, "--env-file", "binary.env", "--json"])
    assert result.exit_code == 1
    settings = result.json()["checks"][0]
    assert settings["cause"] == "malformed-setting"
    assert "binary.env is a binary file" in settings["summary"]


def test_bad_option_value_is_exit_2(cli) -> None:
    result = cli([*CHECK, "--timeout", "soon"])
    assert result.exit_code == 2


def test_empty_values_count_as_missing(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PUSHER_APP_ID=\nPUSHER_KEY=\nPUSHER_SECRET=\n")
    result = cli([*CHECK, "--json"])
    assert result.exit_code == 1
    assert "empty" in result.json()["checks"][0]["summary"]


def test_no_color_and_no_terminal_mean_plain_text(tmp_path: Path, soketi: SoketiServer) -> None:
    result = run_process([*CHECK, *app_options(soketi, SENTINEL)], cwd=tmp_path, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("json_mode", [True, False])
def test_ctrl_c_exits_130_at_once_with_what_was_learned(tmp_path: Path, json_mode: bool) -> None:
    with silent_server() as port:
        args = [sys.executable, "-m", "pusher_doctor", *CHECK, *(["--json"] if json_mode else []),
                "--timeout", "60", "--app-id", "1",
                "--key", "k", "--secret", "s3cr3t", "--host", "127.0.0.1", "--port", str(port), "--scheme", "http"]
        process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)  # startup, then the REST request waits on the silent server
        interrupted_at = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        elapsed = time.monotonic() - interrupted_at
    assert process.returncode == 130, err
    assert elapsed < 2.0, f"took {elapsed:.1f} s to stop"
    assert "Traceback" not in err
    if json_mode:
        document = json.loads(out)
        assert document["interrupted"] is True and document["ok"] is False
        assert document["checks"][0]["status"] == "pass"
    else:
        assert "✓ Settings" in out and "Verdict: Interrupted" in out


def _leak_scenarios(server: SoketiServer, tmp_path: Path) -> list[list[str]]:
    secret = SENTINEL.secret
    env_file = tmp_path / "quoted.env"
    env_file.write_text(f"PUSHER_APP_ID=1005\nPUSHER_KEY=sentinel-key\nPUSHER_SECRET='\"{secret}\"'\n"
                        f"PUSHER_SECRET_BROKEN=\"{secret}\n")
    return [
        app_options(server, SENTINEL),  # healthy
        app_options(server, SENTINEL, key=secret, secret=SENTINEL.key),  # swapped
        app_options(server, SENTINEL, key=secret),  # secret pasted as key: the server echoes the key
        app_options(server, SENTINEL, **{"app-id": secret}),
        app_options(server, SENTINEL, host=secret),
        app_options(server, SENTINEL, port=str(closed_port())),
        app_options(server, SENTINEL, scheme=secret),  # a usage error (exit 2) that must not quote it
        app_options(server, SENTINEL, **{"app-id": "77"}),
        [*app_options(server, SENTINEL), "--message", f"message mentioning {secret}"],
        ["--env-file", str(env_file)],
        ["--env-file", str(env_file), "--secret", f" {secret} "],
        app_options(server, SENTINEL, **{"app-id": secret, "secret": SENTINEL.id}),  # app id and secret swapped
        app_options(server, SENTINEL, scheme="https") + ["--timeout", "0.5"],
        [*app_options(server, DISABLED), "--secret", secret],
        [*app_options(server, TINY_PAYLOAD), "--secret", secret, "--message", "x" * 2000],
    ]


def test_the_secret_never_appears_in_any_output(cli, soketi: SoketiServer, tmp_path: Path) -> None:
    secret = SENTINEL.secret
    scenarios = _leak_scenarios(soketi, tmp_path)
    cloud = {CLUSTER_HOSTS_VARIABLE: f"us2={soketi.HOST}:{soketi.port},eu={soketi.HOST}:{closed_port()}"}
    cloud_options = ["--app-id", SENTINEL.id, "--key", SENTINEL.key, "--secret", secret]
    with plain_http_server() as web_port, silent_server() as silent_port:
        scenarios.append(app_options(soketi, SENTINEL, port=str(web_port)))
        scenarios.append(app_options(soketi, SENTINEL, port=str(silent_port)) + ["--timeout", "0.5"])
        runs = [(scenario, None) for scenario in scenarios] + [
            ([*cloud_options, "--cluster", "eu"], cloud),  # wrong cluster: the probes run
            ([*cloud_options, "--cluster", "us2", "--key", secret], cloud),
        ]
        outputs = []
        for scenario, env in runs:
            for mode in (["--json"], ["--verbose"], ["--json", "--verbose"]):
                result = cli([*CHECK, "--timeout", "3", *mode, *scenario], env=env)
                assert result.exit_code in (0, 1, 2), result.output
                outputs.append(result.output)
    leaked = [output for output in outputs if secret in output or secret[3:-3] in output]
    assert not leaked, leaked[0]
    assert len(outputs) == 3 * len(runs)
