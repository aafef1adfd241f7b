"""The backend's Pusher settings, each with where it came from.

Sources, strongest first: command-line options, the process environment, then an env file read
with python-dotenv. The backend's names (PUSHER_KEY), Laravel's (PUSHER_APP_KEY) and Laravel Reverb's
(REVERB_APP_KEY, and the frontend's VITE_REVERB_* copies) are read; an empty one gives way to the next.
A Laravel env file's broadcaster and queue connection are read too (`BACKEND_VARIABLES`).
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from msgspec import Struct, field

from pusher_doctor.config.secret import Secret

#: each setting and the variable names that may hold it, preferred first
VARIABLES: dict[str, tuple[str, ...]] = {
    "app_id": ("PUSHER_APP_ID", "REVERB_APP_ID"),
    "key": ("PUSHER_KEY", "PUSHER_APP_KEY", "REVERB_APP_KEY", "VITE_REVERB_APP_KEY"),
    "secret": ("PUSHER_SECRET", "PUSHER_APP_SECRET", "REVERB_APP_SECRET"),
    "cluster": ("PUSHER_CLUSTER", "PUSHER_APP_CLUSTER"),
    # REVERB_HOST/PORT/SCHEME are where clients reach Reverb (REVERB_SERVER_* is what it binds to)
    "host": ("PUSHER_HOST", "REVERB_HOST", "VITE_REVERB_HOST"),
    "port": ("PUSHER_PORT", "REVERB_PORT", "VITE_REVERB_PORT"),
    "scheme": ("PUSHER_SCHEME", "REVERB_SCHEME", "VITE_REVERB_SCHEME"),
    # private-encrypted- channels only: the backend encrypts with it, the auth endpoint derives keys from it
    "encryption_master_key": ("PUSHER_ENCRYPTION_MASTER_KEY_BASE64",),
}

#: a Laravel app's broadcasting settings: Laravel 11+ reads the first name, earlier versions the second
BACKEND_VARIABLES: dict[str, tuple[str, ...]] = {
    "broadcaster": ("BROADCAST_CONNECTION", "BROADCAST_DRIVER"),
    "queue": ("QUEUE_CONNECTION", "QUEUE_DRIVER"),
}
#: the prefix of the names the Reverb broadcaster's settings go by, read first when it is the broadcaster
_REVERB_NAMES = ("REVERB_", "VITE_REVERB_")

#: settings that are secrets: masked wherever they are shown
SECRET_SETTINGS = ("secret", "encryption_master_key")

#: the command-line option for each setting
OPTIONS: dict[str, str] = {name: "--" + name.replace("_", "-") for name in VARIABLES}

DEFAULT_ENV_FILE = Path(".env")

#: shapes of values that can be displayed whatever their length
_DISPLAYABLE: dict[str, re.Pattern[str]] = {
    "app_id": re.compile(r"[0-9]+"),
    "port": re.compile(r"[0-9]+"),
    "scheme": re.compile(r"[A-Za-z]+"),
    "cluster": re.compile(r"[a-z0-9-]+"),
    # a host name has a dot (or is an IPv6 literal); a secret has neither
    "host": re.compile(r"[A-Za-z0-9-]*[.\[][A-Za-z0-9.:\[\]-]*"),
}
#: values this short are shown whatever their shape: no real secret is this short
_ALWAYS_SHOWN_LENGTH = 10
#: the most of a value of its setting's shape that is shown; a longer one is cut
_LONGEST_SHOWN = 40


class EnvFileError(Exception):
    """An env file named on the command line, or the ./.env read by default, cannot be used at all
    (usage error); `fix` says what to do when it is not the usual (name another file)."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


class Setting(Struct, frozen=True):
    name: str
    #: None when the setting was not found anywhere
    value: str | None
    #: where it came from, e.g. "--key", "environment PUSHER_KEY", ".env PUSHER_APP_KEY"
    source: str | None
    #: the variable name that held it, for messages ("PUSHER_KEY")
    variable: str | None = None

    @property
    def present(self) -> bool:
        return self.value is not None and self.value != ""

    def shown(self) -> str:
        """The value as it may be displayed.

        The secret is masked. Other values are shown when short or shaped like that setting; a long
        value of another shape may be the secret pasted into the wrong field, so only its length is.
        (Keys are shown: the Redactor shortens them in all output.)
        """
        if self.value is None:
            return "(not set)"
        if self.name in SECRET_SETTINGS:
            return str(Secret(self.value))
        shape = _DISPLAYABLE.get(self.name)
        if len(self.value) > _LONGEST_SHOWN and shape is not None and shape.fullmatch(self.value):
            return f"{self.value[:_LONGEST_SHOWN]}… ({len(self.value)} characters)"  # one line, even for a page
        if shape is None or len(self.value) <= _ALWAYS_SHOWN_LENGTH or shape.fullmatch(self.value):
            return repr(self.value) if self.value != self.value.strip() else self.value
        return f"({len(self.value)} characters, not shown)"


class LoadedSettings(Struct, frozen=True):
    settings: dict[str, Setting]
    #: the env file that was read, if any
    env_file: Path | None
    #: lines of the env file python-dotenv could not parse, and other problems reading it
    env_file_problems: tuple[str, ...] = ()
    #: where we looked for values, for "missing" messages
    searched: tuple[str, ...] = field(default=())
    #: the Laravel broadcaster and queue connection (`BACKEND_VARIABLES`), from the environment or env file
    backend: dict[str, Setting] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Setting:
        return self.settings[name]

    def value(self, name: str) -> str | None:
        setting = self.settings[name]
        return setting.value if setting.present else None

    @property
    def secret(self) -> Secret | None:
        value = self.value("secret")
        return Secret(value) if value is not None else None


def load_settings(
    options: Mapping[str, str | None],
    environ: Mapping[str, str] | None = None,
    env_file: Path | None = None,
    env_file_required: bool = False,
    *,
    read_default_env_file: bool = True,
) -> LoadedSettings:
    """Merges options, environment and env file; raises EnvFileError for a named file that is unusable.

    Without `env_file`, ./.env is read when it exists, unless `read_default_env_file` is False (the
    sandbox must not pick up the settings of whatever project it is run from).
    """
    environ = os.environ if environ is None else environ
    path = env_file or DEFAULT_ENV_FILE
    file_values: dict[str, str | None] = {}
    problems: tuple[str, ...] = ()
    used_file: Path | None = None
    wanted = env_file is not None or read_default_env_file
    if wanted and path.is_file():
        file_values, problems = read_env_file(path)
        used_file = path
    elif wanted and (env_file_required or os.path.lexists(path)):
        # a ./.env that is there but unusable is named, not taken for none at all
        reason = ("is a directory" if path.is_dir() else "is not a regular file" if path.exists()
                  else "is a link that leads nowhere (a loop or a missing target)" if os.path.lexists(path)
                  else "does not exist")
        raise EnvFileError(f"env file {path} {reason}")

    backend = {name: _pick(name, names, {}, environ, file_values, used_file)
               for name, names in BACKEND_VARIABLES.items()}
    reverb_first = backend["broadcaster"].value == "reverb"
    settings = {name: _pick(name, _ordered(names, reverb_first), options, environ, file_values, used_file)
                for name, names in VARIABLES.items()}
    searched = ["command-line options", "the environment"] + ([str(used_file)] if used_file else [])
    return LoadedSettings(settings, used_file, problems, tuple(searched), backend)


def _ordered(names: tuple[str, ...], reverb_first: bool) -> tuple[str, ...]:
    """The names to look a setting up by: Reverb's first when the app broadcasts through Reverb (its env file
    may keep a Pusher cloud app's PUSHER_* beside them)."""
    if not reverb_first:
        return names
    return (*(n for n in names if n.startswith(_REVERB_NAMES)), *(n for n in names if not n.startswith(_REVERB_NAMES)))


def _pick(name: str, names: tuple[str, ...], options: Mapping[str, str | None], environ: Mapping[str, str],
          file_values: Mapping[str, str | None], env_file: Path | None) -> Setting:
    """The option, else the first of `names` set in the environment, else in the env file. A name set empty
    gives way to a later one that has a value (a Laravel .env keeps PUSHER_APP_KEY= beside REVERB_APP_KEY);
    when all are empty the first empty one is the setting, so that it is reported as empty where it is."""
    option_value = options.get(name)
    if option_value is not None:
        return Setting(name, option_value, OPTIONS[name])
    empty: Setting | None = None
    for values, where in ((environ, "environment"), (file_values, str(env_file))):
        for variable in names:
            if variable not in values:
                continue
            found = Setting(name, values[variable] or "", f"{where} {variable}", variable)
            if found.present:
                return found
            empty = empty or found
    return empty or Setting(name, None, None)


#: an env file holds a few dozen settings; anything near this size is not one (and reading it would eat
#: the run's time budget before the first check starts)
MAX_ENV_FILE_BYTES = 1 << 20
#: longest value `${VAR}` interpolation may build; `A1=${A0}${A0}` chains grow exponentially
MAX_INTERPOLATED_CHARS = 1 << 16
#: an env file holds a few dozen settings; python-dotenv parses about 20 µs a line, so this many take 0.1 s
MAX_ENV_FILE_LINES = 5_000


def read_env_file(path: Path) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """The file's values (python-dotenv, interpolated) and its problems; EnvFileError if unusable."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_ENV_FILE_BYTES + 1)
    except OSError as error:
        raise EnvFileError(f"env file {path} cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_ENV_FILE_BYTES:
        raise EnvFileError(f"env file {path} is larger than {MAX_ENV_FILE_BYTES // 1024} KiB: not an env file")
    if b"\0" in raw:
        return {}, (f"{path} is a binary file, not an env file: ignored",)
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # read as if empty, its settings would be judged missing or compared with defaults
        line = raw.count(b"\n", 0, error.start) + 1
        raise EnvFileError(f"env file {path} is not UTF-8 text (line {line}, byte {raw[error.start]:#04x})",
                           "save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from None
    return env_values(text, path)


def env_values(text: str, path: Path | str) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """The values of an env file's text as python-dotenv's `dotenv_values` gives them, and its problems;
    EnvFileError for more lines than an env file has. Bounded: python-dotenv's parser takes about 20 µs a
    line, and its own interpolation is quadratic (`_variables`)."""
    lines = max(text.count("\n"), text.count("\r"))
    if lines > MAX_ENV_FILE_LINES:
        raise EnvFileError(f"env file {path} has {lines:,} lines, more than {MAX_ENV_FILE_LINES:,}: not an env file")
    # Imported here: most runs in CI pass settings by environment and never read a file.
    from dotenv.parser import parse_stream

    bindings = list(parse_stream(io.StringIO(text)))
    # The line itself is not quoted back: it may hold the secret, which we could not then recognise.
    problems = [f"{path} line {binding.original.line}: python-dotenv cannot parse this line; it is ignored"
                for binding in bindings if binding.error]
    parsed = [_Parsed(binding.key, binding.original.line, binding.value,
                      None if binding.value is None else tuple(_variables(binding.value)))
              for binding in bindings if binding.key is not None]
    runaway = _runaway_interpolation(parsed)
    if runaway is not None:
        problems.append(f"{path} line {runaway}: ${{...}} interpolation would build a value longer than "
                        f"{MAX_INTERPOLATED_CHARS} characters; the file is read without interpolation")
    return _interpolated(parsed, enabled=runaway is None), tuple(problems)


class _Parsed(Struct, frozen=True):
    """One `NAME=value` of an env file, its value cut into literal text and `${NAME:-default}` references."""

    key: str
    line: int
    value: str | None
    #: literal text (str) and references (name, default), in order; None when the value is
    atoms: tuple[str | tuple[str, str | None], ...] | None


def _variables(value: str) -> Iterator[str | tuple[str, str | None]]:
    """`value` cut as python-dotenv's `parse_variables` cuts it (its pattern `\\$\\{([^}:]*)(?::-([^}]*))?\\}`):
    literal text, and (name, default) for each reference. Its regular expression backtracks over the rest
    of the value at each `${` that is not closed, quadratic in the value (a line of 10,000 `${` took seconds
    twice over); here each character is looked at a bounded number of times."""
    cursor = 0
    closing = colon = -1  # the first "}" and ":" at or after the reference's name, found once for many `${`
    start = value.find("${")
    while start != -1:
        name_start = start + 2
        if closing < name_start:
            closing = value.find("}", name_start)
            if closing == -1:
                break  # no reference can end after here
        if colon != len(value) and colon < name_start:
            found = value.find(":", name_start)
            colon = len(value) if found == -1 else found
        if colon > closing:  # ${NAME}
            reference: tuple[str, str | None] = (value[name_start:closing], None)
        elif value.startswith(":-", colon):  # ${NAME:-default}
            reference = (value[name_start:colon], value[colon + 2:closing])
        else:  # a ":" not followed by "-" ends the name without a reference
            start = value.find("${", start + 1)
            continue
        if start > cursor:
            yield value[cursor:start]
        yield reference
        cursor = closing + 1
        start = value.find("${", cursor)
    if cursor < len(value):
        yield value[cursor:]


def _interpolated(parsed: list[_Parsed], enabled: bool) -> dict[str, str | None]:
    """The values as python-dotenv's `dotenv_values` gives them (earlier keys of the file win over the
    environment, `${NAME:-default}`), built in one pass: its own resolver copies every value so far for
    each line, which takes seconds on a large file."""
    values: dict[str, str | None] = {}
    for binding in parsed:
        if binding.atoms is None or not enabled:
            values[binding.key] = binding.value
            continue
        parts = []
        for atom in binding.atoms:
            if isinstance(atom, str):
                parts.append(atom)
                continue
            name, default = atom
            found = values[name] if name in values else os.environ.get(name)
            parts.append(found if found is not None else (default or ""))
        values[binding.key] = "".join(parts)
    return values


def _runaway_interpolation(parsed: list[_Parsed]) -> int | None:
    """The line of the first value whose interpolation would exceed MAX_INTERPOLATED_CHARS, found from
    lengths alone (linear in the file), before the strings are built."""
    lengths: dict[str, int] = {}
    for binding in parsed:
        if binding.atoms is None:
            continue
        total = 0
        for atom in binding.atoms:
            if isinstance(atom, str):
                total += len(atom)
            else:
                name, default = atom
                total += max(lengths.get(name, 0), len(os.environ.get(name, "")), len(default or ""))
            if total > MAX_INTERPOLATED_CHARS:
                return binding.line
        lengths[binding.key] = total
    return None
