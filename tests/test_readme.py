"""The README documents what the code does: every cause id and every scan rule with its examples."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.checks import CHECKS, all_checks
from pusher_doctor.results import CAUSES
from pusher_doctor.scan.rules import RULES

ALL_CHECKS = all_checks()

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_troubleshooting_table_has_every_cause_with_its_fix() -> None:
    for cause in CAUSES:
        assert f"| `{cause.id}` | {cause.meaning} | {cause.fix} |" in README, cause.id


def test_the_check_ids_are_documented_in_registry_order() -> None:
    listed = README.split("Check ids, in order:", 1)[1].split(".\n", 1)[0]
    assert [part.strip(" `\n") for part in listed.split(",")] == [check.id for check in CHECKS]


def test_every_check_id_with_the_page_steps_is_documented() -> None:
    for check in ALL_CHECKS:
        assert f"`{check.id}`" in README, check.id


def test_every_scan_rule_has_a_wrong_and_a_right_example() -> None:
    for rule in RULES:
        assert f"#### `{rule.id}` ({rule.checklist_item})" in README, rule.id
        assert rule.wrong.strip() in README and rule.right.strip() in README, rule.id


def test_quick_start_is_the_two_make_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert ci.strip().endswith("make test")
