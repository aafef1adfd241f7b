"""Per-rule tests in the manner of ESLint's RuleTester: ``VALID`` and ``INVALID`` snippets for one rule.

A rule's test module lists its cases and lets :func:`run` make the two test functions::

    test_valid, test_invalid = rule_tester.run("wrong-channel", valid=VALID, invalid=INVALID)

Each case is written as files in a temporary folder and scanned with only that rule through the
real engine (``scan_frontend``), so locations, messages and deduplication are the ones users get.
A case whose files do not all parse fails: a snippet the scan skips would pass as "valid" for
the wrong reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pusher_doctor.scan.engine import scan_frontend
from pusher_doctor.scan.model import BackendPusherSettings, Finding
from pusher_doctor.scan.rules import RULES_BY_ID
from pusher_doctor.scan.sources import LANGUAGE_BY_SUFFIX


@dataclass(frozen=True, kw_only=True)
class Error:
    """A finding an invalid case must produce: its rule, its line, and optionally its column, words
    and severity."""

    rule: str
    line: int
    column: int | None = None
    #: substrings the message must contain
    message: tuple[str, ...] = ()
    #: "error", "warning" or "note", when the case is about it
    severity: str | None = None
    #: the file it is in, when the case has more than one (defaults to the case's ``filename``)
    file: str | None = None


@dataclass(frozen=True, kw_only=True)
class Case:
    """Source code to scan (dedented), and what else the scan sees."""

    code: str
    #: the extension picks the grammar; a path containing ``staff`` marks a staff-side view
    filename: str = "Chat.jsx"
    #: more files of the same tree, by relative path (a hook's call sites, a shared client module, a
    #: package.json)
    others: Mapping[str, str] = field(default_factory=dict)
    #: contents of a ``.env`` written next to the files
    env: str | None = None
    backend: BackendPusherSettings | None = None
    #: whether the hotel-chat contract rules run: "auto" (when the code shows the contract), "hotel", "none"
    contract: str = "auto"
    #: shown in the test id; defaults to the first line of code
    name: str = ""

    def label(self) -> str:
        first = next((line.strip() for line in self.code.strip().splitlines() if line.strip()), "")
        return self.name or first[:60]


@dataclass(frozen=True, kw_only=True)
class Valid(Case):
    """Code that must produce no finding of the rule under test."""


@dataclass(frozen=True, kw_only=True)
class Invalid(Case):
    """Code that must produce exactly ``errors`` from the rule under test (order does not matter)."""

    errors: Sequence[Error]


def scan_case(rule_id: str, case: Case, root: Path) -> list[Finding]:
    """Write the case under ``root`` and return the findings of ``rule_id`` alone."""
    assert rule_id in RULES_BY_ID, f"no rule {rule_id!r}"
    files = {case.filename: case.code, **case.others}
    for relative, code in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    if case.env is not None:
        (root / ".env").write_text(textwrap.dedent(case.env).lstrip("\n"), encoding="utf-8")
    report = scan_frontend(root, backend_settings=case.backend, rules=[RULES_BY_ID[rule_id]], contract=case.contract)
    assert report.skipped == (), f"the case's code must parse: {report.skipped}"
    # package.json, composer.json and the like are read by the scan but are not source files
    assert report.files_scanned == len([name for name in files if Path(name).suffix in LANGUAGE_BY_SUFFIX])
    return list(report.findings)


def assert_valid(rule_id: str, case: Valid, root: Path) -> None:
    findings = scan_case(rule_id, case, root)
    assert findings == [], "expected no finding, got:\n" + "\n".join(_describe(f) for f in findings)


def assert_invalid(rule_id: str, case: Invalid, root: Path) -> None:
    assert case.errors, "an invalid case names the findings it expects"
    findings = scan_case(rule_id, case, root)
    got = sorted((f.rule, f.file, f.line) for f in findings)
    expected = sorted((e.rule, e.file or case.filename, e.line) for e in case.errors)
    assert got == expected, "findings differ:\n" + "\n".join(_describe(f) for f in findings)
    for error in case.errors:
        (finding,) = [
            f for f in findings if (f.file, f.line) == (error.file or case.filename, error.line)
        ]
        if error.column is not None:
            assert finding.column == error.column, _describe(finding)
        for words in error.message:
            assert words in finding.message, _describe(finding)
        if error.severity is not None:
            assert finding.severity == error.severity, _describe(finding)


CaseTest = Callable[[Case, Path], None]


def run(rule_id: str, *, valid: Sequence[Valid], invalid: Sequence[Invalid]) -> tuple[CaseTest, CaseTest]:
    """The ``test_valid`` and ``test_invalid`` functions of a rule's test module, one test per case."""
    assert valid and invalid, "every rule needs cases both ways"

    @pytest.mark.parametrize("case", valid, ids=[case.label() for case in valid])
    def test_valid(case: Valid, tmp_path: Path) -> None:
        assert_valid(rule_id, case, tmp_path)

    @pytest.mark.parametrize("case", invalid, ids=[case.label() for case in invalid])
    def test_invalid(case: Invalid, tmp_path: Path) -> None:
        assert_invalid(rule_id, case, tmp_path)

    return test_valid, test_invalid


def _describe(finding: Finding) -> str:
    return f"  {finding.file}:{finding.line}:{finding.column} {finding.rule} ({finding.severity}): {finding.message}"
