"""What checks produce: outcomes, timed results, received events and the whole report. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pusher_doctor.wire import Diagnosis


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


@dataclass(frozen=True)
class Outcome:
    """What one check found, before the runner adds its identity and timing."""

    status: Status
    summary: str
    hint: str | None = None
    cause: str | None = None
    details: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


def passed(summary: str, *details: str, **data: Any) -> Outcome:
    return Outcome(Status.PASS, summary, details=details, data=data)


def warned(summary: str, hint: str, *details: str, cause: str | None = None, **data: Any) -> Outcome:
    return Outcome(Status.WARN, summary, hint=hint, cause=cause, details=details, data=data)


def failed(cause: str, summary: str, hint: str, *details: str, **data: Any) -> Outcome:
    return Outcome(Status.FAIL, summary, hint=hint, cause=cause, details=details, data=data)


def failed_as(problem: Diagnosis, *details: str, **data: Any) -> Outcome:
    """A failure as a protocol wrapper diagnosed it."""
    return failed(problem.cause, problem.summary, problem.hint, *details, **data)


def skipped(reason: str, *details: str) -> Outcome:
    return Outcome(Status.SKIP, reason, details=details)


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome with its identity and how long it took."""

    id: str
    title: str
    outcome: Outcome
    duration_ms: float

    @property
    def status(self) -> Status:
        return self.outcome.status


@dataclass(frozen=True)
class ObservedEvent:
    """One expected test event and whether the guest connection received it."""

    channel: str
    event: str
    received: bool
    latency_ms: float | None


@dataclass(frozen=True)
class Report:
    """Everything one `check` run learned, in the order it was learned."""

    checks: tuple[CheckResult, ...]
    events: tuple[ObservedEvent, ...]
    verdict: str
    duration_ms: float
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.interrupted and not any(c.status.is_problem for c in self.checks)
