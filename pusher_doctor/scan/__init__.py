"""Static scan of a guest frontend for the reasons live Pusher messages only show after a refresh.

A pure engine: :func:`scan_frontend` returns a :class:`ScanReport` and never prints. The rules are
listed, in order, in :data:`pusher_doctor.scan.rules.RULES`.
"""

from .engine import scan_frontend
from .model import BackendPusherSettings, Finding, ScanInputError, ScanReport, SkippedFile
from .rules import RULES, Rule

__all__ = [
    "RULES",
    "BackendPusherSettings",
    "Finding",
    "Rule",
    "ScanInputError",
    "ScanReport",
    "SkippedFile",
    "scan_frontend",
]
