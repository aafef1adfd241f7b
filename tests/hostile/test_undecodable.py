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
