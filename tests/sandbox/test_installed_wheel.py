"""pusher-doctor installed from its wheel into a fresh virtualenv, away from the clone: the console script
works, and `demo` finds soketi in the user cache or installs it there with npm (a fake npm that records its
arguments, and the real npm once), or says exactly what to run without npm."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
import zipfile
from pathlib import Path

from tests.sandbox.support import CLONE_MODULES, clean_env, path_with, run, write_fake_npm


def test_the_wheel_carries_the_demos_node_files_and_no_node_modules(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("package.json", "package-lock.json", "guest.cjs"):
        assert f"pusher_doctor/sandbox/node/{name}" in names
    assert not [name for name in names if "node_modules" in name]


def test_the_wheel_carries_scan_logs_native_pass_and_its_install_uses_it(wheel: Path, installed: Path,
                                                                        tmp_path: Path) -> None:
    """Built as pip builds the clone (setup.py's optional extension): compiled here, where gcc is."""
    assert [name for name in zipfile.ZipFile(wheel).namelist() if name.startswith("pusher_doctor/triage/_logscan.")]
    program = "from pusher_doctor.triage.logs import native_reader; print(native_reader().__file__)"
    found = subprocess.run([str(installed / "python"), "-c", program], capture_output=True, text=True, timeout=60,
                           env=clean_env(), cwd=tmp_path, check=False)
    assert found.returncode == 0 and str(installed.parent) in found.stdout, found.stdout + found.stderr


def test_the_console_script_and_its_help_work(installed: Path, tmp_path: Path) -> None:
    env = clean_env()
    version = run([str(installed / "pusher-doctor"), "--version"], tmp_path, env)
    assert version.stdout.startswith("pusher-doctor ")
    top = run([str(installed / "pusher-doctor"), "--help"], tmp_path, env)
    assert top.exit_code == 0 and "demo" in top.stdout and "check" in top.stdout
    demo_help = run([str(installed / "pusher-doctor"), "demo", "--help"], tmp_path, env)
    assert demo_help.exit_code == 0 and "--broken" in demo_help.stdout


def _demo(installed: Path, cwd: Path, path: str, cache: Path, *args: str, timeout: float = 60, **env: str):
    return run([str(installed / "pusher-doctor"), "demo", *args], cwd,
               clean_env(PATH=path, XDG_CACHE_HOME=str(cache), **env), timeout=timeout)


def _all_passed(stdout: str) -> dict:
    document = json.loads(stdout)
    assert document["ok"] is True
    statuses = {c["id"]: c["status"] for c in document["checks"]}
    assert set(statuses.values()) == {"pass"}, statuses
    assert statuses["demo-guest"] == "pass"
    return document


def test_without_npm_the_demo_says_exactly_what_to_run(installed: Path, tmp_path: Path) -> None:
    node_only = path_with(tmp_path / "bin", "node")
    result = _demo(installed, tmp_path, node_only, tmp_path / "cache")
    assert result.exit_code == 2
    assert "soketi (the demo's server) is not installed here, and npm is not on PATH" in result.stderr
    assert "Node.js 20" in result.stderr
    assert str(tmp_path / "cache" / "pusher-doctor" / "node") in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""

    as_json = _demo(installed, tmp_path, node_only, tmp_path / "cache", "--json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["error"]["fix"]["commands"] == ["pusher-doctor demo"]


def test_a_fake_npm_is_asked_for_the_pinned_files_and_the_demo_then_runs_from_the_cache(
        installed: Path, tmp_path: Path) -> None:
    record = tmp_path / "npm-calls.jsonl"
    write_fake_npm(tmp_path / "bin")
    path = path_with(tmp_path / "bin", "node")
    cache = tmp_path / "cache"

    first = _demo(installed, tmp_path, path, cache, "--json", FAKE_NPM_RECORD=str(record))
    assert first.exit_code == 0, first.stderr
    _all_passed(first.stdout)  # stdout is the JSON document alone: progress went to stderr
    installing = "pusher-doctor: installing soketi 1.6.1 and pusher-js 8.4.0 with npm into "
    assert installing + str(cache) in first.stderr
    assert "pusher-doctor: installed soketi 1.6.1 and pusher-js 8.4.0" in first.stderr
    call, files = [json.loads(line) for line in record.read_text().splitlines()]
    scratch = call["args"][2]
    assert call["args"] == ["ci", "--prefix", scratch, "--no-audit", "--no-fund", "--loglevel=error",
                            "--progress=false"]
    assert Path(scratch).parent == cache / "pusher-doctor" / "node"
    shipped = installed.parent / "lib"
    package_json = next(shipped.glob("python3*/site-packages/pusher_doctor/sandbox/node/package.json"))
    assert files["package.json"] == package_json.read_text()
    assert json.loads(files["package-lock.json"])["packages"][""]["dependencies"]["@soketi/soketi"] == "1.6.1"
    installs = list((cache / "pusher-doctor" / "node").iterdir())
    assert [p.name for p in installs] == [installs[0].name] and installs[0].name.startswith("soketi-1.6.1-")

    again = _demo(installed, tmp_path, path, cache, "--json", FAKE_NPM_RECORD=str(record))
    assert again.exit_code == 0 and "installing" not in again.stderr
    assert len(record.read_text().splitlines()) == 2  # npm was not called again


def test_on_a_terminal_the_install_shows_a_live_status_line(installed: Path, tmp_path: Path) -> None:
    write_fake_npm(tmp_path / "bin")
    env = clean_env(PATH=path_with(tmp_path / "bin", "node"), XDG_CACHE_HOME=str(tmp_path / "cache"),
                    FAKE_NPM_RECORD=str(tmp_path / "calls"), FAKE_NPM_MODE="slow", TERM="xterm",
                    COLUMNS="200")
    leader, follower = pty.openpty()
    try:
        demo = subprocess.Popen([str(installed / "pusher-doctor"), "demo", "--json"], cwd=tmp_path, env=env,
                                stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL)
        os.close(follower)
        seen = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if select.select([leader], [], [], 0.2)[0]:
                try:
                    seen += os.read(leader, 65536)
                except OSError:  # the terminal closed: the demo ended
                    break
            elif demo.poll() is not None:
                break
        out, _ = demo.communicate(timeout=30)
    finally:
        os.close(leader)
    assert demo.returncode == 0
    screen = seen.decode(errors="replace")
    assert "Installing soketi 1.6.1 and pusher-js 8.4.0 with npm" in screen
    assert "of 304 packages" in screen  # the status line counted npm's progress
    assert "Installed soketi 1.6.1 and pusher-js 8.4.0" in screen
    _all_passed(out.decode())


def test_the_real_npm_installs_the_pinned_soketi_into_the_cache_once(installed: Path, tmp_path: Path) -> None:
    # The one real install: npm from the registry (or its own cache), about 15 s here.
    cache = tmp_path / "cache"
    # node, npm and the shell its install scripts run in: a soketi elsewhere on PATH must not spare
    # the install
    npm_path = path_with(tmp_path / "npm-bin", "node", "npm", "sh")
    first = _demo(installed, tmp_path, npm_path, cache, "--json", timeout=400)
    assert first.exit_code == 0, first.stderr
    _all_passed(first.stdout)
    assert "installing soketi 1.6.1" in first.stderr
    prefix = next((cache / "pusher-doctor" / "node").iterdir())
    soketi = json.loads((prefix / "node_modules" / "@soketi" / "soketi" / "package.json").read_text())
    assert soketi["version"] == "1.6.1"
    # the package.json's override: soketi's uWebSockets.js from the registry, not from its git host
    uws = json.loads((prefix / "node_modules" / "uWebSockets.js" / "package.json").read_text())
    assert uws["name"] == "@trufflesuite/uws-js-unofficial"

    # Later runs take it from the cache, with no npm on PATH at all.
    later = _demo(installed, tmp_path, path_with(tmp_path / "bin", "node"), cache, "--json")
    assert later.exit_code == 0, later.stderr
    _all_passed(later.stdout)
    assert later.stderr == ""


def test_a_soketi_of_ones_own_without_pusher_js_runs_the_demo_without_its_guest(installed: Path,
                                                                              tmp_path: Path) -> None:
    # $PUSHER_DOCTOR_SOKETI names a soketi with no pusher-js beside it, and there is no npm to install one.
    own = tmp_path / "own" / "soketi"
    own.parent.mkdir()
    own.write_text(f"#!/bin/sh\nexec {CLONE_MODULES / '.bin' / 'soketi'} \"$@\"\n")
    own.chmod(0o755)
    result = _demo(installed, tmp_path, path_with(tmp_path / "bin", "node"), tmp_path / "cache", "--json",
                   PUSHER_DOCTOR_SOKETI=str(own))
    assert result.exit_code == 0, result.stderr
    assert "the demo runs without its pusher-js guest: npm is not on PATH to install" in result.stderr
    assert "not installed" not in result.stderr  # soketi is there: only the guest is missing
    statuses = {c["id"]: (c["status"], c["cause"]) for c in json.loads(result.stdout)["checks"]}
    assert statuses["live-guest"] == ("warn", "live-guest-absent") and "demo-guest" not in statuses
