"""``scan_backend``: read the backend's env file, PHP and Python code (and a Node server's through the
frontend scan's engine), cross-check with the frontend, run the rule registry, return a report in the
frontend scan's model (:class:`~pusher_doctor.scan.model.ScanReport`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tree_sitter import Node

from pusher_doctor.backend import sources
from pusher_doctor.backend.frontend import read_frontend
from pusher_doctor.backend.laravel import read_php
from pusher_doctor.backend.model import LARAVEL, PYTHON, Backend, EnvFile, FrontendView
from pusher_doctor.backend.python import Wrapper, client_names, expand_wrappers, helper_functions, read_python
from pusher_doctor.backend.rules import RULES
from pusher_doctor.config.settings import EnvFileError, env_values
from pusher_doctor.deadline import Deadline
from pusher_doctor.scan.model import Finding, ScanInputError, ScanReport, SkipKind, SkippedFile
from pusher_doctor.scan.rules import Rule
from pusher_doctor.scan.sources import Location, SourceFile, relative_name
from pusher_doctor.scan.suppress import ignored_lines, is_silenced

DEFAULT_TIME_LIMIT = 60.0
#: the env files looked for in the backend's folder, in order: the real one, then the committed template
ENV_FILE_NAMES = (".env", ".env.example")
#: files that start a queue worker when the app is deployed or run locally
WORKER_FILES = ("Procfile", "Procfile.dev", "composer.json", "package.json", "Makefile", "docker-compose.yml",
                "docker-compose.yaml", "compose.yml", "compose.yaml", "supervisord.conf", "fly.toml",
                "render.yaml", "Dockerfile")
_WORKER = re.compile(r"queue:(?:work|listen)|horizon\b")
#: a Python comment that silences a rule: the frontend scan's marker written after "#"
_HASH_MARKER = re.compile(r"#(\s*pusher-doctor-ignore\b)")
T = TypeVar("T")
#: env variable names whose values are secrets
_SECRET_NAME = re.compile(r"SECRET|MASTER_KEY|PASSWORD|PRIVATE_KEY|TOKEN", re.IGNORECASE)


@dataclass(frozen=True)
class BackendScan:
    """A backend scan's report and what it read it from."""

    report: ScanReport
    #: laravel, python, node: what the code showed
    frameworks: tuple[str, ...]
    #: the frontend folder the cross-checks read, relative to the backend's root when inside it, or None
    frontend: str | None
    frontend_files: int = 0
    #: the time limit came before the frontend was read to its end (or at all)
    frontend_cut: bool = False
    #: secret values the scan saw (the env file's, a client's literal secret): the output masks them, as the
    #: lines it quotes may hold them
    secrets: tuple[str, ...] = ()


def scan_backend(root: Path, frontend: Path | None = None, env_file: Path | None = None, *,
                 rules: Sequence[Rule] = RULES, time_limit: float = DEFAULT_TIME_LIMIT) -> BackendScan:
    """Scan a backend folder for the reasons its messages never reach a page, cross-checked with the frontend's
    code (``frontend``, default the backend's own folder: Laravel's ``resources/js``).

    Raises :class:`ScanInputError` when a path does not exist or ``root`` holds no backend code or config."""
    read = _read(Path(root), frontend, env_file, time_limit)
    backend = read.backend
    findings, suppressed = _run(backend, rules, read.texts)
    report = ScanReport(
        root=str(root), files_scanned=len(read.texts) + read.scripts, findings=tuple(findings),
        skipped=tuple(sorted(read.skipped, key=lambda s: s.file)),
        env_files=(backend.env.rel,) if backend.env else (), incomplete=read.incomplete,
        rules=tuple(rule.info() for rule in rules), contract=None, suppressed=suppressed,
    )
    shown = None
    if backend.frontend is not None:
        shown = relative_name(backend.frontend.root, Path(root)) if frontend is not None else "."
    return BackendScan(report, tuple(sorted(backend.frameworks)), shown,
                       backend.frontend.files if backend.frontend else 0, read.frontend_cut, _secrets(backend))


def read_backend(root: Path, frontend: Path | None = None, env_file: Path | None = None, *,
                 time_limit: float = DEFAULT_TIME_LIMIT) -> Backend:
    """What the backend's code and config say, as facts (its channels and events, the channel routes, the env
    file), without judging them: for ``pusher-doctor init``'s contract. Raises as :func:`scan_backend` does."""
    return _read(Path(root), frontend, env_file, time_limit).backend


@dataclass
class _Read:
    backend: Backend
    #: the text of each PHP and Python file read, by relative path
    texts: dict[str, str]
    skipped: list[SkippedFile]
    #: JavaScript files the frontend scan's engine read
    scripts: int
    incomplete: str | None
    #: the time limit came before the frontend was read to its end (or at all)
    frontend_cut: bool = False


def _read(root: Path, frontend: Path | None, env_file: Path | None, time_limit: float) -> _Read:
    deadline = Deadline.after(time_limit)
    for path in (root, frontend, env_file):
        try:
            if path is not None and not path.exists():
                raise ScanInputError(f"{path} does not exist")
        except OSError as error:  # a name longer than the file system takes, a folder on the way not readable
            raise ScanInputError(f"{path}: {error.strerror or type(error).__name__}") from None
    if not root.is_dir():
        raise ScanInputError(f"{root} is not a folder: give the backend's project folder")
    backend = Backend(root)
    backend.env = _read_env(root, env_file)
    texts: dict[str, str] = {}
    skipped: list[SkippedFile] = []
    parsed = _read_code(backend, texts, skipped, deadline)
    if (root / "artisan").is_file() or "laravel/framework" in (sources.read_text(root / "composer.json") or ""):
        backend.frameworks.add(LARAVEL)
    if backend.clients or backend.triggers:
        backend.frameworks.add(PYTHON)
    backend.workers = _workers(root)
    # the frontend gets what is left of the time limit, none once it has passed: a tree of thousands of
    # scripts must not hold the scan past --timeout
    views: list[FrontendView | None] = []
    frontend_cut = deadline.passed()
    if not frontend_cut:
        backend.frontend = read_frontend(backend, frontend or root, deadline.remaining())
        views.append(backend.frontend)
    if frontend is not None and not frontend.resolve().is_relative_to(root.resolve()) and not deadline.passed():
        views.append(read_frontend(backend, root, deadline.remaining()))  # a Node server's SDK calls beside it
    scripts = sum(view.files for view in views if view is not None)
    skipped.extend(skip for view in views if view is not None for skip in view.skipped)
    if not backend.frameworks and not parsed and backend.env is None:
        raise ScanInputError(f"no PHP, Python or Node backend code and no env file in {root}")
    frontend_cut = frontend_cut or any(view is not None and view.incomplete for view in views)
    incomplete = None
    if deadline.passed() or frontend_cut:
        incomplete = f"stopped after {time_limit:g} s (the scan's time limit): {parsed} file(s) were read"
    return _Read(backend, texts, skipped, scripts, incomplete, frontend_cut)


def _secrets(backend: Backend) -> tuple[str, ...]:
    """The secret values in the env file (``*SECRET*``, ``*MASTER_KEY*``, ``*PASSWORD*``) and the literal
    ``secret`` of each server client."""
    found = []
    if backend.env is not None:
        found.extend(value for name, value in backend.env.values.items()
                     if value and _SECRET_NAME.search(name))
    found.extend(client.options["secret"] for client in backend.clients
                 if isinstance(client.options.get("secret"), str))
    return tuple(dict.fromkeys(str(value) for value in found))


def _read_env(root: Path, given: Path | None) -> EnvFile | None:
    """The backend's env file, read with python-dotenv (never sourced), and the line each name is set on."""
    candidates = [given] if given is not None else [root / name for name in ENV_FILE_NAMES]
    for path in candidates:
        text = sources.read_source(path, str(path))
        if isinstance(text, SkippedFile):
            reason = text.reason.replace("hand-written code", "an env file")
            if given is not None:
                raise ScanInputError(f"--env-file {given}: {reason}")
            if path.name == ENV_FILE_NAMES[0] and os.path.lexists(path):
                # the real .env is there: the template in its stead would judge settings the app does not run with
                raise ScanInputError(f"{path} cannot be read ({reason})",
                                     "save it as UTF-8 text (e.g. iconv -f latin1 -t utf-8), or give --env-file")
            continue
        try:
            values, _problems = env_values(text, path)
        except EnvFileError as error:
            raise ScanInputError(str(error)) from None
        rel = relative_name(path, root) if path.is_relative_to(root) else str(path)
        places = {}
        for number, line in enumerate(text.split("\n"), start=1):
            found = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=", line)
            if found:
                places[found.group(1)] = Location(rel, number, 1, line.strip())
        return EnvFile(rel, values, places, template=given is None and path.name != ENV_FILE_NAMES[0])
    return None


def _read_code(backend: Backend, texts: dict[str, str], skipped: list[SkippedFile], deadline: Deadline) -> int:
    """Read every PHP and Python file into ``backend`` (their text into ``texts``); how many were read."""
    python: list[SourceFile] = []
    for item in sources.iter_backend_files(backend.root, deadline):
        if isinstance(item, SkippedFile):
            skipped.append(item)
            continue
        rel = relative_name(item, backend.root)
        loaded = sources.load(item, rel)
        if isinstance(loaded, SkippedFile):
            skipped.append(loaded)
            continue
        if loaded.language == "python":
            python.append(loaded)  # read once every file's helpers are known
        elif _analysed(loaded, skipped, lambda src: read_php(backend, src)):
            texts[rel] = loaded.text
    helpers: dict[str, Node | None] = {}
    for src in python:
        found = _guarded(src, skipped, lambda s: helper_functions(s.tree.root_node))
        for name, returned in found.items() if isinstance(found, dict) else ():
            # a name two modules define differently cannot be told apart from its call: left unknown
            same = name not in helpers or (helpers[name] is not None and helpers[name].text == returned.text)
            helpers[name] = returned if same else None
    known = {name: returned for name, returned in helpers.items() if returned is not None}
    clients: set[str] = set()
    for src in python:
        found_names = _guarded(src, skipped, client_names)
        clients.update(found_names if isinstance(found_names, set) else ())
    wrappers: list[Wrapper] = []
    for src in python:
        found_wrappers = _guarded(src, skipped, lambda s: read_python(backend, s, known, frozenset(clients)))
        if isinstance(found_wrappers, list):
            wrappers.extend(found_wrappers)
            texts[src.rel] = src.text
    for src in python if wrappers else ():
        _guarded(src, skipped, lambda s: expand_wrappers(backend, s, wrappers, known))
    return len(texts)


def _analysed(src: SourceFile, skipped: list[SkippedFile], read: Callable[[SourceFile], object]) -> bool:
    """Whether ``read`` went through ``src`` (else it is listed as skipped)."""
    return _guarded(src, skipped, read) is not _FAILED


_FAILED = object()


def _guarded(src: SourceFile, skipped: list[SkippedFile], read: Callable[[SourceFile], T]) -> T | object:
    try:
        return read(src)
    except Exception as error:  # noqa: BLE001 - one odd file must not cost the whole scan
        if not any(item.file == src.rel for item in skipped):
            skipped.append(SkippedFile(src.rel, f"could not be analysed: {type(error).__name__}: {error}",
                                       SkipKind.ANALYSIS_FAILED))
        return _FAILED


def _workers(root: Path) -> list[str]:
    """The files of the repository (its top level and ``docker``/``deploy`` folders) that start a queue worker."""
    folders = [root, *(root / name for name in ("docker", ".docker", "deploy", "supervisor", ".platform"))]
    found = []
    for folder in folders:
        candidates = [folder / name for name in WORKER_FILES]
        if folder != root and folder.is_dir():
            candidates = sorted(path for path in folder.iterdir() if path.is_file())[:50]
        for path in candidates:
            text = sources.read_text(path) if path.is_file() else None
            if text and _WORKER.search(text):
                found.append(relative_name(path, root))
    return found


def _run(backend: Backend, rules: Sequence[Rule], texts: dict[str, str]) -> tuple[list[Finding], int]:
    """The findings of ``rules`` not silenced by a ``pusher-doctor-ignore`` comment, and how many were."""
    findings: dict[tuple[str, str, int, int], Finding] = {}
    for rule in rules:
        for hit in rule.check(backend):
            where = hit.location
            findings.setdefault((rule.id, where.file, where.line, where.column), Finding(
                rule.id, where.file, where.line, where.column, hit.message, hit.hint, where.code,
                rule.checklist_item, hit.severity or rule.severity))
    silenced: dict[str, dict[int, frozenset[str]]] = {}
    kept = []
    for finding in findings.values():
        if finding.file not in silenced:
            text = texts.get(finding.file)
            if text is None:
                text = sources.read_text(backend.root / finding.file) or ""
            silenced[finding.file] = ignored_lines(_HASH_MARKER.sub(r"//\1", text))
        if not is_silenced(silenced[finding.file], finding.line, finding.rule):
            kept.append(finding)
    kept.sort(key=lambda f: (f.file, f.line, f.column, f.rule))
    return kept, len(findings) - len(kept)
