"""scan-frontend --fix: only provably safe fixes, shown as a diff, written only with --yes (or a yes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.cli.scan_fixes import fixed_line

CHAT = """\
export function Chat({ hotelSlug, roomNumber }) {
  const [messages, setMessages] = useState([]);
  useEffect(() => {
    const channel = pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);
    channel.bind('new-staff-message', (m) => setMessages([...messages, m]));
    return () => { pusher.unsubscribe(`${hotelSlug}-rooms-${roomNumber}-chat`); };
  }, []);
  useEffect(() => {
    window.Echo.channel(`${hotelSlug}-room-${roomNumber}-chat`).listen('new-staff-message', (e) => show(e));
  }, []);
  return null;
}
"""


@pytest.mark.parametrize(("rule", "line", "fixed"), [
    ("echo-event-prefix", ".listen('new-staff-message', f)", ".listen('.new-staff-message', f)"),
    ("stale-state", "(m) => setMessages([...messages, m])", "(m) => setMessages((prev) => [...prev, m])"),
    ("stale-state", "(prev) => setMessages([...messages, prev])",
     "(prev) => setMessages((previous) => [...previous, prev])"),
])
def test_a_safe_fix_changes_only_the_mistake(rule: str, line: str, fixed: str) -> None:
    assert fixed_line(rule, "", line) == fixed


@pytest.mark.parametrize(("rule", "line"), [
    ("echo-event-prefix", ".listen('a', f).listen('b', g)"),  # two on one line: which one was meant?
    ("stale-state", "setMessages([...others, m])"),  # not the setter's own state
    ("stale-state", "setMessages([...messages, prev, previous, current])"),  # no free parameter name
    ("wrong-event", "channel.bind('new-msg', f)"),  # no safe fix: the right event is a guess
])
def test_anything_not_provably_safe_is_left_alone(rule: str, line: str) -> None:
    assert fixed_line(rule, "", line) is None


def test_fix_shows_the_diff_and_writes_nothing_without_yes(cli, tmp_path: Path) -> None:
    source = tmp_path / "Chat.jsx"
    source.write_text(CHAT)
    result = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--fix"])
    assert result.exit_code == 1
    assert "-    const channel = pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);" in result.stdout
    assert "+    const channel = pusher.subscribe(`${hotelSlug}-room-${roomNumber}-chat`);" in result.stdout
    assert "nothing written (pass --yes" in result.stdout
    assert source.read_text() == CHAT


def test_fix_with_yes_writes_the_fixes_and_the_scan_then_finds_none_of_them(cli, tmp_path: Path) -> None:
    source = tmp_path / "Chat.jsx"
    source.write_text(CHAT)
    result = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--fix", "--yes"])
    assert "fixed 3 finding(s) in 1 file(s)" in result.stdout, result.output
    text = source.read_text()
    assert "-rooms-" not in text and text.count("-room-${roomNumber}-chat") == 3  # the teardown's name too
    assert "setMessages((prev) => [...prev, m])" in text and ".listen('.new-staff-message'" in text
    again = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--json"]).json()
    rules = {finding["rule"] for finding in again["findings"]}
    assert not rules & {"wrong-channel", "stale-state", "echo-event-prefix", "teardown-mismatch"}, rules


def test_fix_goes_with_the_text_output_only(cli, tmp_path: Path) -> None:
    (tmp_path / "Chat.jsx").write_text(CHAT)
    assert cli(["scan-frontend", str(tmp_path), "--fix", "--json"]).exit_code == 2


@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["crlf", "bom-crlf"])
def test_fix_keeps_the_files_line_endings_and_bom(cli, tmp_path: Path, bom: str) -> None:
    source = tmp_path / "Chat.jsx"
    original = (bom + CHAT.replace("\n", "\r\n")).encode("utf-8")
    source.write_bytes(original)
    shown = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--fix"]).stdout
    source.write_text(CHAT)
    as_lf = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--fix"]).stdout
    # the changed lines only, as in the same file with LF endings (not every line)
    assert (shown.count("\n-"), shown.count("\n+")) == (as_lf.count("\n-"), as_lf.count("\n+")), shown
    source.write_bytes(original)
    result = cli(["scan-frontend", str(tmp_path), "--contract", "hotel", "--fix", "--yes"])
    assert "fixed 3 finding(s) in 1 file(s)" in result.stdout, result.output
    written = source.read_bytes()
    assert written.startswith(bom.encode("utf-8") + b"export") and b"\n" not in written.replace(b"\r\n", b"")
    assert written.count(b"\r\n") == original.count(b"\r\n") and b"-rooms-" not in written
