"""Helpers for the sandbox tests: the wheel built from this tree and installed into a fresh virtualenv, a
fake npm that records its arguments, PATHs with and without npm, and finding the processes a run left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import PUSHER_VARIABLES, REPO

CLONE_MODULES = REPO / "node" / "node_modules"


def build_wheel(workdir: Path) -> Path:
    """The wheel of this working tree, built as pip builds a source (isolated, setuptools from PyPI or the
    pip cache) from a copy: the shared tree gets no build/ or egg-info of ours."""
    source = workdir / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "pusher_doctor", source / "pusher_doctor",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = workdir / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "-w", str(out), str(source)],
                   check=True, timeout=180, capture_output=True)
    return next(out.glob("pusher_doctor-*.whl"))


def install_wheel(wheel: Path, venv: Path) -> Path:
    """A fresh virtualenv with the wheel installed by pip; its bin folder.

    The wheel's dependencies come from this project's virtualenv through a path entry: the test then
    needs no network, and only the wheel's own copy of pusher_doctor is importable (a plain path in a .pth
    file adds that folder, not the editable install's own .pth hook into the clone).
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", str(wheel)], check=True, timeout=120, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "project_dependencies.pth").write_text(ours + "\n")
    return venv / "bin"


def path_with(directory: Path, *programs: str) -> str:
    """A PATH of one folder holding links to just these programs (e.g. node without npm)."""
    directory.mkdir(parents=True, exist_ok=True)
    for program in programs:
        found = shutil.which(program)
        assert found, f"{program} is needed by this test"
        link = directory / program
        if not link.exists():
            link.symlink_to(found)
    return str(directory)


def write_fake_npm(directory: Path) -> Path:
    """An `npm` that records each call (one line of arguments per call in $FAKE_NPM_RECORD) and, for `ci
    --prefix DIR`, puts the clone's real soketi and pusher-js in DIR/node_modules as links, so what it
    "installed" really runs. $FAKE_NPM_MODE: ok, slow (packages appear over ~1.5 s), fail, hang."""
    directory.mkdir(parents=True, exist_ok=True)
    npm = directory / "npm"
    npm.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, os, sys, time
        from pathlib import Path

        with open(os.environ["FAKE_NPM_RECORD"], "a") as record:
            record.write(json.dumps({{"args": sys.argv[1:], "pid": os.getpid(), "cwd": os.getcwd()}}) + "\\n")
        mode = os.environ.get("FAKE_NPM_MODE", "ok")
        if mode == "fail":
            print("npm ERR! code ECONNREFUSED: request to the registry failed", file=sys.stderr)
            sys.exit(1)
        if mode == "hang":
            time.sleep(120)
        prefix = Path(sys.argv[sys.argv.index("--prefix") + 1])
        with open(os.environ["FAKE_NPM_RECORD"], "a") as record:
            files = {{name: (prefix / name).read_text() for name in ("package.json", "package-lock.json")}}
            record.write(json.dumps(files) + "\\n")
        modules = prefix / "node_modules"
        (modules / ".bin").mkdir(parents=True)
        clone = Path({str(CLONE_MODULES)!r})
        for number in range(6):
            (modules / f"package-{{number}}").mkdir()
            if mode == "slow":
                time.sleep(0.25)
        (modules / "pusher-js").symlink_to(clone / "pusher-js")
        (modules / ".bin" / "soketi").symlink_to((clone / ".bin" / "soketi").resolve())
        (modules / ".package-lock.json").write_text("{{}}")
        """))
    npm.chmod(0o755)
    return npm


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment without PUSHER_* settings or PUSHER_DOCTOR_SOKETI, plus `overrides`."""
    env = {k: v for k, v in os.environ.items() if k not in (*PUSHER_VARIABLES, "PUSHER_DOCTOR_SOKETI")}
    return {**env, "NO_COLOR": "1", **overrides}


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> Run:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


def processes_marked(marker: str) -> list[int]:
    """Processes whose environment holds PUSHER_DOCTOR_TEST_MARKER=marker: what a run started and left."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if f"PUSHER_DOCTOR_TEST_MARKER={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found
