"""The pre-commit hook definition runs the real command the way pre-commit would."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def _hook(hook_id: str) -> dict:
    (hook,) = [hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()) if hook["id"] == hook_id]
    return hook


def test_the_hook_runs_scan_frontend_on_the_folder_it_is_given(tmp_path: Path) -> None:
    hook = _hook("pusher-doctor-scan-frontend")
    assert hook["language"] == "python"
    (tmp_path / "Chat.js").write_text("const pusher = new Pusher(KEY);\n")  # no cluster: a finding
    entry = shlex.split(hook["entry"])
    assert entry[0] == "pusher-doctor"
    done = subprocess.run([sys.executable, "-m", "pusher_doctor", *entry[1:], *hook["args"]], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "missing-cluster" in done.stdout


def test_the_backend_hook_runs_scan_backend_on_the_folder_it_is_given(tmp_path: Path) -> None:
    hook = _hook("pusher-doctor-scan-backend")
    (tmp_path / "views.py").write_text("import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s', "
                                       "cluster='eu')\ntry:\n    client.trigger('c', 'e', {})\nexcept Exception:\n"
                                       "    pass\n")
    entry = shlex.split(hook["entry"])
    assert entry[0] == "pusher-doctor"
    done = subprocess.run([sys.executable, "-m", "pusher_doctor", *entry[1:], *hook["args"]], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "trigger-error-swallowed" in done.stdout
