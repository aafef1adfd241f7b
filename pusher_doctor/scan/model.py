"""Public result types of the frontend scan. Pure data: nothing here reads files or prints."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ScanInputError(Exception):
    """The scan cannot start: the path to scan or the given env file does not exist or is unusable.

    The CLI turns this into exit code 2; ``str(error)`` is a one-line message for the user, ``fix`` what to
    do when it is not the command's usual advice.
    """

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True)
class BackendPusherSettings:
    """What the caller knows of the backend's Pusher app: key and cluster, never the secret itself.

    ``secret_sha256`` (hex) lets the scan recognise the secret where it must not be (a frontend env
    file, a literal in browser code, the frontend's key when the backend's key and secret are
    swapped) without holding a value it could print.
    """

    key: str | None
    cluster: str | None
    secret_sha256: str | None = None


class Severity(StrEnum):
    """How sure a finding is and how much it matters; ``--fail-on`` picks the lowest that fails a scan."""

    ERROR = "error"  # the code cannot work as written (a name that never matches, a secret in the browser)
    WARNING = "warning"  # very likely a bug; the scan cannot see everything that could excuse it
    NOTE = "note"  # a risk worth knowing that is also a correct idiom: confirm it live

    def at_least(self, threshold: Severity) -> bool:
        """True when this severity is ``threshold`` or more serious."""
        order = (Severity.NOTE, Severity.WARNING, Severity.ERROR)
        return order.index(self) >= order.index(threshold)


class Scope(StrEnum):
    """When a rule runs."""

    GENERIC = "generic"  # always: lifecycle, credentials, Echo, secrets
    HOTEL_CONTRACT = "hotel-contract"  # only where the code shows the hotel-chat channels and events


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about a rule that ran: enough for SARIF's rule table and for the docs' links."""

    id: str
    title: str
    checklist_item: str
    severity: Severity
    scope: Scope
    #: what it finds, in prose
    finds: str
    #: how to fix what it finds
    fix: str


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
    severity: Severity = Severity.WARNING


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
    #: the rules that ran, in registry order (the hotel-chat contract rules only when they applied)
    rules: tuple[RuleInfo, ...] = ()
    #: why the hotel-chat contract rules ran (what in the code shows that contract, or that it was
    #: asked for), or None when they did not
    contract: str | None = None
    #: findings silenced by a ``pusher-doctor-ignore`` comment
    suppressed: int = 0

    @property
    def ok(self) -> bool:
        """True when the scan found nothing at all (skipped files do not count as findings)."""
        return not self.findings

    def failing(self, fail_on: Severity | str = Severity.WARNING) -> tuple[Finding, ...]:
        """The findings serious enough to fail the scan at this threshold."""
        threshold = Severity(fail_on)
        return tuple(f for f in self.findings if f.severity.at_least(threshold))

    @property
    def hidden(self) -> tuple[SkippedFile, ...]:
        """The skipped files that may hide findings: code someone wrote that was not analysed."""
        return tuple(skip for skip in self.skipped if skip.hides_findings)

    def clean(self, allow_skipped: bool = False, fail_on: Severity | str = Severity.WARNING) -> bool:
        """No finding at or above ``fail_on``, the whole tree read in time, and (unless allowed) no file
        left unanalysed that could hide one: what lets `scan-frontend` exit 0."""
        return not self.failing(fail_on) and self.incomplete is None and (allow_skipped or not self.hidden)
