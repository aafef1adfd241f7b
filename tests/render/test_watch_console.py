"""render/watch.py's WatchConsole: the live lines of `watch`, as exact text, columns aligned."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from rich.console import Console

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.terminal import TerminalReport
from pusher_doctor.render.watch import WatchConsole
from pusher_doctor.triage.model import WatchEvent, WatchNotice


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The clock column in UTC, whatever this machine's zone; the zone is set back after."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_channel_and_event_columns_line_up_whatever_their_lengths(utc) -> None:
    out = io.StringIO()
    console = WatchConsole(TerminalReport(Console(file=out, width=200, color_system=None), Redactor()))
    at = 1764000000.25
    console.show(WatchNotice(at, "subscribed", "subscribed to h-room-1-chat", "h-room-1-chat"))
    console.show(WatchNotice(at, "subscribed", "subscribed to h-conversation-45-chat", "h-conversation-45-chat"))
    console.show(WatchEvent(at, "h-room-1-chat", "new-staff-message", "7", "staff", '{"id": 7}', True))
    console.show(WatchEvent(at, "h-conversation-45-chat", "new-message", "7", "staff", '{"id": 7}', True))
    lines = out.getvalue().splitlines()[2:]
    assert lines == [
        '16:00:00.250  h-room-1-chat           new-staff-message  #7 staff  {"id": 7}',
        '16:00:00.250  h-conversation-45-chat  new-message        #7 staff  {"id": 7}',
    ]
