"""Public result types of the frontend scan. Pure data: nothing here reads files or prints."""

from __future__ import annotations

from dataclasses import dataclass


class ScanInputError(Exception):
    """The scan cannot start: the path to scan or the given env file does not exist or is unusable.

    The CLI turns this into exit code 2; ``str(error)`` is a one-line message for the user.
    """


@dataclass(frozen=True)
class BackendPusherSettings:
    """What the caller knows of the backend's Pusher app. Key and cluster only, never the secret."""

    key: str | None
    cluster: str | None


@dataclass(frozen=True)
class Finding:
    """One problem found in the frontend code, tied to the guide's checklist."""

    rule: str
    #: path relative to the scanned root, posix separators
    file: str
    #: 1-based; only "\n" starts a line (as in tree-sitter, and in git and most editors), so a lone
    #: "\r", a form feed or U+2028 does not
    line: int
    #: 1-based, in characters (not bytes)
    column: int
    #: one line: what is wrong, naming the actual values
    message: str
    #: one line: how to fix it
    hint: str
    #: the offending source line (the one ``line`` counts to), stripped; other line-break characters
    #: in it are shown as spaces
    code: str
    #: which checklist item of the guide this breaks (subscribed, channel-name, event-name, ...)
    checklist_item: str


@dataclass(frozen=True)
class SkippedFile:
    """A file the scan did not analyse, and why (unreadable, not UTF-8, parse errors, minified bundle...)."""

    file: str
    reason: str


@dataclass(frozen=True)
class ScanReport:
    """Everything one scan found. ``findings`` are sorted by file, line, column, rule."""

    root: str
    files_scanned: int
    findings: tuple[Finding, ...]
    skipped: tuple[SkippedFile, ...]
    #: env files whose values were used for key/cluster, relative to root (may start with ``../``)
    env_files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the scan found nothing wrong (skipped files do not count as findings)."""
        return not self.findings
