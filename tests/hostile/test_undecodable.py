"""Bytes that are not UTF-8 where text is expected (issue #20, item 5): a command-line argument or stdin
is a usage error naming the byte (one document with --json); a file name is kept as its bytes in SARIF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, app_options
from tests.support.hostile import assert_clean
from tests.support.servers import HEALTHY

PYTHON = [sys.executable, "-m", "pusher_doctor"]


def run(args: list[str | bytes], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*PYTHON, *args], cwd=cwd, input=stdin, capture_output=True, timeout=30, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})


@pytest.mark.parametrize(("args", "named"), [
    (["hotel-paradise-room-101-chat", "new-staff-message", b"\xff"], "argument 3"),
    (["hotel-paradise-room-101-chat", b"ev\xff", "{}"], "argument 2"),
    (["--hotel", "hotel-paradise", "--room", "101", "--message", b"caf\xe9"], "--message"),
    (["hotel-paradise-room-101-chat", "new-staff-message", "-"], "DATA from stdin"),
], ids=["data", "event", "message", "stdin"])
@pytest.mark.parametrize("json_mode", [True, False])
def test_trigger_refuses_bytes_that_are_not_utf8(tmp_path, soketi: SoketiServer, args, named, json_mode) -> None:
    done = run(["trigger", *args, *app_options(soketi, HEALTHY), "--yes", *(["--json"] if json_mode else [])],
               tmp_path, stdin=b'{"text": "\xff"}')
    output = (done.stdout + done.stderr).decode("utf-8")
    assert done.returncode == 2, output[-2000:]
    assert_clean(output, HEALTHY.secret)
    assert f"{named} is not UTF-8 text (byte 0x" in output
    if json_mode:
        assert json.loads(done.stdout)["error"]["cause"] == "usage-error"


def test_sarif_names_a_file_whose_name_is_not_utf8_by_its_bytes(tmp_path) -> None:
    tree = tmp_path / "src"
    tree.mkdir()
    with open(os.fsencode(tree) + b"/guest\xff.js", "w") as source:
        source.write("pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);\n")
    done = run(["scan-frontend", "src", "--format", "sarif"], tmp_path)
    assert done.returncode == 1, done.stderr.decode()[-2000:]
    sarif = json.loads(done.stdout.decode("utf-8"))
    [result] = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/guest%FF.js"


#: a secret-like value with a byte that is not UTF-8; no command may print it, or any part of it
_STRAY = b"s\xffecretvalue123"
_OFFLINE = ["--app-id", "1", "--key", "app-key", "--host", "127.0.0.1", "--port", "9", "--scheme", "http"]


@pytest.mark.parametrize(("command", "given", "named"), [
    (["check", "--hotel", "h", "--room", "1"], {"PUSHER_SECRET": _STRAY}, "environment PUSHER_SECRET"),
    (["watch", "--hotel", "h", "--room", "1"], {"PUSHER_SECRET": _STRAY}, "environment PUSHER_SECRET"),
    (["trigger", "h-room-1-chat", "ev", "{}"], {"PUSHER_SECRET": _STRAY}, "environment PUSHER_SECRET"),
    (["rooms", "--hotel", "h"], {"PUSHER_SECRET": _STRAY}, "environment PUSHER_SECRET"),
    (["latency", "--hotel", "h", "--room", "1"], {"PUSHER_SECRET": _STRAY}, "environment PUSHER_SECRET"),
    (["check", "--hotel", "h", "--room", "1", "--secret", _STRAY], {}, "--secret"),
    (["check", "--hotel", "h", "--room", "1", "--secret", "app-secret", "--auth-endpoint", "http://x/",
      "--auth-cookie", b"a=" + _STRAY], {}, "--auth-cookie"),
    (["watch", "--hotel", "h", "--room", "1", "--secret", "app-secret", "--auth-endpoint", "http://x/",
      "--auth-header", b"X-A: " + _STRAY], {}, "--auth-header"),
    (["check", "--hotel", "h", "--room", "1", "--secret", "app-secret", "--page", "http://x/",
      "--page-cookie", b"a=" + _STRAY], {}, "--page-cookie"),
], ids=["check-env", "watch-env", "trigger-env", "rooms-env", "latency-env", "secret", "auth-cookie",
        "auth-header", "page-cookie"])
@pytest.mark.parametrize("json_mode", [True, False])
def test_a_secret_that_is_not_utf8_is_a_usage_error_naming_its_option(tmp_path, command, given, named,
                                                                       json_mode) -> None:
    done = subprocess.run([*PYTHON, *command, *_OFFLINE, *(["--json"] if json_mode else [])], cwd=tmp_path,
                          capture_output=True, timeout=30, check=False,
                          env={**os.environb, b"PYTHONPATH": os.fsencode(REPO), b"NO_COLOR": b"1",
                               **{os.fsencode(k): v for k, v in given.items()}})
    output = (done.stdout + done.stderr).decode("utf-8")
    assert done.returncode == 2, output[-2000:]
    assert_clean(output, "ecretvalue123", )
    assert f"{named} is not UTF-8 text (byte 0xff" in output
    if json_mode:
        assert json.loads(done.stdout)["error"]["cause"] == "usage-error"
