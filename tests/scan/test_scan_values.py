"""Value resolution (string patterns) and the comparison with the backend's channel/event names."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.scan import contract, facts, sources
from pusher_doctor.scan.values import Hole, Pattern


def _subscriptions(tmp_path: Path, code: str, env: dict[str, str] | None = None, name: str = "a.js"):
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    src = sources.load(path, name)
    assert isinstance(src, sources.SourceFile)
    return facts.extract(src, env or {})


def _channels(tmp_path: Path, code: str, **kwargs) -> list[str]:
    return [s.channel.display() for s in _subscriptions(tmp_path, code, **kwargs).subscriptions]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);", "{hotelSlug}-room-{roomNumber}-chat"),
        ("pusher.subscribe(hotel + '-room-' + room + '-chat');", "{hotel}-room-{room}-chat"),
        ("const S = '-chat'; const n = `${h}-room-${r}` + S; pusher.subscribe(n);", "{h}-room-{r}-chat"),
        (
            "const roomChannel = (h, r) => `${h}-room-${r}-chat`;\npusher.subscribe(roomChannel(slug, 7));",
            "{slug}-room-7-chat",
        ),
        ("const C = { room: 'grand-room-1-chat' };\npusher.subscribe(C.room);", "grand-room-1-chat"),
        (
            "function f({ hotelSlug }) { pusher.subscribe(`${hotelSlug}-room-${this.n}-chat`); }",
            "{hotelSlug}-room-{this.n}-chat",
        ),
        ("pusher.subscribe('a\\'b');", "a'b"),
    ],
)
def test_channel_name_resolution(tmp_path: Path, code: str, expected: str):
    assert _channels(tmp_path, code) == [expected]


def test_typescript_wrappers_and_env(tmp_path: Path):
    code = (
        "const slug = import.meta.env.VITE_HOTEL as string;\npusher.subscribe(`${slug!}-room-${n}-chat`);\n"
    )
    subs = _subscriptions(tmp_path, code, env={"VITE_HOTEL": "grand"}, name="a.ts").subscriptions
    assert [s.channel.display() for s in subs] == ["grand-room-{n}-chat"]
    assert subs[0].channel.env == ("VITE_HOTEL",)


def test_parameters_remember_where_they_come_from(tmp_path: Path):
    code = "export function usePusherChannel(channelName, eventName) { pusher.subscribe(channelName); }\n"
    (subscription,) = _subscriptions(tmp_path, code).subscriptions
    (hole,) = subscription.channel.holes
    assert hole.param is not None
    assert (hole.param.function, hole.param.index) == ("usePusherChannel", 0)


def test_non_pusher_subscribe_bind_and_disconnect_are_ignored(tmp_path: Path):
    code = """
store.subscribe(() => render());
const sub = source$.subscribe(observer);
sub.unsubscribe();
$(el).bind('click', onClick);
const f = handler.bind(this);
observer.disconnect();
pusher.connection.bind('state_change', onState);
"""
    found = _subscriptions(tmp_path, code)
    assert found.subscriptions == []
    assert found.binds == []
    assert found.teardowns == []


def test_pattern_helpers():
    pattern = Pattern(("x-",)) + Pattern((Hole("room"),)) + Pattern(("-chat",))
    assert pattern.display() == "x-{room}-chat"
    assert pattern.literal is None
    assert pattern.text == "x--chat"
    assert Pattern(("a",)) + Pattern(("b",)) == Pattern(("ab",))


# --- contract -------------------------------------------------------------------------------------


def _p(*parts: str) -> Pattern:
    return Pattern(tuple(Hole(p[1:-1]) if p.startswith("{") else p for p in parts))


@pytest.mark.parametrize(
    ("pattern", "kind"),
    [
        (_p("{hotel}", "-room-", "{room}", "-chat"), contract.ROOM),
        (_p("grand-hotel-room-101-chat"), contract.ROOM),
        (_p("{hotel}", "-conversation-", "{id}", "-chat"), contract.CONVERSATION),
        (_p("{channelName}"), contract.UNKNOWN),
        (_p("{base}", "-chat"), contract.UNKNOWN),
        (_p("{hotel}", "-notifications"), contract.OTHER),
    ],
)
def test_channel_kinds(pattern: Pattern, kind: str):
    verdict = contract.classify_channel(pattern)
    assert verdict.kind == kind
    assert verdict.problems == ()


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (_p("{hotel}", "-rooms-", "{room}", "-chat"), "says 'rooms'"),
        (_p("{hotel}", "_room_", "{room}", "-chat"), "uses '_'"),
        (_p("{hotel}", "-room-", "{room}"), "lacks the '-chat' suffix"),
        (_p("presence-", "{hotel}", "-room-", "{room}", "-chat"), "starts with 'presence-'"),
        (_p("{hotel}", "-Room-", "{room}", "-chat"), "letter case"),
        (_p("{roomNumber}", "-room-", "{hotelSlug}", "-chat"), "swapped"),
        (_p("{hotel}", "-room-chat"), "does not have the shape"),
        (_p("{hotel}", "-conversations-", "{id}", "-chat"), "says 'conversations'"),
    ],
)
def test_near_misses_are_explained(pattern: Pattern, problem: str):
    verdict = contract.classify_channel(pattern)
    assert any(problem in p for p in verdict.problems), verdict


def test_events():
    assert contract.check_event("new-staff-message", contract.ROOM) is None
    assert contract.check_event("pusher:subscription_succeeded", contract.ROOM) is None
    assert contract.check_event("client-typing", contract.ROOM) is None
    assert contract.check_event("message-delivered", contract.CONVERSATION) is None
    assert contract.check_event("new-message", contract.UNKNOWN) is None
    wrong = contract.check_event("new-message", contract.ROOM)
    assert wrong is not None and wrong.expected == ("new-staff-message",)
    unknown = contract.check_event("message-received", contract.UNKNOWN)
    assert unknown is not None and "never sends 'message-received'" in unknown.problem


def test_staff_paths():
    assert contract.is_staff_path("src/staff/Inbox.jsx")
    assert contract.is_staff_path("src/pages/AdminChat.tsx")
    assert not contract.is_staff_path("src/pages/GuestChat.jsx")
