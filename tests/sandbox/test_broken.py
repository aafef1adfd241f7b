"""`demo --broken CAUSE`: every offered scenario, run as a person runs it against the real sandbox, shows
its cause id; the catalogue offers only cause ids the cause table knows."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pusher_doctor.results import CAUSES
from pusher_doctor.sandbox.broken import BROKEN, HEALTHY
from tests.sandbox.support import Run, clean_env, processes_marked, run

#: short, so that `timeout` (a server that never answers) waits little; every other cause answers at once
TIMEOUT = "2"
DEMO = [sys.executable, "-m", "pusher_doctor", "demo"]
#: each cause's run and the processes it left running
Runs = dict[str, tuple[Run, list[int]]]


def test_every_offered_cause_is_a_known_cause_id() -> None:
    known = {cause.id for cause in CAUSES}
    assert set(BROKEN) <= known, set(BROKEN) - known
    assert "" not in BROKEN and HEALTHY.cause == ""


def test_the_scenarios_break_one_thing_each() -> None:
    healthy = HEALTHY.settings("1001", "k", "s3cr3t", "127.0.0.1", 6001)
    assert healthy == {"app_id": "1001", "key": "k", "secret": "s3cr3t", "host": "127.0.0.1", "port": "6001",
                       "scheme": "http"}
    swapped = BROKEN["malformed-setting"].settings("1001", "k", "s3cr3t", "127.0.0.1", 6001)
    assert (swapped["key"], swapped["secret"]) == ("s3cr3t", "k")
    assert "key" not in BROKEN["missing-setting"].settings("1001", "k", "s3cr3t", "127.0.0.1", 6001)
    assert HEALTHY.guest_channel() == HEALTHY.room_channel() == "private-demo-hotel-room-101-chat"
    assert BROKEN["channel-near-miss"].guest_channel() == "private-demo-hotel-rooms-101-chat"
    assert BROKEN["live-guest-absent"].guest_channel() is None


@pytest.fixture(scope="module")
def broken_runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Every scenario run once as its own `pusher-doctor demo --broken CAUSE --json` process, three at a
    time (each spends most of its second starting soketi), with the processes each left behind."""
    cwd = tmp_path_factory.mktemp("broken")

    def demo(cause: str) -> tuple[Run, list[int]]:
        marker = f"broken-{cause}-{id(cwd)}"
        env = clean_env(PUSHER_DOCTOR_TEST_MARKER=marker)
        done = run([*DEMO, "--broken", cause, "--json", "--timeout", TIMEOUT], cwd, env)
        return done, processes_marked(marker)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(BROKEN, pool.map(demo, BROKEN), strict=True))


@pytest.mark.parametrize("cause", list(BROKEN))
def test_each_offered_cause_shows_that_cause(broken_runs: Runs, cause: str) -> None:
    done, left = broken_runs[cause]
    document = json.loads(done.stdout)
    failures = [c for c in document["checks"] if c["status"] == "fail"]
    warnings = [c for c in document["checks"] if c["status"] == "warn"]
    # The cause is the first failure (a later step may fail as a consequence), or the first warning
    # when this cause only warns.
    first = (failures or warnings)[0]
    assert first["cause"] == cause, [(c["id"], c["status"], c["cause"]) for c in failures + warnings]
    assert done.exit_code == (1 if failures else 0), done.stderr
    assert document["ok"] is not bool(failures)
    assert done.stderr == "" and "Traceback" not in done.stdout
    assert left == [], f"the demo left processes running: {left}"


def test_a_warning_scenario_still_delivers_to_the_demos_guest(broken_runs: Runs) -> None:
    # Only the privacy warning: the rest of the chain, the guest included, still works.
    document = json.loads(broken_runs["public-guest-channel"][0].stdout)
    statuses = {c["id"]: c["status"] for c in document["checks"]}
    assert statuses.pop("channel-privacy") == "warn"
    assert set(statuses.values()) == {"pass"} and "demo-guest" in statuses


def test_the_list_names_every_scenario_in_both_forms(tmp_path: Path) -> None:
    listed = run([*DEMO, "--broken", "list"], tmp_path, clean_env())
    assert listed.exit_code == 0
    for cause, scenario in BROKEN.items():
        assert f"  {cause}" in listed.stdout and scenario.shows in listed.stdout
    as_json = run([*DEMO, "--broken", "list", "--json"], tmp_path, clean_env())
    assert [entry["cause"] for entry in json.loads(as_json.stdout)["broken"]] == list(BROKEN)


@pytest.mark.parametrize("json_mode", [False, True])
def test_an_unknown_cause_is_a_usage_error_naming_the_offered_ones(tmp_path: Path, json_mode: bool) -> None:
    args = ["demo", "--broken", "wrong-secrte\x1b]0;x\x07", *(["--json"] if json_mode else [])]
    done = run([*DEMO[:-1], *args], tmp_path, clean_env())
    assert done.exit_code == 2
    said = json.loads(done.stdout)["error"] if json_mode else {"message": done.stderr, "hint": done.stderr}
    assert "no scenario for 'wrong-secrte" in said["message"]
    assert "wrong-secret, key-not-found" in said["hint"]
    assert "\x1b" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    if not json_mode:
        assert done.stdout == "" and "pusher-doctor demo --broken list" in done.stderr


def test_the_readme_and_the_sandbox_doc_name_every_offered_cause() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text().split("## The sandbox: `pusher-doctor demo`", 1)[1]
    readme = readme.split("\n## ", 1)[0]
    doc = (root / "docs" / "sandbox.md").read_text()
    for cause in BROKEN:
        assert f"`{cause}`" in readme, cause
        assert f"| `{cause}` |" in doc, cause
