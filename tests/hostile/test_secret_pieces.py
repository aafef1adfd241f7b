"""Secrets shown in part or in another form (issue #20, item 2): a piece of 8 or more characters, the
secret split by a space, and its escaped forms (JSON, repr, HTML, URL, no-break spaces) are masked, in
the Redactor and in what the commands print and write."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pusher_doctor.cli import app
from pusher_doctor.config.secret import MASK, Redactor
from tests.support.hostile import hostile_server, pusher_error, pusher_server

SECRET = "7ad3773142a6692b25b8"
#: the characters secrets are made of, with those that escaping changes
secret_chars = st.sampled_from("abcdefXYZ0123456789-_'\"\\<>&% \xa0é")
secrets = st.text(secret_chars, min_size=12, max_size=40).filter(
    lambda s: s.strip().strip("'\"") == s and len(set(s)) > 4)
#: text around a secret, of characters no secret has, so that nothing but the secret can be masked
around = st.text(st.sampled_from("ghijkmnpqrstuvw .:/()[]"), max_size=12)

ESCAPES = {"json": lambda s: json.dumps(s)[1:-1], "json-utf8": lambda s: json.dumps(s, ensure_ascii=False)[1:-1],
           "repr": lambda s: repr(s)[1:-1], "html": html.escape, "url": lambda s: quote(s, safe=""),
           "url-plus": lambda s: quote_plus(s, safe=""), "nbsp-as-space": lambda s: s.replace("\xa0", " ")}


@settings(max_examples=150, deadline=None)
@given(secret=secrets, escape=st.sampled_from(sorted(ESCAPES)), before=around, after=around)
def test_an_escaped_form_of_the_secret_is_masked(secret: str, escape: str, before: str, after: str) -> None:
    written = ESCAPES[escape](secret)
    masked = Redactor(secret)(f"{before}{written}{after}")
    assert written not in masked and MASK in masked


@settings(max_examples=150, deadline=None)
@given(secret=secrets, data=st.data(), before=around, after=around)
def test_a_piece_of_eight_or_more_characters_is_masked(secret: str, data: st.DataObject, before: str,
                                                       after: str) -> None:
    size = data.draw(st.integers(8, len(secret)))
    start = data.draw(st.integers(0, len(secret) - size))
    piece = secret[start:start + size]
    assume(size >= 12 or any(c.isdigit() for c in piece))  # shorter pieces only with a digit (not a word)
    masked = Redactor(secret)(f"{before}{piece}{after}")
    assert piece not in masked and MASK in masked


def test_a_word_the_secret_shares_with_the_output_is_left_alone() -> None:
    redact = Redactor("disabled-secret-8b2e")
    assert redact("app-disabled: enable the app") == "app-disabled: enable the app"
    assert redact("echo disabled-secr!") == f"echo {MASK}!" and redact("echo ret-8b2e") == f"echo {MASK}"


@settings(max_examples=150, deadline=None)
@given(secret=secrets.filter(lambda s: not any(c.isspace() for c in s)), data=st.data(),
       space=st.sampled_from([" ", "  ", "\n", "\t"]), before=around, after=around)
def test_the_secret_split_by_whitespace_is_masked(secret: str, data: st.DataObject, space: str, before: str,
                                                  after: str) -> None:
    cut = data.draw(st.integers(2, len(secret) - 2))
    masked = Redactor(secret)(f"{before} {secret[:cut]}{space}{secret[cut:]} {after}")
    assert MASK in masked
    longer = max(secret[:cut], secret[cut:], key=len)
    assert longer not in masked


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80))
def test_text_without_a_piece_of_the_secret_is_left_as_it_is(text: str) -> None:
    pieces = {SECRET[i:i + 4] for i in range(len(SECRET) - 3)}
    if any(piece in text for piece in pieces):
        return
    assert Redactor(SECRET)(text) == text


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stdout + result.stderr


def test_a_server_echoing_part_of_the_secret_shows_none_of_it() -> None:
    echo = f"bad signature for secret starting {SECRET[:12]}, split {SECRET[:9]} {SECRET[9:]}"
    body = json.dumps({"error": echo, "code": 401}).encode()
    with hostile_server(lambda: (200, body), lambda: [pusher_error(4003, echo)]) as port:
        for mode in ([], ["--json"]):
            output = _run(["check", "--hotel", "h", "--room", "1", "--app-id", "1", "--key", "k", "--secret", SECRET,
                           "--host", "127.0.0.1", "--port", str(port), "--scheme", "http", "--timeout", "1", "--yes",
                           *mode])
            assert "bad signature" in output
            assert SECRET[:12] not in output and SECRET[9:] not in output and SECRET[:9] not in output


def test_a_watch_report_shows_no_piece_of_the_secret(tmp_path) -> None:
    data = json.dumps({"id": 1, "message": f"echo {SECRET[3:15]} and {SECRET[:10]}\xa0{SECRET[10:]}"})
    frames = lambda channel: [json.dumps({"event": "new-staff-message", "channel": channel, "data": data})]
    report = tmp_path / "watch.md"
    with pusher_server(frames) as port:
        output = _run(["watch", "--channel", "hotel-room-1-chat", "--key", "k", "--secret", SECRET, "--host",
                       "127.0.0.1", "--port", str(port), "--scheme", "http", "--duration", "1", "--json",
                       "--report", str(report)])
    written = report.read_text()
    assert "echo" in output and "echo" in written
    for shown in (output, written):
        assert SECRET[3:15] not in shown and SECRET[:10] not in shown and SECRET[10:] not in shown
