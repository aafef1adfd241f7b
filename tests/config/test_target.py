"""target.validate and build_target: the settings' presence and form, and the endpoints they lead to."""

from __future__ import annotations

from pathlib import Path

import pytest

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.settings import load_settings
from pusher_doctor.config.target import build_target, validate

NO_FILE = Path("/nonexistent/pusher-doctor-test.env")
GOOD = {"PUSHER_APP_ID": "1001", "PUSHER_KEY": "the-key", "PUSHER_SECRET": "the-secret"}


def settings_from(environ: dict[str, str], env_file: Path = NO_FILE):
    return load_settings({}, environ, env_file)


def problems_for(**extra: str):
    return validate(settings_from({**GOOD, **extra}))


def only_problem(**extra: str):
    problems = problems_for(**extra)
    assert len(problems) == 1, problems
    return problems[0]


def test_good_settings_have_no_problem():
    assert problems_for() == []


@pytest.mark.parametrize(("missing", "setting", "variable"), [
    ("PUSHER_APP_ID", "app_id", "PUSHER_APP_ID"),
    ("PUSHER_KEY", "key", "PUSHER_KEY"),
    ("PUSHER_SECRET", "secret", "PUSHER_SECRET"),
])
def test_each_missing_required_setting_is_named_with_where_we_looked(missing, setting, variable):
    environ = {k: v for k, v in GOOD.items() if k != missing}
    problems = validate(settings_from(environ))
    assert [(p.cause, p.about) for p in problems] == [("missing-setting", setting)]
    assert variable in problems[0].summary
    assert "the environment" in problems[0].summary
    assert "command-line options" in problems[0].summary


def test_a_missing_setting_names_the_env_file_that_was_read(tmp_path):
    env_file = tmp_path / "backend.env"
    env_file.write_text("PUSHER_APP_ID=1001\nPUSHER_KEY=k\n", encoding="utf-8")
    problems = validate(settings_from({}, env_file))
    assert [p.about for p in problems] == ["secret"]
    assert str(env_file) in problems[0].summary


def test_an_empty_required_value_says_it_is_empty():
    problem = only_problem(PUSHER_KEY="")
    assert problem.cause == "missing-setting"
    assert "empty" in problem.summary


def test_a_non_numeric_app_id_is_malformed():
    problem = only_problem(PUSHER_APP_ID="my-app")
    assert (problem.cause, problem.about) == ("malformed-setting", "app_id")
    assert "my-app" in problem.summary


def test_quotes_kept_inside_a_value_from_the_env_file_are_malformed(tmp_path):
    env_file = tmp_path / "backend.env"
    env_file.write_text("PUSHER_APP_ID=1001\nPUSHER_KEY='\"abc\"'\nPUSHER_SECRET=s3cret\n", encoding="utf-8")
    loaded = settings_from({}, env_file)
    assert loaded.value("key") == '"abc"'  # python-dotenv removes only the outer quotes
    problems = validate(loaded)
    assert [(p.cause, p.about) for p in problems] == [("malformed-setting", "key")]
    assert "quote" in problems[0].summary
    assert "PUSHER_KEY" in problems[0].summary


def test_spaces_around_a_value_from_the_environment_are_malformed():
    problem = only_problem(PUSHER_KEY=" the-key ")
    assert (problem.cause, problem.about) == ("malformed-setting", "key")
    assert "spaces" in problem.summary
    assert "environment PUSHER_KEY" in str(problem.hint)


def test_key_equal_to_secret_is_malformed():
    problem = only_problem(PUSHER_KEY="same-value", PUSHER_SECRET="same-value")
    assert problem.cause == "malformed-setting"
    assert "same value" in problem.summary


@pytest.mark.parametrize("port", ["abc", "0", "-1", "70000"])
def test_a_port_that_is_not_a_tcp_port_is_malformed(port):
    problem = only_problem(PUSHER_HOST="127.0.0.1", PUSHER_PORT=port)
    assert (problem.cause, problem.about) == ("malformed-setting", "port")
    assert f"PUSHER_PORT {port} is not a port number" == problem.summary


@pytest.mark.parametrize("port", ["1", "6001", "65535"])
def test_ports_in_range_are_accepted(port):
    assert problems_for(PUSHER_HOST="127.0.0.1", PUSHER_PORT=port) == []


def test_a_scheme_other_than_http_or_https_is_malformed():
    problem = only_problem(PUSHER_HOST="127.0.0.1", PUSHER_SCHEME="ftp")
    assert (problem.cause, problem.about) == ("malformed-setting", "scheme")


@pytest.mark.parametrize("host", ["https://x.example", "x.example:6001"])
def test_a_host_with_scheme_or_port_is_malformed(host):
    problem = only_problem(PUSHER_HOST=host)
    assert (problem.cause, problem.about) == ("malformed-setting", "host")
    assert "PUSHER_SCHEME" in str(problem.hint) and "PUSHER_PORT" in str(problem.hint)


def test_an_unknown_cluster_is_malformed_and_lists_the_real_ones():
    problem = only_problem(PUSHER_CLUSTER="eu-west-1")
    assert (problem.cause, problem.about) == ("malformed-setting", "cluster")
    assert "eu-west-1" in problem.summary
    assert "mt1" in problem.summary


def test_a_port_without_a_host_is_malformed():
    problem = only_problem(PUSHER_PORT="6001")
    assert (problem.cause, problem.about) == ("malformed-setting", "host")
    assert "PUSHER_HOST" in problem.summary


def test_laravels_default_cloud_env_file_is_accepted(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PUSHER_APP_ID=1001\nPUSHER_APP_KEY=k\nPUSHER_APP_SECRET=s3cret\nPUSHER_HOST=\n"
                        "PUSHER_PORT=443\nPUSHER_SCHEME=https\nPUSHER_APP_CLUSTER=mt1\n", encoding="utf-8")
    assert validate(settings_from({}, env_file)) == []


# --- build_target -----------------------------------------------------------------------------

def test_cloud_target_uses_the_clusters_hosts_over_tls():
    target = build_target(settings_from({**GOOD, "PUSHER_CLUSTER": "eu"}))
    assert target.is_cloud and target.cluster == "eu"
    assert target.ws == Endpoint("ws-eu.pusher.com", 443, True)
    assert target.rest == Endpoint("api-eu.pusher.com", 443, True)


def test_cloud_target_without_cluster_is_mt1():
    target = build_target(settings_from(GOOD))
    assert target.cluster == "mt1"
    assert target.ws.host == "ws-mt1.pusher.com"
    assert target.rest.host == "api-mt1.pusher.com"


@pytest.mark.parametrize(("scheme", "port", "secure"), [("http", 80, False), ("https", 443, True)])
def test_self_hosted_target_defaults_the_port_to_the_schemes(scheme, port, secure):
    target = build_target(settings_from({**GOOD, "PUSHER_HOST": "pusher.local", "PUSHER_SCHEME": scheme}))
    assert not target.is_cloud
    assert target.ws == target.rest == Endpoint("pusher.local", port, secure)


def test_self_hosted_target_without_scheme_is_https():
    target = build_target(settings_from({**GOOD, "PUSHER_HOST": "pusher.local"}))
    assert target.ws == Endpoint("pusher.local", 443, True)


def test_self_hosted_target_uses_an_explicit_port():
    target = build_target(settings_from({**GOOD, "PUSHER_HOST": "127.0.0.1", "PUSHER_PORT": "6001",
                                         "PUSHER_SCHEME": "http"}))
    assert target.ws == Endpoint("127.0.0.1", 6001, False)
    assert target.ws.ws_url_base == "ws://127.0.0.1:6001"
    assert target.rest.http_url_base == "http://127.0.0.1:6001"


def test_a_url_in_pusher_host_is_split_into_the_settings_it_should_be():
    loaded = load_settings({"app_id": "1", "key": "k", "secret": "s", "host": "https://ws.example.com:6001/app"},
                           environ={}, read_default_env_file=False)
    (found,) = validate(loaded)
    assert found.summary == ("PUSHER_HOST must be a bare host name, not a URL or host:port (it holds host "
                             "ws.example.com, port 6001)")
    assert str(found.hint).startswith("split it: PUSHER_HOST=ws.example.com PUSHER_PORT=6001 PUSHER_SCHEME=https")
