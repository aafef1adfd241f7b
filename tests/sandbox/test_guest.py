"""The demo's pusher-js guest (Node) against the session's real soketi: it subscribes before start()
returns, reports the test event it receives, says why when it cannot subscribe, and never outlives stop()."""

from __future__ import annotations

import os
import time

import pusher
import pytest

from pusher_doctor.sandbox import SandboxError, SoketiServer
from pusher_doctor.sandbox.guest import PusherJsGuest
from pusher_doctor.sandbox.loopback import AuthEndpoint
from tests.sandbox.support import CLONE_MODULES
from tests.support.servers import HEALTHY


def _guest(server: SoketiServer, channel: str, key: str = HEALTHY.key,
           auth_url: str | None = None) -> PusherJsGuest:
    return PusherJsGuest(CLONE_MODULES, server.HOST, server.port, key, channel, "new-staff-message",
                         lifetime=30, auth_endpoint=auth_url)


def _trigger(server: SoketiServer, channel: str, data: dict) -> None:
    client = pusher.Pusher(app_id=HEALTHY.id, key=HEALTHY.key, secret=HEALTHY.secret, host=server.HOST,
                           port=server.port, ssl=False)
    client.trigger(channel, "new-staff-message", data)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_guest_is_subscribed_when_started_and_reports_the_probes_event(soketi: SoketiServer) -> None:
    channel = "sandbox-guest-room-1-chat"
    with _guest(soketi, channel) as guest:
        guest.start(10)
        assert guest.running
        _trigger(soketi, channel, {"message": "someone else's", "pusher_doctor_probe": "pd-other"})
        _trigger(soketi, channel, {"message": "hello", "pusher_doctor_probe": "pd-ours"})
        got = guest.received("pd-ours", 5)
        assert got is None  # the guest stops at its first event, which was not ours
    with _guest(soketi, channel) as guest:
        guest.start(10)
        sent = time.monotonic()
        _trigger(soketi, channel, {"message": "hello", "pusher_doctor_probe": "pd-ours"})
        got = guest.received("pd-ours", 5)
        assert got is not None and got.body["data"]["message"] == "hello" and got.at >= sent


def test_a_private_channel_is_signed_by_the_auth_endpoint(soketi: SoketiServer) -> None:
    with AuthEndpoint(HEALTHY.key, HEALTHY.secret) as endpoint, \
            _guest(soketi, "private-sandbox-guest-room-2-chat", auth_url=endpoint.url) as guest:
        guest.start(10)
        assert guest.running


@pytest.mark.parametrize(("key", "channel", "said"), [
    ("no-such-key", "sandbox-guest-room-3-chat", "error"),
    (HEALTHY.key, "private-sandbox-guest-room-3-chat", "subscription_error"),  # private, no auth endpoint
])
def test_a_guest_that_cannot_subscribe_says_what_it_heard_and_is_stopped(soketi: SoketiServer, key: str,
                                                                         channel: str, said: str) -> None:
    guest = _guest(soketi, channel, key=key)
    started = time.monotonic()
    with pytest.raises(SandboxError, match=f'did not subscribe to {channel} .*"type": "{said}"'):
        guest.start(10)
    assert time.monotonic() - started < 5  # it said so at once: no waiting out the bound
    assert not guest.running


def test_stop_ends_the_node_process_at_once_and_can_be_repeated(soketi: SoketiServer) -> None:
    guest = _guest(soketi, "sandbox-guest-room-4-chat").start(10)
    pid = guest.pid
    assert pid is not None
    guest.stop()
    guest.stop()
    assert _gone(pid) and guest.pid is None
