"""End to end on realistic apps, one per framework: each planted bug is found with its severity, and
the correct files around them (shared clients, hooks, plugins, server code) stay silent."""

from __future__ import annotations

import pytest

from pusher_doctor.scan import scan_frontend
from tests.scan.support import FIXTURES

APPS = FIXTURES / "apps"

EXPECTED = {
    "react-vite": [
        ("client-not-disconnected", "src/components/ChatRoom.jsx", 9, "warning"),
        ("early-unsubscribe", "src/components/ChatRoom.jsx", 13, "warning"),
        ("teardown-mismatch", "src/components/Ticker.jsx", 13, "warning"),
        ("teardown-mismatch", "src/components/TypingIndicator.jsx", 12, "warning"),
    ],
    "nextjs": [
        ("secret-in-browser", ".env.local", 6, "error"),
        ("unmount-while-shown", "src/components/OnlineCount.tsx", 14, "note"),
    ],
    "vue2-laravel": [
        ("mount-without-teardown", "resources/js/components/ChatMessages.vue", 13, "warning"),
        ("echo-event-prefix", "resources/js/components/ChatMessages.vue", 15, "warning"),
        ("teardown-mismatch", "resources/js/components/OrderList.vue", 13, "warning"),
    ],
    "vue3-hotel": [
        ("echo-event-prefix", "src/components/GuestChat.vue", 17, "error"),
        ("wrong-channel", "src/components/RoomBadge.vue", 14, "error"),
        ("mount-without-teardown", "src/composables/useRoomPresence.js", 8, "warning"),
    ],
    "nuxt": [
        ("client-not-disconnected", "components/LiveVisitors.vue", 11, "warning"),
        ("teardown-mismatch", "pages/rooms/[id].vue", 14, "warning"),
    ],
}


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_planted_bugs_and_nothing_else(app: str):
    report = scan_frontend(APPS / app)
    assert report.skipped == ()
    assert [(f.rule, f.file, f.line, f.severity) for f in report.findings] == EXPECTED[app]


def test_only_the_hotel_chat_app_gets_the_contract_rules():
    contracts = {app: scan_frontend(APPS / app).contract for app in EXPECTED}
    assert contracts.pop("vue3-hotel") == "src/components/GuestChat.vue:17 binds 'new-staff-message'"
    assert set(contracts.values()) == {None}


def test_server_sdk_modules_are_never_taken_for_browser_clients():
    for app in ("nextjs", "nuxt"):
        rules = {f.rule for f in scan_frontend(APPS / app).findings if "server" in f.file}
        assert not rules & {"missing-cluster", "no-guest-subscribe", "client-not-disconnected"}


def test_messages_name_the_cause_and_the_fix():
    findings = {(f.rule, f.file): f for f in scan_frontend(APPS / "vue3-hotel").findings}
    dot = findings["echo-event-prefix", "src/components/GuestChat.vue"]
    assert "'App\\Events\\new-staff-message'" in dot.message and dot.hint.startswith("listen('.new-staff-message')")
    note = {f.rule: f for f in scan_frontend(APPS / "nextjs").findings}["unmount-while-shown"]
    assert "check --page" in note.hint and "watch" in note.hint
    nuxt = {f.rule: f for f in scan_frontend(APPS / "nuxt").findings}["teardown-mismatch"]
    assert "'room.{route.params.id}' but 'rooms.{route.params.id}' was subscribed" in nuxt.message
