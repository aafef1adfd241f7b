"""Runs the registered checks in order: times them, skips what depends on a failure, turns crashes
into `error` results and stops waiting when the deadline is spent."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator, Sequence

from pusher_doctor.checks import Check
from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import CheckResult, Outcome, Status, failed, problem, skipped


def run_checks(checks: Sequence[Check], context: CheckContext,
               on_start: Callable[[str], None] = lambda title: None,
               time_left: Callable[[], float] = lambda: 1.0) -> Iterator[CheckResult]:
    """Yields one result per check, as soon as it is known.

    `on_start` gets each check's title as it starts (for a spinner). The first check that would
    start with no time left fails with cause `timeout` (the run did not show the chain works); the
    ones after it are skipped, not failed again.
    """
    statuses: dict[str, CheckResult] = {}
    for check in checks:
        on_start(check.title)
        started = time.monotonic()
        outcome = _blocked_by(check, statuses)
        if outcome is None and time_left() <= 0:
            ran_out = any(r.outcome.cause == "timeout" for r in statuses.values())
            outcome = skipped("not run: out of time") if ran_out else _out_of_time()
        if outcome is None:
            outcome = _run_one(check, context)
        result = CheckResult(check.id, check.title, outcome, (time.monotonic() - started) * 1000)
        statuses[check.id] = result
        yield result


def _out_of_time() -> Outcome:
    # A failure, not a skip: a run that could not finish its checklist has not shown the chain works.
    return failed(problem("timeout", "not run: the --timeout budget was used up by the steps before",
                          "raise --timeout, or find the slow step in the timings (--verbose)"))


def _blocked_by(check: Check, done: dict[str, CheckResult]) -> Outcome | None:
    for need in check.needs:
        earlier = done.get(need)
        if earlier is None or earlier.status in (Status.PASS, Status.WARN):
            continue
        reason = "was skipped" if earlier.status is Status.SKIP else "failed"
        return skipped(f"not run: {earlier.title} {reason}")
    return None


def _run_one(check: Check, context: CheckContext) -> Outcome:
    try:
        return check.run(context)
    except KeyboardInterrupt:
        raise
    except Exception as error:  # noqa: BLE001 - a crashing check must not hide the others
        crash = problem("internal-error", f"internal error in this check: {type(error).__name__}: {error}")
        # The traceback goes into the details, which --verbose shows: the hint asks for that output.
        return Outcome(Status.ERROR, crash.summary, crash.hint, crash.cause,
                       tuple(traceback.format_exc().rstrip().splitlines()))
