"""`watch` and `rooms` on private, presence and encrypted channels against real soketi, through the test
auth endpoint: each kind subscribes and shows the backend's events (decrypted), a refused endpoint is
shown with its cause, presence members are named and counted."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable

import pusher
import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.auth_server import MASTER_KEY, OTHER_MASTER_KEY, SESSION_COOKIE, AuthServer
from tests.support.cli import app_options
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY, silent_server


def _library(server: SoketiServer, master_key: str = MASTER_KEY) -> pusher.Pusher:
    return pusher.Pusher(app_id=HEALTHY.id, key=HEALTHY.key, secret=HEALTHY.secret, host=server.HOST,
                         port=server.port, ssl=False, encryption_master_key_base64=master_key)


def _key_only(server: SoketiServer) -> list[str]:
    options = app_options(server, HEALTHY)
    for name in ("--secret", "--app-id"):
        at = options.index(name)
        del options[at:at + 2]
    return options


def _watch_while(cli, send: Callable[[], None], *args: str) -> list[dict]:
    """`watch --json` for a moment while `send` runs once the watch has subscribed; its records."""
    sender = threading.Thread(target=lambda: (time.sleep(1.0), send()))
    sender.start()
    result = cli(["watch", "--duration", "2", "--json", *args])
    sender.join()
    assert "Traceback" not in result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("prefix", ["private-", "presence-", "private-encrypted-"])
def test_each_channel_kind_is_watched_through_the_auth_endpoint_with_the_key_alone(
        cli, soketi, endpoint: AuthServer, prefix: str) -> None:
    hotel = "watchpriv-" + secrets.token_hex(3)
    channel = f"{prefix}{hotel}-room-7-chat"
    records = _watch_while(
        cli, lambda: _library(soketi).trigger(channel, "new-staff-message", {"id": 41, "message": "towels"}),
        "--hotel", hotel, "--room", "7", "--channel-prefix", prefix, "--auth-endpoint", endpoint.url(),
        *_key_only(soketi))
    subscribed = [r for r in records if r.get("kind") == "subscribed"]
    assert [r["channel"] for r in subscribed] == [channel]
    assert "signed by the auth endpoint" in subscribed[0]["text"]
    events = [r for r in records if r["type"] == "event"]
    # Encrypted channels' events arrive decrypted: the message id is inside the ciphertext.
    assert [(e["channel"], e["event"], e["message_id"], e["expected"]) for e in events] == [
        (channel, "new-staff-message", "41", True)]
    assert records[-1]["type"] == "summary"
    if prefix == "presence-":
        assert "1 member(s) present: guest-101" in subscribed[0]["text"]


def test_without_an_endpoint_the_secret_signs_and_the_notice_says_the_endpoint_was_not_used(cli, soketi) -> None:
    channel = f"private-{secrets.token_hex(3)}-anything"
    records = _watch_while(cli, lambda: _library(soketi).trigger(channel, "ping", {"id": 1}),
                           "--channel", channel, *app_options(soketi, HEALTHY))
    (subscribed,) = [r for r in records if r.get("kind") == "subscribed"]
    assert "signed with the secret: the app's auth endpoint was not used" in subscribed["text"]
    assert [r["event"] for r in records if r["type"] == "event"] == ["ping"]


def test_a_refusing_endpoint_is_shown_with_its_cause_and_exit_code_1(cli, soketi, endpoint: AuthServer) -> None:
    result = cli(["watch", "--hotel", "h", "--room", "1", "--channel-prefix", "private-", "--duration", "0.5",
                  "--json", "--auth-endpoint", endpoint.url("/session"), *_key_only(soketi)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    (refused,) = [r for r in records if r.get("kind") == "subscription-error"]
    assert refused["cause"] == "auth-unauthenticated" and "HTTP 401" in refused["text"]
    assert result.exit_code == 1


def test_the_session_cookie_reaches_the_endpoint_and_never_the_output(cli, soketi, endpoint: AuthServer) -> None:
    name, value = SESSION_COOKIE
    result = cli(["watch", "--hotel", "h", "--room", "1", "--channel-prefix", "private-", "--duration", "0.5",
                  "--auth-endpoint", endpoint.url("/session"), "--auth-cookie", f"{name}={value}",
                  *_key_only(soketi)])
    assert result.exit_code == 0, result.output
    assert "signed by the auth endpoint" in result.stdout and value not in result.output


def test_an_encrypted_channel_whose_events_do_not_open_says_encryption_key_mismatch(
        cli, soketi, endpoint: AuthServer) -> None:
    hotel = "sealed-" + secrets.token_hex(3)
    channel = f"private-encrypted-{hotel}-room-3-chat"
    # The backend encrypts with another master key than the one the endpoint derives the page's key from.
    records = _watch_while(
        cli, lambda: _library(soketi, OTHER_MASTER_KEY).trigger(channel, "new-staff-message", {"id": 5}),
        "--hotel", hotel, "--room", "3", "--channel-prefix", "private-encrypted-", "--auth-endpoint",
        endpoint.url(), *_key_only(soketi))
    assert [r["cause"] for r in records if r.get("kind") == "error"] == ["encryption-key-mismatch"]


def test_private_channels_with_neither_endpoint_nor_secret_are_a_usage_error_saying_why(cli, soketi) -> None:
    result = cli(["watch", "--hotel", "h", "--room", "1", "--channel-prefix", "private-", *_key_only(soketi)])
    assert result.exit_code == 2
    assert "private channels are signed with it when no --auth-endpoint is given" in result.stderr


def test_rooms_counts_a_presence_rooms_members_apart_from_its_subscribers(cli, soketi, endpoint: AuthServer) -> None:
    hotel = "members-" + secrets.token_hex(3)
    channel = f"presence-{hotel}-room-9-chat"
    # Two tabs of the same guest: two subscriptions, one member.
    with pusher_js_guest(soketi, channel, "new-staff-message", 10_000, auth_endpoint=endpoint.url()), \
            pusher_js_guest(soketi, channel, "new-staff-message", 10_000, auth_endpoint=endpoint.url()):
        result = cli(["rooms", "--hotel", hotel, "--room", "9", "--channel-prefix", "presence-", "--json",
                      *app_options(soketi, HEALTHY)])
    document = result.json()
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in document["channels"]] == [channel]
    assert (document["room_subscribers"], document["room_users"]) == (2, 1)
    assert "2 subscribers (1 distinct member) on " + channel in document["sentence"]


def test_rooms_names_a_page_left_on_the_public_name_after_the_move_to_private(cli, soketi) -> None:
    hotel = "moved-" + secrets.token_hex(3)
    with pusher_js_guest(soketi, f"{hotel}-room-4-chat", "new-staff-message", 10_000):
        result = cli(["rooms", "--hotel", hotel, "--room", "4", "--channel-prefix", "private-", "--json",
                      *app_options(soketi, HEALTHY)])
    document = result.json()
    assert result.exit_code == 1
    (miss,) = document["near_misses"]
    assert miss["channel"] == f"{hotel}-room-4-chat"
    assert miss["reasons"] == ["no prefix where the backend has 'private-'"]


def test_the_secret_alone_signs_without_the_app_id(cli, soketi) -> None:
    options = app_options(soketi, HEALTHY)
    at = options.index("--app-id")
    del options[at:at + 2]
    result = cli(["watch", "--channel", "private-no-app-id", "--duration", "0.5", "--json", *options])
    assert result.exit_code == 0, result.output
    assert "signed with the secret" in result.stdout


def test_an_auth_endpoint_that_never_answers_does_not_stretch_the_duration(cli, soketi) -> None:
    with silent_server() as port:
        started = time.monotonic()
        result = cli(["watch", "--channel", "private-a", "--channel", "private-b", "--channel", "private-c",
                      "--duration", "1", "--json", "--auth-endpoint", f"http://127.0.0.1:{port}/auth",
                      *_key_only(soketi)])
        took = time.monotonic() - started
    assert took < 4, took  # three channels at the 5 s connect timeout each would be 15 s
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[-1]["type"] == "summary"
    assert [r["cause"] for r in records if r.get("kind") == "subscription-error"][:1] == ["auth-endpoint-unreachable"]
