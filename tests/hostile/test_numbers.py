"""Numbers that pass a range check without being in it: NaN compares false with every bound, so click's
FloatRange let `--timeout nan` through, and `latency` then raised from a lock's wait (a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_process

SERVER = ["--app-id", "1", "--key", "k", "--secret", "s", "--host", "127.0.0.1", "--port", "9", "--scheme", "http"]

#: every float option, each with NaN written one way or another
NOT_A_NUMBER = [
    (["latency", "--hotel", "h", "--room", "1", *SERVER, "--timeout", "nan"], "--timeout", "nan"),
    (["latency", "--hotel", "h", "--room", "1", *SERVER, "--rate", "NaN"], "--rate", "NaN"),
    (["check", "--hotel", "h", "--room", "1", *SERVER, "--timeout", "nan"], "--timeout", "nan"),
    (["watch", "--channel", "c", "--key", "k", "--duration", "+nan"], "--duration", "+nan"),
    (["scan-frontend", "--timeout", "nan", "."], "--timeout", "nan"),
    (["scan-frontend", "--file-timeout", "-nan", "."], "--file-timeout", "-nan"),
    (["scan-backend", "--timeout", "NAN", "."], "--timeout", "NAN"),
]


@pytest.mark.parametrize(("args", "option", "given"), NOT_A_NUMBER, ids=[f"{a[0]} {o}" for a, o, _ in NOT_A_NUMBER])
def test_nan_is_a_usage_error_naming_the_option(tmp_path: Path, args: list[str], option: str, given: str) -> None:
    done = run_process(args, tmp_path, timeout=60)
    assert done.exit_code == 2, done.output[-1500:]
    assert "Traceback" not in done.output
    assert f"error: Invalid value for '{option}': '{given}' is not a number." in done.stderr
