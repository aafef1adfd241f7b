"""SoketiServer.start: whatever stops it part way (Ctrl-C while the config is written or soketi is being
launched) leaves neither its work folder, which holds the apps' secrets, nor a soketi behind."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import pusher_doctor.sandbox.soketi as soketi_module
from pusher_doctor.sandbox.soketi import SandboxApp, SoketiServer


def test_ctrl_c_while_soketi_is_being_launched_leaves_no_work_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    calls = []

    def interrupted(host: str = "127.0.0.1") -> int:
        calls.append(host)
        raise KeyboardInterrupt  # the person pressed Ctrl-C right after the folder was made

    monkeypatch.setattr(soketi_module, "free_port", interrupted)
    server = SoketiServer([SandboxApp("1", "key", "secret")], Path("/bin/true"))
    with pytest.raises(KeyboardInterrupt):
        server.start()
    assert calls and list(tmp_path.iterdir()) == []
