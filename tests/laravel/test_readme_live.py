"""The README's "Checking a Laravel or Django app live" commands run as written in a Laravel app's directory:
the check reading its .env, and the check --via-backend, whose `php` here is a stand-in that sends through the
`pusher` library as Laravel's Reverb broadcaster would (no PHP on this machine), against real soketi."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from tests.laravel.test_check_laravel import laravel_env
from tests.support.servers import HEALTHY

ROOT = Path(__file__).resolve().parents[2]

#: a `php` that runs `artisan tinker` as the Reverb broadcaster would: the app's .env, the events it is given
FAKE_PHP = '''
import json, os, sys
import pusher
from dotenv import dotenv_values
assert sys.argv[1:3] == ["artisan", "tinker"] and sys.argv[3].startswith("--execute=")
env = dotenv_values(".env")
client = pusher.Pusher(app_id=env["REVERB_APP_ID"], key=env["REVERB_APP_KEY"], secret=env["REVERB_APP_SECRET"],
                       host=env["REVERB_HOST"], port=int(env["REVERB_PORT"]), ssl=False)
print("PUSHER_DOCTOR_BROADCASTER Illuminate\\\\Broadcasting\\\\Broadcasters\\\\ReverbBroadcaster")
for channel, event, data in json.loads(os.environ["PUSHER_DOCTOR_EVENTS"]):
    client.trigger(channel, event, data)
    print("PUSHER_DOCTOR_SENT", channel, event)
'''


def _live_commands() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("#### Checking a Laravel or Django app live", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [shlex.split(line) for line in block.splitlines() if line.startswith("pusher-doctor")]


def test_both_commands_check_a_laravel_app_from_its_directory(cli, soketi, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(laravel_env(soketi))
    (tmp_path / "artisan").write_text("#!/usr/bin/env php\n<?php\n")
    php = tmp_path / "bin" / "php"
    php.parent.mkdir()
    php.write_text(f"#!{sys.executable}\n{FAKE_PHP}")
    php.chmod(0o755)
    path = os.pathsep.join([str(php.parent), os.environ.get("PATH", "")])
    read_env, via_backend = _live_commands()
    assert via_backend == [*read_env, "--via-backend", "."]
    for command in (read_env, via_backend):
        result = cli([*command[1:], "--json", "--yes", "--timeout", "15"], env={"PATH": path})
        checks = {check["id"]: check for check in result.json()["checks"]}
        assert result.exit_code == 0, checks
        assert checks["backend"]["status"] == "pass" and checks["delivery"]["status"] == "pass"
        assert HEALTHY.secret not in result.output
    assert checks["trigger"]["data"]["via_backend"] == "laravel"
    assert "ReverbBroadcaster" in checks["trigger"]["details"][0]
