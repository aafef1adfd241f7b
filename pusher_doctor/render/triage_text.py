"""Shared by the triage commands' renderers: a terminal writer with the house's masking and escaping,
JSON documents and JSON Lines through the same Redactor, and a problem shown as cause plus fix.

rich is imported only when a terminal writer is made: `--json` runs never load it.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.json import dumps, error_to_dict
from pusher_doctor.render.safe_text import takes_unicode
from pusher_doctor.results import Problem

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport

#: every triage command's JSON document is numbered on its own, starting here
TRIAGE_SCHEMA = 1


def terminal(redact: Redactor, verbose: bool = False, stream: IO[str] | None = None) -> TerminalReport:
    """A writer for people: every string masked, then control characters shown as escapes."""
    from rich.console import Console

    from pusher_doctor.render.terminal import TerminalReport

    return TerminalReport(Console(file=stream or sys.stdout, highlight=False), redact, verbose)


def write_document(document: dict[str, Any], redact: Redactor, stream: IO[str] | None = None) -> None:
    """One JSON document (stdout holds nothing else)."""
    out = stream or sys.stdout
    out.write(dumps(document, redact, ascii_only=not takes_unicode(out)) + "\n")


def write_json_line(record: dict[str, Any], redact: Redactor, stream: IO[str] | None = None,
                    flush: bool = True) -> None:
    """One JSON Lines record, flushed at once so that `| jq` sees each event as it arrives (`flush=False`
    for a writer that flushes itself before it waits: watch, when events come faster than it writes)."""
    out = stream or sys.stdout
    out.write(dumps(record, redact, ascii_only=not takes_unicode(out), compact=True) + "\n")
    if flush:
        out.flush()


def problem_document(found: Problem) -> dict[str, Any]:
    """A command that could not do its job, as one document with the problem's cause and fix."""
    return error_to_dict(found.cause, found.summary, found.hint, TRIAGE_SCHEMA)


def show_problem(term: TerminalReport, found: Problem) -> None:
    term.line(("✗ ", "bold red"), (found.summary, "bold red"))
    term.fix(found.hint, indent=2)
    term.line((f"cause: {found.cause}", "dim"), indent=2)
