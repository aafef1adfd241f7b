"""The rule registry is complete, consistent and the single source of docs/scan-rules.md."""

from __future__ import annotations

import sys
from pathlib import Path

from pusher_doctor.scan import RULES, Finding, ScanReport
from pusher_doctor.scan.docs import render_markdown

CHECKLIST = {"subscribed", "channel-name", "event-name", "lifecycle", "state-update", "credentials"}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "scan-rules.md"


def test_registry_has_every_rule_once_in_order():
    assert [rule.id for rule in RULES] == [
        "no-guest-subscribe",
        "wrong-channel",
        "wrong-event",
        "echo-event-prefix",
        "channel-mismatch",
        "early-unsubscribe",
        "teardown-mismatch",
        "mount-without-teardown",
        "effect-missing-deps",
        "shared-channel-unsubscribed",
        "watch-subscribe",
        "subscribe-never-left",
        "unmount-while-shown",
        "stale-state",
        "client-in-render",
        "client-not-disconnected",
        "unbind-all",
        "auth-header-read-once",
        "relative-auth-endpoint",
        "secret-in-browser",
        "key-mismatch",
        "cluster-mismatch",
        "missing-cluster",
        "env-not-defined",
    ]


def test_each_rule_lives_in_its_own_module_named_after_it():
    for rule in RULES:
        module = f"pusher_doctor.scan.rules.{rule.id.replace('-', '_')}"
        assert rule.check.__module__ == module, rule.id
        assert sys.modules[module].RULE is rule


def test_every_rule_is_documented_and_tied_to_a_checklist_item():
    for rule in RULES:
        assert rule.checklist_item in CHECKLIST, rule.id
        for field in (rule.title, rule.finds, rule.why, rule.fix, rule.wrong, rule.right):
            assert field.strip(), rule.id
        assert rule.wrong != rule.right, rule.id


def test_docs_file_is_generated_from_the_registry():
    # regenerate with: python -m pusher_doctor.scan.docs docs/scan-rules.md
    assert DOCS.read_text(encoding="utf-8") == render_markdown()
    for rule in RULES:
        assert f"## {rule.id}\n" in render_markdown()


def test_report_ok_means_no_findings():
    finding = Finding("wrong-event", "a.js", 1, 1, "m", "h", "code", "event-name")
    assert ScanReport("root", 1, (), ()).ok
    assert not ScanReport("root", 1, (finding,), ()).ok
