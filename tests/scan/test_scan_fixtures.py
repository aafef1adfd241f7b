"""End-to-end: scan the fixture trees and check every finding's rule, file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.scan import BackendPusherSettings, ScanInputError, scan_frontend
from pusher_doctor.scan.rules import RULES_BY_ID
from tests.scan.support import BACKEND, FIXTURES, positions

WRONG_EXPECTED = [
    ("client-in-render", "src/ClassRender.jsx", 6, 20),
    ("client-in-render", "src/ClassRender.jsx", 7, 21),
    ("client-in-render", "src/ClientInRender.jsx", 7, 18),
    ("client-in-render", "src/ClientInRender.jsx", 16, 25),
    ("client-in-render", "src/ClientInRender.jsx", 21, 10),
    ("client-in-render", "src/ClientInRender.jsx", 25, 19),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 13, 30),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 19, 3),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 36, 7),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 48, 5),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 61, 30),
    ("early-unsubscribe", "src/EarlyUnsubscribe.jsx", 71, 30),
    ("unmount-while-shown", "src/EarlyUnsubscribe.jsx", 83, 68),
    ("stale-state", "src/GuestChat.tsx", 10, 42),
    ("wrong-event", "src/GuestOptions.vue", 14, 23),
    ("early-unsubscribe", "src/GuestOptions.vue", 15, 5),
    ("wrong-channel", "src/GuestSetup.vue", 13, 36),
    ("missing-cluster", "src/MissingCluster.js", 3, 26),
    ("missing-cluster", "src/MissingCluster.js", 6, 51),
    ("wrong-channel", "src/RoomChat.jsx", 7, 20),
    ("wrong-event", "src/RoomChat.jsx", 8, 60),
    ("early-unsubscribe", "src/RoomChat.jsx", 9, 81),
    ("mount-without-teardown", "src/StaleState.jsx", 6, 3),
    ("stale-state", "src/StaleState.jsx", 9, 7),
    ("stale-state", "src/StaleState.jsx", 17, 43),
    ("unbind-all", "src/UnbindAll.jsx", 9, 7),
    ("unbind-all", "src/UnbindAll.jsx", 10, 7),
    ("wrong-channel", "src/WrongChannel.jsx", 8, 22),
    ("wrong-channel", "src/WrongChannel.jsx", 16, 22),
    ("wrong-channel", "src/WrongChannel.jsx", 23, 22),
    ("wrong-channel", "src/WrongChannel.jsx", 30, 22),
    ("wrong-channel", "src/WrongChannel.jsx", 37, 22),
    ("wrong-event", "src/WrongEvent.jsx", 11, 18),
    ("wrong-event", "src/WrongEvent.jsx", 12, 18),
    ("wrong-channel", "src/chat.ts", 10, 36),
    ("wrong-event", "src/chat.ts", 11, 34),
]


@pytest.fixture(scope="module")
def wrong_report():
    return scan_frontend(FIXTURES / "wrong")


def _finding(report, file: str, line: int, rule: str):
    matches = [f for f in report.findings if f.file == file and f.line == line and f.rule == rule]
    assert len(matches) == 1, positions(report)
    return matches[0]


# --- the correct guest page ------------------------------------------------------------------------


def test_correct_tree_has_no_finding_at_all():
    report = scan_frontend(FIXTURES / "correct", backend_settings=BACKEND)
    assert positions(report) == []
    assert report.ok
    assert report.skipped == ()
    assert report.files_scanned == 10
    assert report.env_files == (".env",)


def test_correct_tree_is_really_analysed():
    # the same tree against another backend app: its clients (and nothing else) are reported
    report = scan_frontend(FIXTURES / "correct", backend_settings=BackendPusherSettings("other-key", "us2"))
    assert positions(report) == [
        ("key-mismatch", "src/lib/pusher.js", 4, 34),
        ("cluster-mismatch", "src/lib/pusher.js", 5, 12),
        ("key-mismatch", "src/pages/GuestChatTs.tsx", 14, 36),
        ("cluster-mismatch", "src/pages/GuestChatTs.tsx", 15, 16),
    ]
    assert not report.ok


def test_single_correct_file_can_be_scanned():
    report = scan_frontend(FIXTURES / "correct" / "src" / "pages" / "GuestChat.jsx")
    assert report.files_scanned == 1
    assert positions(report) == []


# --- every wrong form ------------------------------------------------------------------------------


def test_wrong_tree_findings_are_exactly_these(wrong_report):
    assert positions(wrong_report) == WRONG_EXPECTED
    assert wrong_report.files_scanned == 15
    assert wrong_report.skipped == ()


def test_findings_carry_the_checklist_item_of_their_rule(wrong_report):
    for finding in wrong_report.findings:
        assert finding.checklist_item == RULES_BY_ID[finding.rule].checklist_item
    items = {f.rule: f.checklist_item for f in wrong_report.findings}
    assert items["wrong-channel"] == "channel-name"
    assert items["wrong-event"] == "event-name"
    assert items["stale-state"] == "state-update"
    assert items["early-unsubscribe"] == "lifecycle"
    assert items["missing-cluster"] == "credentials"


def test_findings_are_sorted(wrong_report):
    keys = [(f.file, f.line, f.column, f.rule) for f in wrong_report.findings]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        (8, ["'{hotelSlug}-rooms-{roomNumber}-chat'", "'rooms' where the backend says 'room'"]),
        (16, ["'{hotelSlug}_room_{roomNumber}-chat'", "'_' where the backend uses '-'"]),
        (23, ["'{hotelSlug}-room-{roomNumber}'", "lacks the '-chat' suffix"]),
        (30, ["'private-{hotelSlug}-room-{roomNumber}-chat'", "starts with 'private-'"]),
        (37, ["guest view subscribes to the conversation channel", "conversation-{conversationId}-chat"]),
    ],
)
def test_wrong_channel_messages_name_the_actual_values(wrong_report, line, words):
    finding = _finding(wrong_report, "src/WrongChannel.jsx", line, "wrong-channel")
    for word in words:
        assert word in finding.message
    assert "pusher.subscribe" in finding.code
    assert "${hotelSlug}-room-${roomNumber}-chat" in finding.hint


def test_wrong_channel_through_concatenation_and_const_points_at_the_subscribe(wrong_report):
    finding = _finding(wrong_report, "src/WrongChannel.jsx", 16, "wrong-channel")
    assert finding.code == "pusher.subscribe(name);"


def test_wrong_event_messages(wrong_report):
    on_room = _finding(wrong_report, "src/WrongEvent.jsx", 11, "wrong-event")
    assert "'new-message'" in on_room.message and "conversation channel" in on_room.message
    assert on_room.hint == "bind 'new-staff-message'"
    via_const = _finding(wrong_report, "src/WrongEvent.jsx", 12, "wrong-event")
    assert "'message-received'" in via_const.message
    assert via_const.code == "channel.bind(EVENT, onMessage);"
    typed = _finding(wrong_report, "src/chat.ts", 11, "wrong-event")
    assert "'new_staff_message'" in typed.message
    assert typed.hint == "bind 'new-staff-message'"


def test_typescript_case_difference_is_a_wrong_channel(wrong_report):
    finding = _finding(wrong_report, "src/chat.ts", 10, "wrong-channel")
    assert "letter case" in finding.message


def test_vue_findings_map_to_vue_file_lines(wrong_report):
    event = _finding(wrong_report, "src/GuestOptions.vue", 14, "wrong-event")
    assert event.code == "this.channel.bind('staff-message', (m) => this.messages.push(m));"
    early = _finding(wrong_report, "src/GuestOptions.vue", 15, "early-unsubscribe")
    assert early.code == "pusher.unsubscribe(name);"
    conversation = _finding(wrong_report, "src/GuestSetup.vue", 13, "wrong-channel")
    assert "conversation" in conversation.message


def test_early_unsubscribe_reasons(wrong_report):
    file = "src/EarlyUnsubscribe.jsx"
    assert "'messages'" in _finding(wrong_report, file, 13, "early-unsubscribe").message
    assert "without a dependency array" in _finding(wrong_report, file, 19, "early-unsubscribe").message
    assert "inside the Pusher event handler" in _finding(wrong_report, file, 36, "early-unsubscribe").message
    assert "right after subscribing" in _finding(wrong_report, file, 48, "early-unsubscribe").message
    assert "created anew on every render" in _finding(wrong_report, file, 61, "early-unsubscribe").message
    assert "setDraft" in _finding(wrong_report, file, 71, "early-unsubscribe").message


def test_correct_effect_forms_are_not_flagged(wrong_report):
    # MountOnly ([] + cleanup) and switchRoom (unsubscribe old, then subscribe new): at most the note
    # that a mount-once cleanup loses messages if the view unmounts while shown
    found = {(f.line, f.rule, f.severity) for f in wrong_report.findings if f.file == "src/EarlyUnsubscribe.jsx"}
    assert {(line, rule, severity) for line, rule, severity in found if 76 <= line <= 93} == {
        (83, "unmount-while-shown", "note")
    }


def test_stale_state_names_setter_and_state(wrong_report):
    spread = _finding(wrong_report, "src/StaleState.jsx", 9, "stale-state")
    assert "setMessages([...messages, data])" in spread.message
    assert "deps []" in spread.message
    assert spread.hint == "use the functional form: setMessages(prev => [...prev, data])"
    concat = _finding(wrong_report, "src/GuestChat.tsx", 10, "stale-state")
    assert "messages.concat(data)" in concat.message


def test_client_in_render_variants(wrong_report):
    use_ref = _finding(wrong_report, "src/ClientInRender.jsx", 16, "client-in-render")
    assert "useRef" in use_ref.message
    hook = _finding(wrong_report, "src/ClientInRender.jsx", 21, "client-in-render")
    assert "hook usePusherClient" in hook.message
    render = _finding(wrong_report, "src/ClassRender.jsx", 7, "client-in-render")
    assert "render()" in render.message
    # useMemo, lazy useState, guarded ref and a plain factory function are fine
    lines = {f.line for f in wrong_report.findings if f.file == "src/ClientInRender.jsx"}
    assert not lines & set(range(29, 44))


def test_custom_hook_call_sites(wrong_report):
    channel = _finding(wrong_report, "src/RoomChat.jsx", 7, "wrong-channel")
    assert "usePusherChannel" in channel.message and "-chats'" in channel.message
    event = _finding(wrong_report, "src/RoomChat.jsx", 8, "wrong-event")
    assert "'new-message'" in event.message
    inline = _finding(wrong_report, "src/RoomChat.jsx", 9, "early-unsubscribe")
    assert "'handler'" in inline.message
    assert not [f for f in wrong_report.findings if f.file == "src/hooks/usePusherChannel.js"]


def test_missing_cluster_only_without_cluster_and_wshost(wrong_report):
    lines = [f.line for f in wrong_report.findings if f.file == "src/MissingCluster.js"]
    assert lines == [3, 6]


# --- subscribed -----------------------------------------------------------------------------------


def test_no_guest_subscribe_is_reported_at_the_client_when_the_hotel_contract_is_asked_for():
    report = scan_frontend(FIXTURES / "no_subscribe", contract="hotel")
    assert report.contract == "asked for"
    assert positions(report) == [("no-guest-subscribe", "src/pusher.js", 3, 23)]
    finding = report.findings[0]
    assert finding.checklist_item == "subscribed"
    assert "'{hotelSlug}-notifications'" in finding.message


def test_an_app_that_shows_no_hotel_chat_contract_gets_no_contract_rule():
    report = scan_frontend(FIXTURES / "no_subscribe")
    assert report.contract is None
    assert positions(report) == []
    assert "no-guest-subscribe" not in {rule.id for rule in report.rules}
    assert "unbind-all" in {rule.id for rule in report.rules}


def test_no_guest_subscribe_not_reported_when_a_room_channel_is_subscribed():
    report = scan_frontend(FIXTURES / "correct" / "src")
    assert "no-guest-subscribe" not in {f.rule for f in report.findings}


# --- credentials ----------------------------------------------------------------------------------


def test_env_file_is_discovered_and_compared():
    report = scan_frontend(FIXTURES / "credentials", backend_settings=BACKEND)
    assert report.env_files == (".env",)
    assert _compared(report) == [
        ("key-mismatch", "literal/chat.js", 1, 27),
        ("key-mismatch", "src/pusher.js", 5, 34),
        ("cluster-mismatch", "src/pusher.js", 6, 12),
    ]
    key = report.findings[1]
    assert "'frontend-old-key'" in key.message and "VITE_PUSHER_KEY in .env" in key.message
    assert "'3f2a9c1b7d'" in key.message
    assert "'literal-key'" in report.findings[0].message
    assert "'us2'" in report.findings[2].message


def test_explicit_env_file_is_used_instead():
    root = FIXTURES / "credentials"
    report = scan_frontend(root, root / "frontend.env", backend_settings=BACKEND)
    assert report.env_files == ("frontend.env",)
    assert _compared(report) == [
        ("key-mismatch", "literal/chat.js", 1, 27),
        ("cluster-mismatch", "src/pusher.js", 10, 12),
    ]
    mismatch = next(f for f in report.findings if f.rule == "cluster-mismatch")
    assert "REACT_APP_PUSHER_APP_CLUSTER in frontend.env" in mismatch.message


def test_env_file_in_parent_directory():
    report = scan_frontend(FIXTURES / "credentials" / "literal", backend_settings=BACKEND)
    assert report.env_files == ("../.env",)
    assert positions(report) == [("key-mismatch", "chat.js", 1, 27)]


def test_env_only_mismatch_is_reported_at_the_env_file_line():
    # .env.local overrides .env; the client's key is a global the scan cannot resolve
    report = scan_frontend(FIXTURES / "credentials" / "envonly", backend_settings=BACKEND)
    assert report.env_files == (".env", ".env.local")
    assert positions(report) == [("key-mismatch", ".env.local", 1, 1)]
    assert report.findings[0].code == "NEXT_PUBLIC_PUSHER_KEY=next-key"
    assert "'next-key'" in report.findings[0].message


def _compared(report):
    """Positions of the findings that compare with the backend (the fixture's one file reads both a Vite
    and a CRA set of variables, so whichever env file is read leaves the other set undefined)."""
    return [position for position in positions(report) if position[0] != "env-not-defined"]


def test_variables_in_no_env_file_the_scan_read_are_flagged():
    report = scan_frontend(FIXTURES / "credentials")
    undefined = [(f.file, f.line, f.message.split(" is ")[0]) for f in report.findings if f.rule == "env-not-defined"]
    assert undefined == [
        ("src/pusher.js", 9, "REACT_APP_PUSHER_APP_KEY"),
        ("src/pusher.js", 10, "REACT_APP_PUSHER_APP_CLUSTER"),
    ]


def test_no_credential_findings_without_backend_settings():
    report = scan_frontend(FIXTURES / "credentials")
    assert _compared(report) == []


def test_missing_env_file_is_an_input_error():
    with pytest.raises(ScanInputError, match="does not exist"):
        scan_frontend(FIXTURES / "correct", FIXTURES / "nope.env")


# --- parse errors ---------------------------------------------------------------------------------


def test_mostly_fine_file_is_analysed_and_broken_file_skipped():
    report = scan_frontend(FIXTURES / "parse")
    assert positions(report) == [("wrong-channel", "mostly_fine.js", 4, 36)]
    assert [(s.file, s.reason.split(" (")[0]) for s in report.skipped] == [("broken.js", "parse errors")]
    assert report.files_scanned == 1


def test_missing_root_is_an_input_error(tmp_path: Path):
    with pytest.raises(ScanInputError):
        scan_frontend(tmp_path / "missing")
