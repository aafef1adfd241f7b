"""Hostile option values and env files, generated: a usage error or a named problem, each in one clean
report, never a traceback, a raw control character, invalid JSON or the secret."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pusher_doctor.cli import app
from tests.support.hostile import assert_clean
from tests.support.servers import closed_port

SECRET = "input-secret-8d2f4b"
EXAMPLES = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: text with what hostile input carries: escapes, newlines, bidi overrides, undecodable bytes, huge runs
hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x1b]0;pwned\x07", "1\n✓ FORGED", "\u202egnp.exe", "room-\udcff", "\x00", "-", "--json",
                     "x" * 5000, "${A}", "'quoted'", " spaced ", SECRET]),
)


def invoke(args: list[str], cwd: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "PUSHER_APP_ID": None, "PUSHER_KEY": None,
                                                "PUSHER_SECRET": None, "PUSHER_HOST": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@EXAMPLES
@given(hotel=hostile_text, room=hostile_text, app_id=hostile_text, key=hostile_text, json_mode=st.booleans())
def test_hostile_option_values_give_a_clean_report(tmp_path, hotel, room, app_id, key, json_mode) -> None:
    args = ["check", "--hotel", hotel, "--room", room, "--app-id", app_id, "--key", key, "--secret", SECRET,
            "--host", "127.0.0.1", "--port", str(closed_port()), "--scheme", "http", "--timeout", "1"]
    _check_is_clean_and_quick(args, tmp_path, json_mode)


def _check_is_clean_and_quick(args: list[str], cwd: Path, json_mode: bool) -> None:
    """A failed check (1) or a usage error (2) within 3 s, its report clean in both modes."""
    started = time.monotonic()
    code, stdout, stderr = invoke(args + (["--json"] if json_mode else []), cwd)
    assert time.monotonic() - started < 3
    assert code in (1, 2), stdout + stderr
    assert_clean(stdout + stderr, SECRET)
    if json_mode:
        assert_clean(stdout, SECRET, json_output=True)


env_lines = st.one_of(
    st.text(max_size=40),
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(["PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET",
                                                       "PUSHER_HOST", "PUSHER_PORT", "PUSHER_SCHEME",
                                                       "PUSHER_CLUSTER", "A"]), hostile_text),
    st.sampled_from(['PUSHER_KEY="open quote', "export PUSHER_SECRET=x", "PUSHER_APP_ID=${PUSHER_APP_ID}",
                     "A=${A}${A}${A}", "\ufeffPUSHER_KEY=bom"]),
)


@EXAMPLES
@given(lines=st.lists(env_lines, max_size=8), json_mode=st.booleans())
def test_hostile_env_files_give_a_clean_report(tmp_path, lines, json_mode) -> None:
    env_file = tmp_path / "hostile.env"
    env_file.write_text("\n".join([*lines, f"PUSHER_SECRET={SECRET}"]), encoding="utf-8", errors="surrogateescape")
    args = ["check", "--hotel", "h", "--room", "1", "--env-file", str(env_file), "--host", "127.0.0.1",
            "--port", str(closed_port()), "--scheme", "http", "--timeout", "1"]
    code, stdout, stderr = invoke(args + (["--json"] if json_mode else []), tmp_path)
    assert code in (1, 2), stdout + stderr
    assert_clean(stdout + stderr, SECRET)
    if json_mode:
        assert_clean(stdout, SECRET, json_output=True)


def test_a_forged_pass_line_in_an_app_id_stays_on_its_own_line(tmp_path) -> None:
    code, stdout, stderr = invoke(["check", "--hotel", "h", "--room", "1", "--app-id", "1\n✓ Delivery  all fine",
                                   "--key", "k", "--secret", SECRET, "--host", "127.0.0.1",
                                   "--port", str(closed_port()), "--scheme", "http"], tmp_path)
    assert code == 1
    assert not any(line.startswith("✓ Delivery") for line in stdout.splitlines())
    assert_clean(stdout + stderr, SECRET)


contract_values = st.one_of(hostile_text, st.sampled_from(["{x:>100000000}", "{a}{b}", "private{x}", "{x}-{x}"]))


@EXAMPLES
@given(template=contract_values, event=hostile_text, field=hostile_text, json_mode=st.booleans())
def test_a_hostile_contract_and_field_give_a_clean_report(tmp_path, template, event, field, json_mode) -> None:
    import json

    # json.dumps writes a valid TOML basic string for any text without lone surrogates
    quoted = [json.dumps(value.encode("utf-8", "replace").decode()) for value in (template, event)]
    (tmp_path / "c.toml").write_text(f"[channels.x]\ntemplate = {quoted[0]}\nevents = [{quoted[1]}]\n")
    args = ["check", "--contract", str(tmp_path / "c.toml"), "--field", field, "--secret", SECRET,
            "--host", "127.0.0.1", "--port", str(closed_port()), "--scheme", "http", "--timeout", "1"]
    _check_is_clean_and_quick(args, tmp_path, json_mode)
