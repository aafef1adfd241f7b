"""Shared data and helpers for the frontend-scan tests: the fixture trees and the backend they expect."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.scan import BackendPusherSettings, ScanReport

FIXTURES = Path(__file__).parent / "fixtures"

#: the backend the fixtures were written against
BACKEND = BackendPusherSettings(key="3f2a9c1b7d", cluster="eu")


def positions(report: ScanReport) -> list[tuple[str, str, int, int]]:
    """(rule, file, line, column) of every finding, in report order."""
    return [(f.rule, f.file, f.line, f.column) for f in report.findings]
