"""The frontend's env files: which are read, and the Pusher key/cluster they give the frontend.

Without ``--env-file`` each app's env files are found the way its build finds them: the scan looks
in the app's folder (the scanned directory, or the file's directory when a single file is scanned),
then upwards, and uses the first directory that holds any of ``.env``, ``.env.development``,
``.env.local``; it stops at the app's root (a folder with ``package.json``, ``composer.json`` or
``.git``: Vite, Create React App, Next.js and Laravel read their env files there) and after
:data:`ENV_SEARCH_DEPTH` folders. So ``src/`` finds the ``.env`` next to ``package.json``, and a
Laravel app's ``resources/js`` the ``.env`` two levels up. Within that directory the files are
merged the way Vite and Create React App do in development: ``.env.local`` overrides
``.env.development``, which overrides ``.env``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pusher_doctor.config.settings import EnvFileError, read_env_file
from pusher_doctor.scan.model import ScanInputError
from pusher_doctor.scan.packages import has_marker

#: folders looked in, at most, from the app's folder upwards: Laravel's resources/js is two below its .env
ENV_SEARCH_DEPTH = 3
#: lowest precedence first; later files override earlier ones
ENV_FILE_NAMES = (".env", ".env.development", ".env.local")
FRONTEND_PREFIXES = ("VITE_", "REACT_APP_", "NEXT_PUBLIC_", "VUE_APP_", "MIX_")
#: prefixes whose variables the build puts in the browser bundle: the frontend ones, and those of
#: Nuxt's public runtime config, Expo, Gatsby, SvelteKit and Astro
BROWSER_PREFIXES = (*FRONTEND_PREFIXES, "NUXT_PUBLIC_", "EXPO_PUBLIC_", "GATSBY_", "PUBLIC_")
KEY_SUFFIXES = ("PUSHER_KEY", "PUSHER_APP_KEY")
CLUSTER_SUFFIXES = ("PUSHER_CLUSTER", "PUSHER_APP_CLUSTER")


@dataclass(frozen=True)
class EnvSetting:
    """One frontend setting from an env file: its value, variable and where it is defined."""

    value: str
    variable: str
    path: Path
    line: int
    code: str


@dataclass(frozen=True)
class FrontendEnv:
    """Merged env values (for ``process.env.X`` / ``import.meta.env.X``) plus the Pusher settings."""

    values: Mapping[str, str]
    files: tuple[Path, ...]
    #: variable -> the env file that set it (the last one read wins)
    origins: Mapping[str, Path]
    key: EnvSetting | None
    cluster: EnvSetting | None



def load_frontend_env(root: Path, env_file: Path | None) -> FrontendEnv:
    """Read the given env file, or discover the frontend's env files near ``root``."""
    if env_file is not None:
        if not env_file.is_file():
            reason = "is not a regular file" if env_file.exists() else "does not exist"
            raise ScanInputError(f"env file {env_file} {reason}")
        files = [env_file]
    else:
        files = discover_env_files(root)
    values: dict[str, str] = {}
    origin: dict[str, Path] = {}
    for path in files:
        try:
            loaded, problems = read_env_file(path)
        except EnvFileError as error:
            if env_file is not None:
                raise ScanInputError(str(error), error.fix) from error
            continue
        if problems and not loaded and env_file is not None:  # binary or not UTF-8
            raise ScanInputError(problems[0])
        for name, value in loaded.items():
            if value is not None:
                values[name] = value
                origin[name] = path
    return FrontendEnv(
        values,
        tuple(files),
        origin,
        _setting(values, origin, KEY_SUFFIXES),
        _setting(values, origin, CLUSTER_SUFFIXES),
    )


def discover_env_files(root: Path) -> list[Path]:
    """Env files of the first directory, from ``root`` upwards to its app's root, that has any."""
    directory = root if root.is_dir() else root.parent
    for _ in range(ENV_SEARCH_DEPTH):
        found = [directory / name for name in ENV_FILE_NAMES if (directory / name).is_file()]
        if found:
            return found
        if has_marker(directory) or directory.parent == directory:
            break  # the build reads env files from its root, never above it
        directory = directory.parent
    return []


def _setting(
    values: Mapping[str, str], origin: Mapping[str, Path], suffixes: tuple[str, ...]
) -> EnvSetting | None:
    for prefix in FRONTEND_PREFIXES:
        for suffix in suffixes:
            name = prefix + suffix
            value = values.get(name, "").strip()
            if value:
                line, code = _definition_line(origin[name], name)
                return EnvSetting(value, name, origin[name], line, code)
    return None


def definition(env: FrontendEnv, name: str) -> EnvSetting | None:
    """Where the env files set ``name`` (the file that wins, its last assignment), or None."""
    path = env.origins.get(name)
    if path is None:
        return None
    line, code = _definition_line(path, name)
    return EnvSetting(env.values[name], name, path, line, code)


def _definition_line(path: Path, name: str) -> tuple[int, str]:
    """Line (1-based) and text where ``name`` is assigned; the last one wins, as in dotenv."""
    found = (1, "")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return found
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        if stripped.startswith(name) and stripped[len(name) :].lstrip().startswith("="):
            found = (number, line.strip())
    return found
