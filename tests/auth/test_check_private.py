"""`check` on private, presence and encrypted channels against real soketi, through a real auth endpoint
on loopback: each channel kind subscribes and receives, and each way an endpoint fails gives its cause."""

from __future__ import annotations

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.auth_server import (
    BEARER_HEADER,
    CSRF_HEADER,
    MASTER_KEY,
    OTHER_MASTER_KEY,
    PAGE_ORIGIN,
    SESSION_COOKIE,
    AuthServer,
)
from tests.support.cli import app_options
from tests.support.servers import HEALTHY, closed_port

CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101", "--yes", "--json", "--timeout", "5"]


def run(cli, soketi: SoketiServer, *args: str, app=HEALTHY, **settings: str) -> tuple[int, dict[str, dict]]:
    result = cli([*CHECK, *app_options(soketi, app, **settings), *args])
    document = result.json()
    return result.exit_code, {check["id"]: check for check in document["checks"]}


@pytest.mark.parametrize("prefix", ["private-", "presence-", "private-encrypted-"])
def test_each_channel_kind_subscribes_through_the_endpoint_and_receives(cli, soketi, endpoint: AuthServer,
                                                                        prefix: str) -> None:
    code, checks = run(cli, soketi, "--channel-prefix", prefix, "--auth-endpoint", endpoint.url(),
                       "--encryption-master-key", MASTER_KEY, "--conversation", "45")
    assert code == 0, checks
    assert checks["channel-auth"]["status"] == "pass" and "auth endpoint signed 2" in checks["channel-auth"]["summary"]
    assert checks["subscribe"]["status"] == "pass"
    # Encrypted events count as received only once decrypted: the probe id is inside the ciphertext.
    assert checks["delivery"]["status"] == "pass", checks["delivery"]
    assert checks["channel-privacy"]["status"] == "pass"
    asked = [r["form"] for r in endpoint.requests if r["method"] == "POST"][-2:]
    assert {a["channel_name"] for a in asked} == {f"{prefix}hotel-paradise-room-101-chat",
                                                  f"{prefix}hotel-paradise-conversation-45-chat"}


def test_presence_shows_the_members_the_server_reports(cli, soketi, endpoint: AuthServer) -> None:
    _, checks = run(cli, soketi, "--channel-prefix", "presence-", "--auth-endpoint", endpoint.url())
    members = checks["subscribe"]["data"]["presence"]["presence-hotel-paradise-room-101-chat"]
    assert members == {"count": 1, "ids": ["guest-101"]}
    assert any("1 member(s) present: guest-101" in line for line in checks["subscribe"]["details"])


def test_without_an_endpoint_it_signs_with_the_secret_and_says_the_endpoint_was_not_tested(cli, soketi) -> None:
    code, checks = run(cli, soketi, "--room-channel", "private-{hotel}-room-{room}")
    assert code == 0
    assert checks["channels"]["summary"] == "private-hotel-paradise-room-101"
    assert "NOT tested" in checks["channel-auth"]["summary"] and checks["delivery"]["status"] == "pass"


@pytest.mark.parametrize(("path", "prefix", "cause", "said"), [
    ("/status/401", "private-", "auth-unauthenticated", "HTTP 401: not logged in"),
    ("/status/403", "private-", "auth-unauthenticated", "HTTP 403: not logged in"),
    ("/nowhere", "private-", "auth-endpoint-status", "relative authEndpoint"),
    ("/broadcasting/auth", "private-", "broadcast-routes-missing", "/broadcasting/auth is not registered"),
    ("/csrf", "private-", "auth-csrf", "HTTP 419: CSRF"),
    ("/crash", "private-", "auth-endpoint-status", "HTTP 500: a server error"),
    ("/session", "private-", "auth-unauthenticated", "HTTP 401"),
    ("/sanctum", "private-", "auth-unauthenticated", "HTTP 401"),
    ("/login", "private-", "auth-redirect", "HTTP 302, a redirect to http://127.0.0.1"),
    ("/html", "private-", "auth-response-invalid", "not JSON"),
    ("/envelope", "private-", "auth-response-invalid", '{"data": {"auth": ...}}'),
    ("/no-auth", "private-", "auth-response-invalid", 'no "auth" field'),
    ("/other-secret", "private-", "auth-signature-mismatch", "another secret"),
    ("/fixed-socket", "private-", "auth-signature-mismatch", "another socket"),
    ("/other-channel", "private-", "auth-signature-mismatch", "another channel, hotel-paradise-room-101-chat"),
    ("/presence-no-data", "presence-", "presence-data-missing", "no channel_data"),
    ("/presence-no-user", "presence-", "presence-data-missing", "no user_id"),
    ("/other-master-key", "private-encrypted-", "encryption-key-mismatch", "another key"),
])
def test_each_endpoint_failure_names_its_cause(cli, soketi, endpoint: AuthServer, path: str, prefix: str,
                                               cause: str, said: str) -> None:
    code, checks = run(cli, soketi, "--channel-prefix", prefix, "--auth-endpoint", endpoint.url(path),
                       "--encryption-master-key", MASTER_KEY)
    assert code == 1
    failure = checks["channel-auth"]
    assert (failure["status"], failure["cause"]) == ("fail", cause), failure
    assert said in failure["summary"], failure["summary"]
    assert failure["fix"]["text"]
    assert checks["subscribe"]["status"] == "skip"


@pytest.mark.parametrize(("path", "sent", "cause", "said"), [
    # Laravel's web-guarded route: the same 403 means the callback only when a session went with it
    ("/web/broadcasting/auth", "cookie", "auth-channel-refused", "routes/channels.php returned false"),
    ("/web/broadcasting/auth", "bearer", "broadcast-auth-guard", "the bearer token was not read"),
    ("/web/broadcasting/auth", "", "auth-unauthenticated", "not logged in"),
    # not Laravel's route: a token was sent and refused, so the endpoint's rule said no
    ("/status/403", "bearer", "auth-channel-refused", "refused on this channel"),
    ("/sanctum", "cookie", "auth-unauthenticated", "auth:sanctum"),
    ("/sanctum", "bearer", None, None),
])
def test_laravels_refusals_are_told_apart_by_what_was_sent(cli, soketi, endpoint: AuthServer, path: str, sent: str,
                                                           cause: str | None, said: str | None) -> None:
    extra = {"cookie": ["--auth-cookie", "=".join(SESSION_COOKIE)],
             "bearer": ["--auth-header", ": ".join(BEARER_HEADER)], "": []}[sent]
    code, checks = run(cli, soketi, "--channel-prefix", "private-", "--auth-endpoint", endpoint.url(path), *extra)
    failure = checks["channel-auth"]
    if cause is None:
        assert (code, failure["status"]) == (0, "pass"), failure
        return
    assert (code, failure["status"], failure["cause"]) == (1, "fail", cause), failure
    assert said in failure["summary"] + failure["fix"]["text"], failure
    assert SESSION_COOKIE[1] not in str(checks) and BEARER_HEADER[1].split()[-1] not in str(checks)


def test_an_endpoint_nobody_answers_is_unreachable(cli, soketi) -> None:
    _, checks = run(cli, soketi, "--channel-prefix", "private-", "--auth-endpoint",
                    f"http://127.0.0.1:{closed_port()}/auth")
    assert checks["channel-auth"]["cause"] == "auth-endpoint-unreachable"
    assert "connection refused" in checks["channel-auth"]["summary"]


def test_the_guests_session_and_csrf_token_are_sent_and_never_shown(cli, soketi, endpoint: AuthServer) -> None:
    cookie, header = "=".join(SESSION_COOKIE), ": ".join(CSRF_HEADER)
    for path, extra in (("/session", ["--auth-cookie", cookie]), ("/csrf", ["--auth-header", header])):
        result = cli([*CHECK, *app_options(soketi, HEALTHY), "--channel-prefix", "private-", "--auth-endpoint",
                      endpoint.url(path), *extra, "-v"])
        assert result.exit_code == 0, result.output
        assert SESSION_COOKIE[1] not in result.output and CSRF_HEADER[1] not in result.output
    sent = [r["headers"] for r in endpoint.requests if r["path"] in ("/session", "/csrf")]
    assert any(SESSION_COOKIE[1] in h.get("Cookie", "") for h in sent)
    assert any({k.lower(): v for k, v in h.items()}.get(CSRF_HEADER[0].lower()) == CSRF_HEADER[1] for h in sent)


def test_cors_is_checked_for_the_pages_origin(cli, soketi, endpoint: AuthServer) -> None:
    _, blocked = run(cli, soketi, "--channel-prefix", "private-", "--auth-endpoint", endpoint.url(),
                     "--origin", PAGE_ORIGIN)
    assert blocked["channel-auth"]["cause"] == "auth-cors"
    assert "Access-Control-Allow-Origin" in blocked["channel-auth"]["summary"]
    code, allowed = run(cli, soketi, "--channel-prefix", "private-", "--auth-endpoint", endpoint.url("/cors"),
                        "--origin", PAGE_ORIGIN, "--auth-header", ": ".join(CSRF_HEADER))
    assert code == 0 and allowed["channel-auth"]["status"] == "pass"
    # A custom header makes the browser ask first: the preflight went out, with the header's name only.
    preflight = next(r for r in endpoint.requests if r["method"] == "OPTIONS")
    assert preflight["headers"]["Access-Control-Request-Headers"] == CSRF_HEADER[0].lower()


def test_a_relative_endpoint_is_resolved_against_the_pages_origin(cli, soketi, endpoint: AuthServer) -> None:
    origin = f"http://127.0.0.1:{endpoint.port}"
    code, checks = run(cli, soketi, "--channel-prefix", "private-", "--auth-endpoint", "/auth", "--origin", origin)
    assert code == 0, checks["channel-auth"]


def test_the_servers_own_refusal_is_named_when_no_secret_can_check_the_signature(cli, soketi,
                                                                                 endpoint: AuthServer) -> None:
    # Key only: the endpoint's signature cannot be checked here, so the server's refusal is what shows.
    result = cli([*CHECK, "--key", HEALTHY.key, "--host", soketi.HOST, "--port", str(soketi.port), "--scheme", "http",
                  "--channel-prefix", "private-", "--auth-endpoint", endpoint.url("/other-secret")])
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert "not checked here" in checks["channel-auth"]["summary"]
    refused = checks["subscribe"]
    assert (refused["status"], refused["cause"]) == ("fail", "subscription-refused")
    assert "401" in refused["summary"] and "AuthError" in refused["summary"]
    assert "auth endpoint's signature" in refused["fix"]["text"]


def test_encrypted_channels_without_the_master_key_cannot_be_triggered(cli, soketi, endpoint: AuthServer) -> None:
    _, checks = run(cli, soketi, "--channel-prefix", "private-encrypted-", "--auth-endpoint", endpoint.url())
    assert checks["subscribe"]["status"] == "pass"
    assert (checks["trigger"]["status"], checks["trigger"]["cause"]) == ("fail", "encryption-key-mismatch")


def test_a_master_key_of_the_wrong_size_is_named_and_never_shown(cli, soketi) -> None:
    result = cli([*CHECK, *app_options(soketi, HEALTHY), "--channel-prefix", "private-encrypted-",
                  "--encryption-master-key", OTHER_MASTER_KEY[:20]])
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert checks["channel-auth"]["cause"] == "encryption-key-mismatch"
    assert "must be 32" in checks["channel-auth"]["summary"] or "not valid base64" in checks["channel-auth"]["summary"]
    assert OTHER_MASTER_KEY[:20] not in result.output


def test_the_public_channel_warning_shows_for_public_channels_only(cli, soketi) -> None:
    code, public = run(cli, soketi)
    assert code == 0
    warning = public["channel-privacy"]
    assert (warning["status"], warning["cause"]) == ("warn", "public-guest-channel")
    assert "anyone who knows its name can read it" in warning["summary"]
    assert any("no credentials" in line for line in warning["details"])
    assert "private-hotel-paradise-room-101-chat" in warning["fix"]["text"]
    assert "frontend: subscribe to private-" in warning["fix"]["text"]
    _, private = run(cli, soketi, "--channel-prefix", "private-")
    assert private["channel-privacy"]["status"] == "pass" and private["channel-privacy"]["cause"] is None


def test_client_events_are_a_warning_where_the_app_relays_them(cli, soketi, chatty_soketi,
                                                               chatty_endpoint: AuthServer) -> None:
    from tests.auth.conftest import CHATTY

    _, relayed = run(cli, chatty_soketi, "--channel-prefix", "private-", "--auth-endpoint", chatty_endpoint.url(),
                     app=CHATTY)
    assert (relayed["client-events"]["status"], relayed["client-events"]["cause"]) == ("warn", "client-events-enabled")
    _, refused = run(cli, soketi, "--channel-prefix", "private-")
    assert refused["client-events"]["status"] == "pass" and "4301" in refused["client-events"]["summary"]


@pytest.mark.parametrize(("args", "said"), [
    (["--channel-prefix", "secret-"], "--channel-prefix must be one of"),
    (["--room-channel", "private-{hotel}-{floor}"], "{floor}"),
    (["--conversation-channel", "private-{conversation}"], "no --conversation"),
    (["--auth-endpoint", "/broadcasting/auth"], "relative"),
    (["--auth-endpoint", "ftp://x/auth"], "http:// or https://"),
    (["--origin", "http://x"], "go with --auth-endpoint"),
    (["--auth-endpoint", "http://x/auth", "--auth-header", "no-colon-S3CRETVALUE"], "'Name: value'"),
    (["--auth-endpoint", "http://x/auth", "--auth-cookie", "S3CRETVALUE"], "NAME=VALUE"),
])
def test_bad_private_channel_options_are_usage_errors_that_quote_no_value(cli, args: list[str], said: str) -> None:
    result = cli(["check", "--hotel", "h", "--room", "1", "--json", *args])
    assert result.exit_code == 2
    error = result.json()["error"]
    assert said in error["message"] and "S3CRETVALUE" not in result.output
