"""Servers that answer oddly, generated: every run ends within its bound with a server problem named,
nothing from the answer on the terminal raw, valid JSON, and never a crash called a pusher-doctor bug."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pusher_doctor.cli import app
from tests.support.hostile import assert_clean, hostile_server, pusher_error

SECRET = "hostile-secret-5e7a9c"
TIMEOUT = 1.0
EXAMPLES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: JSON values with the awkward parts servers send: control characters, deep nesting, huge numbers
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
    | st.sampled_from(["\x1b]0;pwned\x07", "\x1b[41m", "1\n✓ FORGED", "\u202eevil", SECRET, "\ud800"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
rest_bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.fixed_dictionaries({"channels": json_values}).map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"error": json_values, "code": json_values}).map(lambda v: json.dumps(v).encode()),
    st.just(b"[" * 50_000 + b"]" * 50_000),
    st.just(b'{"subscription_count": 1e400}'),
    st.binary(max_size=60),
)


def run_check(port: int, *extra: str) -> tuple[int, str, float]:
    started = time.monotonic()
    result = CliRunner().invoke(app, ["check", "--hotel", "h", "--room", "1", "--app-id", "1", "--key", "hostile-key",
                                      "--secret", SECRET, "--host", "127.0.0.1", "--port", str(port), "--scheme",
                                      "http", "--timeout", str(TIMEOUT), "--yes", *extra], env={"NO_COLOR": "1"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout + result.stderr, time.monotonic() - started


@EXAMPLES
@given(status=st.sampled_from([200, 202, 400, 401, 403, 404, 413, 500, 302]), body=rest_bodies,
       json_mode=st.booleans())
def test_any_rest_answer_ends_cleanly_as_a_named_server_problem(status, body, json_mode) -> None:
    # The WebSocket refuses at once (app disabled), so each example costs the REST exchange only.
    with hostile_server(lambda: (status, body), lambda: [pusher_error(4003, "disabled")]) as port:
        code, output, took = run_check(port, *(["--json"] if json_mode else []))
    assert code in (0, 1), output
    assert took < TIMEOUT + 1.5
    assert_clean(output, SECRET, json_output=json_mode)
    assert "internal-error" not in output and "pusher-doctor bug" not in output


@EXAMPLES
@given(code=json_values, message=json_values, json_mode=st.booleans())
def test_any_pusher_error_frame_ends_cleanly(code, message, json_mode) -> None:
    assume("internal-error" not in repr(message))  # the server's own words are quoted back, as they should be
    channels = json.dumps({"channels": {}}).encode()
    with hostile_server(lambda: (200, channels), lambda: [pusher_error(code, message)]) as port:
        exit_code, output, took = run_check(port, *(["--json"] if json_mode else []))
    assert exit_code in (0, 1)
    assert took < TIMEOUT + 1.5
    assert_clean(output, SECRET, json_output=json_mode)
    assert "internal-error" not in output


@settings(EXAMPLES, max_examples=8)
@given(frame=st.one_of(st.text(max_size=80), json_values.map(json.dumps)))
def test_any_greeting_frame_ends_cleanly(frame) -> None:
    channels = json.dumps({"channels": {}}).encode()
    with hostile_server(lambda: (200, channels), lambda: [frame]) as port:
        exit_code, output, took = run_check(port)
    assert exit_code in (0, 1)
    assert took < TIMEOUT + 1.5
    assert_clean(output, SECRET)


@pytest.mark.parametrize("frame", ['{"event": "pusher:connection_established", "data": "\ud800"}', "[1, 2]"],
                         ids=["invalid-utf-8", "not-an-object"])
def test_a_greeting_that_is_not_the_protocol_is_named_not_pusher(frame: str) -> None:
    # The lone surrogate goes out as the bytes it stands for: a text frame that is not UTF-8.
    channels = json.dumps({"channels": {}}).encode()
    with hostile_server(lambda: (200, channels), lambda: [frame]) as port:
        exit_code, output, _ = run_check(port)
    assert exit_code == 1
    assert_clean(output, SECRET)
    assert "not-pusher" in output and "answered, but not in the Pusher protocol" in output


def test_a_terminal_retitling_error_body_is_shown_escaped_and_named() -> None:
    body = json.dumps({"error": "\x1b]0;owned\x07\x1b[41mbad things", "code": 500}).encode()
    with hostile_server(lambda: (200, body), list) as port:
        code, output, _ = run_check(port)
    assert code == 1
    assert_clean(output, SECRET)
    assert "\\e]0;owned\\x07\\e[41mbad things" in output and "server-error" in output


def test_an_answer_past_the_read_limit_is_named_too_large_not_a_stranger() -> None:
    from pusher_doctor.protocol.rest import MAX_ANSWER_BYTES

    # a valid channel list, only too long: 5 MiB of it
    channels = {f"h-room-{i}-chat": {"subscription_count": 1} for i in range(MAX_ANSWER_BYTES // 40 + 30_000)}
    body = json.dumps({"channels": channels}).encode()
    assert len(body) > MAX_ANSWER_BYTES
    with hostile_server(lambda: (200, body), list) as port:
        result = CliRunner().invoke(app, ["rooms", "--hotel", "h", "--app-id", "1", "--key", "hostile-key", "--secret",
                                          SECRET, "--host", "127.0.0.1", "--port", str(port), "--scheme", "http",
                                          "--timeout", "5"], env={"NO_COLOR": "1"})
    output = result.stdout + result.stderr
    assert result.exit_code == 1, output
    assert "answer-too-large" in output and "larger than the 4 MiB" in output and "not-pusher" not in output
