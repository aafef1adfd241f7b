"""Each fault of a guest page gives its cause id: real pages with the real pusher-js (and React) in real
headless Chromium, against the session's real soketi, through the real CLI. Each page runs once per
module; the tests that read more of a run share it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pusher_doctor.runner.verdict import step_name
from tests.support.cli import CliResult
from tests.support.pages import checks_by_id


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, ...], CliResult]:
    return {}


@pytest.fixture
def run_once(check_page, runs) -> Callable[..., CliResult]:
    def run(page: str, *options: str) -> CliResult:
        if (page, *options) not in runs:
            runs[(page, *options)] = check_page(page, *options)
        return runs[(page, *options)]

    return run

#: page, extra options, the step that fails and its cause
FAULTS = [
    ("no-client", (), "page-connection", "page-not-connected"),
    ("other-key", (), "page-connection", "page-key-mismatch"),
    ("other-host", (), "page-connection", "page-host-mismatch"),
    ("never-subscribes", (), "page-subscribe", "page-not-subscribed"),
    ("conversation-channel", ("--conversation", "45"), "page-subscribe", "page-wrong-channel"),
    ("wrong-event", (), "page-bindings", "page-wrong-event"),
    ("bad-auth", ("--channel-prefix", "private-"), "page-subscribe", "page-subscription-error"),
    ("handler-throws", (), "page-render", "page-state-not-updated"),
    ("stale-state", (), "page-render", "page-state-not-updated"),
    ("unsubscribe-on-message", (), "page-lifecycle", "page-unsubscribed-on-message"),
    ("react-resubscribe", (), "page-lifecycle", "page-resubscribed"),
    ("react-new-client", (), "page-lifecycle", "page-reconnected"),
]


@pytest.mark.parametrize(("page", "options", "step", "cause"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_faulty_page_is_named_by_the_step_and_cause_that_find_it(run_once, page, options, step, cause):
    result = run_once(page, *options)
    checks = checks_by_id(result)
    assert result.exit_code == 1, result.output
    broken = [c for c in result.json()["checks"] if c["status"] in ("fail", "error")]
    assert [(c["id"], c["cause"]) for c in broken][:1] == [(step, cause)], broken
    assert result.json()["verdict"].startswith(f"The chain breaks at {step_name(_title(result, step))}: ")
    # The server side works in every case: only the page is at fault.
    assert checks["delivery"]["status"] == "pass"


def _title(result, step: str) -> str:
    return checks_by_id(result)[step]["title"]


def test_no_frame_reads_as_a_subscription_issue_and_a_frame_without_text_as_a_state_update_issue(run_once):
    unsubscribed = run_once("never-subscribes").json()["verdict"]
    assert "never reached the page: a subscription issue (page channel)" in unsubscribed
    stale = run_once("stale-state").json()["verdict"]
    assert "The frame reached the page but the page did not show the message: a state update issue" in stale


def test_a_handler_that_throws_is_cited_with_its_place(run_once):
    checks = checks_by_id(run_once("handler-throws"))
    render, console = checks["page-render"], checks["page-console"]
    assert "TypeError: Cannot read properties of undefined (reading 'name')" in render["summary"]
    assert "handler-throws.html?…:" in render["summary"]
    assert (console["status"], console["cause"]) == ("warn", "page-console-errors")


def test_a_page_with_another_key_shows_the_servers_refusal(run_once):
    checks = checks_by_id(run_once("other-key"))
    assert "App key old-app-key does not exist" in " ".join(checks["page-connection"]["details"])


def test_a_wrong_channel_names_the_channel_the_page_used(run_once):
    checks = checks_by_id(run_once("conversation-channel", "--conversation", "45"))
    summary = checks["page-subscribe"]["summary"]
    assert summary.startswith("the page subscribed to hotel-paradise-conversation-45-chat, not "
                              "hotel-paradise-room-page-conversation-channel-chat")


def test_an_exception_while_loading_warns_and_the_page_still_works(check_page):
    result = check_page("script-error")
    checks = checks_by_id(result)
    assert (checks["page-load"]["status"], checks["page-load"]["cause"]) == ("warn", "page-script-error")
    assert "ReferenceError: analytics is not defined" in checks["page-load"]["summary"]
    assert checks["page-render"]["status"] == "pass"
    assert result.exit_code == 0, result.output
