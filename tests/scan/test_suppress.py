"""``// pusher-doctor-ignore RULE`` comments: which lines they silence, and that the scan honours them."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.scan.engine import scan_frontend
from pusher_doctor.scan.suppress import ALL_RULES, ignored_lines, is_silenced

UNBIND_ALL = """export function Chat() {
  useEffect(() => {
    const channel = pusher.subscribe('notices');
    channel.bind('notice', onNotice);
    return () => {
      %s
    };
  }, []);
}
"""
#: another component on the same channel: the one whose handlers unbind() removes as well
BADGE = """export function Badge() {
  useEffect(() => {
    const channel = pusher.subscribe('notices');
    channel.bind('notice', bump);
    return () => channel.unbind('notice', bump);
  }, []);
}
"""


def test_a_comment_alone_on_its_line_silences_the_next_line():
    assert ignored_lines("a();\n// pusher-doctor-ignore unbind-all\nchannel.unbind();\n") == {
        3: frozenset({"unbind-all"})
    }


def test_a_trailing_comment_silences_its_own_line():
    assert ignored_lines("channel.unbind(); // pusher-doctor-ignore unbind-all\n") == {1: frozenset({"unbind-all"})}


def test_several_rules_a_reason_and_other_comment_forms():
    text = (
        "/* pusher-doctor-ignore unbind-all, early-unsubscribe */\n"
        "x();\n"
        "{/* pusher-doctor-ignore wrong-event -- the staff view binds it on purpose */}\n"
        "y();\n"
        "<!-- pusher-doctor-ignore wrong-channel -->\n"
    )
    assert ignored_lines(text) == {
        2: frozenset({"unbind-all", "early-unsubscribe"}),
        4: frozenset({"wrong-event"}),
        6: frozenset({"wrong-channel"}),
    }


def test_a_comment_naming_no_rule_silences_every_rule_on_the_line():
    silenced = ignored_lines("// pusher-doctor-ignore\nchannel.unbind();\n")
    assert silenced == {2: frozenset({ALL_RULES})}
    assert is_silenced(silenced, 2, "unbind-all") and not is_silenced(silenced, 1, "unbind-all")


def test_the_marker_in_a_string_is_not_a_comment():
    assert ignored_lines("const help = 'pusher-doctor-ignore unbind-all';\n") == {}


def test_the_scan_drops_silenced_findings_and_counts_them(tmp_path: Path):
    (tmp_path / "Chat.jsx").write_text(UNBIND_ALL % "channel.unbind(); // pusher-doctor-ignore unbind-all")
    (tmp_path / "Badge.jsx").write_text(BADGE)
    report = scan_frontend(tmp_path)
    assert report.findings == () and report.suppressed == 1


def test_a_comment_for_another_rule_silences_nothing(tmp_path: Path):
    (tmp_path / "Chat.jsx").write_text(UNBIND_ALL % "channel.unbind(); // pusher-doctor-ignore wrong-event")
    (tmp_path / "Badge.jsx").write_text(BADGE)
    report = scan_frontend(tmp_path)
    assert [(f.rule, f.line) for f in report.findings] == [("unbind-all", 6)] and report.suppressed == 0
