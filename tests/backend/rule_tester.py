"""Per-rule tests for the backend scan, in the manner of the frontend's ``tests/scan/rule_tester.py``:
``VALID`` and ``INVALID`` cases, each a small tree of files scanned with only the rule under test through
the real engine (``scan_backend``), so locations, messages and deduplication are the ones users get.

A case whose PHP or Python files do not all parse fails: a snippet the scan skips would pass as valid for
the wrong reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pusher_doctor.backend.engine import scan_backend
from pusher_doctor.backend.rules import RULES_BY_ID
from pusher_doctor.scan.model import Finding
from tests.scan.rule_tester import Error

#: what makes a folder a Laravel app to the scan
LARAVEL = {"artisan": "#!/usr/bin/env php\n<?php\n"}

__all__ = ["LARAVEL", "Error", "Invalid", "Valid", "run"]


@dataclass(frozen=True, kw_only=True)
class Case:
    """Files by relative path (dedented); ``.env`` among them is the env file."""

    files: Mapping[str, str]
    name: str
    #: the frontend's files, written under ``frontend/`` and given as --frontend (else none is read)
    frontend: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Valid(Case):
    """Files that must produce no finding of the rule under test."""


@dataclass(frozen=True, kw_only=True)
class Invalid(Case):
    """Files that must produce exactly ``errors`` (rule, file, line; optional words and severity)."""

    errors: Sequence[Error]


CaseTest = Callable[[Case, Path], None]


def scan_case(rule_id: str, case: Case, root: Path) -> list[Finding]:
    backend = root / "app"
    for base, files in ((backend, case.files), (root / "frontend", case.frontend)):
        for relative, code in files.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(code).lstrip("\n"), encoding="utf-8")
    (root / "frontend").mkdir(exist_ok=True)
    scan = scan_backend(backend, root / "frontend", rules=[RULES_BY_ID[rule_id]])
    assert scan.report.skipped == (), f"the case's files must parse: {scan.report.skipped}"
    return list(scan.report.findings)


def run(rule_id: str, *, valid: Sequence[Valid], invalid: Sequence[Invalid]) -> tuple[CaseTest, CaseTest]:
    """The ``test_valid`` and ``test_invalid`` functions of a rule's test module, one test per case."""
    assert valid and invalid, "every rule needs cases both ways"

    @pytest.mark.parametrize("case", valid, ids=[case.name for case in valid])
    def test_valid(case: Valid, tmp_path: Path) -> None:
        findings = scan_case(rule_id, case, tmp_path)
        assert findings == [], "expected no finding, got:\n" + "\n".join(_describe(f) for f in findings)

    @pytest.mark.parametrize("case", invalid, ids=[case.name for case in invalid])
    def test_invalid(case: Invalid, tmp_path: Path) -> None:
        findings = scan_case(rule_id, case, tmp_path)
        got = sorted((f.rule, f.file, f.line) for f in findings)
        expected = sorted((e.rule, e.file or "", e.line) for e in case.errors)
        assert got == expected, "findings differ:\n" + "\n".join(_describe(f) for f in findings)
        for error in case.errors:
            (finding,) = [f for f in findings if (f.file, f.line) == (error.file, error.line)]
            for words in error.message:
                assert words in finding.message, _describe(finding)
            if error.severity is not None:
                assert finding.severity == error.severity, _describe(finding)

    return test_valid, test_invalid


def _describe(finding: Finding) -> str:
    return f"  {finding.file}:{finding.line}:{finding.column} {finding.rule} ({finding.severity}): {finding.message}"
