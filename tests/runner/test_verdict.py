"""verdict.decide: one sentence naming the first broken link of the chain, or what worked."""

from __future__ import annotations

from pusher_doctor.results import (
    CheckResult,
    Interruption,
    ObservedEvent,
    Outcome,
    Status,
    failed,
    passed,
    problem,
    skipped,
    warned,
)
from pusher_doctor.runner.verdict import FRONTEND_CHECKLIST, decide


def result(check_id: str, title: str, outcome: Outcome) -> CheckResult:
    return CheckResult(check_id, title, outcome, 1.0)


SETTINGS_OK = result("settings", "Settings", passed("all settings present"))
REST_OK = result("rest", "REST API", passed("REST API answers"))
WS_OK = result("websocket", "WebSocket", passed("connected"))
TRIGGER_OK = result("trigger", "Trigger", passed("3 events accepted"))
DELIVERY_OK = result("delivery", "Delivery", passed("all events received"))
EVENTS = (ObservedEvent("h-room-1-chat", "new-staff-message", True, 41.2),
          ObservedEvent("h-conversation-9-chat", "new-message", True, 87.6))


def test_the_first_failing_check_is_named_with_its_fix():
    rest = result("rest", "REST API", failed(problem("wrong-secret", "the request signature was refused",
                                             "copy PUSHER_SECRET from the dashboard")))
    websocket = result("websocket", "WebSocket", failed(problem("key-not-found", "no app with this key", "copy the key")))
    verdict = decide([SETTINGS_OK, rest, websocket], [])
    assert verdict == ("The chain breaks at REST API: the request signature was refused. "
                       "Fix: copy PUSHER_SECRET from the dashboard")
    assert "websocket" not in verdict.lower()


def test_a_crashed_check_counts_as_broken():
    crashed = result("websocket", "WebSocket", Outcome(Status.ERROR, "internal error"))
    assert decide([SETTINGS_OK, crashed], []).startswith("The chain breaks at websocket: internal error.")


def test_a_failure_without_hint_has_no_fix_sentence():
    broken = result("rest", "REST API", Outcome(Status.FAIL, "refused"))
    assert decide([broken], []) == "The chain breaks at REST API: refused."


def test_a_warning_does_not_break_the_chain():
    warn = result("settings", "Settings", warned(problem("malformed-setting", "env file has unreadable lines", "fix them")))
    verdict = decide([warn, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK], EVENTS)
    assert not verdict.startswith("The chain breaks")


def test_all_delivered_with_no_live_guest_leads_with_the_guest_page():
    live = result("live-guest", "Live guest", warned(problem("live-guest-absent", "nobody subscribed", "open the page")))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, live], EVENTS)
    assert verdict.startswith("Nobody subscribed: if the guest page is open, it is not subscribed or listens "
                              f"elsewhere; {FRONTEND_CHECKLIST}. Pusher itself works: the 2 test event(s) reached "
                              "pusher-doctor's own connection (slowest 88 ms).")
    assert " but " not in verdict.lower()


def test_the_verdict_says_what_it_did_not_test():
    live = result("live-guest", "Live guest", passed("1 guest subscribed"))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, live], EVENTS)
    assert "Backend and Pusher work" not in verdict
    assert verdict.endswith("Not tested here: whether your backend triggers them (read its logs).")


def test_all_delivered_with_a_live_guest_points_at_the_pages_event_handling():
    live = result("live-guest", "Live guest", passed("1 guest subscribed"))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, live], EVENTS)
    assert "A guest page is subscribed" in verdict
    assert "But " not in verdict
    assert "the 2 test event(s)" in verdict


def test_trigger_skipped_says_no_message_was_sent_and_how_to_send_one():
    trigger = result("trigger", "Trigger", skipped("1 connection(s) would see it; pass --yes to send it"))
    delivery = result("delivery", "Delivery", skipped("not run: Trigger was skipped"))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, trigger, delivery], [])
    assert "No test message was sent, so delivery was not tested (1 connection(s) would see it" in verdict
    assert f"work: {SETTINGS_OK.title}, {REST_OK.title}, {WS_OK.title}." in verdict
    assert verdict.endswith("Run with --yes to send it anyway.")


def test_trigger_skipped_for_lack_of_the_secret_does_not_suggest_yes():
    trigger = result("trigger", "Trigger", skipped("not run: REST API was skipped"))
    verdict = decide([SETTINGS_OK, WS_OK, trigger], [])
    assert "delivery was not tested (not run: REST API was skipped)" in verdict and "--yes" not in verdict


def test_interrupted_without_failure_says_so():
    verdict = decide([SETTINGS_OK, REST_OK], [], interrupted=True)
    assert verdict.startswith("Interrupted")


def test_interrupted_after_a_failure_still_names_the_failure():
    rest = result("rest", "REST API", failed(problem("wrong-secret", "refused", "copy the secret")))
    assert decide([SETTINGS_OK, rest], [], interrupted=True).startswith("The chain breaks at REST API")


def test_an_interruption_names_the_step_that_was_waiting_and_for_how_long():
    verdict = decide([SETTINGS_OK], [], interrupted=True, interruption=Interruption("rest-api", "REST API", 12345.0))
    assert verdict.startswith("Interrupted while REST API had waited 12.3 s for an answer")
    assert "no problem found so far" not in verdict


# --- the guide's decision with the guest page watched (check --page) ----------------------------

PAGE_RECEIVED = result("page-receive", "Page receive", passed("frame arrived 9 ms after the trigger"))


def test_frame_received_and_message_shown_means_the_frontend_works():
    render = result("page-render", "Page render", passed("the message showed", latency_ms=31.0))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, PAGE_RECEIVED, render], EVENTS)
    assert "The guest page got it too" in verdict and "31 ms after the trigger, so the frontend works" in verdict


def test_a_page_binding_another_event_is_an_event_binding_issue_not_a_state_update_issue():
    bindings = result("page-bindings", "Page bindings", failed(problem("page-wrong-event", "the page binds new-msg")))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, PAGE_RECEIVED, bindings], EVENTS)
    assert "an event binding issue" in verdict and "state update" not in verdict


def test_a_page_with_another_key_is_a_settings_issue_not_a_subscription_issue():
    connection = result("page-connection", "Page connection", failed(problem("page-key-mismatch", "key k2")))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, connection], [])
    assert "a settings issue in the page's build" in verdict and "subscription issue" not in verdict


def test_frame_received_but_nothing_shown_is_a_state_update_issue():
    render = result("page-render", "Page render", failed(problem("page-state-not-updated", "the DOM did not change")))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, PAGE_RECEIVED, render], EVENTS)
    assert verdict.startswith("The chain breaks at page render: the DOM did not change.")
    assert "The frame reached the page but the page did not show the message: a state update issue." in verdict


def test_no_frame_on_the_page_is_a_subscription_issue_naming_the_step():
    subscribe = result("page-subscribe", "Page subscribe",
                       failed(problem("page-wrong-channel", "the page subscribed to h-conversation-1-chat")))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, subscribe], [])
    assert "never reached the page: a subscription issue (page subscribe)" in verdict


def test_the_demos_own_guest_receiving_the_message_means_the_whole_chain_works():
    guest = result("demo-guest", "Demo guest", passed("the demo's guest received it", latency_ms=12.0))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, TRIGGER_OK, DELIVERY_OK, guest], EVENTS)
    assert verdict.endswith("The demo's pusher-js guest got it too, 12 ms after the trigger: the whole chain works.")


def test_a_ci_run_with_the_room_empty_as_expected_says_no_guest_was_expected():
    live = result("live-guest", "Live guest", passed("nobody is subscribed, as expected", subscribers=0))
    verdict = decide([SETTINGS_OK, REST_OK, WS_OK, live, TRIGGER_OK, DELIVERY_OK], EVENTS)
    assert "No guest page was subscribed, as this run expected." in verdict
    assert "A guest page is subscribed" not in verdict and "But " not in verdict


def test_an_acronym_in_a_steps_title_keeps_its_capitals_in_the_sentence():
    rest = result("rest-api", "REST API", failed(problem("wrong-secret", "refused", "copy the secret")))
    assert decide([rest], []).startswith("The chain breaks at REST API: refused.")
    assert decide([result("page-load", "Page load", failed(problem("page-unreachable", "down", "x")))], []).startswith(
        "The chain breaks at page load: down.")
