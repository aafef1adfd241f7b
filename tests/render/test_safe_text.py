"""render/safe_text.py: nothing from outside reaches a terminal as a control sequence; JSON stays UTF-8."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import printable, valid_unicode
from pusher_doctor.render.terminal import TerminalReport
from pusher_doctor.results import CheckResult, failed, problem

UNSAFE = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | set("\u202e\u2066\u200f\u2028\u061c")


def test_escape_sequences_and_forged_lines_are_shown_as_visible_escapes() -> None:
    assert printable("\x1b]0;owned\x07\x1b[41mred") == "\\e]0;owned\\x07\\e[41mred"
    assert printable("1\n✓ FORGED") == "1\\n✓ FORGED"
    assert printable("abc\u202edef") == "abc\\u202edef"


def test_lone_surrogates_from_undecodable_bytes_become_replacement_characters() -> None:
    undecodable = b"room-\xff".decode("utf-8", "surrogateescape")
    assert valid_unicode(undecodable) == "room-\ufffd"
    assert printable(undecodable) == "room-\ufffd"
    assert valid_unicode("plain ✓") == "plain ✓"


@given(st.text())
def test_printable_output_has_no_unsafe_character_and_encodes(text: str) -> None:
    shown = printable(text)
    assert not set(shown) & UNSAFE
    shown.encode("utf-8")


def test_the_terminal_renderer_escapes_a_servers_hostile_error_text() -> None:
    out = io.StringIO()
    terminal = TerminalReport(Console(file=out, width=200, color_system=None), Redactor())
    hostile = problem("server-error", "server said: \x1b]0;pwned\x07\x1b[41mhello\r\n✓ Delivery  all fine")
    terminal.check(CheckResult("rest-api", "REST API", failed(hostile), 1.0))
    text = out.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert text.count("\n") == 3  # summary, fix and cause lines, and nothing forged
    assert "\\e]0;pwned\\x07\\e[41mhello\\r\\n✓ Delivery" in text
