"""runner.run_checks: order, crashes as `error`, skipping what depends on a failure, and interrupts."""

from __future__ import annotations

import pytest

from pusher_doctor.checks import Check
from pusher_doctor.results import Status, failed, passed, problem, skipped, warned
from pusher_doctor.runner.loop import run_checks


def always(outcome):
    return lambda context: outcome


def crash(context):
    raise ValueError("boom")


def test_results_come_in_the_order_of_the_checks_and_each_runs_with_the_context():
    seen = []

    def record(name):
        def run(context):
            seen.append((name, context))
            return passed(f"{name} ok")
        return run

    checks = [Check("b", "B", record("b")), Check("a", "A", record("a")), Check("c", "C", record("c"))]
    results = list(run_checks(checks, "ctx"))
    assert [r.id for r in results] == ["b", "a", "c"]
    assert seen == [("b", "ctx"), ("a", "ctx"), ("c", "ctx")]
    assert [r.outcome.summary for r in results] == ["b ok", "a ok", "c ok"]
    assert all(r.duration_ms >= 0 for r in results)


def test_a_crashing_check_becomes_an_error_and_later_checks_still_run():
    checks = [Check("a", "A", crash), Check("b", "B", always(passed("fine")))]
    first, second = run_checks(checks, None)
    assert first.status is Status.ERROR
    assert "ValueError" in first.outcome.summary and "boom" in first.outcome.summary
    assert second.status is Status.PASS


def test_a_crash_keeps_its_traceback_in_the_details_for_verbose_output():
    (result,) = run_checks([Check("a", "A", crash)], None)
    details = "\n".join(result.outcome.details)
    assert details.startswith("Traceback (most recent call last):")
    assert 'raise ValueError("boom")' in details and details.endswith("ValueError: boom")
    assert "--verbose" in str(result.outcome.hint)


@pytest.mark.parametrize(("need_outcome", "word"), [
    (failed(problem("unreachable", "refused", "start it")), "failed"),
    (skipped("not confirmed"), "was skipped"),
])
def test_a_check_whose_need_failed_or_was_skipped_is_skipped_naming_it(need_outcome, word):
    ran = []
    checks = [Check("ws", "WebSocket", always(need_outcome)),
              Check("sub", "Subscribe", lambda context: ran.append("sub") or passed("ok"), needs=("ws",))]
    results = list(run_checks(checks, None))
    assert results[1].status is Status.SKIP
    assert results[1].outcome.summary == f"not run: WebSocket {word}"
    assert ran == []


def test_a_need_that_crashed_blocks_like_a_failure():
    checks = [Check("ws", "WebSocket", crash), Check("sub", "Subscribe", always(passed("ok")), needs=("ws",))]
    results = list(run_checks(checks, None))
    assert results[1].status is Status.SKIP
    assert "WebSocket" in results[1].outcome.summary


def test_a_skip_propagates_down_a_chain_of_needs():
    checks = [Check("a", "A", always(failed(problem("x", "no", "fix")))),
              Check("b", "B", always(passed("ok")), needs=("a",)),
              Check("c", "C", always(passed("ok")), needs=("b",))]
    statuses = [r.status for r in run_checks(checks, None)]
    assert statuses == [Status.FAIL, Status.SKIP, Status.SKIP]


def test_a_need_that_only_warned_does_not_block():
    checks = [Check("settings", "Settings", always(warned(problem("malformed-setting", "odd line", "fix it")))),
              Check("rest", "REST API", always(passed("ok")), needs=("settings",))]
    assert [r.status for r in run_checks(checks, None)] == [Status.WARN, Status.PASS]


def test_keyboard_interrupt_propagates():
    def interrupted(context):
        raise KeyboardInterrupt

    results = run_checks([Check("a", "A", interrupted)], None)
    with pytest.raises(KeyboardInterrupt):
        list(results)


def test_results_are_yielded_as_soon_as_known():
    ran = []
    checks = [Check("a", "A", lambda c: ran.append("a") or passed("ok")),
              Check("b", "B", lambda c: ran.append("b") or passed("ok"))]
    results = run_checks(checks, None)
    next(results)
    assert ran == ["a"]


def test_on_start_gets_each_title_before_the_check_runs():
    started = []
    checks = [Check("a", "A", always(passed("ok"))), Check("b", "B", always(passed("ok")))]
    list(run_checks(checks, None, on_start=started.append))
    assert started == ["A", "B"]


def test_out_of_time_fails_once_then_skips_without_running():
    ran = []
    checks = [Check(name, name.upper(), lambda c, name=name: ran.append(name) or passed("ok")) for name in "abc"]
    first, second, third = run_checks(checks, None, time_left=lambda: 0.0)
    assert (first.status, first.outcome.cause) == (Status.FAIL, "timeout")
    assert "--timeout" in first.outcome.summary
    assert second.status is Status.SKIP and third.status is Status.SKIP
    assert ran == []
