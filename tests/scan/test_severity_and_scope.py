"""Severity decides what fails a scan; the hotel-chat contract rules run only where the code shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.scan import Finding, ScanReport, Scope, Severity, scan_frontend
from pusher_doctor.scan.rules import RULES, RULES_BY_ID

CONTRACT_RULES = {"no-guest-subscribe", "wrong-channel", "wrong-event"}

#: a generic app: its own channel and event names, one generic lifecycle bug (unbind() in a cleanup)
ORDERS = """import Pusher from 'pusher-js';
const pusher = new Pusher(KEY, { cluster: 'eu' });
export function Orders({ userId }) {
  useEffect(() => {
    const channel = pusher.subscribe(`orders-${userId}`);
    channel.bind('order-shipped', refresh);
    return () => channel.unbind();
  }, [userId]);
}
"""
#: another component on the same channel: its handler is what Orders' unbind() removes too
BADGE = """import { pusher } from './pusher';
export function Badge({ userId }) {
  useEffect(() => {
    const channel = pusher.subscribe(`orders-${userId}`);
    channel.bind('order-shipped', bump);
    return () => channel.unbind('order-shipped', bump);
  }, [userId]);
}
"""


def _finding(severity: Severity) -> Finding:
    return Finding("r", "a.js", 1, 1, "m", "h", "code", "lifecycle", severity)


def test_only_the_three_hotel_chat_rules_are_contract_rules():
    assert {rule.id for rule in RULES if rule.scope is Scope.HOTEL_CONTRACT} == CONTRACT_RULES


def test_every_rule_has_a_severity():
    assert all(isinstance(rule.severity, Severity) for rule in RULES)
    assert RULES_BY_ID["wrong-channel"].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [("error", ["error"]), ("warning", ["error", "warning"]), ("note", ["error", "warning", "note"])],
)
def test_fail_on_picks_the_least_severe_finding_that_fails(fail_on, failing):
    report = ScanReport("root", 1, tuple(_finding(Severity(s)) for s in ("error", "warning", "note")), ())
    assert [f.severity for f in report.failing(fail_on)] == failing
    assert not report.clean(fail_on=fail_on)


def test_notes_alone_do_not_fail_the_default_threshold():
    report = ScanReport("root", 1, (_finding(Severity.NOTE),), ())
    assert report.clean() and not report.clean(fail_on=Severity.NOTE) and not report.ok


def test_a_generic_app_gets_no_contract_rule_but_the_generic_ones(tmp_path: Path):
    (tmp_path / "Orders.jsx").write_text(ORDERS)
    (tmp_path / "Badge.jsx").write_text(BADGE)
    report = scan_frontend(tmp_path)
    assert report.contract is None
    assert not CONTRACT_RULES & {rule.id for rule in report.rules}
    assert [(f.rule, f.severity) for f in report.findings] == [("unbind-all", "warning")]


def test_contract_hotel_runs_them_anyway(tmp_path: Path):
    (tmp_path / "Orders.jsx").write_text(ORDERS)
    report = scan_frontend(tmp_path, contract="hotel")
    assert report.contract == "asked for"
    assert CONTRACT_RULES <= {rule.id for rule in report.rules}
    assert "no-guest-subscribe" in {f.rule for f in report.findings}


@pytest.mark.parametrize(
    ("files", "evidence"),
    [
        ({"Chat.jsx": "channel.bind('new-staff-message', show);\n"}, "Chat.jsx:1 binds 'new-staff-message'"),
        (
            {"chat.js": "pusher.subscribe(`${slug}-room-${room}-chat`);\n"},
            "chat.js:1 subscribes to '{slug}-room-{room}-chat'",
        ),
        (
            {"chat.js": "pusher.subscribe(`${hotelSlug}-rooms-${room}`);\n"},
            "chat.js:1 subscribes to '{hotelSlug}-rooms-{room}'",
        ),
        ({"src/guest/Chat.jsx": "pusher.subscribe(name);\n"}, "src/guest/Chat.jsx uses Pusher in a guest view"),
        ({"src/staff/Inbox.jsx": "pusher.subscribe(name);\n"}, "src/staff/Inbox.jsx uses Pusher in a staff view"),
    ],
)
def test_what_shows_the_hotel_chat_contract(tmp_path: Path, files, evidence):
    for name, code in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(code)
    assert scan_frontend(tmp_path).contract == evidence


@pytest.mark.parametrize(
    "code",
    [
        "pusher.subscribe(`presence-chat-room.${roomId}`);\n",  # a generic chat app's room
        "pusher.subscribe('my-channel').bind('my-event', show);\n",
        "channel.bind('new-message', show);\n",  # the conversation event alone is too common a name
    ],
)
def test_what_does_not(tmp_path: Path, code):
    (tmp_path / "chat.js").write_text(code)
    assert scan_frontend(tmp_path).contract is None


def test_contract_none_turns_them_off_even_with_evidence(tmp_path: Path):
    (tmp_path / "Chat.jsx").write_text("pusher.subscribe(`${slug}-rooms-${room}-chat`).bind('new-staff-message', f);\n")
    assert scan_frontend(tmp_path, contract="hotel").findings
    report = scan_frontend(tmp_path, contract="none")
    assert report.contract is None and report.findings == ()


def test_an_unknown_contract_choice_is_a_programming_error(tmp_path: Path):
    (tmp_path / "a.js").write_text("x();\n")
    with pytest.raises(ValueError, match="contract"):
        scan_frontend(tmp_path, contract="hotels")
