"""Paths the system refuses to even look up: a name longer than the file system takes, or a folder on the way
that is a link looping on itself. Every path a command takes gives one line naming the option, a fix and
exit 2, never a traceback (`is_dir()` and `exists()` raise for these, where a missing file would not)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from pusher_doctor import cli
from tests.support.cli import run_process
from tests.support.servers import closed_port

SERVER = ["--app-id", "1", "--key", "k", "--secret", "s", "--host", "127.0.0.1", "--scheme", "http",
          "--timeout", "2"]
CHECK = ["check", "--hotel", "h", "--room", "1"]

#: (command line, the option the error must name); BAD stands for the refused path
COMMANDS = [
    ([*CHECK, "--via-backend", "BAD"], "--via-backend"),
    ([*CHECK, "--page", "http://127.0.0.1:9/", "--page-screenshot", "BAD.png"], "--page-screenshot"),
    ([*CHECK, "--page", "http://127.0.0.1:9/", "--browser", "BAD"], "--browser"),
    ([*CHECK, "--page", "http://127.0.0.1:9/", "--page-storage-state", "BAD"], "--page-storage-state"),
    (["scan-frontend", "BAD"], "PATH"),
    (["scan-frontend", "--env-file", "BAD", "."], "--env-file"),
    (["scan-frontend", "--backend-env", "BAD", "."], "--backend-env"),
    (["scan-frontend", "--contract-file", "BAD", "."], "--contract-file"),
    (["scan-logs", "BAD"], "log file"),
    (["scan-logs", "--json", "BAD"], "log file"),
]


def _refused_paths(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    return {"too-long": str(tmp_path / ("a" * 300)), "link-loop": str(tmp_path / "loop" / "x")}


@pytest.mark.parametrize("kind", ["too-long", "link-loop"])
@pytest.mark.parametrize(("args", "option"), COMMANDS, ids=[" ".join(a[:1] + [o]) for a, o in COMMANDS])
def test_a_path_that_cannot_be_looked_up_is_one_line_and_exit_2(tmp_path: Path, kind: str, args: list[str],
                                                               option: str) -> None:
    bad = _refused_paths(tmp_path)[kind]
    line = [a.replace("BAD", bad) for a in args]
    if line[0] == "check":
        line += [*SERVER, "--port", str(closed_port())]
    done = run_process(line, tmp_path, timeout=60)
    assert done.exit_code == 2, done.output[-1500:]
    assert "Traceback" not in done.output
    if "--json" in line:
        document = json.loads(done.stdout)
        assert option in document["error"]["message"], document
    else:
        error, fix = done.stderr.strip().splitlines()[-2:]
        assert error.startswith(f"error: {option} "), error
        assert "File name too long" in error or "Too many levels of symbolic links" in error
        assert fix == "  fix: give a shorter path, or one in a folder this user may read"
        assert len(error) < 200  # a 300-character name is shown by its start and its length


def test_a_refused_path_no_command_looked_at_first_is_still_a_usage_error(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The last guard in `main()`: a command that forgot to look at one of its paths first."""
    def app(**_options: object) -> None:
        raise OSError(errno.ENAMETOOLONG, "File name too long", "/tmp/" + "b" * 300)

    monkeypatch.setattr(cli, "app", app)
    monkeypatch.setattr("sys.argv", ["pusher-doctor", "scan-logs"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "error: /tmp/bbbb" in error and "(305 characters): File name too long" in error, error


def test_an_os_error_that_is_not_about_a_path_is_not_called_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def app(**_options: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(cli, "app", app)
    monkeypatch.setattr("sys.argv", ["pusher-doctor", "scan-logs"])
    with pytest.raises(OSError, match="Input/output error"):
        cli.main()
