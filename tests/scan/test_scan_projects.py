"""Precision and recall on realistic apps of our own making, scanned as one tree and app by app.

``fixtures/projects/`` holds five small apps written the way their frameworks' tutorials and real
projects write them (a Next.js chat with a layout and pages sharing a channel, a Laravel + Echo shop
whose ``.env`` sits two levels above ``resources/js``, a Vue 3 SPA with a router and watchers, a React
app with a class component and routes, a React app on ``@laravel/echo-react``). Each true bug is
marked where a finding should point, with a comment ``expect: RULE`` on its line; everything else,
the correct idioms around the bugs included, must stay silent. A bug the scan does not find yet
stays marked: it counts against recall, which is the point of measuring.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pusher_doctor.scan import ScanReport, scan_frontend
from tests.scan.support import FIXTURES

PROJECTS = FIXTURES / "projects"
APPS = sorted(path.name for path in PROJECTS.iterdir() if path.is_dir())
#: the goal of issue #22, on code nobody here wrote; our own apps must meet it too
MIN_PRECISION = 0.90
MIN_RECALL = 0.75
_MARK = re.compile(r"expect: ([a-z][a-z0-9-]*)")
_SOURCES = {".js", ".jsx", ".ts", ".tsx", ".vue", ".env", ".local"}

Place = tuple[str, int, str]


def _expected(root: Path) -> set[Place]:
    """(file relative to ``root``, line, rule) of every ``expect: RULE`` mark under ``root``."""
    marks = set()
    for path in sorted(root.rglob("*")):
        if path.is_file() and (path.suffix in _SOURCES or path.name.startswith(".env")):
            for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
                for rule in _MARK.findall(line):
                    marks.add((path.relative_to(root).as_posix(), number, rule))
    return marks


def _found(report: ScanReport) -> set[Place]:
    return {(f.file, f.line, f.rule) for f in report.findings}


@pytest.fixture(scope="module")
def whole() -> ScanReport:
    return scan_frontend(PROJECTS)


def test_the_apps_are_all_there_and_marked():
    assert APPS == ["laravel-shop", "next-chat", "react-echo-orders", "react-trading", "vue-helpdesk"]
    assert len(_expected(PROJECTS)) >= 15
    assert {rule for _, _, rule in _expected(PROJECTS)} >= {"shared-channel-unsubscribed", "watch-subscribe"}


def test_precision_and_recall_meet_the_goal(whole: ScanReport):
    assert whole.skipped == () and whole.incomplete is None
    found, expected = _found(whole), _expected(PROJECTS)
    true = found & expected
    precision = len(true) / len(found) if found else 0.0
    recall = len(true) / len(expected)
    false = "\n".join(f"  false: {place}" for place in sorted(found - expected))
    missed = "\n".join(f"  missed: {place}" for place in sorted(expected - found))
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (
        f"precision {precision:.2f}, recall {recall:.2f}\n{false}\n{missed}"
    )


@pytest.mark.parametrize("app", APPS)
def test_an_app_scanned_alone_gets_the_findings_it_gets_in_the_whole_tree(whole: ScanReport, app: str):
    alone = {(f"{app}/{file}", line, rule) for file, line, rule in _found(scan_frontend(PROJECTS / app))}
    assert alone == {place for place in _found(whole) if place[0].startswith(f"{app}/")}


def test_laravel_env_two_levels_above_resources_js_is_found():
    report = scan_frontend(PROJECTS / "laravel-shop" / "resources" / "js")
    assert report.env_files == ("../../.env",)
    assert ("bootstrap.js", 10, "missing-cluster") in _found(report)


def test_each_app_reads_its_own_env_files(whole: ScanReport):
    assert set(whole.env_files) == {
        "laravel-shop/.env",
        "next-chat/.env.local",
        "react-trading/.env",
        "vue-helpdesk/.env",
    }


def test_nothing_false_and_only_the_known_gap_missed(whole: ScanReport):
    # a finding that appears or a bug that stops being found shows up here first, by name; the one known
    # gap: stale-state does not follow a handler into the helper function that sets the state
    assert _found(whole) - _expected(PROJECTS) == set()
    assert _expected(PROJECTS) - _found(whole) == {("next-chat/src/components/TypingDots.tsx", 13, "stale-state")}
