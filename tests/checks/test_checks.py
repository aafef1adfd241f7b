"""Each check on its own against real soketi: what it returns, and what it leaves for the checks after it.

The checks run in registry order by hand here, as the runner would, so each test states exactly which
earlier findings a check relies on.
"""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from pusher_doctor.checks.channels import check_channel_names
from pusher_doctor.checks.delivery import check_delivery
from pusher_doctor.checks.live_guest import check_live_guest
from pusher_doctor.checks.rest_api import check_rest_api
from pusher_doctor.checks.settings import check_settings
from pusher_doctor.checks.subscribe import check_subscribe
from pusher_doctor.checks.trigger import check_trigger
from pusher_doctor.checks.websocket import check_websocket
from pusher_doctor.deadline import Deadline
from pusher_doctor.protocol.guest import GuestConnection
from pusher_doctor.results import Status
from tests.support.servers import DISABLED, TINY_PAYLOAD, closed_port


def test_settings_finds_the_self_hosted_server_and_leaves_the_target(make_context) -> None:
    ctx = make_context()
    outcome = check_settings(ctx)
    assert outcome.status is Status.PASS, outcome
    assert ctx.target is not None and not ctx.target.is_cloud
    assert any(d.startswith("PUSHER_APP_ID = 1001") for d in outcome.details)


def test_settings_names_the_first_problem_and_leaves_no_target(make_context) -> None:
    ctx = make_context(app_id="not-a-number")
    outcome = check_settings(ctx)
    assert (outcome.status, outcome.cause, outcome.data) == (Status.FAIL, "malformed-setting", {"setting": "app_id"})
    assert ctx.target is None


def test_channel_names_plan_the_backends_channels(make_context) -> None:
    ctx = make_context(conversation="45")
    assert check_channel_names(ctx).status is Status.PASS
    assert ctx.plan is not None
    assert ctx.plan.channels == ("hotel-paradise-room-101-chat", "hotel-paradise-conversation-45-chat")


def test_channel_names_refuse_a_room_pusher_would_refuse(make_context) -> None:
    ctx = make_context(room="10 1")
    outcome = check_channel_names(ctx)
    assert (outcome.status, outcome.cause) == (Status.FAIL, "invalid-channel-name")
    assert ctx.plan is None


def test_rest_api_accepts_the_signed_request_and_leaves_the_client(make_context) -> None:
    ctx = make_context()
    check_settings(ctx)
    outcome = check_rest_api(ctx)
    assert outcome.status is Status.PASS, outcome
    assert ctx.rest is not None and ctx.unreachable_server is None


def test_rest_api_on_a_closed_port_marks_the_server_unreachable_for_the_websocket(make_context) -> None:
    ctx = make_context(port=str(closed_port()))
    check_settings(ctx)
    outcome = check_rest_api(ctx)
    assert (outcome.status, outcome.cause) == (Status.FAIL, "unreachable")
    assert ctx.unreachable_server is not None and ctx.rest is None
    # The WebSocket check reads that (it `uses` rest-api) and does not dial the same port again.
    assert check_websocket(ctx).status is Status.SKIP


def test_rest_api_names_a_wrong_secret(make_context) -> None:
    ctx = make_context(secret="not-the-secret")
    check_settings(ctx)
    assert check_rest_api(ctx).cause == "wrong-secret"


def test_websocket_connects_with_the_key_alone_and_leaves_the_guest(make_context) -> None:
    ctx = make_context()
    check_settings(ctx)
    outcome = check_websocket(ctx)
    assert outcome.status is Status.PASS, outcome
    assert isinstance(ctx.guest, GuestConnection) and outcome.data["socket_id"]


def test_websocket_names_a_disabled_app(make_context) -> None:
    ctx = make_context(DISABLED)
    check_settings(ctx)
    outcome = check_websocket(ctx)
    assert (outcome.status, outcome.cause) == (Status.FAIL, "app-disabled")
    assert ctx.guest is None


def test_live_guest_warns_when_nobody_is_on_the_room_channel(make_context) -> None:
    ctx = make_context(room="live-empty")
    check_settings(ctx), check_channel_names(ctx), check_rest_api(ctx)
    outcome = check_live_guest(ctx)
    assert (outcome.status, outcome.cause, ctx.live_subscribers) == (Status.WARN, "live-guest-absent", 0)
    assert outcome.hint is not None and "pusher-doctor scan-frontend ./src" in outcome.hint.commands


def test_live_guest_counts_a_subscribed_guest(make_context) -> None:
    guest_ctx = make_context(room="live-one")
    check_settings(guest_ctx), check_channel_names(guest_ctx), check_websocket(guest_ctx), check_subscribe(guest_ctx)
    ctx = make_context(room="live-one")
    check_settings(ctx), check_channel_names(ctx), check_rest_api(ctx)
    outcome = check_live_guest(ctx)
    assert (outcome.status, ctx.live_subscribers) == (Status.PASS, 1), outcome


def test_subscribe_is_acknowledged_for_each_planned_channel(make_context) -> None:
    ctx = make_context(conversation="7")
    check_settings(ctx), check_channel_names(ctx), check_websocket(ctx)
    outcome = check_subscribe(ctx)
    assert outcome.status is Status.PASS and len(outcome.details) == 2, outcome


def test_trigger_is_skipped_for_a_live_guest_without_consent(make_context) -> None:
    ctx = make_context(room="guarded", assume_yes=False)
    check_settings(ctx), check_channel_names(ctx), check_rest_api(ctx)
    ctx.live_subscribers = 1
    outcome = check_trigger(ctx)
    assert outcome.status is Status.SKIP and "--yes" in outcome.summary
    assert ctx.triggered == []


def test_trigger_names_a_payload_the_app_refuses(make_context) -> None:
    ctx = make_context(TINY_PAYLOAD)
    ctx.request = replace(ctx.request, message_text="x" * 3000)
    check_settings(ctx), check_channel_names(ctx), check_rest_api(ctx), check_live_guest(ctx)
    outcome = check_trigger(ctx)
    assert (outcome.status, outcome.cause) == (Status.FAIL, "payload-too-large"), outcome


@pytest.mark.parametrize("conversation", [None, "45"])
def test_delivery_sees_every_triggered_event_arrive(make_context, conversation) -> None:
    ctx = make_context(room=f"delivery-{conversation}", conversation=conversation)
    for check in (check_settings, check_channel_names, check_rest_api, check_websocket, check_live_guest,
                  check_subscribe, check_trigger):
        assert not check(ctx).status.is_problem
    outcome = check_delivery(ctx)
    assert outcome.status is Status.PASS, outcome
    assert [e.received for e in ctx.events] == [True] * (1 if conversation is None else 3)
    assert all(e.latency_ms is not None and e.latency_ms >= 0 for e in ctx.events)


def test_delivery_fails_when_the_guest_is_on_another_channel(make_context) -> None:
    ctx = make_context(room="delivery-missed")
    for check in (check_settings, check_channel_names, check_rest_api, check_websocket, check_live_guest):
        check(ctx)
    assert ctx.guest is not None and ctx.plan is not None
    ctx.guest.subscribe("hotel-paradise-room-elsewhere-chat", 2.0)  # the guest listens somewhere else
    check_trigger(ctx)
    ctx.deadline = Deadline(0.5)
    outcome = check_delivery(ctx)
    assert (outcome.status, outcome.cause) == (Status.FAIL, "event-not-delivered")
    assert ctx.events and not ctx.events[0].received



def test_with_the_key_alone_the_websocket_steps_run_and_the_rest_say_what_they_need(make_context) -> None:
    ctx = make_context(app_id="", secret="")
    settings_outcome = check_settings(ctx)
    assert (settings_outcome.status, settings_outcome.cause) == (Status.WARN, "missing-setting")
    assert settings_outcome.summary.startswith("key only: PUSHER_APP_ID and PUSHER_SECRET not set")
    rest = check_rest_api(ctx)
    assert rest.status is Status.SKIP and "PUSHER_APP_ID and PUSHER_SECRET" in rest.summary
    check_channel_names(ctx)
    assert check_websocket(ctx).status is Status.PASS
    assert check_subscribe(ctx).status is Status.PASS


def test_a_missing_key_still_stops_everything(make_context) -> None:
    ctx = make_context(key="")
    outcome = check_settings(ctx)
    assert (outcome.status, outcome.cause, ctx.target) == (Status.FAIL, "missing-setting", None)
