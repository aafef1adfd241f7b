"""A large tree is read by two processes; the report is the same as reading it in one."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.frontend_tree import write_app_tree, write_tree
from pusher_doctor.scan import ScanReport, scan_frontend
from pusher_doctor.scan.engine import PARALLEL_MIN_FILES
from tests.scan.support import FIXTURES


def _same(one: ScanReport, two: ScanReport) -> None:
    assert one.findings == two.findings
    assert one.skipped == two.skipped
    assert (one.files_scanned, one.env_files, one.contract, one.incomplete) == (
        two.files_scanned,
        two.env_files,
        two.contract,
        two.incomplete,
    )


@pytest.mark.parametrize("tree", ["projects", "wrong", "apps"])
def test_two_processes_find_what_one_finds_on_the_fixture_trees(tree: str):
    _same(scan_frontend(FIXTURES / tree, jobs=1), scan_frontend(FIXTURES / tree, jobs=2))


@pytest.mark.parametrize(("write", "count"), [(write_app_tree, 450), (write_app_tree, 1000), (write_tree, 700)])
def test_two_processes_write_the_same_json_document_as_one(tmp_path: Path, write, count: int):
    from pusher_doctor.render.json import scan_to_dict

    write(tmp_path, count)
    one, two = scan_frontend(tmp_path, jobs=1), scan_frontend(tmp_path, jobs=2)
    assert two.findings and scan_to_dict(one) == scan_to_dict(two)


@pytest.mark.parametrize("write", [write_app_tree, write_tree])
def test_a_tree_large_enough_is_read_by_two_processes_with_the_same_report(tmp_path: Path, write):
    write(tmp_path, PARALLEL_MIN_FILES)
    auto = scan_frontend(tmp_path)
    assert auto.files_scanned == PARALLEL_MIN_FILES and auto.findings
    _same(scan_frontend(tmp_path, jobs=1), auto)


def test_the_time_limit_still_stops_both_processes(tmp_path: Path):
    write_app_tree(tmp_path, PARALLEL_MIN_FILES)
    report = scan_frontend(tmp_path, jobs=2, time_limit=0.01, file_time_limit=0.01)
    assert report.incomplete is not None and report.files_scanned < PARALLEL_MIN_FILES


def _failing_helper(chunk):
    raise RuntimeError("the helper process failed")


def test_files_the_helper_fails_on_are_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from pusher_doctor.scan import engine

    write_tree(tmp_path, 60)
    serial = scan_frontend(tmp_path, jobs=1)
    monkeypatch.setattr(engine, "_helper_reads", _failing_helper)
    _same(serial, scan_frontend(tmp_path, jobs=2))


def _helper_signals(chunk):
    import pickle
    import signal

    return pickle.dumps([signal.getsignal(signal.SIGTERM) == signal.SIG_DFL for _ in chunk])


def test_the_helper_does_not_inherit_the_clis_sigterm_handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the CLI turns SIGTERM into KeyboardInterrupt; the helper, stopped by SIGTERM at the end of each scan,
    # printed that as a traceback
    import signal

    from pusher_doctor.deadline import Deadline
    from pusher_doctor.scan import engine

    write_tree(tmp_path, 4)
    chunks = [[(str(path), path.name) for path in sorted(tmp_path.rglob("*.*"))]]
    envs = engine._Envs(tmp_path, None)
    monkeypatch.setattr(engine, "_helper_reads", _helper_signals)
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        helper = engine._Helper.start(chunks, envs, 2.0, Deadline.after(30), jobs=2)
        assert helper is not None
        try:
            assert helper.finish(envs, 2.0, Deadline.after(30)) == {0: [True] * 4}
        finally:
            helper.stop()
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_whole_scan_with_the_helper_writes_nothing_to_stderr(tmp_path: Path):
    import subprocess
    import sys

    write_app_tree(tmp_path, PARALLEL_MIN_FILES)
    for _ in range(3):  # the helper's traceback came only when SIGTERM found it in a lock: not every time
        done = subprocess.run(
            [sys.executable, "-m", "pusher_doctor", "scan-frontend", "--json", "--allow-skipped", str(tmp_path)],
            check=False, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 1 and done.stdout.startswith("{")
        assert done.stderr == ""


def test_an_app_whose_files_only_the_helper_read_has_its_env_loaded_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # the helper loads an app's env in its own process: the main one must load it too, or the report leaves
    # out that app's env files and the rules would judge its files by the root's env
    from pusher_doctor.scan import engine

    (tmp_path / ".env").write_text("VITE_API_URL=https://api.example.com\n")
    app = tmp_path / "admin"
    (app / "src").mkdir(parents=True)
    (app / "package.json").write_text('{"name": "admin"}\n')
    (app / ".env").write_text("VITE_API_URL=/api\n")
    (app / "src" / "config.js").write_text("export const api = import.meta.env.VITE_API_URL;\n")
    (app / "src" / "format.js").write_text("export const money = (n) => n.toFixed(2);\n")
    serial = scan_frontend(tmp_path, jobs=1)
    assert serial.env_files == (".env", "admin/.env")
    monkeypatch.setattr(engine._Helper, "claim", lambda self: None)  # the helper reads every file
    _same(serial, scan_frontend(tmp_path, jobs=2))


def _dying_helper(chunk):
    import os

    os._exit(1)  # as if killed: the chunk it took never comes back


def test_chunks_a_helper_took_before_it_died_are_read_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from pusher_doctor.scan import engine

    write_tree(tmp_path, 200)
    serial = scan_frontend(tmp_path, jobs=1)
    monkeypatch.setattr(engine, "_helper_reads", _dying_helper)
    _same(serial, scan_frontend(tmp_path, jobs=2))
