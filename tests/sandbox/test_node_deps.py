"""Finding soketi and pusher-js, and installing them into the user cache with npm: the order of the places
looked in, and every way the install ends (done, npm failing, npm hanging, no npm, Ctrl-C), with a fake
npm that records its arguments. The real npm runs once, in test_installed_wheel.py."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from pusher_doctor.sandbox import node_deps
from pusher_doctor.sandbox.node_deps import (
    NodeDepsError,
    cache_prefix,
    find_node_deps,
    find_soketi,
    install_node_deps,
    pins,
)
from tests.sandbox.support import write_fake_npm


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def _npm_install(prefix: Path, with_pusher_js: bool = True, finished: bool = True) -> Path:
    """What a finished (or interrupted) `npm ci --prefix prefix` leaves: soketi's link, pusher-js, and npm's
    hidden lock file, which it writes last."""
    modules = prefix / "node_modules"
    soketi = _executable(modules / ".bin" / "soketi")
    if with_pusher_js:
        (modules / "pusher-js").mkdir(parents=True)
        (modules / "pusher-js" / "package.json").write_text("{}")
    if finished:
        (modules / ".package-lock.json").write_text("{}")
    return soketi


@pytest.fixture
def no_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Runs as an installed wheel would: no clone's node/ beside the package."""
    clone = tmp_path / "not-a-clone" / "node"
    monkeypatch.setattr(node_deps, "CLONE_NODE_DIR", clone)
    return clone


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    return {"PATH": str(tmp_path / "empty-path"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "HOME": str(tmp_path)}


def test_places_are_tried_in_order_env_clone_cache_path(tmp_path: Path, no_clone: Path,
                                                        environ: dict) -> None:
    from_path = _executable(tmp_path / "bin" / "soketi")
    environ["PATH"] = str(tmp_path / "bin")
    assert find_soketi(environ) == from_path

    in_cache = _npm_install(cache_prefix(environ))
    assert find_soketi(environ) == in_cache

    in_clone = _npm_install(no_clone)
    (no_clone.parent / "pyproject.toml").write_text("")  # now it is a clone
    assert find_soketi(environ) == in_clone

    chosen = _executable(tmp_path / "mine" / "soketi")
    environ["PUSHER_DOCTOR_SOKETI"] = str(chosen)
    found = find_node_deps(environ)
    assert found is not None and (found.soketi, found.found_in) == (chosen, "$PUSHER_DOCTOR_SOKETI")
    assert found.node_modules == no_clone / "node_modules"  # the guest's pusher-js still comes from the clone


def test_a_half_finished_install_and_a_wheel_without_a_clone_are_not_taken(tmp_path: Path, no_clone: Path,
                                                                          environ: dict) -> None:
    _npm_install(cache_prefix(environ), finished=False)  # npm was interrupted: no hidden lock file yet
    _npm_install(no_clone)  # node_modules beside the package, but no pyproject.toml: not a clone
    assert find_soketi(environ) is None
    assert find_node_deps(environ) is None


def test_soketi_without_pusher_js_is_found_without_a_guest(tmp_path: Path, no_clone: Path,
                                                          environ: dict) -> None:
    environ["PUSHER_DOCTOR_SOKETI"] = str(_executable(tmp_path / "soketi"))
    found = find_node_deps(environ)
    assert found is not None and found.node_modules is None


def test_the_cache_follows_xdg_and_the_lock_file(tmp_path: Path) -> None:
    assert cache_prefix({"XDG_CACHE_HOME": "/c", "HOME": "/h"}).parent == Path("/c/pusher-doctor/node")
    assert cache_prefix({"HOME": "/h"}).parent == Path("/h/.cache/pusher-doctor/node")
    # Another lock file is another folder: an install of older pins is never taken for these.
    assert cache_prefix({"HOME": "/h"}).name.startswith(f"soketi-{pins().soketi}-")


def test_the_pins_are_the_clones_package_json() -> None:
    shipped = node_deps.PACKAGE_NODE_DIR / "package.json"
    clone = Path(__file__).resolve().parents[2] / "node" / "package.json"
    assert clone.resolve() == shipped.resolve()  # one file: the clone's node/ links to the package's
    dependencies = json.loads(shipped.read_text())
    assert (pins().soketi, pins().pusher_js) == (dependencies["dependencies"]["@soketi/soketi"],
                                                 dependencies["dependencies"]["pusher-js"])
    assert dependencies["overrides"]["uWebSockets.js"].startswith("npm:")


def _fake_npm_env(tmp_path: Path, environ: dict, mode: str = "ok") -> Path:
    write_fake_npm(tmp_path / "npm-bin")
    record = tmp_path / "npm-calls.jsonl"
    environ.update(PATH=str(tmp_path / "npm-bin"), FAKE_NPM_RECORD=str(record), FAKE_NPM_MODE=mode)
    return record


def _leftovers(environ: dict) -> list[str]:
    folder = cache_prefix(environ).parent
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_install_runs_npm_ci_on_copies_of_the_pinned_files_and_renames_the_result(
        tmp_path: Path, no_clone: Path, environ: dict) -> None:
    record = _fake_npm_env(tmp_path, environ, "slow")
    seen: list[tuple[int, int]] = []
    deps = install_node_deps(environ, on_progress=lambda done, total, seconds: seen.append((done, total)))

    call, files = [json.loads(line) for line in record.read_text().splitlines()]
    scratch = Path(call["args"][2])
    assert call["args"] == ["ci", "--prefix", str(scratch), "--no-audit", "--no-fund", "--loglevel=error",
                            "--progress=false"]
    assert scratch.parent == cache_prefix(environ).parent
    assert scratch.name.startswith(cache_prefix(environ).name)
    assert files["package.json"] == (node_deps.PACKAGE_NODE_DIR / "package.json").read_text()
    assert files["package-lock.json"] == (node_deps.PACKAGE_NODE_DIR / "package-lock.json").read_text()
    assert (deps.found_in, deps.soketi.parent.parent.parent) == ("the user cache", cache_prefix(environ))
    assert deps.node_modules == cache_prefix(environ) / "node_modules"
    assert _leftovers(environ) == [cache_prefix(environ).name]  # the scratch folder was renamed into place
    # The progress counted npm's packages as they appeared, out of the lock file's 304.
    assert {total for _, total in seen} == {304}
    assert seen[0][0] < seen[-1][0] == 7

    assert find_node_deps(environ) == deps  # next time, no npm
    assert len(record.read_text().splitlines()) == 2


def test_npm_failing_says_what_npm_said_and_leaves_nothing(tmp_path: Path, no_clone: Path,
                                                          environ: dict) -> None:
    _fake_npm_env(tmp_path, environ, "fail")
    with pytest.raises(NodeDepsError) as raised:
        install_node_deps(environ)
    assert "exit code 1" in str(raised.value) and "ECONNREFUSED" in str(raised.value)
    assert f"npm ci --prefix {cache_prefix(environ)} --no-audit --no-fund" in raised.value.commands
    assert _leftovers(environ) == []


def test_npm_hanging_is_stopped_at_the_bound_with_what_to_run(tmp_path: Path, no_clone: Path,
                                                             environ: dict) -> None:
    record = _fake_npm_env(tmp_path, environ, "hang")
    started = time.monotonic()
    with pytest.raises(NodeDepsError) as raised:
        install_node_deps(environ, timeout=1.0)
    assert time.monotonic() - started < 4
    assert "did not finish installing soketi 1.6.1 and pusher-js 8.4.0 within 1 s" in str(raised.value)
    assert raised.value.commands[-1] == "pusher-doctor demo"
    assert _leftovers(environ) == []
    _assert_gone(json.loads(record.read_text().splitlines()[0])["pid"])


def test_ctrl_c_during_the_install_stops_npm_and_removes_its_folder(tmp_path: Path, no_clone: Path,
                                                                   environ: dict) -> None:
    record = _fake_npm_env(tmp_path, environ, "hang")

    def interrupt(done: int, total: int, seconds: float) -> None:
        if record.exists():  # npm has started
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install_node_deps(environ, on_progress=interrupt)
    assert _leftovers(environ) == []
    _assert_gone(json.loads(record.read_text().splitlines()[0])["pid"])


def test_without_npm_the_error_says_what_to_install_and_where_it_will_go(no_clone: Path,
                                                                         environ: dict) -> None:
    with pytest.raises(NodeDepsError) as raised:
        install_node_deps(environ)
    assert "npm is not on PATH" in str(raised.value)
    assert "Node.js 20" in raised.value.fix and str(cache_prefix(environ)) in raised.value.fix
    assert "PUSHER_DOCTOR_SOKETI" in raised.value.fix
    assert raised.value.commands == ("pusher-doctor demo",)


def _assert_gone(pid: int) -> None:
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail(f"npm (pid {pid}) is still running")
