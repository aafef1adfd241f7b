"""Shared by the triage commands' renderers: their schema number, and a problem shown as cause plus fix
(as text and as a document). `cli.output.Output` writes both, masked; rich is never imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pusher_doctor.render.json import error_to_dict
from pusher_doctor.results import Problem
from pusher_doctor.results.causes import docs_link

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport

#: every triage command's JSON document is numbered on its own, starting here
TRIAGE_SCHEMA = 1


def problem_document(found: Problem) -> dict[str, Any]:
    """A command that could not do its job, as one document with the problem's cause and fix."""
    return error_to_dict(found.cause, found.summary, found.hint, TRIAGE_SCHEMA)


def show_problem(term: TerminalReport, found: Problem) -> None:
    term.line(("✗ ", "bold red"), (found.summary, "bold red"))
    term.fix(found.hint, indent=2)
    term.line((f"cause: {found.cause}  ({docs_link(found.cause)})", "dim"), indent=2)
