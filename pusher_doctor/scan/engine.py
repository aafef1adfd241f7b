"""``scan_frontend``: walk, parse, extract facts, run the rule registry, return a report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import facts as facts_module
from . import sources
from .envfile import load_frontend_env
from .model import BackendPusherSettings, Finding, ScanInputError, ScanReport, SkipKind, SkippedFile
from .project import build_project
from .rules import RULES, Rule


def scan_frontend(
    root: Path,
    frontend_env: Path | None = None,
    backend_settings: BackendPusherSettings | None = None,
    *,
    skip_dirs: frozenset[str] = sources.DEFAULT_SKIP_DIRS,
    rules: Sequence[Rule] = RULES,
) -> ScanReport:
    """Scan a frontend directory (or one file) for the usual reasons a guest misses live messages.

    ``frontend_env`` is the frontend's env file; without it ``.env``, ``.env.development`` and
    ``.env.local`` are looked for next to ``root`` and in its parent. ``backend_settings`` enables
    the key/cluster comparison. ``rules`` narrows the scan to some rules (the rule tests run one).
    Raises :class:`ScanInputError` when ``root`` (or the given env file) does not exist, or ``root``
    is neither a folder nor a regular file (a FIFO, a device); unreadable
    or unparsable source files are reported as skipped, never raised.
    """
    root = Path(root)
    if not root.exists():
        raise ScanInputError(f"{root} does not exist")
    if not root.is_dir() and not root.is_file():  # a FIFO or /dev/stdin would block or never end
        raise ScanInputError(f"{root} is neither a folder nor a regular file")
    if root.is_file() and root.suffix not in sources.LANGUAGE_BY_SUFFIX:
        raise ScanInputError(f"{root} is not a JavaScript, TypeScript or Vue file")
    env = load_frontend_env(root, frontend_env)
    parsed: list[facts_module.FileFacts] = []
    skipped: list[SkippedFile] = []
    for item in sources.iter_candidate_files(root, skip_dirs):
        if isinstance(item, SkippedFile):
            skipped.append(item)
            continue
        loaded = sources.load(item, sources.relative_name(item, root))
        if isinstance(loaded, SkippedFile):
            skipped.append(loaded)
            continue
        try:
            parsed.append(facts_module.extract(loaded, env.values))
        except Exception as error:  # noqa: BLE001 - one odd file must not cost the whole scan
            reason = f"could not be analysed: {type(error).__name__}: {error}"
            skipped.append(SkippedFile(loaded.rel, reason, SkipKind.ANALYSIS_FAILED))
    if not parsed and not skipped:
        raise ScanInputError(f"no JavaScript, TypeScript or Vue files in {root}")
    project = build_project(root, parsed, env, backend_settings)
    findings: dict[tuple[str, str, int, int], Finding] = {}
    for rule in rules:
        for hit in rule.check(project):
            where = hit.location
            key = (rule.id, where.file, where.line, where.column)
            findings.setdefault(
                key,
                Finding(
                    rule.id,
                    where.file,
                    where.line,
                    where.column,
                    hit.message,
                    hit.hint,
                    where.code,
                    rule.checklist_item,
                ),
            )
    ordered = sorted(findings.values(), key=lambda f: (f.file, f.line, f.column, f.rule))
    return ScanReport(
        root=str(root),
        files_scanned=len(parsed),
        findings=tuple(ordered),
        skipped=tuple(sorted(skipped, key=lambda s: s.file)),
        env_files=tuple(sources.relative_name(path, root) for path in env.files),
    )
