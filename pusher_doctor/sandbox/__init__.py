"""The sandbox: a local soketi with throwaway apps, the Node parts it needs, and what `demo` puts around it.

- `soketi.py`: `SoketiServer` and `SandboxApp` (the demo's and the test suite's server);
- `node_deps.py`: where soketi and pusher-js are found, or installed with npm into the user's cache;
- `guest.py`: a real pusher-js guest under Node, the demo's stand-in for the guest page;
- `loopback.py`: small servers on loopback (an auth endpoint, a web server, a silent server);
- `broken.py`: the demo's scenarios, one per cause it can show (`demo --broken CAUSE`);
- `node/`: package data: the pinned npm dependencies (package.json, package-lock.json) and the guest
  script. The clone's `node/package.json` links here, so `make setup` and the cache install read one file.

This layer imports nothing else of the package. Names are loaded on first use, so that importing the
scenario list for `demo --help` costs no subprocess or network imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pusher_doctor.sandbox.node_deps import SOKETI_ENV_VAR, find_soketi
    from pusher_doctor.sandbox.soketi import SandboxApp, SandboxError, SoketiServer, free_port

__all__ = ["SOKETI_ENV_VAR", "SandboxApp", "SandboxError", "SoketiServer", "find_soketi", "free_port"]

_HOME = {"SandboxApp": "soketi", "SandboxError": "soketi", "SoketiServer": "soketi", "free_port": "soketi",
         "find_soketi": "node_deps", "SOKETI_ENV_VAR": "node_deps"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
