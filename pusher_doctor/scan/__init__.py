"""Static scan of a guest frontend for the reasons live Pusher messages only show after a refresh.

A pure engine: :func:`scan_frontend` (in :mod:`.engine`) returns a :class:`ScanReport` (in
:mod:`.model`) and never prints. The rules are listed, in order, in
:data:`pusher_doctor.scan.rules.RULES`.

``scan_frontend``, ``RULES`` and ``Rule`` are loaded on first use: they bring in tree-sitter and its
grammars, which importing this package (or only its result types) must not cost.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pusher_doctor.scan.model import (
    BackendPusherSettings,
    Finding,
    RuleInfo,
    ScanInputError,
    ScanReport,
    Scope,
    Severity,
    SkipKind,
    SkippedFile,
)

if TYPE_CHECKING:
    from pusher_doctor.scan.engine import scan_frontend
    from pusher_doctor.scan.rules import RULES, Rule

_LAZY = {"scan_frontend": "engine", "RULES": "rules", "Rule": "rules"}

__all__ = [
    "RULES",
    "BackendPusherSettings",
    "Finding",
    "Rule",
    "RuleInfo",
    "ScanInputError",
    "ScanReport",
    "Scope",
    "Severity",
    "SkipKind",
    "SkippedFile",
    "scan_frontend",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
