"""Which backend files are read, and how each is parsed (PHP and Python with tree-sitter).

The walk skips dependencies and caches (``vendor``, ``node_modules``, virtualenvs, Laravel's
``storage``) and is bounded in depth and time like the frontend scan's; a file that cannot be read,
decoded or parsed becomes a :class:`~pusher_doctor.scan.model.SkippedFile`, never an exception. The
app's code is only read, never run. JavaScript is read by the frontend scan's engine (see
:mod:`pusher_doctor.backend.frontend`), which also finds a Node server's ``pusher`` SDK.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import tree_sitter
import tree_sitter_php
import tree_sitter_python

from pusher_doctor.deadline import Deadline
from pusher_doctor.scan.model import SkipKind, SkippedFile
from pusher_doctor.scan.sources import MAX_FOLDER_DEPTH, SourceFile, read_source, relative_name

#: extension -> grammar
LANGUAGE_BY_SUFFIX = {".php": "php", ".py": "python"}
#: folders never entered: dependencies, virtualenvs, caches, compiled assets, Laravel's runtime files
SKIP_DIRS = frozenset({
    "vendor", "node_modules", ".git", ".venv", "venv", "env", "__pycache__", "site-packages", "storage",
    "bootstrap/cache", ".tox", ".mypy_cache", ".pytest_cache", "dist", "build", "public",
})
#: a file more than this share of ERROR nodes is skipped: what is left would be guesswork
MAX_ERROR_SHARE = 0.2
#: Blade templates are PHP files only in name: their HTML would be read as PHP text
_TEMPLATE_SUFFIXES = (".blade.php",)


#: each grammar's loader, called once
_GRAMMARS = {"php": tree_sitter_php.language_php, "python": tree_sitter_python.language}


@functools.cache
def parser(name: str) -> tree_sitter.Parser:
    """A parser for ``php`` or ``python`` (its grammar loaded once)."""
    return tree_sitter.Parser(tree_sitter.Language(_GRAMMARS[name]()))


def iter_backend_files(root: Path, deadline: Deadline) -> Iterator[Path | SkippedFile]:
    """PHP and Python files under ``root`` in a stable order (a file ``root`` is itself), stopping at
    ``deadline``; folders that could not be read or lie too deep come out as SkippedFile."""
    if root.is_file():
        yield root
        return
    pending: list[tuple[Path, int]] = [(root, 0)]
    while pending and not deadline.passed():
        directory, depth = pending.pop()
        try:
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError as error:
            yield SkippedFile(relative_name(directory, root) + "/", f"could not be read: {error.strerror}",
                              SkipKind.UNREADABLE)
            continue
        folders = []
        for entry in entries:
            if entry.is_symlink():
                continue  # a link loop would never end
            if entry.is_dir():
                rel = relative_name(Path(entry.path), root)
                if entry.name not in SKIP_DIRS and rel not in SKIP_DIRS:
                    folders.append(Path(entry.path))
            elif Path(entry.name).suffix in LANGUAGE_BY_SUFFIX and not entry.name.endswith(_TEMPLATE_SUFFIXES):
                yield Path(entry.path)
        if folders and depth >= MAX_FOLDER_DEPTH:
            yield SkippedFile(relative_name(directory, root) + "/",
                              f"more than {MAX_FOLDER_DEPTH} folders below the scanned one", SkipKind.TOO_DEEP)
            continue
        pending.extend((folder, depth + 1) for folder in reversed(folders))


def read_text(path: Path) -> str | None:
    """A small regular UTF-8 text file's content, or None (missing, too large, binary, another encoding)."""
    text = read_source(path, "")
    return text if isinstance(text, str) else None


def load(path: Path, rel: str) -> SourceFile | SkippedFile:
    """Read and parse one PHP or Python file, or say why it was skipped."""
    text = read_source(path, rel)
    if isinstance(text, SkippedFile):
        return text
    lang = LANGUAGE_BY_SUFFIX[path.suffix]
    encoded = text.encode("utf-8")
    # at most MAX_FILE_BYTES of PHP or Python: tree-sitter reads that in well under the file's limit
    tree = parser(lang).parse(encoded)
    share = _error_share(tree, encoded)
    if share > MAX_ERROR_SHARE:
        return SkippedFile(rel, f"parse errors ({share:.0%} of the code could not be parsed)", SkipKind.UNPARSABLE)
    return SourceFile(path, rel, lang, text, encoded, tree)


def _error_share(tree: tree_sitter.Tree, data: bytes) -> float:
    """Share of non-blank bytes inside ERROR nodes: the outermost ones, each counted once."""
    if not tree.root_node.has_error:
        return 0.0
    covered = 0
    pending = [tree.root_node]
    while pending:
        node = pending.pop()
        if node.type == "ERROR":
            covered += len(b"".join(data[node.start_byte:node.end_byte].split()))
        elif node.has_error:  # only subtrees that hold an error are entered
            pending.extend(node.children)
    return covered / (len(b"".join(data.split())) or 1)
