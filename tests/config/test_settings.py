"""settings.load_settings: where each Pusher setting comes from, and what an unusable env file does."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pusher_doctor.config.settings import MAX_ENV_FILE_BYTES, MAX_ENV_FILE_LINES, EnvFileError, load_settings

SECRET = "s3cr3t-value-do-not-show"


def write_env(tmp_path: Path, text: str, name: str = "backend.env") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_option_beats_the_environment_and_the_env_file(tmp_path):
    env_file = write_env(tmp_path, "PUSHER_KEY=from-file\n")
    loaded = load_settings({"key": "from-option"}, {"PUSHER_KEY": "from-environ"}, env_file)
    assert loaded.value("key") == "from-option"
    assert loaded["key"].source == "--key"


def test_the_environment_beats_the_env_file(tmp_path):
    env_file = write_env(tmp_path, "PUSHER_KEY=from-file\n")
    loaded = load_settings({"key": None}, {"PUSHER_KEY": "from-environ"}, env_file)
    assert loaded.value("key") == "from-environ"
    assert loaded["key"].source == "environment PUSHER_KEY"
    assert loaded["key"].variable == "PUSHER_KEY"


def test_the_env_file_is_used_when_nothing_else_sets_a_value(tmp_path):
    env_file = write_env(tmp_path, "PUSHER_KEY=from-file\n")
    loaded = load_settings({}, {}, env_file)
    assert loaded.value("key") == "from-file"
    assert loaded["key"].source == f"{env_file} PUSHER_KEY"
    assert loaded.env_file == env_file


def test_laravel_names_are_accepted(tmp_path):
    env_file = write_env(tmp_path, "PUSHER_APP_KEY=lk\nPUSHER_APP_SECRET=lsecret\nPUSHER_APP_CLUSTER=eu\n")
    loaded = load_settings({}, {}, env_file)
    assert (loaded.value("key"), loaded.value("secret"), loaded.value("cluster")) == ("lk", "lsecret", "eu")
    assert loaded["secret"].source == f"{env_file} PUSHER_APP_SECRET"
    assert loaded["cluster"].variable == "PUSHER_APP_CLUSTER"


def test_laravel_name_in_the_environment_says_so_in_its_source():
    loaded = load_settings({}, {"PUSHER_APP_KEY": "lk"}, Path("/nonexistent/.env"))
    assert loaded["key"].source == "environment PUSHER_APP_KEY"


def test_a_setting_found_nowhere_has_no_value_and_no_source():
    loaded = load_settings({}, {}, Path("/nonexistent/.env"))
    assert loaded["host"].value is None
    assert loaded["host"].source is None
    assert not loaded["host"].present
    assert loaded.secret is None


def test_the_default_dot_env_is_read_when_it_exists(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path, "PUSHER_APP_ID=42\n", name=".env")
    loaded = load_settings({}, {})
    assert loaded.value("app_id") == "42"
    assert loaded["app_id"].source == ".env PUSHER_APP_ID"
    assert loaded.searched == ("command-line options", "the environment", ".env")


def test_no_default_dot_env_is_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = load_settings({}, {})
    assert loaded.env_file is None
    assert loaded.value("app_id") is None
    assert loaded.searched == ("command-line options", "the environment")


def test_an_explicitly_named_missing_env_file_is_a_one_line_error(tmp_path):
    missing = tmp_path / "nope.env"
    with pytest.raises(EnvFileError) as raised:
        load_settings({}, {}, missing, env_file_required=True)
    message = str(raised.value)
    assert str(missing) in message
    assert "does not exist" in message
    assert "\n" not in message


def test_a_directory_named_as_env_file_is_an_error(tmp_path):
    with pytest.raises(EnvFileError, match="is a directory"):
        load_settings({}, {}, tmp_path, env_file_required=True)


def test_a_binary_env_file_is_ignored_with_a_problem(tmp_path):
    path = tmp_path / "binary.env"
    path.write_bytes(b"\x7fELF\x00\x01PUSHER_KEY=k\n")
    loaded = load_settings({}, {}, path, env_file_required=True)
    assert loaded.value("key") is None
    assert len(loaded.env_file_problems) == 1
    assert "binary" in loaded.env_file_problems[0]


def test_a_non_utf8_env_file_is_unusable_naming_its_line_and_byte(tmp_path):
    path = tmp_path / "latin1.env"
    path.write_bytes("\ufeffPUSHER_APP_ID=1\nPUSHER_KEY=clé\n".encode("utf-8")[:-4] + "é\n".encode("latin-1"))
    with pytest.raises(EnvFileError, match=r"is not UTF-8 text \(line 2, byte 0xe9\)") as raised:
        load_settings({}, {}, path, env_file_required=True)
    assert "save it as UTF-8" in raised.value.fix


def test_unparsable_lines_are_named_by_number_without_quoting_them(tmp_path):
    text = f"PUSHER_APP_ID=1\nPUSHER SECRET={SECRET}\nPUSHER_KEY=k\nPUSHER_SECRET=\"{SECRET}\n"
    env_file = write_env(tmp_path, text)
    loaded = load_settings({}, {}, env_file)
    problems = loaded.env_file_problems
    assert len(problems) == 2
    assert "line 2" in problems[0]
    assert "line 4" in problems[1]
    assert all(SECRET not in problem for problem in problems)
    # the lines around the broken ones are still read
    assert (loaded.value("app_id"), loaded.value("key")) == ("1", "k")


def test_an_empty_value_is_not_present(tmp_path):
    env_file = write_env(tmp_path, "PUSHER_KEY=\n")
    loaded = load_settings({}, {}, env_file)
    assert loaded["key"].value == ""
    assert not loaded["key"].present
    assert loaded.value("key") is None


def test_a_variable_without_equals_sign_is_not_present(tmp_path):
    loaded = load_settings({}, {}, write_env(tmp_path, "PUSHER_KEY\n"))
    assert not loaded["key"].present


def test_the_secret_setting_is_masked_when_shown(tmp_path):
    loaded = load_settings({"secret": SECRET}, {}, Path("/nonexistent/.env"))
    assert SECRET not in loaded["secret"].shown()
    assert loaded.secret is not None
    assert loaded.secret.reveal() == SECRET


def test_interpolation_works_as_python_dotenv_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("FROM_ENV", "env-value")
    env = write_env(tmp_path, "BASE=abc\nPUSHER_KEY=${BASE}-${FROM_ENV}-${MISSING:-fallback}-${MISSING}\n")
    assert load_settings({}, environ={}, env_file=env).value("key") == "abc-env-value-fallback-"


def test_exponential_interpolation_is_refused_before_it_is_built(tmp_path):
    # A1=${A0}${A0} ... doubles each line: 2**60 characters if python-dotenv were allowed to build it.
    lines = ["A0=xxxxxxxx", *(f"A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 60)), "PUSHER_KEY=${A1}"]
    loaded = load_settings({}, environ={}, env_file=write_env(tmp_path, "\n".join(lines)))
    assert loaded.value("key") == "${A1}"  # read as written, not interpolated
    assert any("interpolation would build a value longer than" in p for p in loaded.env_file_problems)


def test_an_env_file_over_the_size_limit_is_a_usage_error_read_only_up_to_the_limit(tmp_path):
    big = tmp_path / "big.env"
    big.write_bytes(b"A" * (MAX_ENV_FILE_BYTES + 1))
    with pytest.raises(EnvFileError, match="larger than 1024 KiB"):
        load_settings({}, environ={}, env_file=big, env_file_required=True)


def test_a_large_env_file_is_read_in_linear_time(tmp_path):
    # python-dotenv's own resolver copies every earlier value for each line: ~7 s for 20,000 lines. As many
    # lines as an env file may have (more are a usage error):
    text = "".join(f"VAR_{i}=value-${{VAR_{i - 1}:-x}}\n" for i in range(1, MAX_ENV_FILE_LINES))
    started = time.monotonic()
    loaded = load_settings({}, environ={}, env_file=write_env(tmp_path, text + "PUSHER_KEY=k\n"))
    assert time.monotonic() - started < 3.0  # a bound on a hang, not a speed target (see benchmarks/)
    assert loaded.value("key") == "k"


def test_a_named_env_file_that_is_a_fifo_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "pipe.env"
    os.mkfifo(fifo)
    with pytest.raises(EnvFileError, match="is not a regular file"):
        load_settings({}, environ={}, env_file=fifo, env_file_required=True)


def test_a_laravel_reverb_env_file_gives_the_settings_and_the_broadcaster(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("BROADCAST_CONNECTION=reverb\nQUEUE_CONNECTION=database\nPUSHER_APP_KEY=\nPUSHER_APP_ID=\n"
                   "REVERB_APP_ID=42\nREVERB_APP_KEY=reverb-key\nREVERB_APP_SECRET=reverb-secret\n"
                   "REVERB_HOST=localhost\nREVERB_PORT=8080\nREVERB_SCHEME=http\nVITE_REVERB_HOST=\"${REVERB_HOST}\"\n")
    loaded = load_settings({}, environ={}, env_file=env)
    assert (loaded.value("app_id"), loaded.value("key"), loaded.value("port")) == ("42", "reverb-key", "8080")
    assert loaded["key"].source == f"{env} REVERB_APP_KEY"  # the empty PUSHER_APP_KEY gives way
    assert loaded.backend["broadcaster"].value == "reverb" and loaded.backend["queue"].variable == "QUEUE_CONNECTION"


def test_reverbs_names_come_first_only_when_reverb_is_the_broadcaster(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    both = "PUSHER_APP_KEY=cloud-key\nREVERB_APP_KEY=reverb-key\n"
    env.write_text("BROADCAST_CONNECTION=pusher\n" + both)
    assert load_settings({}, environ={}, env_file=env).value("key") == "cloud-key"
    env.write_text("BROADCAST_CONNECTION=reverb\n" + both)
    assert load_settings({}, environ={}, env_file=env).value("key") == "reverb-key"
    env.write_text("PUSHER_APP_KEY=\n")  # all empty: reported as the empty one, where it is
    assert load_settings({}, environ={}, env_file=env)["key"].source == f"{env} PUSHER_APP_KEY"
