"""wire.py: turning Pusher cloud, soketi and Reverb answers and socket errors into stable causes."""

from __future__ import annotations

import json
import socket
import ssl
import time
from email.utils import formatdate

import pytest
import requests
import websocket
from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from pusher_doctor.protocol.wire import (
    classify_rest_answer,
    classify_transport_error,
    classify_ws_error,
    clock_skew_seconds,
    load_json,
    occupied_channels,
    parse_pusher_error,
    subscription_count,
)
from pusher_doctor.results import CAUSES

ENDPOINT = "ws://127.0.0.1:6001"
KEY_MISSING = {"code": 4001, "message": "App key abc does not exist."}


# --- parse_pusher_error ---------------------------------------------------------------------------

def test_parse_pusher_error_reads_a_dict_as_pusher_and_soketi_send_it():
    assert parse_pusher_error(KEY_MISSING) == (4001, "App key abc does not exist.")


def test_parse_pusher_error_reads_a_json_string():
    assert parse_pusher_error(json.dumps(KEY_MISSING)) == (4001, "App key abc does not exist.")


def test_parse_pusher_error_reads_reverbs_doubly_encoded_string():
    doubly = json.dumps(json.dumps({"code": 4001, "message": "Application does not exist"}))
    assert isinstance(json.loads(doubly), str)  # the fixture really is encoded twice
    assert parse_pusher_error(doubly) == (4001, "Application does not exist")


def test_parse_pusher_error_accepts_a_code_sent_as_a_string():
    assert parse_pusher_error({"code": "4003", "message": "The app is not enabled."})[0] == 4003


def test_parse_pusher_error_on_garbage_gives_no_code_and_keeps_the_text():
    assert parse_pusher_error("<html>oops") == (None, "<html>oops")


def test_parse_pusher_error_on_none_gives_no_code_and_no_text():
    assert parse_pusher_error(None) == (None, "")


# --- classify_ws_error ----------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "message", "cause"), [
    (4001, "App key abc does not exist.", "key-not-found"),
    (4001, "App key abc not in this cluster. Did you forget to specify the cluster?", "wrong-cluster"),
    (4003, "The app is not enabled.", "app-disabled"),
    (4004, "App is over connection quota", "over-quota"),
    (4100, "The current concurrent connections quota has been reached.", "over-quota"),
    (4200, "Server is closing.", "server-error"),
])
def test_classify_ws_error_maps_each_documented_code(code, message, cause):
    diagnosed = classify_ws_error(code, message)
    assert diagnosed.cause == cause
    assert str(code) in diagnosed.summary
    assert message in diagnosed.summary


def test_classify_ws_error_gives_the_registered_fix_by_default():
    assert classify_ws_error(4003, "The app is not enabled.").hint == {c.id: c.fix for c in CAUSES}["app-disabled"]


# --- classify_rest_answer: soketi (HTTP 200 with an error body) ----------------------------------

@pytest.mark.parametrize(("body", "cause"), [
    ('{"error":"The secret authentication failed","code":401}', "wrong-secret"),
    ('{"error":"The app 99 could not be found.","code":404}', "app-not-found"),
    ('{"error":"The event data should be less than 1 KB.","code":413}', "payload-too-large"),
])
def test_soketi_errors_in_an_http_200_body_are_recognised(body, cause):
    diagnosed = classify_rest_answer(200, body)
    assert diagnosed is not None
    assert diagnosed.cause == cause
    assert json.loads(body)["error"] in diagnosed.summary


@pytest.mark.parametrize("body", ['{"channels":{}}', '{"ok":true}', "{}"])
def test_a_json_object_without_error_is_a_success(body):
    assert classify_rest_answer(200, body) is None


# --- classify_rest_answer: Pusher cloud (real statuses, plain-text bodies) ----------------------

SENT_SIGNATURE = ("Invalid signature: you should have sent HmacSHA256Hex(\"POST\\n/apps/38128/events\\n"
                  "auth_key=9420a8ef0031a6153350&auth_timestamp=1362068936&auth_version=1.0&"
                  "body_md5=f526bda6bdd083b269a52680132c1e4c\", your_secret_key), but you sent \"5688f4c2\"")


@pytest.mark.parametrize(("status", "body", "cause"), [
    (400, "Unknown auth_key", "key-not-found"),
    (401, "Invalid signature: you should have sent HmacSHA256Hex(...)", "wrong-secret"),
    (401, "Timestamp expired: Given timestamp (1700000000) not within 600s of server time (1700000900)",
     "clock-skew"),
    (413, "The data content of this event exceeds the allowed maximum (10240 bytes).", "payload-too-large"),
    (403, "Forbidden: over message quota", "over-quota"),
    (403, "Forbidden", "app-disabled"),
])
def test_pusher_cloud_error_statuses_are_recognised(status, body, cause):
    diagnosed = classify_rest_answer(status, body)
    assert diagnosed is not None
    assert diagnosed.cause == cause
    assert f"HTTP {status}" in diagnosed.summary


def test_pusher_invalid_signature_with_the_real_string_to_sign_is_a_wrong_secret():
    diagnosed = classify_rest_answer(401, SENT_SIGNATURE)
    assert diagnosed is not None
    assert diagnosed.cause == "wrong-secret"


# --- classify_rest_answer: something that is not a Pusher server --------------------------------

def test_a_web_server_answering_200_with_html_is_not_pusher():
    diagnosed = classify_rest_answer(200, "<html><body>It works!</body></html>")
    assert diagnosed is not None
    assert diagnosed.cause == "not-pusher"


def test_a_web_server_answering_404_with_html_is_not_pusher():
    body = ("<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1>"
            "</center><hr><center>nginx</center></body></html>")
    diagnosed = classify_rest_answer(404, body)
    assert diagnosed is not None
    assert diagnosed.cause == "not-pusher"


def test_a_web_server_404_page_echoing_the_request_path_is_not_pusher():
    body = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
            "</head>\n<body>\n<pre>Cannot POST /apps/1001/events</pre>\n</body>\n</html>\n")
    diagnosed = classify_rest_answer(404, body)
    assert diagnosed is not None
    assert diagnosed.cause == "not-pusher"


# --- classify_transport_error ---------------------------------------------------------------------

def _requests_error_wrapping(reason: Exception, kind: type[requests.RequestException]) -> Exception:
    """The exception requests raises: it wraps urllib3's MaxRetryError, which holds the reason."""
    pool = HTTPConnectionPool("127.0.0.1", 6001)
    return kind(MaxRetryError(pool, "/apps/1/events", reason=reason))


def test_connection_refused_is_unreachable():
    diagnosed = classify_transport_error(ConnectionRefusedError(111, "Connection refused"), ENDPOINT)
    assert diagnosed.cause == "unreachable"
    assert "refused" in diagnosed.summary
    assert ENDPOINT in diagnosed.summary


def test_a_name_that_does_not_resolve_is_unreachable():
    diagnosed = classify_transport_error(socket.gaierror(-2, "Name or service not known"), ENDPOINT)
    assert diagnosed.cause == "unreachable"
    assert "resolve" in diagnosed.summary


def test_a_tls_failure_is_a_tls_error():
    error = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    assert classify_transport_error(error, ENDPOINT).cause == "tls-error"


def test_a_requests_connect_timeout_is_a_timeout():
    conn = HTTPConnection("10.255.255.1", 80)
    reason = ConnectTimeoutError(conn, "Connection to 10.255.255.1 timed out. (connect timeout=1)")
    error = _requests_error_wrapping(reason, requests.exceptions.ConnectTimeout)
    assert classify_transport_error(error, ENDPOINT).cause == "timeout"


def test_a_requests_connection_error_wrapping_a_refusal_is_unreachable():
    conn = HTTPConnection("127.0.0.1", 6001)
    reason = NewConnectionError(conn, "Failed to establish a new connection: [Errno 111] Connection refused")
    error = _requests_error_wrapping(reason, requests.exceptions.ConnectionError)
    diagnosed = classify_transport_error(error, ENDPOINT)
    assert diagnosed.cause == "unreachable"
    assert "refused" in diagnosed.summary


def test_a_refusal_raised_from_an_os_error_is_found_in_the_cause_chain():
    try:
        try:
            raise ConnectionRefusedError(111, "boom")
        except ConnectionRefusedError as inner:
            raise RuntimeError("while connecting") from inner
    except RuntimeError as outer:
        assert classify_transport_error(outer, ENDPOINT).cause == "unreachable"


def test_an_http_answer_instead_of_a_websocket_upgrade_is_not_pusher():
    error = websocket.WebSocketBadStatusException("Handshake status %d %s", 200, "OK")
    diagnosed = classify_transport_error(error, ENDPOINT)
    assert diagnosed.cause == "not-pusher"
    assert "HTTP 200" in diagnosed.summary


# --- clock_skew_seconds ---------------------------------------------------------------------------

def test_clock_skew_of_a_server_date_700_seconds_ahead():
    now = time.time()
    server_date = formatdate(now + 700, usegmt=True)  # the HTTP Date header form
    skew = clock_skew_seconds(server_date, now)
    assert skew == pytest.approx(700, abs=1)  # the header has whole seconds


def test_clock_skew_of_a_server_date_behind_is_negative():
    now = time.time()
    assert clock_skew_seconds(formatdate(now - 30, usegmt=True), now) == pytest.approx(-30, abs=1)


@pytest.mark.parametrize("date", ["not a date", "", None])
def test_clock_skew_of_a_garbage_or_missing_date_is_unknown(date):
    assert clock_skew_seconds(date, time.time()) is None


# --- answers that parse but are not what the Pusher API documents ------------------------------

def test_deeply_nested_json_is_an_unusable_answer_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ValueError):
        load_json(deep)
    assert classify_rest_answer(200, deep).cause == "not-pusher"
    assert parse_pusher_error(deep)[0] is None


@pytest.mark.parametrize("body", [{"channels": 5}, {"channels": ["a"]}, {"channels": "x"}])
def test_a_channels_listing_of_the_wrong_shape_is_a_server_problem_quoting_it(body) -> None:
    found = occupied_channels(body)
    assert found.cause == "server-error" and '"channels"' in found.summary


@pytest.mark.parametrize("count", ["5", 1e400, -1, True, 2.5])
def test_a_subscription_count_that_is_not_a_count_is_a_server_problem(count) -> None:
    found = subscription_count({"subscription_count": count})
    assert found.cause == "server-error" and "subscription_count" in found.summary


def test_well_formed_answers_pass_through() -> None:
    assert occupied_channels({"channels": {"a": {}}}) == {"a": {}}
    assert occupied_channels({}) == {}
    assert subscription_count({"subscription_count": 3}) == 3
    assert subscription_count({"occupied": False}) is None


def test_a_web_page_is_quoted_as_a_short_cleaned_excerpt() -> None:
    page = "<html><head><title>Welcome</title></head><body><h1>It works!</h1>" + "<p>x</p>" * 500 + "</body>"
    summary = classify_rest_answer(200, page).summary
    assert "<" not in summary and "Welcome It works!" in summary and len(summary) < 250
