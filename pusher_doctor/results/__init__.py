"""The ground floor: the vocabulary every other layer speaks (statuses, problems and their fixes,
check results, the report, cause ids, exit codes). Imports nothing of the package's network side."""

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
