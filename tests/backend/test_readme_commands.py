"""The README's "Laravel / Reverb" commands work as written: the scan on a Laravel tree, and the check against a
real Reverb-protocol server (soketi) with only the app's values put in."""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.support.servers import HEALTHY

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _laravel_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Laravel / Reverb", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if "pusher-doctor" in line]


def test_the_scan_command_reads_a_laravel_app(cli, monkeypatch) -> None:
    scan, _ = _laravel_commands()
    assert scan == ["pusher-doctor", "scan-backend", "."]
    monkeypatch.chdir(FIXTURES / "laravel")
    result = cli(scan[1:])
    assert result.exit_code == 1 and "broadcaster-disabled" in result.stdout


def test_the_check_command_delivers_through_a_reverb_protocol_server(cli, soketi) -> None:
    _, check = _laravel_commands()
    values = {"$REVERB_APP_ID": HEALTHY.id, "$REVERB_APP_KEY": HEALTHY.key, "localhost": soketi.HOST,
              "8080": str(soketi.port)}
    assignment, *command = check  # PUSHER_SECRET="$REVERB_APP_SECRET" before the command
    assert assignment == "PUSHER_SECRET=$REVERB_APP_SECRET" and command[:2] == ["pusher-doctor", "check"]
    args = [values.get(arg, arg) for arg in command[1:]]
    result = cli([*args, "--json", "--yes", "--timeout", "20"], env={"PUSHER_SECRET": HEALTHY.secret})
    assert result.exit_code == 0, result.output
    document = result.json()
    statuses = {check["id"]: check["status"] for check in document["checks"]}
    assert statuses["trigger"] == "pass" and statuses["delivery"] == "pass"
    assert HEALTHY.secret not in result.output
