"""One `check` run: the context, the checklist, always clean up, one Report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from pusher_doctor.checks import CHECKS, Check
from pusher_doctor.checks.context import CheckContext, CheckRequest
from pusher_doctor.config.settings import LoadedSettings
from pusher_doctor.deadline import Deadline
from pusher_doctor.results import CheckResult, Interruption, Report
from pusher_doctor.runner.loop import run_checks
from pusher_doctor.runner.verdict import decide


class CheckRun:
    """One run of the checklist. Iterate `results()` to see checks as they finish, then take `report()`."""

    def __init__(self, request: CheckRequest, loaded: LoadedSettings, checks: Sequence[Check] = CHECKS) -> None:
        self._started = time.monotonic()
        self.context = CheckContext(request, loaded, Deadline(request.timeout, started_at=request.started_at))
        self._checks = checks
        self._results: list[CheckResult] = []
        self._interrupted = False
        #: the check running now and when it started, to say what an interruption cut short
        self._running: tuple[Check, float] | None = None

    def results(self, on_start: Callable[[str], None] = lambda title: None) -> Iterator[CheckResult]:
        titles = {check.title: check for check in self._checks}

        def started(title: str) -> None:
            self._running = (titles[title], time.monotonic())
            on_start(title)

        try:
            for result in run_checks(self._checks, self.context, started, self.context.deadline.remaining):
                self._running = None
                self._results.append(result)
                yield result
        except KeyboardInterrupt:
            self.interrupt()
        finally:
            self.context.close()

    def interrupt(self) -> None:
        """Ctrl-C arrived (in a check or in the caller): stop, release connections, keep what was learned."""
        self._interrupted = True
        self.context.close()

    def run(self, on_result: Callable[[CheckResult], None] = lambda result: None,
            on_start: Callable[[str], None] = lambda title: None) -> Report:
        """Runs every check, handing each result to `on_result` as it comes; Ctrl-C ends the run early."""
        try:
            for result in self.results(on_start):
                on_result(result)
        except KeyboardInterrupt:
            self.interrupt()
        return self.report()

    def report(self) -> Report:
        events = tuple(self.context.events)
        interruption = None
        if self._interrupted and self._running is not None:
            check, since = self._running
            interruption = Interruption(check.id, check.title, (time.monotonic() - since) * 1000)
        return Report(tuple(self._results), events, decide(self._results, events, self._interrupted, interruption),
                      (time.monotonic() - self._started) * 1000, self._interrupted, interruption)

