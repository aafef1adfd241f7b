"""protocol/auth.py's pure parts: signatures as the pusher library makes them, what a mismatch is told to
be, answer shapes, CORS and the command line's endpoint options."""

from __future__ import annotations

import base64
import json

import pusher
import pytest

from pusher_doctor.config.secret import Secret
from pusher_doctor.hotel_chat import fill_template, plan_channels
from pusher_doctor.protocol.auth import (
    AuthEndpoint,
    EndpointAnswer,
    build_endpoint,
    cors_problem,
    read_answer,
)
from pusher_doctor.protocol.signing import (
    ChannelAuth,
    check_signature,
    decrypt_event,
    mismatch_reason,
    presence_data_problem,
    shared_secret,
    sign,
)
from pusher_doctor.protocol.wire import parse_subscription_error

KEY, SECRET, SOCKET = "app-key", Secret("app-secret-1234"), "123.456"
MASTER = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
LIBRARY = pusher.Pusher(app_id="1", key=KEY, secret=SECRET.reveal(), encryption_master_key_base64=MASTER)


def test_signatures_are_the_pusher_librarys() -> None:
    member = {"user_id": "7"}
    presence = LIBRARY.authenticate("presence-x", SOCKET, member)
    assert sign(KEY, SECRET, SOCKET, "private-x") == LIBRARY.authenticate("private-x", SOCKET)["auth"]
    assert sign(KEY, SECRET, SOCKET, "presence-x", presence["channel_data"]) == presence["auth"]
    encrypted = LIBRARY.authenticate("private-encrypted-x", SOCKET)
    assert shared_secret("private-encrypted-x", Secret(MASTER)) == encrypted["shared_secret"].decode()


@pytest.mark.parametrize(("auth", "same_for_other_socket", "said"), [
    (sign("other-key", SECRET, SOCKET, "private-x"), None, "another app key"),
    (sign(KEY, SECRET, SOCKET, "x"), None, "another channel, x"),
    (sign(KEY, SECRET, "9.9", "private-x"), True, "another socket"),
    (sign(KEY, Secret("nope-nope"), SOCKET, "private-x"), False, "another secret"),
    ("no-colon", None, "not of the form"),
])
def test_a_mismatch_says_what_was_signed_instead(auth: str, same_for_other_socket: bool | None, said: str) -> None:
    given = ChannelAuth("private-x", auth)
    assert not check_signature(given, KEY, SECRET, SOCKET)
    assert said in mismatch_reason(given, KEY, SECRET, SOCKET, ["x", "presence-x"], same_for_other_socket)


def test_a_presence_signature_without_channel_data_is_named() -> None:
    given = ChannelAuth("presence-x", sign(KEY, SECRET, SOCKET, "presence-x"), '{"user_id":"7"}')
    assert "leaves out channel_data" in mismatch_reason(given, KEY, SECRET, SOCKET, [], False)


@pytest.mark.parametrize(("body", "said"), [
    ("<html>login</html>", "HTML page"),
    ("", "empty"),
    ("[1]", "not an object"),
    ('{"data": {"auth": "k:s"}}', '{"data": {"auth": ...}}'),
    ('{"token": "x"}', 'no "auth" field (fields: token)'),
    ('{"auth": 5}', "not a string"),
])
def test_answers_pusher_js_cannot_use(body: str, said: str) -> None:
    found = read_answer("private-x", EndpointAnswer(200, body, {}), 1.0)
    assert not isinstance(found, ChannelAuth) and found.cause == "auth-response-invalid" and said in found.summary


@pytest.mark.parametrize(("data", "said"), [
    (None, "no channel_data"), ({"user_id": 1}, "not a JSON string"), ("{", "not JSON"),
    ('{"user_info": {}}', "no user_id"),
])
def test_presence_data_needs_a_user_id(data: object, said: str) -> None:
    found = presence_data_problem("presence-x", data)
    assert found is not None and found.cause == "presence-data-missing" and said in found.summary
    assert presence_data_problem("presence-x", '{"user_id": "7"}') is None


def test_cors_is_checked_only_across_origins_and_needs_the_origin_and_the_headers() -> None:
    page = "https://guest.example.com"
    same = AuthEndpoint("https://guest.example.com/auth", origin=page)
    other = AuthEndpoint("https://api.example.com/auth", (("X-CSRF-TOKEN", Secret("t")),), origin=page)
    assert cors_problem(same, {}, None) is None
    assert cors_problem(other, {"Access-Control-Allow-Origin": page}, {"Access-Control-Allow-Origin": page}
                        ).summary.endswith("(Access-Control-Allow-Headers)")
    allowed = {"access-control-allow-origin": page, "Access-Control-Allow-Headers": "x-csrf-token"}
    assert cors_problem(other, allowed, allowed) is None
    assert cors_problem(other, {"Access-Control-Allow-Origin": "https://else"}, allowed).cause == "auth-cors"


def test_endpoint_options_mask_their_values_and_resolve_relative_urls_like_a_browser() -> None:
    endpoint = build_endpoint("/broadcasting/auth", ["Authorization: Bearer tok3n-value"], ["sid=c00kie"],
                              "https://guest.example.com/")
    assert endpoint.url == "https://guest.example.com/broadcasting/auth" and not endpoint.cross_origin
    assert {s.reveal() for s in endpoint.secrets} == {"Bearer tok3n-value", "tok3n-value", "c00kie"}
    assert "tok3n" not in repr(endpoint) and "c00kie" not in repr(endpoint)
    with pytest.raises(ValueError, match="line break"):
        build_endpoint("http://a/auth", ["X-A: b\r\nInjected: c"])


def test_subscription_errors_in_pushers_and_other_shapes() -> None:
    assert parse_subscription_error({"type": "AuthError", "error": "unauthorized", "status": 401}) == (
        401, "AuthError: unauthorized")
    assert parse_subscription_error(json.dumps({"code": 4009, "message": "m"})) == (4009, "m")
    assert parse_subscription_error("plain") == (None, "plain")


def test_encrypted_events_open_with_the_channels_key_only() -> None:
    from pusher.crypto import encrypt

    sealed = json.dumps(encrypt("private-encrypted-x", '{"a": 1}', base64.b64decode(MASTER)))
    assert decrypt_event(shared_secret("private-encrypted-x", Secret(MASTER)), sealed) == '{"a": 1}'
    assert decrypt_event(shared_secret("private-encrypted-y", Secret(MASTER)), sealed) is None


def test_templates_and_prefixes_build_the_backends_names() -> None:
    assert plan_channels("h", "1", "9", prefix="presence-").channels == ("presence-h-room-1-chat",
                                                                        "presence-h-conversation-9-chat")
    assert plan_channels("h", "1", None, room_template="private-{hotel}.{room}").room == "private-h.1"
    for bad in ("{floor}", "{hotel.__class__}", "{"):
        with pytest.raises(ValueError):
            fill_template(bad, "h", "1", None)
