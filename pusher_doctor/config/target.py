"""Checks the loaded settings' form and turns them into the endpoints to talk to. Pure logic.

Each problem is `about` the setting it concerns (its name in `VARIABLES`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from msgspec import Struct

from pusher_doctor.config.endpoints import PUSHER_CLOUD, ClusterDirectory, Endpoint
from pusher_doctor.config.settings import OPTIONS, VARIABLES, LoadedSettings, Setting
from pusher_doctor.config.urls import host_problem
from pusher_doctor.results import Problem, problem

DEFAULT_CLUSTER = "mt1"
REQUIRED = ("app_id", "key", "secret")
#: required settings whose absence leaves the key-only steps runnable (a support engineer's case)
KEY_ONLY_GAPS = ("app_id", "secret")
#: the longest value each setting may have (None: the others). Pusher's app ids are a few digits and its
#: keys and secrets 20 characters; self-hosted servers' are free text, but none is a page long.
MAX_SETTING_CHARS: dict[str | None, int] = {"app_id": 20, "port": 5, None: 256}
#: characters that would move a key out of the path it is sent in (wss://host/app/KEY?protocol=7):
#: Pusher's keys are hex, a self-hosted server's may hold '-', '_', '.' or ':', never these
_KEY_BREAKS_URL = "/?#%\\"


class Target(Struct, frozen=True):
    """Where the app lives: the same host for both on a self-hosted server, two hosts on Pusher cloud."""

    ws: Endpoint
    rest: Endpoint
    #: the cluster, on Pusher cloud; None for a self-hosted server
    cluster: str | None
    #: where each cloud cluster lives, for telling which one a key belongs to
    directory: ClusterDirectory = PUSHER_CLOUD

    @property
    def is_cloud(self) -> bool:
        return self.cluster is not None


def _where(setting: Setting) -> str:
    return setting.source or "nowhere"


def _malformed(setting: str, summary: str, fix: str) -> Problem:
    return problem("malformed-setting", summary, fix, about=setting)


def _form_problem(setting: Setting) -> Problem | None:
    value = setting.value or ""
    label = setting.variable or setting.source or setting.name
    longest = MAX_SETTING_CHARS.get(setting.name, MAX_SETTING_CHARS[None])
    if len(value) > longest:
        # a file or a log pasted into the setting: refused here, so no step sends or echoes it
        return _malformed(setting.name, f"{label} is {len(value)} characters long, longer than any "
                          f"{setting.name.replace('_', ' ')} ({longest} at most)",
                          f"copy the value again into {_where(setting)}")
    if value != value.strip():
        return _malformed(setting.name, f"{label} has spaces around its value",
                          f"remove the spaces around the value in {_where(setting)}")
    if value[:1] in ("'", '"') or value[-1:] in ("'", '"'):
        return _malformed(setting.name, f"{label} has quote marks inside its value",
                          f"write {label}=value (one pair of quotes at most, around the whole value)")
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return _malformed(setting.name, f"{label} has spaces or control characters inside",
                          f"copy the value again into {_where(setting)}: no setting contains spaces")
    return None


def _is_number(value: str) -> bool:
    # str.isdigit() alone accepts '²' and Arabic-Indic digits, which int() or the server then refuse.
    return value.isascii() and value.isdigit()


def is_key_only_gap(found: Problem) -> bool:
    """A missing app id or secret: the steps that need only the key (WebSocket, subscribe) still run."""
    return found.cause == "missing-setting" and found.about in KEY_ONLY_GAPS


def _where_to_set(loaded: LoadedSettings, name: str) -> str:
    variable = VARIABLES[name][0]
    if loaded.env_file is None:
        return (f"run in the backend's folder (no .env here), pass --env-file PATH to its .env, or give "
                f"{OPTIONS[name]} (or {variable} in the environment) with the value from the Pusher dashboard")
    return f"add {variable}=... from the Pusher dashboard (App Keys) to {loaded.env_file}, or give {OPTIONS[name]}"


def validate(loaded: LoadedSettings, directory: ClusterDirectory = PUSHER_CLOUD) -> list[Problem]:
    """Everything wrong with the settings' presence and form, most basic first."""
    problems: list[Problem] = []
    looked = ", ".join(loaded.searched)
    for name in REQUIRED:
        setting = loaded[name]
        if not setting.present and setting.value == "" and setting.source == OPTIONS[name]:
            # an option given empty: the environment and env file were not looked at, as it comes first
            problems.append(problem("missing-setting", f"{OPTIONS[name]} is empty",
                                    f"give {OPTIONS[name]} the value from the Pusher dashboard (App Keys), or leave "
                                    f"it out to use {VARIABLES[name][0]} from the environment or the env file",
                                    about=name))
            continue
        if not setting.present:
            names = " or ".join(VARIABLES[name])
            empty = f" ({setting.variable} is empty in {setting.source})" if setting.value == "" else ""
            if loaded.env_file_problems and setting.source is None:
                # Most often the value is there, on a line python-dotenv could not read (a quote left open).
                problems.append(_malformed(name, f"{names} is not set, and {loaded.env_file_problems[0]}",
                                           f"fix {loaded.env_file}: close a quote left open, or write "
                                           "NAME=value, one per line"))
                continue
            problems.append(problem("missing-setting", f"{names} is not set{empty}; looked in {looked}"
                                    + ("" if loaded.env_file else " (no .env file in this folder)"),
                                    _where_to_set(loaded, name), about=name))
    for setting in loaded.settings.values():
        if setting.present and (found := _form_problem(setting)):
            problems.append(found)
    # Without app id or secret the key-only steps can still run; anything else stops here.
    if any(not is_key_only_gap(p) for p in problems):
        return problems
    app_id, key, secret = loaded.value("app_id"), loaded.value("key"), loaded.value("secret")
    if app_id and not _is_number(app_id):
        problems.append(_malformed("app_id", f"PUSHER_APP_ID {loaded['app_id'].shown()} is not a number",
                                   "copy the numeric app_id from the Pusher dashboard (App Keys)"))
    if key and (odd := sorted(set(key) & set(_KEY_BREAKS_URL))):
        problems.append(_malformed("key", f"PUSHER_KEY {loaded['key'].shown()} holds {' '.join(map(repr, odd))}, "
                                   "which no app key has (it would change the address the key is sent in)",
                                   "copy the key again from the Pusher dashboard (App Keys), or from the server's "
                                   "app settings when self-hosted"))
    if key and secret and key == secret:
        problems.append(_malformed("key", "PUSHER_KEY and PUSHER_SECRET are the same value",
                                   "copy key and secret again from the Pusher dashboard (App Keys)"))
    problems.extend(_endpoint_problems(loaded, directory.clusters))
    return problems


def _host_not_bare(host: str, shown: str) -> Problem:
    """PUSHER_HOST holding a URL or host:port: name the parts, which are not secret once parsed."""
    parts = urlsplit(host if "://" in host else f"//{host}")
    try:
        hostname, port = parts.hostname, parts.port
    except ValueError:
        hostname, port = parts.hostname, None
    if not hostname or not re.fullmatch(r"[A-Za-z0-9.:\[\]-]+", hostname):
        return _malformed("host", f"PUSHER_HOST {shown} is not a bare host name",
                          "give only the host in PUSHER_HOST; scheme and port go in PUSHER_SCHEME and PUSHER_PORT")
    settings = [f"PUSHER_HOST={hostname}"] + ([f"PUSHER_PORT={port}"] if port else []) + (
        [f"PUSHER_SCHEME={parts.scheme}"] if parts.scheme in ("http", "https") else [])
    return _malformed("host", f"PUSHER_HOST must be a bare host name, not a URL or host:port (it holds host "
                      f"{hostname}" + (f", port {port}" if port else "") + ")",
                      f"split it: {' '.join(settings)} (PUSHER_HOST holds only the host; the port goes in "
                      "PUSHER_PORT, the scheme in PUSHER_SCHEME)")


def _endpoint_problems(loaded: LoadedSettings, clusters: tuple[str, ...]) -> list[Problem]:
    problems = []
    host, port, scheme, cluster = (loaded.value(n) for n in ("host", "port", "scheme", "cluster"))
    if scheme is not None and scheme.lower() not in ("http", "https"):
        problems.append(_malformed("scheme", f"PUSHER_SCHEME {loaded['scheme'].shown()} is not http or https",
                                   "set PUSHER_SCHEME=http for a plain local server, https otherwise"))
    if port is not None and not (_is_number(port) and 0 < int(port) < 65536):
        problems.append(_malformed("port", f"PUSHER_PORT {loaded['port'].shown()} is not a port number",
                                   "set PUSHER_PORT to a number from 1 to 65535 (soketi's default is 6001)"))
    bracketed_ipv6 = host is not None and host.startswith("[") and host.endswith("]")
    if host is not None and ("://" in host or "/" in host or (":" in host and not bracketed_ipv6)):
        problems.append(_host_not_bare(host, loaded["host"].shown()))
    elif host is not None and (why := host_problem(host)) is not None:
        # '#', '?' or '@' would make the request URL go elsewhere; 'a..b' fails only when encoded, later
        problems.append(_malformed("host", f"PUSHER_HOST {loaded['host'].shown()} is not a bare host name: {why}",
                                   "give only the server's host name or IP address in PUSHER_HOST "
                                   "(ws.example.com, 127.0.0.1, [::1])"))
    if host is None and cluster is not None and cluster not in clusters:
        problems.append(_malformed("cluster", f"PUSHER_CLUSTER {loaded['cluster'].shown()} is not a Pusher cluster "
                                   f"({', '.join(clusters)})", "copy the cluster from the Pusher dashboard (App Keys)"))
    # Laravel's default .env for Pusher cloud sets PUSHER_PORT=443 and PUSHER_SCHEME=https with no host.
    if host is None and (port not in (None, "443") or (scheme or "https").lower() != "https"):
        problems.append(_malformed("host", "PUSHER_PORT/PUSHER_SCHEME are set without PUSHER_HOST",
                                   "set PUSHER_HOST for a self-hosted server, or remove PUSHER_PORT/PUSHER_SCHEME "
                                   "for Pusher cloud"))
    return problems


def frontend_expectations(loaded: LoadedSettings) -> tuple[str | None, str | None]:
    """The key and cluster a guest page must use with these backend settings (no cluster when self-hosted)."""
    cluster = None if loaded.value("host") else loaded.value("cluster") or DEFAULT_CLUSTER
    return loaded.value("key"), cluster


def build_target(loaded: LoadedSettings, directory: ClusterDirectory = PUSHER_CLOUD) -> Target:
    """The endpoints for settings that `validate` accepted."""
    host = loaded.value("host")
    if host is None:
        cluster = loaded.value("cluster") or DEFAULT_CLUSTER
        return Target(directory.ws(cluster), directory.rest(cluster), cluster, directory)
    secure = (loaded.value("scheme") or "https").lower() == "https"
    port = int(loaded.value("port") or (443 if secure else 80))
    endpoint = Endpoint(host, port, secure)
    return Target(endpoint, endpoint, None, directory)
