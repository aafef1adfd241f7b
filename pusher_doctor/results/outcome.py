"""What checks produce: problems with their fixes, outcomes, timed results, received events and the
whole report. Pure data: nothing here touches the network, the terminal or a file."""

from __future__ import annotations

from enum import Enum
from typing import Any

from msgspec import Struct, field


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    #: the check itself crashed; the report says so and the other checks still run
    ERROR = "error"

    @property
    def is_problem(self) -> bool:
        return self in (Status.FAIL, Status.ERROR)


class Remediation(Struct, frozen=True):
    """How to fix a problem: prose, and the exact commands kept apart from it (as Homebrew's
    `Remediation`), so a terminal can show commands to copy and JSON can list them."""

    text: str
    commands: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.commands:
            return self.text
        return f"{self.text}: " + "; ".join(f"`{command}`" for command in self.commands)


def as_remediation(hint: str | Remediation) -> Remediation:
    return hint if isinstance(hint, Remediation) else Remediation(hint)


class Problem(Struct, frozen=True):
    """One thing found wrong, wherever it was found (a server's answer, a setting, a check):
    the stable cause id, a one-line summary and the fix."""

    cause: str
    summary: str
    hint: Remediation
    #: what the problem is about, when that is one named thing (a setting: "key")
    about: str | None = None


class Outcome(Struct, frozen=True):
    """What one check found, before the runner adds its identity and timing."""

    status: Status
    summary: str
    hint: Remediation | None = None
    cause: str | None = None
    details: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    #: a warning that every run of the same setup repeats (a public channel): one line on a terminal, its
    #: fix and details with -v (as flutter doctor keeps information for -v); JSON and files have it all
    brief: bool = False


def passed(summary: str, *details: str, **data: Any) -> Outcome:
    return Outcome(Status.PASS, summary, details=details, data=data)


def warned(problem: Problem, *details: str, **data: Any) -> Outcome:
    """Worth knowing, but the chain still works."""
    return Outcome(Status.WARN, problem.summary, problem.hint, problem.cause, details, data)


def failed(problem: Problem, *details: str, **data: Any) -> Outcome:
    return Outcome(Status.FAIL, problem.summary, problem.hint, problem.cause, details, data)


def skipped(reason: str, *details: str) -> Outcome:
    return Outcome(Status.SKIP, reason, details=details)


class CheckResult(Struct, frozen=True):
    """One check's outcome with its identity and how long it took."""

    id: str
    title: str
    outcome: Outcome
    duration_ms: float

    @property
    def status(self) -> Status:
        return self.outcome.status


class ObservedEvent(Struct, frozen=True):
    """One expected test event and whether the guest connection received it."""

    channel: str
    event: str
    received: bool
    latency_ms: float | None


class Interruption(Struct, frozen=True):
    """The check that was waiting when the run was interrupted, and for how long."""

    check_id: str
    title: str
    waited_ms: float


class Report(Struct, frozen=True):
    """Everything one `check` run learned, in the order it was learned."""

    checks: tuple[CheckResult, ...]
    events: tuple[ObservedEvent, ...]
    verdict: str
    duration_ms: float
    interrupted: bool = False
    #: what the run was waiting for when it was interrupted (None when it was between checks or not)
    interruption: Interruption | None = None

    @property
    def ok(self) -> bool:
        return not self.interrupted and not any(c.status.is_problem for c in self.checks)

    @property
    def worst(self) -> Status:
        """The most serious status among the checks (what the verdict's colour and a report's badge show);
        an interrupted run is at best a warning."""
        worst = max((c.status for c in self.checks), key=SEVERITY.index, default=Status.SKIP)
        return max(worst, Status.WARN, key=SEVERITY.index) if self.interrupted else worst


#: the statuses from least to most serious
SEVERITY = (Status.PASS, Status.SKIP, Status.WARN, Status.FAIL, Status.ERROR)
