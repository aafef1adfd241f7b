"""Every way the chain breaks, against real servers: the cause id, the exit code, and no waiting
out --timeout when the server has already answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pusher_doctor.config.endpoints import CLUSTER_HOSTS_VARIABLE, Endpoint
from pusher_doctor.protocol.guest import Connected, GuestConnection
from pusher_doctor.sandbox import SandboxApp, SoketiServer
from tests.support.cli import app_options
from tests.support.proxies import frame_dropping_proxy
from tests.support.servers import (
    DISABLED,
    FULL,
    HEALTHY,
    TINY_PAYLOAD,
    accepting_server,
    closed_port,
    plain_http_server,
    silent_server,
)

#: long enough that a run which waited it out is plainly told apart from one that did not
GENEROUS_TIMEOUT = 12.0
CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101", "--json", "--timeout", str(GENEROUS_TIMEOUT)]


def failing_check(document: dict) -> dict:
    return next(c for c in document["checks"] if c["status"] == "fail")


def run_failing(cli, args: list[str], env: dict[str, str] | None = None) -> tuple[dict, dict, float]:
    started = time.monotonic()
    result = cli([*CHECK, *args], env=env)
    elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    document = result.json()
    assert document["ok"] is False
    failure = failing_check(document)
    assert failure["hint"], failure
    return document, failure, elapsed


def assert_answered_fast(elapsed: float) -> None:
    # The server answered: the verdict must not wait for --timeout (the exact speed is in benchmarks/).
    assert elapsed < GENEROUS_TIMEOUT / 3, f"took {elapsed:.1f} s"


def later_steps(document: dict, after: str) -> list[str]:
    ids = [c["id"] for c in document["checks"]]
    return [c["status"] for c in document["checks"][ids.index(after) + 1:]]


def test_missing_settings_are_named_with_where_they_were_looked_for(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PUSHER_APP_ID=1001\nPUSHER_CLUSTER=eu\n")
    document, failure, _ = run_failing(cli, [])
    assert failure["id"] == "settings"
    assert failure["cause"] == "missing-setting"
    assert "PUSHER_KEY" in failure["summary"] and ".env" in failure["summary"]
    assert "PUSHER_SECRET" in " ".join(failure["details"])
    assert set(later_steps(document, "channels")) == {"skip"}


@pytest.mark.parametrize(("overrides", "named"), [
    ({"app-id": "my-app"}, "PUSHER_APP_ID"),
    ({"port": "-1"}, "PUSHER_PORT"),
    ({"port": "sixty"}, "PUSHER_PORT"),
    ({"key": " healthy-key"}, "spaces"),
    ({"host": "http://127.0.0.1"}, "PUSHER_HOST"),
])
def test_malformed_settings_name_the_setting(cli, soketi: SoketiServer, overrides: dict, named: str) -> None:
    _, failure, _ = run_failing(cli, app_options(soketi, HEALTHY, **overrides))
    assert (failure["id"], failure["cause"]) == ("settings", "malformed-setting")
    assert named in failure["summary"]


def test_a_scheme_from_the_environment_that_is_not_http_is_malformed(cli, soketi: SoketiServer) -> None:
    # On the command line --scheme ftp is a usage error; from the environment it is a setting problem.
    options = [part for part in app_options(soketi, HEALTHY) if part not in ("--scheme", "http")]
    _, failure, _ = run_failing(cli, options, env={"PUSHER_SCHEME": "ftp"})
    assert (failure["cause"], failure["data"]) == ("malformed-setting", {"setting": "scheme"})
    assert "PUSHER_SCHEME" in failure["summary"]


def test_quotes_kept_inside_an_env_value_are_malformed(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PUSHER_APP_ID=1001\nPUSHER_KEY='\"healthy-key\"'\nPUSHER_SECRET=s3cr3t-value\n")
    _, failure, _ = run_failing(cli, [])
    assert failure["cause"] == "malformed-setting" and "quote" in failure["summary"]


def test_unknown_cluster_is_malformed(cli) -> None:
    _, failure, _ = run_failing(cli, ["--app-id", "1", "--key", "k1", "--secret", "s3cr3t", "--cluster", "eu-west-1"])
    assert failure["cause"] == "malformed-setting" and "eu-west-1" in failure["summary"]


def test_swapped_key_and_secret_are_recognised(cli, soketi: SoketiServer) -> None:
    options = app_options(soketi, HEALTHY, key=HEALTHY.secret, secret=HEALTHY.key)
    _, failure, elapsed = run_failing(cli, options)
    assert failure["cause"] == "malformed-setting" and "swapped" in failure["summary"]
    assert_answered_fast(elapsed)


@pytest.mark.parametrize("hotel", ["hotel paradise", "hôtel-paradise"])
def test_invalid_channel_names_fail_before_anything_is_sent(cli, soketi: SoketiServer, hotel: str) -> None:
    result = cli(["check", "--hotel", hotel, "--room", "101", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 1
    document = result.json()
    failure = failing_check(document)
    assert (failure["id"], failure["cause"]) == ("channels", "invalid-channel-name")
    statuses = {c["id"]: c["status"] for c in document["checks"]}
    assert statuses["trigger"] == "skip" and statuses["subscribe"] == "skip"


def test_connection_refused_is_unreachable_at_once(cli) -> None:
    options = ["--app-id", "1", "--key", "k", "--secret", "s3cr3t", "--host", "127.0.0.1",
               "--port", str(closed_port()), "--scheme", "http"]
    _, failure, elapsed = run_failing(cli, options)
    assert (failure["id"], failure["cause"]) == ("rest-api", "unreachable")
    assert "refused" in failure["summary"]
    assert_answered_fast(elapsed)


def test_unresolvable_host_is_unreachable(cli) -> None:
    options = ["--app-id", "1", "--key", "k", "--secret", "s3cr3t", "--host", "pusher.invalid", "--scheme", "http"]
    _, failure, _ = run_failing(cli, options)
    assert failure["cause"] == "unreachable" and "resolve" in failure["summary"]


def test_https_against_a_plain_server_times_out_with_the_scheme_hint(cli, soketi: SoketiServer) -> None:
    # soketi never answers a TLS hello, so this one does wait: within the budget.
    started = time.monotonic()
    result = cli([*CHECK[:-2], "--timeout", "1.5", *app_options(soketi, HEALTHY, scheme="https")])
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    failure = failing_check(result.json())
    assert failure["cause"] == "timeout"
    assert "PUSHER_SCHEME=http" in failure["hint"]
    assert elapsed < 1.5 + 1.0


def test_a_plain_web_server_is_not_pusher(cli) -> None:
    with plain_http_server() as port:
        options = ["--app-id", "1", "--key", "k", "--secret", "s3cr3t", "--host", "127.0.0.1",
                   "--port", str(port), "--scheme", "http"]
        document, failure, elapsed = run_failing(cli, options)
    assert failure["cause"] == "not-pusher"
    statuses = {c["id"]: c["status"] for c in document["checks"]}
    assert statuses["websocket"] == "skip"  # same host and port: not a second failure
    assert_answered_fast(elapsed)


def test_a_silent_server_times_out_within_the_budget(cli) -> None:
    with silent_server() as port:
        options = ["--app-id", "1", "--key", "k", "--secret", "s3cr3t", "--host", "127.0.0.1",
                   "--port", str(port), "--scheme", "http"]
        started = time.monotonic()
        result = cli([*CHECK[:-2], "--timeout", "1.5", *options])
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    failure = failing_check(result.json())
    assert failure["cause"] == "timeout"
    assert elapsed < 1.5 + 1.0, f"outlived --timeout: {elapsed:.1f} s"


def test_unknown_app_id(cli, soketi: SoketiServer) -> None:
    _, failure, elapsed = run_failing(cli, app_options(soketi, HEALTHY, **{"app-id": "9999"}))
    assert (failure["id"], failure["cause"]) == ("rest-api", "app-not-found")
    assert_answered_fast(elapsed)


def test_unknown_key(cli, soketi: SoketiServer) -> None:
    _, failure, elapsed = run_failing(cli, app_options(soketi, HEALTHY, key="no-such-key"))
    assert (failure["id"], failure["cause"]) == ("websocket", "key-not-found")
    assert_answered_fast(elapsed)


def test_wrong_secret(cli, soketi: SoketiServer) -> None:
    _, failure, elapsed = run_failing(cli, app_options(soketi, HEALTHY, secret="not-the-secret"))
    assert (failure["id"], failure["cause"]) == ("rest-api", "wrong-secret")
    assert_answered_fast(elapsed)


def test_disabled_app(cli, soketi: SoketiServer) -> None:
    _, failure, elapsed = run_failing(cli, app_options(soketi, DISABLED))
    assert (failure["id"], failure["cause"]) == ("websocket", "app-disabled")
    assert_answered_fast(elapsed)


def test_connection_quota_reached(cli, soketi: SoketiServer) -> None:
    with GuestConnection(Endpoint(soketi.HOST, soketi.port, False), FULL.key) as occupant:
        assert isinstance(occupant.connect(5), Connected)
        _, failure, elapsed = run_failing(cli, app_options(soketi, FULL))
    assert (failure["id"], failure["cause"]) == ("websocket", "over-quota")
    assert_answered_fast(elapsed)


def test_payload_over_the_apps_limit(cli, soketi: SoketiServer) -> None:
    _, failure, elapsed = run_failing(cli, [*app_options(soketi, TINY_PAYLOAD), "--message", "x" * 1500])
    assert (failure["id"], failure["cause"]) == ("trigger", "payload-too-large")
    assert_answered_fast(elapsed)


def test_message_near_pushers_limit_warns_before_it_breaks(cli, soketi: SoketiServer) -> None:
    result = cli([*CHECK, *app_options(soketi, HEALTHY), "--message", "é" * 4500])
    assert result.exit_code == 0, result.output
    trigger = next(c for c in result.json()["checks"] if c["id"] == "trigger")
    assert (trigger["status"], trigger["cause"]) == ("warn", "payload-too-large")


# subscription-refused: a server refusing a signed private subscription is tested against soketi in
# tests/auth/test_check_private.py (the doctor now signs private channels itself when it has the secret).


def test_event_accepted_but_never_delivered(cli, soketi: SoketiServer) -> None:
    # A proxy between guest and server passes the greeting, the pong to pysher's first ping and the
    # subscription ack, then drops every frame.
    with frame_dropping_proxy(soketi.port, frames_to_pass=3) as port:
        options = app_options(soketi, HEALTHY, port=str(port))
        started = time.monotonic()
        result = cli([*CHECK[:-2], "--timeout", "2", *options])
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    document = result.json()
    failure = failing_check(document)
    assert (failure["id"], failure["cause"]) == ("delivery", "event-not-delivered")
    assert document["events"] == [{"channel": "hotel-paradise-room-101-chat", "event": "new-staff-message",
                                   "received": False, "latency_ms": None}]
    assert elapsed < 2 + 1.0


@pytest.fixture
def other_cluster() -> Iterator[SoketiServer]:
    """A second server standing for another Pusher cluster, where the app really lives."""
    with SoketiServer([SandboxApp("2001", "eu-key", "eu-secret-61f0")]) as server:
        yield server


def test_wrong_cluster_names_the_cluster_the_key_works_in(cli, soketi: SoketiServer, other_cluster: SoketiServer) -> None:
    clusters = f"us2={soketi.HOST}:{soketi.port},eu={other_cluster.HOST}:{other_cluster.port}"
    options = ["--app-id", "2001", "--key", "eu-key", "--secret", "eu-secret-61f0", "--cluster", "us2"]
    _, failure, elapsed = run_failing(cli, options, env={CLUSTER_HOSTS_VARIABLE: clusters})
    assert failure["cause"] == "wrong-cluster"
    assert "cluster eu" in failure["summary"] and "PUSHER_CLUSTER=eu" in failure["hint"]
    assert_answered_fast(elapsed)


def test_right_cluster_through_the_directory_passes(cli, soketi: SoketiServer, other_cluster: SoketiServer) -> None:
    clusters = f"us2={soketi.HOST}:{soketi.port},eu={other_cluster.HOST}:{other_cluster.port}"
    options = ["--app-id", "2001", "--key", "eu-key", "--secret", "eu-secret-61f0", "--cluster", "eu"]
    result = cli([*CHECK, *options], env={CLUSTER_HOSTS_VARIABLE: clusters})
    assert result.exit_code == 0, result.output


def test_a_quote_left_open_names_the_line_not_a_missing_setting(cli, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('PUSHER_APP_ID=1001\nPUSHER_KEY=healthy-key\nPUSHER_SECRET="healthy-secret\n')
    _, failure, _ = run_failing(cli, [])
    assert failure["cause"] == "malformed-setting"
    assert "line 3" in failure["summary"] and "PUSHER_SECRET" in failure["summary"]


@pytest.mark.parametrize(("overrides", "named"), [
    ({"port": "²"}, "PUSHER_PORT"),
    ({"app-id": "١٠٠١"}, "PUSHER_APP_ID"),
    ({"key": "healthy key"}, "spaces"),
    ({"host": "bad host"}, "spaces"),
])
def test_lookalike_digits_and_inner_spaces_are_malformed(cli, soketi: SoketiServer, overrides: dict,
                                                        named: str) -> None:
    _, failure, elapsed = run_failing(cli, app_options(soketi, HEALTHY, **overrides))
    assert (failure["id"], failure["cause"]) == ("settings", "malformed-setting")
    assert named in failure["summary"]
    assert_answered_fast(elapsed)


@pytest.mark.parametrize("option", ["--hotel", "--room"])
def test_an_empty_hotel_or_room_is_an_invalid_channel_name(cli, soketi: SoketiServer, option: str) -> None:
    args = {"--hotel": "hotel-paradise", "--room": "101", option: " "}
    result = cli(["check", *[part for pair in args.items() for part in pair], "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 1
    assert failing_check(result.json())["cause"] == "invalid-channel-name"


def test_a_trickling_server_cannot_stretch_the_timeout(cli) -> None:
    # Answers one byte every half second: every single read is quick, the whole answer is not.
    def trickle(connection):
        def send() -> None:
            try:
                connection.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 100:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.5)
            except OSError:
                pass
        threading.Thread(target=send, daemon=True).start()
        return [connection]

    with accepting_server(trickle) as port:
        options = ["--app-id", "1", "--key", "k", "--secret", "s3cr3t", "--host", "127.0.0.1",
                   "--port", str(port), "--scheme", "http"]
        started = time.monotonic()
        result = cli([*CHECK[:-2], "--timeout", "2", *options])
        elapsed = time.monotonic() - started
    assert result.exit_code == 1, result.output
    assert failing_check(result.json())["cause"] == "timeout"
    assert result.json()["ok"] is False
    assert elapsed < 2 + 1.0, f"outlived --timeout: {elapsed:.1f} s"
