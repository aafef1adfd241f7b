"""Modules that the client libraries import at load time but a run seldom uses, imported on first use
instead: pysher's `requests` (an auth helper pusher-doctor never calls, ~80 ms), the pusher library's
`nacl` (encrypted channels only, ~10 ms) and websocket-client's `http.cookies` (a handshake that sets a
cookie only, ~1 % of a check), and what typer and click import for shell completion, editors, pagers and
archives (`CLI_DEFERRED`, ~3 % of a check). Every run's start pays for what it imports."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: what typer and click import at load time and use only inside functions a check never calls: subprocess
#: (completion install, editors, pagers), textwrap (click's help wrapping), shellingham (shell detection),
#: bz2 and lzma (shutil's archives), tokenize (linecache, for a traceback's source lines)
CLI_DEFERRED = ("subprocess", "textwrap", "shellingham", "bz2", "lzma", "tokenize")


class ImportedOnFirstUse(types.ModuleType):
    """Stands in sys.modules for a module until one of its attributes is first used, then imports it.

    (The standard library's LazyLoader does not help here: the import statement itself touches the
    module's spec, which loads it at once.)"""

    def __getattr__(self, attribute: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            sys.modules.pop(self.__name__, None)
        # Always through the import system: when another thread is importing the real module right now,
        # import_module waits for it to finish instead of handing back a half-initialised module.
        return getattr(importlib.import_module(self.__name__), attribute)


def defer(name: str) -> None:
    """Puts a stand-in for the module `name` in sys.modules (and on its package, where `import a.b` code
    looks it up as `a.b`), unless the real one is loaded already. Call it before the library's import."""
    if name in sys.modules:
        return
    stand_in = ImportedOnFirstUse(name)
    sys.modules[name] = stand_in
    package, _, child = name.rpartition(".")
    if package:
        setattr(importlib.import_module(package), child, stand_in)
