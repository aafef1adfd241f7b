"""pusher-doctor's own connections are not live guests: a `watch` left running on the room channel does
not make `check` or `trigger` ask or refuse, while a real guest beside it still does."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.listeners import Listeners, listeners_on, own_marker
from pusher_doctor.protocol.rest import RestClient
from pusher_doctor.sandbox import SoketiServer
from pusher_doctor.triage.watch import Watch, WatchRequest
from tests.support.cli import app_options
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY


@contextmanager
def watching(server: SoketiServer, channel: str) -> Iterator[None]:
    """A watch of `channel` running in the background while the block runs."""
    session = Watch(Endpoint(server.HOST, server.port, False), HEALTHY.key, WatchRequest((channel,)),
                    lambda item: None)
    assert session.start() is None
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    try:
        yield
    finally:
        session.stop()
        thread.join(5)


def _rest(server: SoketiServer) -> RestClient:
    return RestClient(Endpoint(server.HOST, server.port, False), HEALTHY.id, HEALTHY.key, Secret(HEALTHY.secret))


def test_the_marker_is_a_valid_channel_name_of_its_own_for_any_room_channel() -> None:
    long_name = "h" * 160 + "-chat"
    assert own_marker(long_name) != own_marker(long_name + "x")
    assert len(own_marker(long_name)) <= 164 and own_marker("a-room-1-chat").startswith("pusher-doctor-own-")


def test_a_running_watch_is_counted_as_our_own_and_a_real_guest_as_a_guest(soketi: SoketiServer) -> None:
    channel = f"own-{secrets.token_hex(4)}-room-1-chat"
    rest = _rest(soketi)
    with watching(soketi, channel):
        assert listeners_on(rest, channel, 5) == Listeners(0, 1)
        with pusher_js_guest(soketi, channel, "new-staff-message", 10_000):
            assert listeners_on(rest, channel, 5) == Listeners(1, 1)


def test_check_and_trigger_send_beside_a_running_watch_without_yes(cli, soketi: SoketiServer) -> None:
    hotel = f"own-{secrets.token_hex(4)}"
    with watching(soketi, f"{hotel}-room-1-chat"):
        result = cli(["check", "--hotel", hotel, "--room", "1", "--json", *app_options(soketi, HEALTHY)])
        sent = cli(["trigger", "--hotel", hotel, "--room", "1", "--json", *app_options(soketi, HEALTHY)])
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert checks["live-guest"]["data"]["subscribers"] == 0
    assert "1 of pusher-doctor's own connection(s) (a running watch) not counted" in checks["live-guest"]["details"]
    assert checks["trigger"]["status"] == checks["delivery"]["status"] == "pass"
    assert sent.exit_code == 0, sent.output


def test_rooms_does_not_call_a_running_watch_a_guest_page(cli, soketi: SoketiServer) -> None:
    hotel = f"own-{secrets.token_hex(4)}"
    with watching(soketi, f"{hotel}-room-2-chat"):
        alone = cli(["rooms", "--hotel", hotel, "--room", "2", "--json", *app_options(soketi, HEALTHY)])
        with pusher_js_guest(soketi, f"{hotel}-room-2-chat", "new-staff-message", 10_000):
            beside = cli(["rooms", "--hotel", hotel, "--room", "2", "--json", *app_options(soketi, HEALTHY)])
    assert alone.exit_code == 0 and alone.json()["room_subscribers"] == 0
    assert "only pusher-doctor's own watch is on it" in alone.json()["sentence"]
    assert beside.exit_code == 0 and beside.json()["room_subscribers"] == 1
    assert "1 of pusher-doctor's own watch, not counted" in beside.json()["sentence"]
