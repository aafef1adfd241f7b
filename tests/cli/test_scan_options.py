"""The two code scans share their options through cli/scan_options.py, not through each other."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(m for m in sys.modules if m.startswith('pusher_doctor.cli.')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(done.stdout.split())


def test_scan_backend_does_not_load_scan_frontends_command() -> None:
    loaded = _loaded_after_import("pusher_doctor.cli.scan_backend")
    assert "pusher_doctor.cli.scan_options" in loaded
    assert "pusher_doctor.cli.scan_frontend" not in loaded


def test_scan_frontend_does_not_load_scan_backends_command() -> None:
    assert "pusher_doctor.cli.scan_backend" not in _loaded_after_import("pusher_doctor.cli.scan_frontend")
