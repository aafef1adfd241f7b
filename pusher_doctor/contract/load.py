"""Finding and reading the app contract: `pusher-doctor.toml`, `[tool.pusher-doctor]` in pyproject.toml,
or the file `--contract` names.

Found from the working directory upward, as ruff and pytest find their configuration: in each folder
`pusher-doctor.toml` first, then a pyproject.toml that has a `[tool.pusher-doctor]` table. Without
either, the built-in hotel chat contract applies. Every problem is one `ContractError` line naming the
file (and the line where it can be told) and how to fix it.
"""

from __future__ import annotations

import codecs
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pusher_doctor.contract.hotel import HOTEL_CHAT
from pusher_doctor.contract.model import ChannelSpec, Contract, EventSpec, event_name_problem
from pusher_doctor.contract.names import channel_name_problem
from pusher_doctor.contract.template import ChannelTemplate, TemplateError

CONTRACT_FILE = "pusher-doctor.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = ("tool", "pusher-doctor")
#: a contract is a few dozen lines; a larger file is not one (and would be slow to read)
MAX_FILE_BYTES = 256 * 1024
MAX_CHANNELS = 32
MAX_EVENTS = 64
MAX_PAYLOAD_KEYS = 64
#: what a file system takes for a path and for one name in it (Linux's PATH_MAX and NAME_MAX): a longer
#: env-file would fail every command in the OS's stat(), not here with its key and line
MAX_PATH_CHARS = 4096
MAX_NAME_CHARS = 255
CHANNEL_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
#: the cause id a contract that cannot be used is reported with
CAUSE = "contract-invalid"
FIX = "correct the contract as the message says (the README's \"The app contract\" lists its keys)"

UNREADABLE = "let this user read the file (its permissions, a link that loops), or give another with --contract FILE"

TOP_KEYS = ("recipient", "auth-endpoint", "env-file", "probe-channel", "channels")
CHANNEL_KEYS = ("template", "events", "payload")


class ContractError(ValueError):
    """The contract cannot be used. `str(error)` is one line: the file, the line when known, and what is wrong;
    `fix` says what to do."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None, fix: str = FIX) -> None:
        shown = _shown_path(path) if path is not None else None
        where = "" if shown is None else f"{shown}:{line}: " if line else f"{shown}: "
        super().__init__(where + message)
        self.path = path
        self.line = line
        self.fix = fix
        self.cause = CAUSE


def _shown_path(path: Path) -> str:
    """The path relative to the working directory when the file is below it (as editors and ruff show it);
    its folder is resolved, not the file, so a link is named as it was found (and one that loops is named)."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a folder on the way is a link that loops
        return str(path)


def find_contract(start: Path) -> Path | None:
    """The contract file that applies in `start` (a folder): the nearest pusher-doctor.toml, or pyproject.toml
    with a [tool.pusher-doctor] table, from `start` upward; None when there is none."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONTRACT_FILE
        if _is_file(own) or _is_there(own):  # a folder or a broken link by our name is said, not passed over
            return own
        pyproject = candidate / PYPROJECT
        if _is_file(pyproject) and _has_tool_table(pyproject):
            return pyproject
    return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder on the way up this user may not list: nothing of ours there
        return False


def _is_there(path: Path) -> bool:
    """Whether anything has this name (a link to nothing too)."""
    try:
        path.lstat()
    except OSError:
        return False
    return True


def _has_tool_table(pyproject: Path) -> bool:
    """Whether this pyproject.toml holds our table. A pyproject that does not parse counts only when its text
    names us: someone else's broken pyproject must not stop every command here."""
    try:
        text = _read_text(pyproject)
    except ContractError:
        return False
    try:
        return _tool_table(_parsed(text, pyproject)) is not None
    except ContractError:
        return "pusher-doctor" in text


def load_contract(path: Path | None = None, start: Path | None = None) -> Contract:
    """The contract in `path` (a pusher-doctor.toml, a pyproject.toml or any TOML file of the same keys), or
    the one found from `start` (the working directory) upward, or the built-in hotel chat's."""
    if path is None:
        path = find_contract(start if start is not None else Path.cwd())
        if path is None:
            return HOTEL_CHAT
    return contract_from_text(_read_text(path), path)


def contract_from_text(text: str, path: Path) -> Contract:
    """The contract a file's `text` holds, as read from `path` (a pyproject.toml's is its [tool.pusher-doctor])."""
    document = _parsed(text, path)
    table: Mapping[str, Any] | None = document
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT or _tool_table(document) is not None:
        table, prefix = _tool_table(document), TOOL_TABLE
        if table is None:
            raise ContractError("has no [tool.pusher-doctor] table", path,
                                fix="add a [tool.pusher-doctor] table, or run pusher-doctor init")
    return contract_from_table(table, path, text, prefix)


def _parsed(text: str, path: Path) -> dict[str, Any]:
    """The TOML document; ContractError when it is not TOML or nests too deeply for tomllib, which recurses
    once per level (a few thousand `[` would otherwise end the command in a RecursionError)."""
    import tomllib  # only when there is a file: the hotel chat's runs need no parser

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _decode_error(path, error) from None
    except RecursionError:
        raise ContractError("nests its arrays or tables too deeply to be read; a contract is a few flat tables",
                            path, fix="write the contract's keys as the README's \"The app contract\" shows them"
                            ) from None


def _tool_table(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = document.get("tool")
    table = tool.get("pusher-doctor") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _read_text(path: Path) -> str:
    """The file's text; ContractError when it is missing, not a regular file (a FIFO would block), too large,
    unreadable or not UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if _is_there(path):
            raise ContractError("is a link to a file that does not exist", path,
                                fix="point the link at the contract file, or remove it") from None
        raise ContractError("does not exist", path, fix="give the path of a pusher-doctor.toml, or run "
                                                      "pusher-doctor init to write one") from None
    except OSError as error:
        raise ContractError(f"cannot be read ({error.strerror})", path, fix=UNREADABLE) from None
    if not stat.S_ISREG(info.st_mode):
        raise ContractError("is not a regular file", path, fix="make it the contract file (or move it away), or "
                                                                 "give one with --contract FILE")
    if info.st_size > MAX_FILE_BYTES:
        raise ContractError(f"is {info.st_size} bytes; a contract is at most {MAX_FILE_BYTES}", path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ContractError(f"cannot be read ({error.strerror})", path, fix=UNREADABLE) from None
    if len(data) > MAX_FILE_BYTES:  # it grew since stat
        raise ContractError(f"is larger than {MAX_FILE_BYTES} bytes; a contract is not", path)
    text = data.removeprefix(codecs.BOM_UTF8)  # an editor's BOM, as env files may start with
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContractError(f"is not UTF-8 text (byte {error.start + 1 + len(data) - len(text)})", path,
                            fix="save the file as UTF-8") from None


_AT_LINE = re.compile(r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column \d+\)$|^(?P<eof>.*?)\s*\(at end of document\)$")


def _decode_error(path: Path, error: ValueError) -> ContractError:
    """tomllib's message, its line moved to where file:line readers look for it."""
    found = _AT_LINE.match(str(error))
    if found and found.group("line"):
        return ContractError(f"is not valid TOML: {found.group('message')}", path, int(found.group("line")),
                             fix="correct the TOML syntax on that line")
    message = found.group("eof") if found else str(error)
    return ContractError(f"is not valid TOML: {message} (at the end of the file)", path,
                         fix="correct the TOML syntax (an unclosed table, string or array)")


def contract_from_table(table: Mapping[str, Any], path: Path | None = None, text: str = "",
                        prefix: tuple[str, ...] = ()) -> Contract:
    """A contract from its TOML table, checked key by key; `text` (the file's) finds the line of a bad key."""
    reader = _Reader(path, text, prefix)
    reader.no_unknown(table, TOP_KEYS, ())
    channels_table = table.get("channels")
    if not isinstance(channels_table, dict) or not channels_table:
        raise reader.error(("channels",), "names no channels: add one [channels.NAME] table with a template "
                                          "and its events", fix="pusher-doctor init writes one from your code")
    if len(channels_table) > MAX_CHANNELS:
        raise reader.error(("channels",), f"names {len(channels_table)} channels; at most {MAX_CHANNELS}")
    channels = tuple(reader.channel(key, value) for key, value in channels_table.items())
    recipient = table.get("recipient", channels[0].key)
    if not isinstance(recipient, str) or recipient not in channels_table:
        raise reader.error(("recipient",), f"{_shown(recipient)} is not one of the channels "
                                           f"({', '.join(channels_table)})")
    auth_endpoint = reader.optional_text(table, "auth-endpoint")
    if auth_endpoint is not None and not auth_endpoint.startswith(("http://", "https://", "/")):
        raise reader.error(("auth-endpoint",), f"{_shown(auth_endpoint)} is neither a URL nor a path starting with '/'",
                           fix="write the URL the page posts to, e.g. http://localhost:8000/broadcasting/auth")
    env_file = reader.optional_text(table, "env-file")
    if env_file is not None and (len(env_file) > MAX_PATH_CHARS
                                 or any(len(part) > MAX_NAME_CHARS for part in re.split(r"[/\\]", env_file))):
        raise reader.error(("env-file",), f"{_shown(env_file)} is longer than a file's path can be",
                           fix="write the env file's path relative to the contract, e.g. env-file = \".env\"")
    probe = reader.optional_text(table, "probe-channel")
    if probe is not None and channel_name_problem(probe):
        raise reader.error(("probe-channel",), str(channel_name_problem(probe)),
                           fix="write a fixed channel name such as pusher-doctor-probe (no {fields})")
    base = path.parent if path is not None else Path.cwd()
    return Contract(channels, recipient, auth_endpoint,
                    (base / env_file) if env_file is not None else None, probe, path,
                    label=path.name if path is not None else "the app contract")


class _Reader:
    """Checks a table's values and words each problem with its key and, when the text shows it, its line."""

    def __init__(self, path: Path | None, text: str, prefix: tuple[str, ...]) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.prefix = prefix

    def error(self, keys: tuple[str, ...], message: str, fix: str = FIX) -> ContractError:
        dotted = ".".join(key if len(key) <= 40 else key[:40] + "…" for key in (*self.prefix, *keys))
        return ContractError(f"{dotted}: {message}", self.path, self.line_of((*self.prefix, *keys)), fix)

    def line_of(self, keys: tuple[str, ...]) -> int | None:
        """The line that sets `keys` ([a.b] then `c = ...`, or the [a.b.c] header), when it can be told."""
        table: tuple[str, ...] = ()
        for number, line in enumerate(self.lines, 1):
            header = _HEADER.match(line)
            if header:
                table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
                if table == keys:
                    return number
                continue
            assignment = _KEY.match(line)
            if assignment and (*table, assignment.group(1).strip("\"'")) == keys:
                return number
        return None

    def no_unknown(self, table: Mapping[str, Any], known: tuple[str, ...], keys: tuple[str, ...]) -> None:
        for key in table:
            if key not in known:
                import difflib  # only for a misspelt key's hint

                close = difflib.get_close_matches(key.replace("_", "-"), known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
                raise self.error((*keys, key), f"is not a key of the contract{hint}")

    def optional_text(self, table: Mapping[str, Any], key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip() or not value.isprintable():
            raise self.error((key,), f"must be a line of text, not {_shown(value)}")
        return value

    def channel(self, key: str, value: Any) -> ChannelSpec:
        where = ("channels", key)
        if not CHANNEL_KEY.fullmatch(key):
            raise self.error(where, f"{_shown(key)} is not a usable channel key: letters, digits, '-' and '_', "
                                    "starting with a letter", fix="name the channel by what it is, e.g. room")
        if not isinstance(value, dict):
            raise self.error(where, f"must be a table with template and events, not {_shown(value)}")
        self.no_unknown(value, CHANNEL_KEYS, where)
        template_text = value.get("template")
        if template_text is None:
            raise self.error(where, "has no template, e.g. template = \"private-orders.{order}\"")
        try:
            template = ChannelTemplate.parse(template_text)
        except TemplateError as error:
            raise self.error((*where, "template"), str(error),
                             fix="write plain fields such as {hotel} between the literal parts of the name") from None
        events = value.get("events")
        if not isinstance(events, list) or not events:
            raise self.error((*where, "events"), "must list the events the backend sends on this channel, "
                                                 f"e.g. events = [\"OrderShipped\"], not {_shown(events)}")
        if len(events) > MAX_EVENTS:
            raise self.error((*where, "events"), f"lists {len(events)} events; at most {MAX_EVENTS}")
        for event in events:
            problem = event_name_problem(event) if isinstance(event, str) else f"{_shown(event)} is not text"
            if problem:
                raise self.error((*where, "events"), problem)
        if len(set(events)) != len(events):
            raise self.error((*where, "events"), "lists an event twice")
        payload = value.get("payload", {})
        if not isinstance(payload, dict):
            raise self.error((*where, "payload"), f"must be a table of event = [keys], not {_shown(payload)}")
        for event, keys in payload.items():
            if event not in events:
                raise self.error((*where, "payload", event), f"{_shown(event)} is not one of this channel's events")
            if (not isinstance(keys, list) or len(keys) > MAX_PAYLOAD_KEYS
                    or not all(isinstance(k, str) and k and k.isprintable() for k in keys)):
                raise self.error((*where, "payload", event), "must list the keys of the event's data, "
                                                             f"e.g. [\"id\", \"message\"], not {_shown(keys)}")
        return ChannelSpec(key, template, tuple(EventSpec(event, tuple(payload.get(event, ()))) for event in events))


_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _shown(value: Any) -> str:
    """A value as a message shows it: short, its type when it is not text."""
    if isinstance(value, str):
        return repr(value[:40] + ("…" if len(value) > 40 else ""))
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"
