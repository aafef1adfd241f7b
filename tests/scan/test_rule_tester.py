"""The rule tester itself: each way a rule test can go wrong makes it fail, and every rule has cases."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pusher_doctor.scan.rules import RULES
from tests.scan.rule_tester import Error, Invalid, Valid, assert_invalid, assert_valid

WRONG = "pusher.subscribe(`${hotelSlug}-rooms-${roomNumber}-chat`);"
RULE_TESTS = Path(__file__).parent / "rules"


def test_a_finding_in_a_valid_case_fails(tmp_path: Path):
    with pytest.raises(AssertionError, match="expected no finding"):
        assert_valid("wrong-channel", Valid(code=WRONG), tmp_path)


def test_a_valid_case_only_looks_at_its_rule(tmp_path: Path):
    assert_valid("wrong-event", Valid(code=WRONG), tmp_path)


def test_a_missing_or_misplaced_finding_fails(tmp_path: Path):
    with pytest.raises(AssertionError, match="findings differ"):
        case = Invalid(code=WRONG, errors=[Error(rule="wrong-channel", line=2)])
        assert_invalid("wrong-channel", case, tmp_path)


def test_a_wrong_rule_id_fails(tmp_path: Path):
    with pytest.raises(AssertionError, match="findings differ"):
        case = Invalid(code=WRONG, errors=[Error(rule="wrong-event", line=1)])
        assert_invalid("wrong-channel", case, tmp_path)


def test_column_and_message_are_checked(tmp_path: Path):
    right = Invalid(code=WRONG, errors=[Error(rule="wrong-channel", line=1, column=18, message=("'rooms'",))])
    assert_invalid("wrong-channel", right, tmp_path / "right")
    column = Invalid(code=WRONG, errors=[Error(rule="wrong-channel", line=1, column=1)])
    with pytest.raises(AssertionError):
        assert_invalid("wrong-channel", column, tmp_path / "column")
    words = Invalid(code=WRONG, errors=[Error(rule="wrong-channel", line=1, message=("'chats'",))])
    with pytest.raises(AssertionError):
        assert_invalid("wrong-channel", words, tmp_path / "words")


def test_a_case_that_does_not_parse_fails_instead_of_passing_as_valid(tmp_path: Path):
    with pytest.raises(AssertionError, match="must parse"):
        assert_valid("wrong-channel", Valid(code="function ( { ) ] => => }}} " * 5 + WRONG), tmp_path)


def test_an_unknown_rule_fails(tmp_path: Path):
    with pytest.raises(AssertionError, match="no rule"):
        assert_valid("no-such-rule", Valid(code=WRONG), tmp_path)


@pytest.mark.parametrize("rule_id", [rule.id for rule in RULES])
def test_every_rule_has_valid_and_invalid_cases(rule_id: str):
    path = RULE_TESTS / f"test_{rule_id.replace('-', '_')}.py"
    assert path.is_file(), f"write {path.relative_to(RULE_TESTS.parent)}"
    module = ast.parse(path.read_text(encoding="utf-8"))
    assigned = {
        target.id: node.value
        for node in module.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert isinstance(assigned.get("RULE"), ast.Constant) and assigned["RULE"].value == rule_id
    for name in ("VALID", "INVALID"):
        assert isinstance(assigned.get(name), ast.List) and assigned[name].elts, f"{path.name}: {name}"
