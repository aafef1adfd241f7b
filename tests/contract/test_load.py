"""The contract is found like ruff's configuration, read with tomllib, and every problem is one line with its fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pusher_doctor.contract import HOTEL_CHAT, ContractError, find_contract, load_contract
from pusher_doctor.contract.load import MAX_FILE_BYTES

LARAVEL = """\
env-file = "backend/.env"
auth-endpoint = "/broadcasting/auth"
probe-channel = "pusher-doctor-probe"

[channels.orders]
template = "private-orders.{order}"
events = ["OrderShipped", "OrderCancelled"]

[channels.orders.payload]
OrderShipped = ["id", "status"]

[channels.announcements]
template = "announcements"
events = ["Announced"]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_without_a_contract_the_hotel_chat_applies(tmp_path: Path) -> None:
    assert load_contract(start=tmp_path) is HOTEL_CHAT
    assert HOTEL_CHAT.recipient_channel.build({"hotel": "h", "room": "1"}) == "h-room-1-chat"


def test_a_contract_file_is_read_with_its_channels_events_and_paths(tmp_path: Path) -> None:
    path = _write(tmp_path, "pusher-doctor.toml", LARAVEL)
    contract = load_contract(path)
    assert contract.keys == ("orders", "announcements") and contract.recipient == "orders"
    assert contract.recipient_channel.build({"order": "5"}) == "private-orders.5"
    assert contract.channel("orders").event("OrderShipped").payload == ("id", "status")
    assert contract.auth_endpoint == "/broadcasting/auth" and contract.probe_channel == "pusher-doctor-probe"
    assert contract.env_file == tmp_path / "backend" / ".env"  # relative to the contract, not the cwd
    assert contract.origin == path and not contract.is_builtin


def test_it_is_found_from_a_subfolder_upward_before_pyproject(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", "[tool.pusher-doctor]\n" + LARAVEL.replace("[channels", "[tool.pusher-doctor.channels"))
    deep = tmp_path / "app" / "src"
    deep.mkdir(parents=True)
    assert find_contract(deep) == tmp_path / "pyproject.toml"
    assert load_contract(start=deep).keys == ("orders", "announcements")
    own = _write(tmp_path / "app", "pusher-doctor.toml", LARAVEL.replace("orders", "invoices"))
    assert find_contract(deep) == own and load_contract(start=deep).recipient == "invoices"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert find_contract(tmp_path) is None and load_contract(start=tmp_path) is HOTEL_CHAT


def test_someone_elses_broken_pyproject_is_passed_over_but_ours_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", "[tool.ruff\n")
    assert load_contract(start=tmp_path) is HOTEL_CHAT
    _write(tmp_path, "pyproject.toml", "[tool.pusher-doctor]\nrecipient = \n")
    with pytest.raises(ContractError) as raised:
        load_contract(start=tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'pyproject.toml'}:2: is not valid TOML")


def test_a_named_pyproject_without_the_table_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ContractError, match=r"has no \[tool.pusher-doctor\] table"):
        load_contract(path)


@pytest.mark.parametrize(("text", "line", "says"), [
    ("[channels.room]\ntemplate = '{hotel:>100000000}'\nevents = ['x']\n", 2, "channels.room.template: "),
    ("[channels.room]\ntemplate = 'a-{x}'\nevents = []\n", 3, "channels.room.events: must list"),
    ("[channels.room]\ntemplate = 'a-{x}'\nevents = ['pusher:ping']\n", 3, "Pusher's own events"),
    ("[channels.room]\ntemplate = 'a-{x}'\nevents = ['a', 'a']\n", 3, "twice"),
    ("[channels.room]\ntemplate = 'a-{x}'\nevents = [1]\n", 3, "is not text"),
    ("[channels.room]\nevents = ['x']\n", 1, "channels.room: has no template"),
    ("[channels.room]\ntemplate = 'a'\nevents = ['x']\ntemplte = 1\n", 4, "did you mean 'template'"),
    ("auth_endpoint = '/x'\n[channels.room]\ntemplate = 'a'\nevents = ['x']\n", 1, "did you mean 'auth-endpoint'"),
    ("auth-endpoint = 'broadcasting/auth'\n[channels.room]\ntemplate = 'a'\nevents = ['x']\n", 1,
     "neither a URL nor a path"),
    ("recipient = 'guest'\n[channels.room]\ntemplate = 'a'\nevents = ['x']\n", 1, "'guest' is not one of the channels"),
    ("probe-channel = 'a b'\n[channels.room]\ntemplate = 'a'\nevents = ['x']\n", 1, "does not allow"),
    ("env-file = 3\n[channels.room]\ntemplate = 'a'\nevents = ['x']\n", 1, "must be a line of text, not a int"),
    ("[channels.room]\ntemplate = 'a'\nevents = ['x']\n[channels.room.payload]\ny = ['id']\n", 5,
     "'y' is not one of this channel's events"),
    ("[channels.room]\ntemplate = 'a'\nevents = ['x']\n[channels.room.payload]\nx = 'id'\n", 5, "must list the keys"),
    ("[channels.'bad key']\ntemplate = 'a'\nevents = ['x']\n", 1, "not a usable channel key"),
    ("channels = 'room'\n", 1, "names no channels"),
    ("", None, "names no channels"),
    ("[channels\n", 1, "is not valid TOML"),
    ("x = \"\"\"open\n", None, "is not valid TOML"),
])
def test_every_problem_is_one_line_with_the_file_line_and_key(tmp_path: Path, text: str, line: int | None,
                                                               says: str) -> None:
    path = _write(tmp_path, "pusher-doctor.toml", text)
    with pytest.raises(ContractError) as raised:
        load_contract(path)
    message = str(raised.value)
    assert message.startswith(f"{path}:{line}: " if line else f"{path}: "), message
    assert says in message and "\n" not in message and raised.value.fix
    assert raised.value.cause == "contract-invalid"


def test_files_that_are_not_contracts_are_refused_without_reading_them_whole(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="does not exist"):
        load_contract(tmp_path / "missing.toml")
    with pytest.raises(ContractError, match="not a regular file"):
        load_contract(tmp_path)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(ContractError, match="not a regular file"):  # opening it would block
        load_contract(fifo)
    big = _write(tmp_path, "big.toml", "#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ContractError, match="a contract is at most"):
        load_contract(big)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\n")
    with pytest.raises(ContractError, match="not UTF-8"):
        load_contract(latin)


def test_a_hostile_value_is_shown_escaped(tmp_path: Path) -> None:
    path = _write(tmp_path, "pusher-doctor.toml",
                  '[channels.room]\ntemplate = "a\\u001b[31m\\u202e{x}"\nevents = ["e"]\n')
    with pytest.raises(ContractError) as raised:
        load_contract(path)
    assert "\x1b" not in str(raised.value) and "\u202e" not in str(raised.value)


def test_a_contract_saved_with_a_bom_and_crlf_is_read_as_without(tmp_path: Path) -> None:
    path = tmp_path / "pusher-doctor.toml"
    path.write_bytes(b"\xef\xbb\xbf" + LARAVEL.replace("\n", "\r\n").encode())
    contract = load_contract(path)
    assert contract.keys == ("orders", "announcements")
    assert contract.channel("orders").event("OrderShipped").payload == ("id", "status")
    path.write_bytes(b"\xef\xbb\xbf# caf\xe9\n")
    with pytest.raises(ContractError, match=r"not UTF-8 text \(byte 9\)"):  # counted in the file, BOM included
        load_contract(path)
