"""Whatever a backend folder holds, scan-backend ends within its bound with a report: files it cannot read are
listed, never raised, and a link loop or a deep tree does not hang it."""

from __future__ import annotations

import os
from pathlib import Path

from pusher_doctor.backend.engine import scan_backend


def test_odd_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "binary.php").write_bytes(b"<?php\n\0\0\0")
    (tmp_path / "huge.py").write_text("x = 1\n" * 200_000)
    (tmp_path / "ok.py").write_text("import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s')\n"
                                    "client.trigger('a', 'b', {})\n")
    report = scan_backend(tmp_path).report
    assert {(skip.file, skip.kind.value) for skip in report.skipped} == {
        ("latin1.py", "not-utf8"), ("binary.php", "not-source"), ("huge.py", "generated")}
    assert [f.rule for f in report.findings] == ["server-client-host"]


def test_a_long_concatenation_and_deep_nesting_end(tmp_path: Path) -> None:
    chain = ".".join(["'a'"] * 3000)
    (tmp_path / "Event.php").write_text(
        "<?php\nclass E implements ShouldBroadcastNow {\n public function broadcastOn() { return new Channel("
        f"{chain}); }}\n}}\n")
    (tmp_path / "deep.py").write_text("import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s', "
                                      "cluster='eu')\nc.trigger(" + "(" * 500 + "'x'" + ")" * 500 + ", 'e', {})\n")
    scan = scan_backend(tmp_path, time_limit=30)
    assert scan.report.incomplete is None
    assert all(skip.kind.value != "analysis-failed" for skip in scan.report.skipped)


def test_a_link_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    os.symlink(tmp_path, tmp_path / "app" / "loop")
    (tmp_path / "app" / "views.py").write_text("import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s')\n")
    report = scan_backend(tmp_path).report
    assert report.files_scanned == 1 and report.incomplete is None


def test_an_env_file_with_odd_lines_is_read_without_running_anything(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "artisan").write_text("<?php\n")
    (tmp_path / ".env").write_text(f"BROADCAST_CONNECTION=$(touch {marker})\nQUEUE_CONNECTION='unclosed\n\x1b[31m=x\n")
    (tmp_path / "routes").mkdir()
    (tmp_path / "routes" / "channels.php").write_text("<?php\nBroadcast::channel('a.{id}', fn () => true);\n")
    scan_backend(tmp_path)
    assert not marker.exists()
