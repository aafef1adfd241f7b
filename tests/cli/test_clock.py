"""Clock skew: this machine's clock set 700 s ahead of a real soketi's (Pusher allows 600 s)."""

from __future__ import annotations

import time

import pytest

from pusher_doctor.config.endpoints import CLUSTER_HOSTS_VARIABLE
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options
from tests.support.servers import HEALTHY

SKEW_SECONDS = 700


@pytest.fixture
def clock_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + SKEW_SECONDS)


def _rest_check(document: dict) -> dict:
    return next(c for c in document["checks"] if c["id"] == "rest-api")


def test_self_hosted_server_warns(cli, soketi: SoketiServer, clock_ahead: None) -> None:
    # soketi does not check request timestamps, so requests work; Pusher cloud would refuse them.
    result = cli(["check", "--hotel", "h", "--room", "1", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    rest = _rest_check(result.json())
    assert (rest["status"], rest["cause"]) == ("warn", "clock-skew")
    assert "ahead of" in rest["summary"]


def test_pusher_cloud_fails(cli, soketi: SoketiServer, clock_ahead: None) -> None:
    clusters = {CLUSTER_HOSTS_VARIABLE: f"eu={soketi.HOST}:{soketi.port}"}
    options = ["--app-id", HEALTHY.id, "--key", HEALTHY.key, "--secret", HEALTHY.secret, "--cluster", "eu"]
    result = cli(["check", "--hotel", "h", "--room", "1", "--json", *options], env=clusters)
    assert result.exit_code == 1, result.output
    rest = _rest_check(result.json())
    assert (rest["status"], rest["cause"]) == ("fail", "clock-skew")
