"""Where the sandbox's Node parts are: soketi (the server) and pusher-js (the demo's guest), or their
install with npm into the user's cache on first use.

One file pins them: `node/package.json` and `node/package-lock.json` beside this module, shipped in the
wheel. The clone's `node/` (where `make setup` runs `npm ci`) links to the same two files, and the cache
install copies them, so a version or the `uWebSockets.js` override is changed in one place.

soketi is looked for in this order: $PUSHER_DOCTOR_SOKETI, the clone's `node/node_modules`, the user cache
(`$XDG_CACHE_HOME/pusher-doctor/node/<pins>`, default `~/.cache/...`), then PATH.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

SOKETI_ENV_VAR = "PUSHER_DOCTOR_SOKETI"
#: the pinned npm dependencies and the guest script, shipped as package data
PACKAGE_NODE_DIR = Path(__file__).resolve().parent / "node"
#: where `make setup` installs them in a clone (its package.json links to PACKAGE_NODE_DIR's)
CLONE_NODE_DIR = Path(__file__).resolve().parents[2] / "node"
#: the project's own install; kept under its old name for the tests and benchmarks
PROJECT_SOKETI = CLONE_NODE_DIR / "node_modules" / ".bin" / "soketi"
#: npm has this long to install into the cache; a first install here took 15 to 60 s
INSTALL_TIMEOUT = 300.0


class NodeDepsError(RuntimeError):
    """soketi cannot be found or installed. `commands` are what to run about it, in order."""

    def __init__(self, message: str, fix: str, commands: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.fix = fix
        self.commands = commands


@dataclass(frozen=True)
class Pins:
    """The versions the package pins, read from its package.json."""

    soketi: str
    pusher_js: str

    def describe(self) -> str:
        return f"soketi {self.soketi} and pusher-js {self.pusher_js}"


def pins() -> Pins:
    dependencies = json.loads((PACKAGE_NODE_DIR / "package.json").read_text())["dependencies"]
    return Pins(dependencies["@soketi/soketi"], dependencies["pusher-js"])


@dataclass(frozen=True)
class NodeDeps:
    """What the demo runs: a soketi executable, and the node_modules holding pusher-js (None when none
    was found: the demo then runs without its guest)."""

    soketi: Path
    node_modules: Path | None
    #: where soketi was found: "$PUSHER_DOCTOR_SOKETI", "the clone's node/", "the user cache" or "PATH"
    found_in: str


def cache_prefix(environ: Mapping[str, str] | None = None) -> Path:
    """The npm prefix in the user's cache for these pins: a new lock file gets a new folder, so an older
    install is never taken for the pinned one."""
    environ = os.environ if environ is None else environ
    base = Path(environ.get("XDG_CACHE_HOME") or Path(environ.get("HOME") or Path.home()) / ".cache")
    lock = hashlib.sha256((PACKAGE_NODE_DIR / "package-lock.json").read_bytes()).hexdigest()[:12]
    return base / "pusher-doctor" / "node" / f"soketi-{pins().soketi}-{lock}"


def _installed(prefix: Path) -> Path | None:
    """The node_modules of a finished npm install under `prefix`: npm writes its hidden lock file last."""
    modules = prefix / "node_modules"
    return modules if (modules / ".package-lock.json").is_file() else None


def _executable(candidate: str | Path | None) -> Path | None:
    if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return Path(candidate)
    return None


def _clone_modules() -> Path | None:
    """The clone's node_modules; none for an installed wheel (its parent folders are no clone)."""
    return _installed(CLONE_NODE_DIR) if (CLONE_NODE_DIR.parent / "pyproject.toml").is_file() else None


def _soketi_candidates(environ: Mapping[str, str]) -> list[tuple[Path | None, str]]:
    clone = _clone_modules()
    cache = _installed(cache_prefix(environ))
    return [
        (_executable(environ.get(SOKETI_ENV_VAR)), f"${SOKETI_ENV_VAR}"),
        (_executable(clone / ".bin" / "soketi") if clone else None, "the clone's node/"),
        (_executable(cache / ".bin" / "soketi") if cache else None, "the user cache"),
        (_executable(shutil.which("soketi", path=environ.get("PATH"))), "PATH"),
    ]


def find_soketi(environ: Mapping[str, str] | None = None) -> Path | None:
    """The soketi executable: $PUSHER_DOCTOR_SOKETI, the clone's install, the user cache, or PATH."""
    candidates = _soketi_candidates(os.environ if environ is None else environ)
    return next((path for path, _ in candidates if path), None)


def find_node_deps(environ: Mapping[str, str] | None = None) -> NodeDeps | None:
    """soketi and pusher-js as they are on this machine, without installing anything."""
    environ = os.environ if environ is None else environ
    found = next(((path, where) for path, where in _soketi_candidates(environ) if path), None)
    if found is None:
        return None
    soketi, where = found
    return NodeDeps(soketi, _pusher_js_near(soketi, environ), where)


def _pusher_js_near(soketi: Path, environ: Mapping[str, str]) -> Path | None:
    """node_modules with pusher-js: the one soketi was installed in (where its link is, then where the link
    leads), else the clone's or the cache's."""
    near = [parent for parent in (*soketi.absolute().parents, *soketi.resolve().parents)
            if parent.name == "node_modules"]
    places = [*near, *(m for m in (_clone_modules(), _installed(cache_prefix(environ))) if m)]
    return next((place for place in places if (place / "pusher-js" / "package.json").is_file()), None)


#: what the installer reports while npm works: packages in place so far, packages to install, seconds spent
Progress = Callable[[int, int, float], None]


def install_command(prefix: Path) -> list[str]:
    """The npm command that installs the pins into `prefix` (which holds copies of the two files)."""
    return ["npm", "ci", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error",
            "--progress=false"]


def manual_install(prefix: Path) -> tuple[str, ...]:
    """The same install as shell commands a person can run, without a time limit."""
    return (f"mkdir -p {prefix}",
            f"cp {PACKAGE_NODE_DIR / 'package.json'} {PACKAGE_NODE_DIR / 'package-lock.json'} {prefix}/",
            " ".join(install_command(prefix)[:-2]))


def install_node_deps(environ: Mapping[str, str] | None = None, timeout: float = INSTALL_TIMEOUT,
                      on_progress: Progress = lambda done, total, seconds: None) -> NodeDeps:
    """Installs the pinned soketi and pusher-js with npm into the user cache; NodeDepsError says what to
    run instead when npm is missing, fails or takes longer than `timeout`.

    npm works in a scratch folder beside the final one, renamed into place when it is done: a run that
    is interrupted, or one racing another, never leaves a half install where `find_node_deps` looks.
    """
    environ = os.environ if environ is None else environ
    prefix = cache_prefix(environ)
    npm = shutil.which("npm", path=environ.get("PATH"))
    if npm is None:
        raise NodeDepsError(
            f"npm is not on PATH to install {pins().describe()}",
            "install Node.js 20 or later with npm (nodejs.org, or your system's packages), then run the demo "
            f"again: it installs them into {prefix} on first use. Or point {SOKETI_ENV_VAR} at a soketi "
            "executable", ("pusher-doctor demo",))
    prefix.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=prefix.name + ".partial-", dir=prefix.parent))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(PACKAGE_NODE_DIR / name, scratch / name)
        _run_npm([npm, *install_command(scratch)[1:]], scratch, environ, timeout, on_progress, prefix)
        if _installed(scratch) is None or not (scratch / "node_modules" / ".bin" / "soketi").exists():
            raise NodeDepsError(f"npm finished but left no soketi in {scratch}", "run the install yourself",
                                manual_install(prefix))
        try:
            scratch.rename(prefix)
        except OSError:  # another run installed it meanwhile: theirs is as good
            if _installed(prefix) is None:
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    found = find_node_deps(environ)
    assert found is not None
    return found


def _run_npm(command: list[str], scratch: Path, environ: Mapping[str, str], timeout: float,
             on_progress: Progress, prefix: Path) -> None:
    total = _package_count()
    log_path = scratch / "npm.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        # Its own session: npm's children (install scripts) are stopped with it on timeout or Ctrl-C.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=dict(environ), start_new_session=True)
    try:
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if elapsed > timeout:
                raise NodeDepsError(
                    f"npm did not finish installing {pins().describe()} within {timeout:.0f} s "
                    "(a slow network or registry?)",
                    "run the install yourself, without a time limit, then the demo again",
                    (*manual_install(prefix), "pusher-doctor demo"))
            on_progress(_packages_in(scratch / "node_modules"), total, elapsed)
            time.sleep(0.2)
        on_progress(_packages_in(scratch / "node_modules"), total, time.monotonic() - started)
    finally:
        if process.poll() is None:
            _stop(process)
    if process.returncode != 0:
        tail = " ".join(log_path.read_text(errors="replace").split())[-300:] or "no output"
        raise NodeDepsError(f"npm could not install {pins().describe()} (exit code {process.returncode}): "
                            f"{tail}",
                            "fix what npm says (network, registry, disk), or run the install yourself",
                            (*manual_install(prefix), "pusher-doctor demo"))


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=5)


def _package_count() -> int:
    """How many packages the lock file puts at the top of node_modules: the progress's whole."""
    packages = json.loads((PACKAGE_NODE_DIR / "package-lock.json").read_text()).get("packages", {})
    top = [name for name in packages if name.startswith("node_modules/")]
    return sum(1 for name in top if "/node_modules/" not in name.removeprefix("node_modules/"))


def _packages_in(modules: Path) -> int:
    """Top-level packages npm has put in place so far (a scope such as @soketi counts its members)."""
    try:
        count = 0
        for entry in os.scandir(modules):
            if entry.name.startswith("."):
                continue
            count += sum(1 for _ in os.scandir(entry.path)) if entry.name.startswith("@") else 1
        return count
    except OSError:  # not created yet, or changing under us
        return 0
