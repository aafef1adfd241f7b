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

    def relative(self, package: str, rel: str) -> str:
        """``rel`` (relative to the scanned root) relative to its app's folder."""
        return posixpath.relpath(rel, package) if package else rel
