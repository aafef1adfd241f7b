"""Hostile addresses (review round 3): URLs, host names, keys and app ids of the wrong form are refused up
front with the option or setting named and a fix, never a traceback or a server blamed for them; a password
in a URL is never shown."""

from __future__ import annotations

import json

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.auth_server import auth_server
from tests.support.cli import app_options
from tests.support.servers import HEALTHY, closed_port

PASSWORD = "T0PSECRETPASS123456"
URL_OPTIONS = ("--page", "--auth-endpoint", "--user-auth-endpoint", "--origin")


def _closed_server() -> list[str]:
    return ["--app-id", "1", "--key", "k", "--secret", "s", "--host", "127.0.0.1", "--port", str(closed_port()),
            "--scheme", "http", "--timeout", "5"]


def _url_args(option: str, url: str) -> list[str]:
    auth = ["--channel-prefix", "private-"]
    if option == "--origin":
        return [*auth, "--auth-endpoint", "/pusher/auth", "--origin", url]
    return [*auth, option, url] if option != "--page" else [option, url]


@pytest.mark.parametrize("option", URL_OPTIONS)
@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/", "http://a:b/", "http://a b/", "http://a:99999/",
                                 "http://a:0/", "http://a..b/", "http:///path"])
def test_a_malformed_url_is_a_usage_error_naming_the_option_with_a_fix(cli, option: str, url: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_closed_server(), *_url_args(option, url)])
    assert result.exit_code == 2, result.output
    error, fix = result.stderr.strip().splitlines()[-2:]
    assert error.startswith(f"error: {option} ") and "is not a usable URL" in error, result.stderr
    assert fix.startswith("  fix: give ") and option in fix
    assert "Traceback" not in result.output


def test_a_password_in_the_page_url_is_never_shown(cli) -> None:
    url = f"http://guest:{PASSWORD}@127.0.0.1:{closed_port()}/rooms/101?token=Q"
    for mode in ([], ["--json"]):
        result = cli(["check", "--hotel", "h", "--room", "1", *_closed_server(), "--page", url, *mode])
        assert result.exit_code == 1, result.output
        assert PASSWORD not in result.output
        assert "guest:********@127.0.0.1" in result.output  # the URL is still recognisable


def test_an_auth_endpoint_with_a_password_is_asked_with_basic_auth_and_shown_masked(
        cli, soketi: SoketiServer) -> None:
    with auth_server(HEALTHY) as endpoint:
        url = endpoint.url("/auth").replace("://", f"://guest:{PASSWORD}@") + "?token=t0ken-in-query"
        for mode in ([], ["--json"]):
            result = cli(["check", "--hotel", "h", "--room", "1", *app_options(soketi, HEALTHY), "-v", "--yes",
                          "--channel-prefix", "private-", "--auth-endpoint", url, *mode])
            assert PASSWORD not in result.output and "t0ken-in-query" not in result.output
            assert "does not resolve" not in result.output
        checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
        assert checks["channel-auth"]["status"] == "pass", checks["channel-auth"]
        assert "endpoint: http://guest:********@127.0.0.1" in " ".join(checks["channel-auth"]["details"])
    assert endpoint.requests[-1]["headers"]["Authorization"].startswith("Basic ")


def _checks(result) -> dict[str, dict]:
    return {check["id"]: check for check in result.json()["checks"]}


def _settings_args(**given: str) -> list[str]:
    values = {"app-id": "1", "key": "k", "secret": "s", "host": "127.0.0.1", "port": str(closed_port()),
              "scheme": "http", **given}
    return [part for name, value in values.items() for part in (f"--{name}", value)]


@pytest.mark.parametrize("host", ["127.0.0.1#x", "127.0.0.1?x", "user@127.0.0.1", "ho!st", "[zz]"])
def test_a_host_with_url_characters_fails_settings_as_not_a_bare_host_name(cli, host: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(host=host), "--json"])
    assert result.exit_code == 1
    settings = _checks(result)["settings"]
    assert settings["status"] == "fail" and settings["cause"] == "malformed-setting"
    assert "is not a bare host name" in settings["summary"] and settings["hint"].startswith("give only")
    assert all(check["status"] == "skip" for id_, check in _checks(result).items() if id_ not in ("settings", "channels"))


@pytest.mark.parametrize("host", ["a..b", "a" * 64 + ".example", "a" * 300, ".example"])
def test_a_malformed_host_name_fails_settings_so_no_server_is_blamed(cli, host: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(host=host), "--json"])
    checks = _checks(result)
    assert checks["settings"]["cause"] == "malformed-setting", checks["settings"]
    assert "server-error" not in {check["cause"] for check in checks.values()}
    assert "idna" not in result.stdout


def test_a_host_name_that_cannot_be_encoded_is_a_malformed_setting_not_a_server_error() -> None:
    from pusher_doctor.protocol.wire import classify_transport_error

    with pytest.raises(UnicodeError) as raised:
        "a..b".encode("idna")
    found = classify_transport_error(raised.value, "ws://a..b:6001")
    assert found.cause == "malformed-setting" and "host name" in found.summary


@pytest.mark.parametrize("key", ["k?x=1", "k/", "k#", "k%41", "k\\x"])
def test_a_key_with_characters_that_break_its_url_fails_settings(cli, key: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(key=key), "--json"])
    settings = _checks(result)["settings"]
    assert settings["cause"] == "malformed-setting" and "which no app key has" in settings["summary"], settings


@pytest.mark.parametrize("key", ["3f2a9c0b1d4e5f6a7b8c", "healthy-key", "app_key.v2:eu", "ключ"])
def test_keys_of_self_hosted_servers_pass_settings(cli, key: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(key=key), "--json"])
    assert _checks(result)["settings"]["status"] == "pass", _checks(result)["settings"]


@pytest.mark.parametrize("option", ["--secret", "--key", "--app-id"])
def test_an_empty_option_is_named_as_an_option_not_as_none_or_the_environment(cli, option: str) -> None:
    args = _settings_args()
    args[args.index(option) + 1] = ""
    result = cli(["rooms", "--hotel", "h", *args], env={"PUSHER_SECRET": "from-the-env-1234"})
    assert "None" not in result.output and "looked in" not in result.output
    assert f"{option} is empty" in result.output
    assert "or leave it out" in result.output


def test_an_app_id_of_100000_digits_fails_settings_and_is_never_echoed_whole(cli) -> None:
    digits = "1" * 100_000
    for mode in (["-v"], ["--json"]):
        result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(**{"app-id": digits}), *mode])
        assert result.exit_code == 1
        assert "100000 characters long" in result.output
        assert len(result.output) < 10_000 and "1" * 100 not in result.output


def test_a_port_of_5000_digits_is_a_malformed_setting_not_an_internal_error(cli) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(port="1" * 5000), "--json"])
    assert _checks(result)["settings"]["cause"] == "malformed-setting"


def test_a_browser_cut_short_by_the_deadline_is_a_timeout_not_a_missing_browser(cli) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", *_settings_args(), "--timeout", "0.3",
                  "--page", f"http://127.0.0.1:{closed_port()}/", "--json"])
    page_load = _checks(result)["page-load"]
    assert page_load["cause"] == "timeout", page_load
