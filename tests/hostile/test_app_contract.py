"""Hostile app contracts and --field values: every one ends in one clean usage error (cause and fix, exit
code 2) before any server is asked, never a traceback, a hang, a raw control character or a screenful."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import CliResult, run_process
from tests.support.hostile import assert_clean

#: a usage error is two short lines (error, fix); whatever was typed or read is cut down to fit
LONGEST_LINE = 400
VALID = '[channels.order]\ntemplate = "private-orders.{order}"\nevents = ["OrderShipped"]\n'

CONTRACT_TEXTS: dict[str, bytes] = {
    "deep-arrays": b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "deep-inline-tables": b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n",
    "binary": bytes(range(256)) * 4,
    "latin-1": VALID.replace("OrderShipped", "Commande\xe9").encode("latin-1"),
    "huge": b"# " + b"x" * (300 * 1024) + b"\n" + VALID.encode(),
    "ansi-in-event": VALID.replace("OrderShipped", "\\u001b[31mRED\\u001b]0;pwned\\u0007").encode(),
    "ansi-in-key": VALID.replace("[channels.order]", '[channels."\\u001b[2Jorder"]').encode(),
    "ansi-raw": VALID.replace("OrderShipped", "Order\x1b[31mShipped").encode(),
    "nul": VALID.encode() + b"\x00\n",
    "newline-in-template": VALID.replace("private-orders.{order}", "private-orders.\\n{order}").encode(),
    "100k-event": VALID.replace("OrderShipped", "E" * 100_000).encode(),
    "100k-recipient": ('recipient = "' + "r" * 100_000 + '"\n' + VALID).encode(),
    "100k-auth-endpoint": ('auth-endpoint = "' + "a" * 100_000 + '"\n' + VALID).encode(),
    "100k-unknown-key": (("k" * 100_000) + " = 1\n" + VALID).encode(),
    "100k-channel-key": VALID.replace("[channels.order]", "[channels." + "c" * 100_000 + "]").encode(),
    "100k-payload-event": (VALID + "[channels.order.payload]\n" + "p" * 100_000 + ' = ["a"]\n').encode(),
    "long-env-file": ('env-file = "' + "e" * 5000 + '"\n' + VALID).encode(),
    "long-env-file-name": ('env-file = "config/' + "e" * 300 + '.env"\n' + VALID).encode(),
}


def _contract_error(cwd: Path, *args: str) -> CliResult:
    """`rooms` with the contract found in `cwd` (or named by args): both modes, each one clean usage error
    whose cause is contract-invalid; returns the text run."""
    result = run_process(["rooms", "--hotel", "h", *args, "--json"], cwd, timeout=30)
    assert result.exit_code == 2, result.output[-2000:]
    assert_clean(result.output, json_output=False)
    assert json.loads(result.stdout)["error"]["cause"] == "contract-invalid", result.stdout
    result = run_process(["rooms", "--hotel", "h", *args], cwd, timeout=30)
    _assert_one_usage_error(result)
    return result


def _assert_one_usage_error(result: CliResult) -> None:
    assert result.exit_code == 2, result.output[-2000:]
    assert_clean(result.output)
    lines = result.stderr.splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["error", "fix"], result.stderr[:2000]
    assert all(len(line) <= LONGEST_LINE for line in lines), [len(line) for line in lines]


@pytest.mark.parametrize("name", list(CONTRACT_TEXTS))
def test_a_hostile_pusher_doctor_toml_is_one_clean_usage_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "pusher-doctor.toml").write_bytes(CONTRACT_TEXTS[name])
    result = _contract_error(tmp_path)
    assert "pusher-doctor.toml" in result.stderr


@pytest.mark.parametrize("name", ["deep-arrays", "deep-inline-tables", "ansi-in-event"])
def test_a_hostile_tool_table_in_pyproject_is_one_clean_usage_error(tmp_path: Path, name: str) -> None:
    body = CONTRACT_TEXTS[name].decode().replace("[channels.", "[tool.pusher-doctor.channels.")
    (tmp_path / "pyproject.toml").write_text("[tool.pusher-doctor]\n" + body.replace("x = ", "tool.pusher-doctor.x = "))
    result = _contract_error(tmp_path)
    assert "pyproject.toml" in result.stderr


FOUND_BY_NAME: dict[str, Callable[[Path], None]] = {
    "a-folder": lambda path: path.mkdir(),
    "a-link-to-nothing": lambda path: path.symlink_to(path.parent / "gone.toml"),
    "a-link-to-itself": lambda path: path.symlink_to(path.name),
    "a-fifo": lambda path: os.mkfifo(path),
}


@pytest.mark.parametrize("make", list(FOUND_BY_NAME))
def test_a_pusher_doctor_toml_that_is_no_file_is_said_not_passed_over(tmp_path: Path, make: str) -> None:
    # passed over, the built-in hotel chat's contract would be used without a word
    FOUND_BY_NAME[make](tmp_path / "pusher-doctor.toml")
    result = _contract_error(tmp_path)
    assert "pusher-doctor.toml" in result.stderr.splitlines()[0]


def test_a_contract_option_naming_a_link_loop_is_one_clean_usage_error(tmp_path: Path) -> None:
    (tmp_path / "loop.toml").symlink_to("loop.toml")
    result = _contract_error(tmp_path, "--contract", "loop.toml")
    assert "loop.toml" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_contract_is_one_clean_usage_error(tmp_path: Path) -> None:
    contract = tmp_path / "pusher-doctor.toml"
    contract.write_text(VALID)
    contract.chmod(0)
    assert "cannot be read" in _contract_error(tmp_path).stderr


FIELDS = {
    "equals-only": "=",
    "empty": "",
    "no-value": "order=",
    "no-name": "=5",
    "ansi-name": "or\x1b[31mder=5",
    "ansi-value": "order=5\x1b]0;pwned\x07",
    "newline-value": "order=5\n✓ Delivery  all fine",
    "100k-name": "o" * 100_000 + "=5",
    "100k-value": "order=" + "5" * 100_000,
    "100k-value-bad-character": "order=" + "5" * 100_000 + "\x1b",
}


@pytest.mark.parametrize("command", [["rooms", "--hotel", "h"], ["check", "--hotel", "h", "--room", "1"],
                                     ["trigger", "--hotel", "h", "--room", "1"], ["latency"]])
@pytest.mark.parametrize("field", list(FIELDS))
def test_an_odd_field_is_one_clean_usage_error_before_any_server(tmp_path: Path, command: list[str],
                                                                  field: str) -> None:
    (tmp_path / "pusher-doctor.toml").write_text(VALID)
    # settings that name a server nobody listens on: a field that slipped through would fail later, not here
    server = ["--app-id", "1", "--key", "k", "--secret", "s", "--host", "127.0.0.1", "--port", "9",
              "--scheme", "http", "--timeout", "2"]
    result = run_process([*command, "--field", FIELDS[field], *server], tmp_path, timeout=30)
    _assert_one_usage_error(result)
    assert "field" in result.stderr or "channel" in result.stderr or "Pusher" in result.stderr, result.stderr
