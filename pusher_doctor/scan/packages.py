"""Which app each scanned file belongs to, so that one tree holding several apps is judged app by app.

A scanned folder may hold one app or many (a monorepo, a folder of cloned repositories). What one
app does (its env files, its API's address, how its Echo is set up, its custom hooks, its ``@/``
alias) says nothing about another: a finding must be the same whether a tree is scanned whole or
app by app. An app is the nearest folder, at or below the scanned one, holding a ``package.json``,
a ``composer.json`` or a ``.git``; files with no such folder between them and the scanned root
belong to the root's app (its markers may sit above the scanned folder, as Laravel's do above
``resources/js``).
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path

#: what marks the root of an app: npm's and Composer's manifests, a repository
PACKAGE_MARKERS = ("package.json", "composer.json", ".git")
#: the app of files directly under the scanned root (or below it with no marker between)
ROOT_PACKAGE = ""


def has_marker(directory: Path) -> bool:
    """True when ``directory`` is the root of an app (see :data:`PACKAGE_MARKERS`)."""
    return any(os.path.exists(directory / marker) for marker in PACKAGE_MARKERS)


class PackageFinder:
    """The app (its folder relative to the scanned root, posix; ``""`` for the root's) of each folder,
    remembered per folder so a tree of thousands of files asks the disk once per folder."""

    def __init__(self, root: Path) -> None:
        self._root = root if root.is_dir() else root.parent
        self._known: dict[str, str] = {".": ROOT_PACKAGE}

    def of_file(self, rel: str) -> str:
        """The app of a file given relative to the scanned root."""
        return self.of_folder(posixpath.dirname(rel) or ".")

    def of_folder(self, folder: str) -> str:
        pending: list[str] = []
        current = folder
        while current not in self._known:
            pending.append(current)
            current = posixpath.dirname(current) or "."
        found = self._known[current]
        for step in reversed(pending):  # outermost first: an inner marker overrides an outer one
            if has_marker(self._root / step):
                found = step
            self._known[step] = found
        return self._known[folder]

    def folder(self, package: str) -> Path:
        """The folder of an app on disk."""
        return self._root / package if package else self._root


#: a package.json larger than this is not an app's manifest: not read
_MAX_MANIFEST_BYTES = 1_000_000
#: folders looked in for an app's package.json, from its folder upwards (``src/`` scanned alone)
_MANIFEST_SEARCH_DEPTH = 3


def dependency_major(folder: Path, name: str) -> int | None:
    """The major version of ``name`` the app at ``folder`` depends on (``"^8.0.1"`` -> 8), from the
    nearest ``package.json`` at or above it; None when no manifest names it, or not by a version."""
    directory = folder
    for _ in range(_MANIFEST_SEARCH_DEPTH):
        manifest = directory / "package.json"
        if manifest.is_file():
            return _major(_read_dependency(manifest, name))
        if has_marker(directory) or directory.parent == directory:
            return None
        directory = directory.parent
    return None


def _read_dependency(manifest: Path, name: str) -> str | None:
    try:
        if manifest.stat().st_size > _MAX_MANIFEST_BYTES:
            return None
        data = json.loads(manifest.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for section in ("dependencies", "devDependencies", "peerDependencies"):
        found = data.get(section)
        if isinstance(found, dict) and isinstance(found.get(name), str):
            return found[name]
    return None


def _major(version: str | None) -> int | None:
    if version is None:
        return None
    digits = ""
    for char in version.lstrip("^~>=v ").split(".")[0]:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else None
