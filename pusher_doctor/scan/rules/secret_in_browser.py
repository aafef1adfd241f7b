"""``secret-in-browser``: the Pusher secret reachable from code that runs in the browser.

Three ways it gets there: an env variable the build puts in the bundle (``VITE_``, ``NEXT_PUBLIC_``,
``REACT_APP_``, ``VUE_APP_``, ``MIX_``...) named as the secret or holding the backend's secret; the
server SDK (the ``pusher`` package, ``new Pusher({appId, key, secret})``) in browser code or in a
module that browser code imports; and, with ``--backend-env``, the frontend's key being the
backend's secret (the backend's key and secret swapped, or the secret copied to the frontend). The
secret is never quoted: the backend's is known only as a digest.

Browser code is a file that starts with ``'use client'``, a ``.vue`` component, or a file that
creates pusher-js or Echo; files under ``api/`` or ``server/`` folders and ``*.server.*`` files are
server code. Imports are followed through relative and ``@/``/``~/`` paths within the scanned tree.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath

from pusher_doctor.config.settings import Secret
from pusher_doctor.scan.digest import secret_digest
from pusher_doctor.scan.envfile import BROWSER_PREFIXES, KEY_SUFFIXES, EnvSetting, FrontendEnv, definition
from pusher_doctor.scan.facts import FileFacts, Import, ServerClient
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project, has_clients
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, options_object
from pusher_doctor.scan.sources import Location, relative_name
from pusher_doctor.scan.tree import arguments, object_property, unwrap
from pusher_doctor.scan.values import env_variable

#: a variable named like a Pusher (or Reverb, Laravel's Pusher-compatible server) secret
_SECRET_NAME = re.compile(r"(PUSHER|REVERB).*SECRET|SECRET.*(PUSHER|REVERB)")
#: shorter literals are not masked in quoted lines: they would blank ordinary words (as the Redactor does)
_MIN_SECRET_LENGTH = 4
_SERVER_FOLDERS = frozenset({"api", "server", "servers", "functions", "backend"})
_FIX_ENV = (
    "keep the secret on the server only (a variable without a browser prefix, read by your backend or an "
    "API route); the browser needs only the key and cluster. Rotate the secret: it has been public"
)


def check(project: Project) -> Iterator[Hit]:
    yield from _public_secret_variables(project)
    yield from _backend_secret_in_frontend(project)
    yield from _server_sdk_in_browser(project)


def finish(project: Project) -> Iterator[Hit]:
    """The env files' lines: a secret-named browser variable no browser code reads, a variable holding the
    backend's secret."""
    yield from _public_secret_definitions(project)
    yield from _backend_secret_in_env(project)


def _envs(project: Project) -> list[FrontendEnv]:
    """Each app's env once (apps without env files of their own share none)."""
    return list({id(env): env for env in project.envs.values() if env.files}.values())


def _public_secret_variables(project: Project) -> Iterator[Hit]:
    """A secret-named browser variable: where browser code first reads it (once per variable and app,
    however many files read it: one bug, the variable is public); else its definition in the env file (see
    :func:`finish`)."""
    for facts in project.files:
        first = project.memo((__name__, facts.package), _first_readers, project.packages()[facts.package])
        for name, node in facts.env_reads:
            if first.get(name) == facts.src.rel:
                first = {**first, name: None}  # its first read only
                yield hit_at(
                    facts,
                    node,
                    f"browser code reads {name}: a {_prefix(name)} variable is put in the JavaScript bundle, "
                    "so every visitor can read the Pusher secret",
                    _FIX_ENV,
                )


def _first_readers(files: list[FileFacts]) -> dict[str, str]:
    """Each secret-named browser variable the app's browser code reads -> the first file reading it."""
    first: dict[str, str] = {}
    for facts in files:
        if _may_reach_browser(facts):
            for name, _ in facts.env_reads:
                if name.startswith(BROWSER_PREFIXES) and _SECRET_NAME.search(name):
                    first.setdefault(name, facts.src.rel)
    return first


def _public_secret_definitions(project: Project) -> Iterator[Hit]:
    defined: set[tuple[Path, str]] = set()  # apps may share an env file: each line is reported once
    for package, files in project.packages().items():
        read = project.memo((__name__, package), _first_readers, files)
        env = project.envs.get(package) or project.env
        for name in sorted(env.values):
            if name in read or not name.startswith(BROWSER_PREFIXES) or not _SECRET_NAME.search(name):
                continue
            setting = definition(env, name)
            if setting is not None and (setting.path, name) not in defined:
                defined.add((setting.path, name))
                yield _env_hit(
                    project,
                    setting,
                    f"{name} holds the Pusher secret under a {_prefix(name)} name, which the build may put "
                    "in the JavaScript bundle",
                )


def _backend_secret_in_env(project: Project) -> Iterator[Hit]:
    """A frontend variable equal to the backend's secret, by digest."""
    digest = project.backend.secret_sha256 if project.backend else None
    if not digest:
        return
    for env in _envs(project):
        for name in sorted(env.values):
            if not name.startswith(BROWSER_PREFIXES) or _SECRET_NAME.search(name):
                continue  # a secret-named variable is reported above
            if secret_digest(env.values[name]) != digest:
                continue
            setting = definition(env, name)
            if setting is not None and name.endswith(KEY_SUFFIXES):
                yield _env_hit(project, setting, _swap_message(name), _FIX_SWAP)
            elif setting is not None:
                yield _env_hit(project, setting, f"{name} holds the backend's PUSHER_SECRET")


def _backend_secret_in_frontend(project: Project) -> Iterator[Hit]:
    """A key literal in the code equal to the backend's secret, by digest."""
    digest = project.backend.secret_sha256 if project.backend else None
    if not digest:
        return
    for facts in project.files:
        for client in facts.clients:
            key = facts.resolver.pattern(client.key).literal if client.key is not None else None
            if key is not None and not facts.resolver.pattern(client.key).env and secret_digest(key) == digest:
                yield hit_at(facts, client.key, _swap_message(f"the key in {client.constructor}(...)"), _FIX_SWAP)


_FIX_SWAP = (
    "compare both with the dashboard's App Keys: the browser gets the key, never the secret; if the backend's "
    ".env has PUSHER_KEY and PUSHER_SECRET the wrong way round, exchange them. Then rotate the secret"
)
_FIX_SERVER_SDK = "use pusher-js in the browser (new Pusher(key, { cluster })); trigger events from the server"


def _swap_message(what: str) -> str:
    return (
        f"{what} is the backend's PUSHER_SECRET: the backend's PUSHER_KEY and PUSHER_SECRET are swapped, or the "
        "secret was given to the frontend as its key; either way the secret is in the browser"
    )


def _server_sdk_in_browser(project: Project) -> Iterator[Hit]:
    """The server SDK with a secret the bundle gets, in browser code or in a module browser code
    imports: one finding per module that creates it, at the creation when that module is browser code,
    else at the first import of it from browser code (files are checked in scan order)."""
    # the modules already reported: every browser module that leaks it (at its creation), then each module
    # reported at an import, as the files are checked
    reported: set[str] = project.memo((__name__, "reported"), _browser_leaks, project)
    for facts in project.files:
        if not is_browser_file(facts):
            continue
        leak = _leaking_server(facts)
        if leak is not None:
            server, secret = leak
            message = (
                f"the Pusher server SDK ({server.reason}) is created in browser code with {secret}: the "
                "secret ships to every visitor"
                if secret
                else f"the Pusher server SDK ({server.reason}) is created in browser code, where it cannot "
                "work: the browser client is 'pusher-js'"
            )
            hit = hit_at(facts, server.node, message, _FIX_SERVER_SDK)
            yield _masked(hit, _secret_literals(facts, server))
    for facts in project.files:
        if not is_browser_file(facts):
            continue
        for found in facts.imports:
            chain = _server_module(project, facts, found)
            if chain is None or chain[-1] in reported:
                continue
            reported.add(chain[-1])
            yield Hit(
                facts.src.location(found.node),
                f"browser code imports {' -> '.join(chain)}, which creates the Pusher server SDK with its "
                "secret: the bundler ships that module, secret included, to every visitor",
                "import only browser-safe modules in client code; trigger events from an API route or the backend",
            )


def _leaks(facts: FileFacts) -> bool | None:
    """The rule's note: True when the file creates the server SDK with a secret the bundle would hold (see
    :func:`_leaking_server`)."""
    return True if _leaking_server(facts) is not None else None


def _browser_leaks(project: Project) -> set[str]:
    """The browser modules that create the server SDK with a secret the bundle holds."""
    return {
        facts.src.rel for facts in project.scanned if is_browser_file(facts) and project.note(_leaks, facts)
    }


def _leaking_server(facts: FileFacts) -> tuple[ServerClient, str | None] | None:
    """The first server SDK the file creates with a secret a browser bundle would hold, and how it
    holds it (None: no secret at all, the package taken for pusher-js); None when every secret comes
    from a server-only env variable (undefined in the bundle)."""
    for server in facts.servers:
        found = arguments(server.node.child_by_field_name("arguments"))
        options = options_object(facts, found[0]) if found else None
        if options is None and found and unwrap(found[0]).type != "identifier":
            return server, None  # new Pusher(key, { cluster }) from 'pusher': pusher-js was meant
        value = object_property(options, "secret") if options is not None else None
        if value is None:
            return server, "its secret"
        pattern = facts.resolver.pattern(value)
        if pattern.literal is not None and not pattern.env:
            return server, "the secret written in the code"
        env_name = env_variable(unwrap(value))
        if env_name is None:
            return server, "its secret"
        if env_name.startswith(BROWSER_PREFIXES):
            return server, f"the secret from {env_name}, a {_prefix(env_name)} variable the bundle holds"
    return None


def _server_module(project: Project, facts: FileFacts, first: Import) -> list[str] | None:
    """The import chain from ``first`` to a module that leaks the server SDK's secret, if there is one.

    ``'use server'`` modules are not followed: the browser gets a stub that calls the server.
    """
    start = project.imported(facts, first.source)
    if start is None or is_browser_file(start) or start.use_server:
        return None  # a browser module is judged on its own
    pending: list[tuple[FileFacts, list[str]]] = [(start, [start.src.rel])]
    seen = {facts.src.rel, start.src.rel}
    while pending:
        current, chain = pending.pop()
        if project.note(_leaks, current):
            return chain
        for found in current.imports:
            nxt = project.imported(current, found.source)
            if nxt is not None and nxt.src.rel not in seen and not nxt.use_server:
                seen.add(nxt.src.rel)
                pending.append((nxt, [*chain, nxt.src.rel]))
    return None


@functools.cache
def is_server_file(rel: str) -> bool:
    """API routes, server folders and ``*.server.*`` modules run on the server only."""
    path = PurePosixPath(rel.lower())
    return ".server." in path.name or bool(_SERVER_FOLDERS & set(path.parts[:-1]))


def is_browser_file(facts: FileFacts) -> bool:
    """Code that certainly runs in the browser (see the module docstring)."""
    if not _may_reach_browser(facts):
        return False
    return facts.use_client or facts.src.is_vue or has_clients(facts)


def _may_reach_browser(facts: FileFacts) -> bool:
    """False for code that never reaches a client bundle: server folders, ``*.server.*``, ``'use server'``."""
    return not is_server_file(facts.src.rel) and not facts.use_server


def _env_hit(project: Project, setting: EnvSetting, message: str, hint: str = _FIX_ENV) -> Hit:
    file = relative_name(setting.path, project.root)
    # the line as it is defined, its value a Secret: the output has nothing else to mask it by
    quoted = f"{setting.variable}={Secret(setting.value)}"
    return Hit(Location(file, setting.line, 1, quoted), f"{message} ({file})", hint)


def _masked(hit: Hit, values: list[str]) -> Hit:
    """``hit`` with each of ``values`` (secrets written in the code) masked in the quoted line."""
    code = hit.location.code
    for value in sorted(values, key=len, reverse=True):
        if len(value) >= _MIN_SECRET_LENGTH:
            code = code.replace(value, str(Secret(value)))
    return replace(hit, location=replace(hit.location, code=code))


def _secret_literals(facts: FileFacts, server: ServerClient) -> list[str]:
    """The literal ``secret`` given to a server SDK constructor, if the code writes it out."""
    found = arguments(server.node.child_by_field_name("arguments"))
    options = options_object(facts, found[0]) if found else None
    value = object_property(options, "secret") if options is not None else None
    literal = facts.resolver.pattern(value).literal if value is not None else None
    return [literal] if literal else []


def _prefix(name: str) -> str:
    return next(prefix for prefix in BROWSER_PREFIXES if name.startswith(prefix)) + "*"


RULE = Rule(
    id="secret-in-browser",
    checklist_item="credentials",
    title="The Pusher secret is reachable from browser code",
    finds="(1) Browser code reading a variable with a browser prefix (`VITE_`, `NEXT_PUBLIC_`, `REACT_APP_`, "
    "`VUE_APP_`, `MIX_`, `NUXT_PUBLIC_`, `EXPO_PUBLIC_`, `GATSBY_`, `PUBLIC_`) named like a Pusher or Reverb "
    "secret, or, when no code reads it, its definition in the env file. (2) With `--backend-env`: a "
    "frontend variable, or the key given to `new Pusher`/`new Echo`, equal to the backend's `PUSHER_SECRET` "
    "(compared by digest, never shown): the backend's key and secret swapped, or the secret given to the "
    "frontend. (3) The server SDK (`import Pusher from 'pusher'`, `new Pusher({ appId, key, secret, cluster "
    "})`) in browser code (`'use client'` files, `.vue` components, files creating pusher-js or Echo), or in a "
    "module such code imports, followed through relative and `@/`/`~/` imports. Files under `api/` or "
    "`server/` and `*.server.*` files are server code; a Next.js server component importing the server SDK "
    "is not reported.",
    why="Anyone can read the bundle: with the secret they can trigger any event on any channel and sign "
    "private and presence channel subscriptions as any user.",
    fix="Give the browser only the key and cluster; keep the secret and the server SDK on the server; "
    "rotate the secret.",
    wrong="VITE_PUSHER_APP_SECRET=...\nconst secret = import.meta.env.VITE_PUSHER_APP_SECRET;",
    right="PUSHER_APP_SECRET=...   # read by the backend only\n"
    "new Pusher(import.meta.env.VITE_PUSHER_APP_KEY, { cluster: import.meta.env.VITE_PUSHER_APP_CLUSTER });",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
    note=_leaks,
    finish=finish,
)
