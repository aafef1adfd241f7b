"""The near-miss record alone, apart from triage/model.py: check's live-guest step needs this one type,
and importing the model's other records would cost every check's start their creation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NearMiss:
    """An occupied channel whose name is almost the one the backend triggers on."""

    channel: str
    subscribers: int | None
    #: why it is a near miss, e.g. "'rooms' where the backend says 'room'"
    reasons: tuple[str, ...]
