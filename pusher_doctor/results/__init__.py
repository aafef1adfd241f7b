"""The ground floor: the vocabulary every other layer speaks (statuses, problems and their fixes,
check results, the report, cause ids, exit codes). Imports nothing of the package's network side.

Each name is loaded from its module on first use: every start needs `ExitCode`, but only a command
that runs needs the vocabulary's dataclasses (each costs about 1 ms to create), and --help none.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pusher_doctor.results.causes import CAUSES, Cause, problem
    from pusher_doctor.results.exit_codes import ExitCode
    from pusher_doctor.results.outcome import (
        CheckResult,
        Interruption,
        ObservedEvent,
        Outcome,
        Problem,
        Remediation,
        Report,
        Status,
        failed,
        passed,
        skipped,
        warned,
    )

#: each name, and the module of this package that defines it
_HOME = {
    "CAUSES": "causes", "Cause": "causes", "problem": "causes",
    "ExitCode": "exit_codes",
    "CheckResult": "outcome", "Interruption": "outcome", "ObservedEvent": "outcome", "Outcome": "outcome",
    "Problem": "outcome", "Remediation": "outcome", "Report": "outcome", "Status": "outcome",
    "failed": "outcome", "passed": "outcome", "skipped": "outcome", "warned": "outcome",
}

__all__ = [
    "CAUSES",
    "Cause",
    "CheckResult",
    "ExitCode",
    "Interruption",
    "ObservedEvent",
    "Outcome",
    "Problem",
    "Remediation",
    "Report",
    "Status",
    "failed",
    "passed",
    "problem",
    "skipped",
    "warned",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
