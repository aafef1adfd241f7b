"""One network exchange bounded as a whole, for the REST client and the auth endpoint alike.

A socket timeout bounds each socket operation, not the whole exchange (nor the DNS lookup): a server that
trickles its answer would hold the run far past --timeout. The work runs in a daemon thread that is
abandoned at the deadline; its own socket timeouts end it soon after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def within(seconds: float, work: Callable[[], T], name: str) -> T | BaseException | None:
    """What `work` returned, the exception it raised, or None when `seconds` passed first. `name` names
    the thread (pusher-doctor-rest, pusher-doctor-auth) for whoever looks at a hung process."""
    outcome: list[T | BaseException] = []

    def attempt() -> None:
        try:
            outcome.append(work())
        except Exception as error:  # noqa: BLE001 - handed to the caller, which classifies it
            outcome.append(error)

    worker = threading.Thread(target=attempt, name=name, daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    return outcome[0] if outcome else None
