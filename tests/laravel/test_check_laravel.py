"""`check` on a Laravel app's env file (REVERB_*, BROADCAST_CONNECTION, QUEUE_CONNECTION) and `check
--via-backend` on a real Django project that sends the test message through its own `pusher` library, both
against real soketi."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.auth_server import auth_server
from tests.support.cli import app_options
from tests.support.servers import HEALTHY

DJANGO_PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "django_live"
LARAVEL_APP = Path(__file__).resolve().parents[1] / "backend" / "fixtures" / "laravel_ok"
CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101", "--yes", "--json", "--timeout", "10"]


def laravel_env(soketi: SoketiServer, broadcaster: str = "reverb", queue: str = "sync") -> str:
    """A Laravel 11 .env after `php artisan install:broadcasting --reverb`, its Pusher lines left empty."""
    return (f"APP_NAME=Hotel\nBROADCAST_CONNECTION={broadcaster}\nQUEUE_CONNECTION={queue}\n"
            "PUSHER_APP_ID=\nPUSHER_APP_KEY=\nPUSHER_APP_SECRET=\n"
            f"REVERB_APP_ID={HEALTHY.id}\nREVERB_APP_KEY={HEALTHY.key}\nREVERB_APP_SECRET={HEALTHY.secret}\n"
            f"REVERB_HOST=\"{soketi.HOST}\"\nREVERB_PORT={soketi.port}\nREVERB_SCHEME=http\n"
            'VITE_REVERB_APP_KEY="${REVERB_APP_KEY}"\nVITE_REVERB_HOST="${REVERB_HOST}"\n')


def checks_of(result) -> dict[str, dict]:
    return {check["id"]: check for check in result.json()["checks"]}


def test_a_laravel_env_file_is_read_for_reverb_and_its_broadcaster(cli, soketi, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(laravel_env(soketi))
    result = cli(CHECK)
    checks = checks_of(result)
    assert result.exit_code == 0, checks
    assert list(checks)[:2] == ["settings", "backend"]
    assert any(line.startswith("REVERB_APP_KEY = health") and line.endswith("(.env REVERB_APP_KEY)")
               for line in checks["settings"]["details"])
    assert checks["backend"]["status"] == "pass" and "broadcaster reverb, queue sync" in checks["backend"]["summary"]
    assert checks["delivery"]["status"] == "pass"
    assert HEALTHY.secret not in result.output


@pytest.mark.parametrize(("broadcaster", "queue", "status", "cause", "said"), [
    ("log", "sync", "fail", "broadcaster-disabled", "the broadcaster is 'log'"),
    ("null", "sync", "fail", "broadcaster-disabled", "throws each event away"),
    ("reverb", "database", "warn", "broadcast-queued", "queue database"),
])
def test_a_backend_that_sends_nothing_is_named(cli, soketi, tmp_path: Path, broadcaster: str, queue: str,
                                               status: str, cause: str, said: str) -> None:
    (tmp_path / ".env").write_text(laravel_env(soketi, broadcaster, queue))
    backend = checks_of(cli(CHECK))["backend"]
    assert (backend["status"], backend["cause"]) == (status, cause), backend
    assert said in backend["summary"] and backend["fix"]["commands"]


def test_a_broadcaster_whose_own_settings_are_empty_is_named(cli, soketi, tmp_path: Path) -> None:
    # pusher-doctor reaches the server with REVERB_*, but Laravel's pusher broadcaster reads PUSHER_APP_*
    (tmp_path / ".env").write_text(laravel_env(soketi, broadcaster="pusher"))
    backend = checks_of(cli(CHECK))["backend"]
    assert (backend["status"], backend["cause"]) == ("warn", "missing-setting"), backend
    assert "leaves its PUSHER_APP_ID, PUSHER_APP_KEY, PUSHER_APP_SECRET empty" in backend["summary"]
    assert "used REVERB_APP_ID, REVERB_APP_KEY, REVERB_APP_SECRET" in backend["summary"]


def test_without_a_laravel_env_file_there_is_no_backend_step(cli, soketi, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"PUSHER_APP_ID={HEALTHY.id}\nPUSHER_KEY={HEALTHY.key}\n"
                                   f"PUSHER_SECRET={HEALTHY.secret}\nPUSHER_HOST={soketi.HOST}\n"
                                   f"PUSHER_PORT={soketi.port}\nPUSHER_SCHEME=http\n")
    checks = checks_of(cli(CHECK))
    assert "backend" not in checks and checks["delivery"]["status"] == "pass"


def django_project(tmp_path: Path, soketi: SoketiServer, secret: str) -> Path:
    """The tiny Django project with its own .env: the app the backend sends to, with `secret`."""
    project = tmp_path / "backend"
    shutil.copytree(DJANGO_PROJECT, project)
    (project / ".env").write_text(f"PUSHER_APP_ID={HEALTHY.id}\nPUSHER_KEY={HEALTHY.key}\nPUSHER_SECRET={secret}\n"
                                  f"PUSHER_HOST={soketi.HOST}\nPUSHER_PORT={soketi.port}\nPUSHER_SCHEME=http\n")
    return project


def via_django(cli, soketi: SoketiServer, tmp_path: Path, secret: str):
    project = django_project(tmp_path, soketi, secret)
    # the project's interpreter is this one (it has Django), as an activated virtualenv puts it on PATH
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    # pusher-doctor's own settings are the app's: what the backend's .env says is tested by the backend alone
    return cli([*CHECK, *app_options(soketi, HEALTHY), "--via-backend", str(project)], env={"PATH": path})


def test_a_django_backend_sends_the_test_message_itself(cli, soketi, tmp_path: Path) -> None:
    result = via_django(cli, soketi, tmp_path, HEALTHY.secret)
    checks = checks_of(result)
    assert result.exit_code == 0, checks
    trigger = checks["trigger"]
    assert trigger["data"]["via_backend"] == "django" and "sent by the backend" in trigger["summary"]
    assert "backend" not in checks  # the broadcaster and queue step is Laravel's
    assert any("python manage.py shell" in line for line in trigger["details"])
    assert checks["delivery"]["status"] == "pass", checks["delivery"]
    assert "whether the app's own code broadcasts them" in result.json()["verdict"]


def test_a_django_backend_with_the_wrong_secret_is_named(cli, soketi, tmp_path: Path) -> None:
    result = via_django(cli, soketi, tmp_path, "not-the-apps-secret")
    checks = checks_of(result)
    assert result.exit_code == 1
    trigger = checks["trigger"]
    assert (trigger["status"], trigger["cause"]) == ("fail", "wrong-secret"), trigger["details"]
    assert trigger["summary"].startswith("python manage.py shell: the request signature was refused (HTTP 401")
    assert trigger["fix"]["text"].startswith("in the backend's own settings")
    assert checks["delivery"]["status"] == "skip"


@pytest.mark.parametrize(("layout", "said"), [("", "has neither artisan"), ("artisan", "php is not on PATH")])
def test_a_backend_that_cannot_be_run_is_a_usage_error(cli, soketi, tmp_path: Path, layout: str, said: str) -> None:
    backend = tmp_path / "app"
    backend.mkdir()
    if layout:
        (backend / layout).write_text("<?php\n")
    result = cli([*CHECK, "--via-backend", str(backend)], env={"PATH": str(tmp_path / "empty")})
    assert result.exit_code == 2
    error = result.json()["error"]
    assert error["cause"] == "usage-error" and said in str(error), error


def test_a_laravel_backend_without_a_broadcaster_setting_warns_and_its_broadcaster_is_named(cli, soketi,
                                                                                          tmp_path: Path) -> None:
    (tmp_path / "artisan").write_text("<?php\n")
    php = tmp_path / "bin" / "php"
    php.parent.mkdir()
    php.write_text("#!/bin/sh\necho 'PUSHER_DOCTOR_BROADCASTER Illuminate\\Broadcasting\\Broadcasters\\NullBroadcaster'\n"
                   "echo 'PUSHER_DOCTOR_SENT hotel-paradise-room-101-chat new-staff-message'\n")
    php.chmod(0o755)
    path = os.pathsep.join([str(php.parent), os.environ.get("PATH", "")])
    checks = checks_of(cli([*CHECK, *app_options(soketi, HEALTHY), "--via-backend", "."], env={"PATH": path}))
    assert (checks["backend"]["status"], checks["backend"]["cause"]) == ("warn", "broadcaster-disabled")
    assert (checks["trigger"]["status"], checks["trigger"]["cause"]) == ("fail", "broadcaster-disabled")
    assert "NullBroadcaster" in checks["trigger"]["summary"]


def test_a_refusal_names_the_laravel_apps_auth_route_and_channel_callbacks(cli, soketi, tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(LARAVEL_APP, app)
    php = tmp_path / "bin" / "php"
    php.parent.mkdir()
    php.write_text("#!/bin/sh\nexit 1\n")  # never reached: the run stops at channel-auth
    php.chmod(0o755)
    path = os.pathsep.join([str(php.parent), os.environ.get("PATH", "")])
    with auth_server(HEALTHY) as endpoint:  # /web/broadcasting/auth: Laravel's route whose channel callback says no
        result = cli([*CHECK, *app_options(soketi, HEALTHY), "--room-channel", "private-chat.{room}",
                      "--auth-endpoint", endpoint.url("/web/broadcasting/auth"), "--auth-cookie", "laravel_session=abc123def456",
                      "--via-backend", str(app)], env={"PATH": path})
    refused = checks_of(result)["channel-auth"]
    assert refused["cause"] == "auth-channel-refused"
    assert "channel callback: Broadcast::channel('chat.{roomId}', ...) at routes/channels.php:5" in refused["details"]
    assert any(line.startswith("the auth route: ") and "bootstrap/app.php" in line for line in refused["details"])
