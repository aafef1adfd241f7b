"""Public result types of the frontend scan. Pure data: nothing here reads files or prints."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


class SkipKind(StrEnum):
    """Why a file was not analysed, in a word a program can test; :attr:`hides_findings` says whether
    hand-written code may have gone unread (the CLI then cannot call the frontend clean)."""

    UNREADABLE = "unreadable"  # the file or folder could not be read (permissions, a dangling link)
    NOT_UTF8 = "not-utf8"  # source in another encoding
    UNPARSABLE = "unparsable"  # too much of it is a syntax error for tree-sitter
    ANALYSIS_FAILED = "analysis-failed"  # the scan itself failed on this file (a bug to report)
    TIME_LIMIT = "time-limit"  # the file took longer than the per-file limit
    TOO_DEEP = "too-deep"  # a folder nested past the limit: what is below it was not entered
    GENERATED = "generated"  # a minified bundle or a file too large to be hand-written
    NOT_SOURCE = "not-source"  # binary content, not a regular file, a .vue file without <script>

    @property
    def hides_findings(self) -> bool:
        """True when the skip may hide a finding: code someone wrote that the scan could not read."""
        return self not in (SkipKind.GENERATED, SkipKind.NOT_SOURCE)


@dataclass(frozen=True)
class SkippedFile:
    """A file (or folder, ending in ``/``) the scan did not analyse, why, and what kind of skip it is."""

    file: str
    reason: str
    kind: SkipKind

    @property
    def hides_findings(self) -> bool:
        """True when this skip may hide a finding (see :class:`SkipKind`)."""
        return self.kind.hides_findings


@dataclass(frozen=True)
class ScanReport:
    """Everything one scan found. ``findings`` are sorted by file, line, column, rule."""

    root: str
    files_scanned: int
    findings: tuple[Finding, ...]
    skipped: tuple[SkippedFile, ...]
    #: env files whose values were used for key/cluster, relative to root (may start with ``../``)
    env_files: tuple[str, ...] = ()
    #: why the scan stopped before reading everything (its overall time limit ran out), or None;
    #: findings of an incomplete scan are real, but the absence of findings proves less
    incomplete: str | None = None

    @property
    def ok(self) -> bool:
        """True when the scan found nothing wrong (skipped files do not count as findings)."""
        return not self.findings

    @property
    def hidden(self) -> tuple[SkippedFile, ...]:
        """The skipped files that may hide findings: code someone wrote that was not analysed."""
        return tuple(skip for skip in self.skipped if skip.hides_findings)

    def clean(self, allow_skipped: bool = False) -> bool:
        """No finding, the whole tree read in time, and (unless allowed) no file left unanalysed that
        could hide one: what lets `scan-frontend` exit 0."""
        return self.ok and self.incomplete is None and (allow_skipped or not self.hidden)
