"""Static scan of a backend (Laravel/Reverb, Django or any Python app with the ``pusher`` SDK, a Node server)
for the reasons its messages never reach a page: broadcasting turned off or queued without a worker, errors
thrown away, channel and event names that differ from the frontend's, channel auth that refuses.

A pure engine: :func:`scan_backend` (in :mod:`.engine`) returns a report in the frontend scan's model and
never prints; the rules are listed, in order, in :data:`pusher_doctor.backend.rules.RULES`.
:func:`read_backend` returns the facts alone (:class:`~pusher_doctor.backend.model.Backend`: channels and events
sent, channel routes, the env file), for inferring an app's contract. Loading this
package loads no grammar: ``scan_backend`` is loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pusher_doctor.backend.engine import BackendScan, read_backend, scan_backend

__all__ = ["BackendScan", "read_backend", "scan_backend"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".engine", __name__), name)
    globals()[name] = value
    return value
