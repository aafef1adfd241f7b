"""`rooms` against real soketi with real pusher-js guests: counts as guests join and leave, near misses
named, other hotels' channels never listed; and `check` names the same near miss."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.guest import GuestConnection
from pusher_doctor.protocol.rest import RestClient
from pusher_doctor.triage.rooms import survey_rooms
from tests.support.cli import app_options, run_process
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY


def _hotel() -> str:
    # A hotel of its own per test: the session's soketi is shared.
    return "hotel-" + secrets.token_hex(4)


def _rest(soketi) -> RestClient:
    return RestClient(Endpoint(soketi.HOST, soketi.port, False), HEALTHY.id, HEALTHY.key, Secret(HEALTHY.secret))


def _eventually(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_rooms_counts_guests_as_they_join_and_leave(soketi) -> None:
    hotel = _hotel()

    def counts() -> dict[str, int | None]:
        report = survey_rooms(_rest(soketi), hotel, None, 5)
        assert not hasattr(report, "cause"), report
        return {c.name: c.subscribers for c in report.channels}

    assert counts() == {}
    with pusher_js_guest(soketi, f"{hotel}-room-101-chat", "new-staff-message", 10_000), \
            pusher_js_guest(soketi, f"{hotel}-room-101-chat", "new-staff-message", 10_000), \
            pusher_js_guest(soketi, f"{hotel}-conversation-45-chat", "new-message", 10_000):
        assert counts() == {f"{hotel}-room-101-chat": 2, f"{hotel}-conversation-45-chat": 1}
    assert _eventually(lambda: counts() == {})


def test_other_hotels_and_foreign_channels_are_never_listed(soketi) -> None:
    hotel = _hotel()
    names = [f"{hotel}-room-9-chat", f"{hotel}-room-10-chat", f"{hotel}-annex-room-1-chat",
             f"{hotel}-lobby", f"other-{hotel}-room-1-chat"]
    with GuestConnection(Endpoint(soketi.HOST, soketi.port, False), HEALTHY.key) as guest:
        assert guest.connect(5).socket_id
        for name in names:
            assert guest.subscribe(name, 5).channel == name
        report = survey_rooms(_rest(soketi), hotel, None, 5)
    # Numeric order: room 9 before room 10; one request for the whole hotel.
    assert [c.name for c in report.channels] == [f"{hotel}-room-9-chat", f"{hotel}-room-10-chat"]
    assert report.requests == 1


def test_an_occupied_room_gets_its_count_in_a_sentence(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-room-7-chat", "new-staff-message", 10_000):
        result = cli(["rooms", "--hotel", hotel, "--room", "7", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    assert f"✓ 1 subscriber on {hotel}-room-7-chat right now: a guest page is listening" in result.stdout


def test_a_near_miss_is_named_with_its_reason_and_exit_1(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-rooms-101-chat", "new-staff-message", 10_000), \
            pusher_js_guest(soketi, f"{hotel}-room-102-chat", "new-staff-message", 10_000):
        result = cli(["rooms", "--hotel", hotel, "--room", "101", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 1, result.output
    assert (f"nobody is on {hotel}-room-101-chat, but 1 subscriber is on {hotel}-rooms-101-chat: the guest page "
            "builds the channel name wrongly ('rooms' where the backend says 'room')") in result.stdout
    assert "cause: channel-near-miss" in result.stdout
    assert "room-102" not in result.stdout.split("nobody is on", 1)[1]


def test_a_slug_with_an_underscore_is_found_outside_the_hotels_prefix_in_json(cli, soketi) -> None:
    hotel = _hotel()
    misspelt = hotel.replace("-", "_") + "-room-5-chat"
    with pusher_js_guest(soketi, misspelt, "new-staff-message", 10_000):
        result = cli(["rooms", "--hotel", hotel, "--room", "5", "--json", *app_options(soketi, HEALTHY)])
    document = result.json()
    assert result.exit_code == 1
    assert document["near_misses"] == [{"channel": misspelt, "subscribers": 1,
                                        "reasons": ["'_' where the backend has '-'"]}]
    assert document["channels"] == [] and document["requests"] == 2 and document["room_subscribers"] == 0


def test_an_empty_room_without_near_miss_says_nobody_is_there(cli, soketi) -> None:
    hotel = _hotel()
    result = cli(["rooms", "--hotel", hotel, "--room", "3", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0
    assert f"nobody is on {hotel}-room-3-chat right now" in result.stdout
    assert "cause: live-guest-absent" in result.stdout


def test_check_fails_with_the_near_miss_as_rooms_does_and_still_tests_delivery(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-room-101", "new-staff-message", 10_000):
        result = cli(["check", "--hotel", hotel, "--room", "101", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 1
    checks = {c["id"]: c for c in result.json()["checks"]}
    live = checks["live-guest"]
    assert live["status"] == "fail" and live["cause"] == "channel-near-miss"
    assert checks["delivery"]["status"] == "pass"
    assert result.json()["verdict"].startswith(f"The chain breaks at live guest: nobody is on {hotel}-room-101-chat")
    assert live["data"]["near_misses"] == [f"{hotel}-room-101"]
    assert "no '-chat' at the end" in live["summary"]


def test_check_verbose_names_the_occupied_channels_the_rest_step_counted(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-room-1-chat", "new-staff-message", 10_000):
        result = cli(["check", "--hotel", hotel, "--room", "1", "--json", *app_options(soketi, HEALTHY)])
    rest = next(c for c in result.json()["checks"] if c["id"] == "rest-api")
    occupied = next(d for d in rest["details"] if d.startswith("occupied: "))
    assert f"{hotel}-room-1-chat" in occupied


def test_rooms_needs_the_secret_and_says_why(cli, soketi) -> None:
    options = [o for o in app_options(soketi, HEALTHY)]
    at = options.index("--secret")
    del options[at:at + 2]
    result = cli(["rooms", "--hotel", "h", *options])
    assert result.exit_code == 2
    assert "listing channels is a signed REST call" in result.stderr and "[missing-setting]" in result.stderr
    assert "Traceback" not in result.output


def test_a_hotel_pusher_would_refuse_is_a_usage_error(cli, soketi) -> None:
    result = cli(["rooms", "--hotel", "hotel paradise", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 2
    assert result.json()["error"]["cause"] == "usage-error"
    assert "invalid-channel-name" in result.json()["error"]["message"]


def test_an_unreachable_server_is_a_problem_with_cause_and_fix(cli, soketi) -> None:
    from tests.support.servers import closed_port

    result = cli(["rooms", "--hotel", "h", *app_options(soketi, HEALTHY, port=str(closed_port()))])
    assert result.exit_code == 1
    assert "cause: unreachable" in result.stdout and "fix: " in result.stdout


def test_a_presence_listing_with_member_counts_is_read_as_pusher_cloud_sends_it() -> None:
    from pusher_doctor.triage.rooms import hotel_channel, occupied_counts

    body = {"channels": {"presence-h-room-1-chat": {"subscription_count": 3, "user_count": 2},
                         "presence-h-room-2-chat": {"user_count": True}}}
    assert occupied_counts(body, "user_count") == {"presence-h-room-1-chat": 2, "presence-h-room-2-chat": None}
    listed = hotel_channel("presence-h-room-1-chat", "h", 3, "presence-", 2)
    assert listed is not None and (listed.kind, listed.ident, listed.users) == ("room", "1", 2)
    assert hotel_channel("h-room-1-chat", "h", 1, "presence-") is None  # not under the backend's prefix


def test_an_app_contract_lists_its_channels_and_names_a_near_miss_of_its_recipient(cli, soketi, tmp_path) -> None:
    shop = "shop" + secrets.token_hex(3)
    (tmp_path / "pusher-doctor.toml").write_text(
        f'[channels.orders]\ntemplate = "{shop}-orders.{{order}}"\nevents = ["order.shipped"]\n')
    with pusher_js_guest(soketi, f"{shop}-orders.7", "order.shipped", 10_000), \
            pusher_js_guest(soketi, f"{shop}-orders-8", "order.shipped", 10_000):
        listing = cli(["rooms", "--json", *app_options(soketi, HEALTHY)])
        result = cli(["rooms", "--field", "order=8", "--json", *app_options(soketi, HEALTHY)])
    assert listing.exit_code == 0, listing.output
    assert [(c["name"], c["kind"]) for c in listing.json()["channels"]] == [(f"{shop}-orders.7", "orders")]
    assert result.exit_code == 1
    assert result.json()["near_misses"][0]["channel"] == f"{shop}-orders-8"
    assert "'-' where the backend has '.'" in result.json()["near_misses"][0]["reasons"]


def test_a_usage_error_of_a_triage_command_has_its_schema_in_json(tmp_path) -> None:
    for args in (["rooms", "--json"], ["rooms", "--hotel", "h", "--json", "--bogus"], ["watch", "--json", "--duration", "x"]):
        result = run_process(args, cwd=tmp_path)
        assert result.exit_code == 2 and result.json()["schema"] == 1, args
    assert run_process(["check", "--json"], cwd=tmp_path).json()["schema"] == 2


def test_field_hotel_names_the_hotel_as_hotel_does(cli, soketi) -> None:
    hotel = "fieldhotel" + secrets.token_hex(3)
    with pusher_js_guest(soketi, f"{hotel}-room-7-chat", "new-staff-message", 10_000):
        result = cli(["rooms", "--field", f"hotel={hotel}", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in result.json()["channels"]] == [f"{hotel}-room-7-chat"]


def test_an_empty_listing_names_what_was_listed_not_a_hotel(cli, soketi, tmp_path) -> None:
    shop = "emptyshop" + secrets.token_hex(3)
    contract = tmp_path / "shop.toml"
    contract.write_text(f'[channels.orders]\ntemplate = "{shop}-orders.{{order}}"\nevents = ["order.shipped"]\n')
    result = cli(["rooms", "--contract", str(contract), *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    assert "channels is occupied right now" in result.output and "hotel" not in result.output
