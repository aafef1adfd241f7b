"""Every backend rule is a cause with its fix, listed in the README and documented in docs/backend-rules.md."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.backend.docs import render_markdown
from pusher_doctor.backend.rules import EXAMPLE_LANGUAGE, RULES
from pusher_doctor.results.causes import CAUSES
from pusher_doctor.scan.rules import RULES as FRONTEND_RULES

ROOT = Path(__file__).resolve().parents[2]


def test_each_rule_is_a_cause_and_shows_its_fix() -> None:
    fixes = {cause.id: str(cause.fix) for cause in CAUSES}
    for rule in RULES:
        assert fixes.get(rule.id) == rule.fix, rule.id


def test_rule_ids_are_unique_across_both_scans() -> None:
    ids = [rule.id for rule in (*RULES, *FRONTEND_RULES)]
    assert len(ids) == len(set(ids))


def test_every_rule_has_examples_both_ways_in_a_named_language() -> None:
    for rule in RULES:
        assert rule.wrong.strip() and rule.right.strip() and rule.wrong != rule.right, rule.id
        assert EXAMPLE_LANGUAGE[rule.id] in ("php", "python", "js", "ini"), rule.id


def test_the_committed_rules_document_is_the_rendered_one() -> None:
    committed = (ROOT / "docs" / "backend-rules.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "run: python -m pusher_doctor.backend.docs docs/backend-rules.md"


def test_the_readme_lists_every_rule_and_shows_laravel_and_django() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reading the backend: `pusher-doctor scan-backend`", 1)[1].split("\n## ", 1)[0]
    for rule in RULES:
        assert f"[`{rule.id}`](docs/backend-rules.md#{rule.id})" in section, rule.id
    laravel = section.split("### Laravel / Reverb", 1)[1].split("### ", 1)[0]
    commands = [line for line in laravel.split("```sh", 1)[1].split("```", 1)[0].splitlines()
                if line.strip().startswith(("pusher-doctor", "PUSHER_SECRET"))]
    assert [c.split("pusher-doctor ", 1)[1].split()[0] for c in commands] == ["scan-backend", "check"]
    assert "### Django" in section
