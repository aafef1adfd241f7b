"""The process's surroundings turned hostile: a deleted working folder, a stderr that cannot be written,
pathological env files, FIFOs where files are expected, a nonsensical terminal width. Each ends within
its bound with its documented exit code, one clear line and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import REPO

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
