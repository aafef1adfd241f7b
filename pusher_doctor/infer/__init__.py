"""`pusher-doctor init`'s engine: the app contract as the app's own code shows it.

Each source of evidence is a function `(folder) -> Inferred` (:mod:`.model`); :func:`infer_contract`
runs them in order and :func:`~.model.draft` merges what they found into one contract. The frontend's
(:mod:`.frontend`, through scan-frontend's engine) is the first. The backend's comes next
(:mod:`.backend`, through scan-backend's engine: event classes with `broadcastOn`/`broadcastAs` in a
Laravel app, the server SDK's `trigger(...)` calls in a Python or Node one), given to
:func:`infer_contract` as `backend`; a channel both sides name is one channel, with the backend's events
(an event only the page binds is named in a comment).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pusher_doctor.infer.model import Draft, Inferred, draft

#: a source of evidence: what the code under a folder says about the contract
Inferrer = Callable[[Path], Inferred]

#: the env files a backend keeps its Pusher settings in, looked for in this order
ENV_FILES = (".env", "backend/.env", "server/.env", "api/.env", ".env.local")
#: keys that show an env file is the one with the app's Pusher settings
ENV_KEYS = ("PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_APP_KEY", "REVERB_APP_ID", "REVERB_APP_KEY")


def infer_contract(root: Path, frontend: Path | None = None, backend: Inferrer | None = None) -> Draft:
    """The contract the code under `root` shows: the frontend's subscriptions and binds (under `frontend`,
    default `root`), then whatever `backend` finds, then the env file with the Pusher settings."""
    from pusher_doctor.infer.frontend import infer_frontend

    found = [infer_frontend(frontend or root)]
    if backend is not None:
        found.append(backend(root))
    found.append(infer_env_file(root))
    return draft(found, root)


def infer_env_file(root: Path) -> Inferred:
    """The first of ENV_FILES under `root` that holds Pusher or Reverb settings."""
    found = Inferred(f"{root}")
    for name in ENV_FILES:
        path = root / name
        try:
            if path.is_file() and path.stat().st_size < 1_000_000:
                text = path.read_text(encoding="utf-8", errors="replace")
            else:
                continue
        except OSError:
            continue
        keys = [key for key in ENV_KEYS if f"{key}=" in text]
        if keys:
            found.env_file = path
            found.env_file_why = f"{name} sets {keys[0]}"
            break
    return found


__all__ = ["Draft", "Inferred", "Inferrer", "draft", "infer_contract", "infer_env_file"]
