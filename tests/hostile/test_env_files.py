"""Env files that are there but cannot be used: one not UTF-8 is named with its line and byte and the fix
(never read as if it said nothing, then compared with defaults); a ./.env that is a FIFO, a directory,
a link loop or a device is named with why, not taken for no .env at all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import run_process
from tests.support.hostile import assert_clean

LATIN = b"PUSHER_APP_KEY=key\nPUSHER_APP_CLUSTER=eu\nAPP_NAME=Caf\xe9\n"


@pytest.mark.parametrize("command", [
    ["check", "--hotel", "h", "--room", "1", "--env-file", "latin.env"],
    ["scan-frontend", "src", "--backend-env", "latin.env"],
    ["scan-frontend", "src", "--env-file", "latin.env"],
    ["check", "--hotel", "h", "--room", "1"],  # ./.env, read by default
], ids=["check", "scan-frontend-backend-env", "scan-frontend-env-file", "default"])
@pytest.mark.parametrize("json_mode", [True, False])
def test_an_env_file_that_is_not_utf8_is_named_with_its_line_and_byte(tmp_path: Path, command: list[str],
                                                                      json_mode: bool) -> None:
    (tmp_path / "latin.env").write_bytes(LATIN)
    (tmp_path / ".env").write_bytes(LATIN)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "guest.js").write_text("pusher.subscribe(`${hotel}-room-${room}-chat`);\n")
    done = run_process([*command, *(["--json"] if json_mode else [])], tmp_path)
    output = done.stdout + done.stderr
    assert done.exit_code == 2, output[-2000:]
    assert_clean(output, json_output=json_mode)
    assert "is not UTF-8 text (line 3, byte 0xe9)" in output and "save it as UTF-8" in output
    assert "cluster-mismatch" not in output
    if json_mode:
        assert json.loads(done.stdout)["error"]["cause"] == "usage-error"


def test_scan_backend_does_not_pass_an_undecodable_env_over_for_the_template(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "artisan").write_text("")
    (app / ".env").write_bytes(b"BROADCAST_DRIVER=pusher\n" + LATIN)
    (app / ".env.example").write_text("PUSHER_APP_KEY=\n")
    done = run_process(["scan-backend", "app"], tmp_path)
    assert done.exit_code == 2, done.stdout + done.stderr
    assert "app/.env cannot be read (not UTF-8)" in done.stderr and "save it as UTF-8" in done.stderr


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(("make", "why"), [
    (_fifo, "is not a regular file"),
    (Path.mkdir, "is a directory"),
    (lambda path: path.symlink_to(path.name), "is a link that leads nowhere"),
    (lambda path: path.symlink_to("/dev/zero"), "is not a regular file"),
], ids=["fifo", "directory", "loop", "device"])
def test_an_unusable_default_env_is_named_with_why(tmp_path: Path, make, why: str) -> None:
    make(tmp_path / ".env")
    done = run_process(["check", "--hotel", "h", "--room", "1"], tmp_path, timeout=30)
    assert done.exit_code == 2, done.stdout + done.stderr
    assert f"env file .env {why}" in done.stderr and "no .env file" not in done.stderr
    assert "or leave it out" not in done.stderr  # --env-file was never given


def test_an_oversized_default_env_is_not_blamed_on_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"A=" + b"a" * (1 << 21) + b"\n")
    done = run_process(["check", "--hotel", "h", "--room", "1"], tmp_path)
    assert done.exit_code == 2 and "larger than" in done.stderr
    assert "fix or rename ./.env" in done.stderr
