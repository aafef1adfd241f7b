"""`check --user-auth-endpoint` against a real soketi whose app requires user authentication, through the
test auth endpoint: the guest signs in as pusher-js's signin() does, and each way the sign-in fails gives
its cause."""

from __future__ import annotations

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.auth.conftest import SIGNIN
from tests.support.auth_server import AuthServer
from tests.support.cli import app_options

CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101", "--yes", "--json", "--timeout", "5"]


def run(cli, server: SoketiServer, endpoint_url: str, key_only: bool = False) -> tuple[int, dict[str, dict]]:
    options = app_options(server, SIGNIN)
    if key_only:
        for name in ("--secret", "--app-id"):
            at = options.index(name)
            del options[at:at + 2]
    result = cli([*CHECK, *options, "--user-auth-endpoint", endpoint_url])
    return result.exit_code, {check["id"]: check for check in result.json()["checks"]}


def test_the_guest_signs_in_through_the_endpoint_and_the_run_goes_on(cli, signin_soketi, signin_endpoint) -> None:
    code, checks = run(cli, signin_soketi, signin_endpoint.url("/user-auth"))
    assert code == 0, checks
    assert list(checks)[3:5] == ["websocket", "user-auth"]
    assert checks["user-auth"]["summary"].startswith("signed in as user guest-101 through the user-auth endpoint")
    assert "matches PUSHER_SECRET" in checks["user-auth"]["summary"]
    assert checks["delivery"]["status"] == "pass"
    (asked,) = [r["form"] for r in signin_endpoint.requests if r["path"] == "/user-auth"][-1:]
    assert set(asked) == {"socket_id"}  # pusher-js sends the socket id alone


@pytest.mark.parametrize(("path", "cause", "said"), [
    ("/user-no-id", "user-data-missing", "user_data has no id"),
    ("/user-other-secret", "auth-signature-mismatch", "another secret"),
    ("/user-fixed-socket", "auth-signature-mismatch", "another socket"),
    ("/status/403", "auth-endpoint-status", "HTTP 403"),
    ("/html", "auth-response-invalid", "not JSON"),
])
def test_each_sign_in_failure_names_its_cause(cli, signin_soketi, signin_endpoint: AuthServer, path: str,
                                              cause: str, said: str) -> None:
    code, checks = run(cli, signin_soketi, signin_endpoint.url(path))
    assert code == 1
    assert (checks["user-auth"]["status"], checks["user-auth"]["cause"]) == ("fail", cause)
    assert said in checks["user-auth"]["summary"]


def test_without_the_secret_a_wrong_signature_is_the_servers_refusal(cli, signin_soketi, signin_endpoint) -> None:
    code, checks = run(cli, signin_soketi, signin_endpoint.url("/user-other-secret"), key_only=True)
    assert code == 1
    assert checks["user-auth"]["cause"] == "signin-refused"
    assert "4009" in checks["user-auth"]["summary"]
    # The server closed the connection: the steps on it are not run, not failed a second time.
    assert checks["channel-auth"]["status"] == "skip" and "Sign-in failed" in checks["channel-auth"]["summary"]
    assert checks["subscribe"]["status"] == "skip"


@pytest.mark.parametrize(("status", "said", "fix"), [("403", "does not let this guest sign in", "signing this user in"),
                                                    ("401", "no session", "userAuthentication.headers")])
def test_an_endpoint_status_is_explained_for_the_sign_in(cli, signin_soketi, signin_endpoint, status: str, said: str,
                                                         fix: str) -> None:
    _, checks = run(cli, signin_soketi, signin_endpoint.url(f"/status/{status}"))
    assert said in checks["user-auth"]["summary"] and fix in checks["user-auth"]["fix"]["text"]
    assert "channelAuthorization" not in checks["user-auth"]["fix"]["text"]


def test_without_the_secret_a_good_sign_in_is_accepted_by_the_server(cli, signin_soketi, signin_endpoint) -> None:
    _, checks = run(cli, signin_soketi, signin_endpoint.url("/user-auth"), key_only=True)
    assert checks["user-auth"]["status"] == "pass"
    assert "not checked here (no PUSHER_SECRET): the server accepted it" in checks["user-auth"]["summary"]


def test_a_relative_user_auth_endpoint_without_origin_is_a_usage_error_naming_its_option(cli) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", "--user-auth-endpoint", "/pusher/user-auth"])
    assert result.exit_code == 2
    assert "--user-auth-endpoint /pusher/user-auth is relative" in result.output
