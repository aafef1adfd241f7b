"""Options for CI: --junit, --strict, --quiet, --only/--skip, and help that fits 80 columns."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
import xmlschema

from pusher_doctor.checks import CHECKS
from pusher_doctor.cli.app import COMMAND_MODULES
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options, run_process
from tests.support.servers import HEALTHY

JUNIT_SCHEMA = xmlschema.XMLSchema(Path(__file__).resolve().parents[1] / "render" / "junit.xsd")


def check(server: SoketiServer, *extra: str) -> list[str]:
    # No guest on this room: live-guest warns, everything else passes.
    return ["check", "--hotel", "ci-options", "--room", "1", "--yes", *app_options(server, HEALTHY), *extra]


def test_junit_gets_one_valid_case_per_check(cli, soketi, tmp_path: Path) -> None:
    report = tmp_path / "pusher.xml"
    result = cli(check(soketi, "--junit", str(report)))
    assert result.exit_code == 0, result.output
    JUNIT_SCHEMA.validate(str(report))
    names = [case.get("name") for case in ElementTree.parse(report).iter("testcase")]
    assert names == [f"{check.id}: {check.title}" for check in CHECKS]


def test_a_junit_path_that_cannot_be_written_is_a_usage_error_before_the_run(cli, soketi, tmp_path) -> None:
    result = cli(check(soketi, "--junit", str(tmp_path / "missing" / "x.xml")))
    assert result.exit_code == 2 and "its folder does not exist" in result.output


def test_strict_makes_a_warning_fail(cli, soketi) -> None:
    assert cli(check(soketi)).exit_code == 0
    assert cli(check(soketi, "--strict")).exit_code == 1


def test_quiet_shows_only_problems_and_the_verdict(cli, soketi) -> None:
    lines = cli(check(soketi, "--quiet")).stdout.splitlines()
    assert lines[0].startswith("! Live guest")
    assert not any(line.startswith("✓") for line in lines)
    assert any(line.startswith("Verdict:") for line in lines)


def test_only_runs_the_named_checks_and_what_they_need(cli, soketi) -> None:
    checks = {c["id"]: c["status"] for c in cli(check(soketi, "--only", "websocket", "--json")).json()["checks"]}
    assert checks["websocket"] == "pass" and checks["settings"] == "pass"
    assert checks["rest-api"] == checks["trigger"] == "skip"


def test_skip_leaves_a_check_out_and_what_needs_it_is_skipped(cli, soketi) -> None:
    document = cli(check(soketi, "--skip", "websocket", "--json")).json()
    checks = {c["id"]: c for c in document["checks"]}
    assert checks["websocket"]["summary"] == "not run: left out with --only/--skip"
    assert checks["subscribe"]["summary"] == "not run: WebSocket was skipped"
    assert checks["trigger"]["status"] == "pass"


def test_an_unknown_check_id_is_a_usage_error_listing_the_ids(cli, soketi) -> None:
    result = cli(check(soketi, "--only", "websockets"))
    assert result.exit_code == 2 and "no check with id websockets" in result.output and "rest-api" in result.output


@pytest.mark.parametrize("only", ["", ",,,", " , "])
def test_an_only_naming_no_check_is_a_usage_error_not_every_check(cli, soketi, only: str) -> None:
    result = cli(check(soketi, "--only", only, "--json"))
    assert result.exit_code == 2 and result.json()["error"]["message"] == "--only names no check"


@pytest.mark.parametrize("command", [[], *([name] for name in COMMAND_MODULES)])
def test_help_fits_80_columns_ends_with_examples_and_has_no_type_placeholders(tmp_path, command) -> None:
    result = run_process([*command, "--help"], cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    assert "<bool>" not in result.stdout and "{path}" not in result.stdout and "<str>" not in result.stdout
    # Examples in one place for every command: last, after the options (the epilog), as git and gh do.
    examples = result.stdout.index("Examples:")
    assert "Options:" in result.stdout[:examples] and "--" not in result.stdout[examples:].split("\n", 1)[0]
    assert "Options:" not in result.stdout[examples:] and "Commands:" not in result.stdout[examples:]


def test_the_command_list_shows_each_description_whole(tmp_path) -> None:
    listing = run_process(["--help"], cwd=tmp_path, env={"COLUMNS": "80"}).stdout.split("Commands:\n", 1)[1]
    rows = [line for line in listing.splitlines() if line.startswith("  ") and not line.startswith("    ")]
    assert [row.split()[0] for row in rows[:len(COMMAND_MODULES)]] == list(COMMAND_MODULES)
    assert not any(row.endswith("...") for row in rows), listing
