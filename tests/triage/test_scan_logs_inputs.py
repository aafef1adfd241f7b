"""scan-logs on inputs that are not a plain log file: pipes, empty input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.cli import REPO


def test_a_pipe_is_read_like_a_file(tmp_path: Path) -> None:
    line = "INFO Pusher triggered hotel-paradise-room-101-chat new-staff-message id=5"
    done = subprocess.run(["bash", "-c", f"{sys.executable} -m pusher_doctor scan-logs <(echo '{line}')"],
                          cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr
    assert "/dev/fd/" in done.stdout and "1 message(s) traced" in done.stdout


def test_logs_with_no_message_line_prove_nothing(cli, tmp_path: Path) -> None:
    empty = tmp_path / "other-service.log"
    empty.write_text("GET /health 200\nGET /health 200\n")
    result = cli(["scan-logs", str(empty)])
    assert result.exit_code == 1
    assert "no message of the backend's was found" in result.stdout
