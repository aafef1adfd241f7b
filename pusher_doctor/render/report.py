"""A run as a report to attach to a ticket: Markdown (`.md`) or one self-contained HTML page (`.html`).

A report is first a `ReportDocument` (sections of paragraphs, lists, tables and a bar chart), then
written by one of two writers, so `check`'s report and `watch`'s summary share the writing. `check`'s
carries what the guide says to share with the frontend team (channel, event, the event's data shape),
the settings with their sources (secret masked), each check with its status, fix and cause, the probe's
timeline, the verdict and the versions involved. Every string is masked first, then cleaned of control
characters; in HTML it is escaped as well. Nothing is fetched: the page has no external resource.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import printable
from pusher_doctor.results import Report, Status

#: the suffixes a report file may have, and the format each means
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class TicketFacts:
    """What the report says beside the checks: who it is about and what the backend sends."""

    title: str
    #: (channel, event) pairs the backend sends, room channel first
    events: tuple[tuple[str, str], ...]
    #: field name -> JSON type of the staff message's data, as the probe sent it
    data_shape: dict[str, str] = field(default_factory=dict)
    #: package -> version (pusher-doctor, pusher, pysher, the server when it says)
    versions: dict[str, str] = field(default_factory=dict)
    generated_at: str = ""


def report_format(path: Path) -> str | None:
    """"markdown" or "html" for a report path, by its suffix; None for any other suffix."""
    return FORMATS.get(path.suffix.lower())


def json_type(value: Any) -> str:
    """The JSON type name of a value, as the frontend team reads a payload's shape."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, (list, tuple)) else "object"


@dataclass(frozen=True)
class Code:
    """A piece of inline text shown as code (a channel, an event name)."""

    text: str


#: a line of text: plain strings and code pieces
Inline = tuple[str | Code, ...]


@dataclass(frozen=True)
class Paragraph:
    text: Inline
    #: "verdict" sets it apart
    role: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Preformatted:
    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: the column holding a status (pass, warn, fail...), coloured in HTML
    status_column: int | None = None


@dataclass(frozen=True)
class BarChart:
    """Labelled values as horizontal bars (HTML only: Markdown has the table beside it)."""

    label: str
    bars: tuple[tuple[str, float], ...]


Block = Paragraph | Bullets | Preformatted | Table | BarChart


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    #: "Generated <when> by <versions>."
    byline: str
    sections: tuple[Section, ...]
    #: the run's overall status (pass, warn, skip, fail, error), shown as a badge under the title
    status: str | None = None


def byline(facts_time: str, versions: dict[str, str]) -> str:
    return f"Generated {facts_time} by " + ", ".join(f"{name} {version}" for name, version in versions.items()) + "."


def generated_now() -> str:
    """When a report is written, as its byline says it."""
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def package_versions() -> dict[str, str]:
    """The versions a report names: pusher-doctor and the two Pusher clients it drives."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("pusher-doctor", "pusher", "pysher"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "unknown"
    return versions


# --- check's report ------------------------------------------------------------------------------------

def _settings_lines(report: Report) -> list[str]:
    settings = next((c for c in report.checks if c.id == "settings"), None)
    return [line for line in (settings.outcome.details if settings else ()) if "  (" in line]


def check_document(report: Report, facts: TicketFacts) -> ReportDocument:
    """A check run as a report: verdict, the frontend team's facts, checks, probe timeline, settings."""
    frontend: list[Block] = [Bullets(tuple((Code(event), " on ", Code(channel)) for channel, event in facts.events))]
    if facts.data_shape:
        shape = "\n".join(f"  {name}: {kind}," for name, kind in facts.data_shape.items())
        frontend += [Paragraph(("Data of the staff message:",)), Preformatted(f"{{\n{shape}\n}}")]
    checks = Table(("step", "status", "what was found", "fix", "cause"), tuple(
        (result.title, result.status.value, result.outcome.summary,
         str(result.outcome.hint) if result.outcome.hint and result.status is not Status.PASS else "",
         result.outcome.cause or "") for result in report.checks), status_column=1)
    sections = [Section("verdict", "Verdict", (Paragraph((report.verdict,), "verdict"),)),
                Section("frontend", "For the frontend team", tuple(frontend)),
                Section("checks", "Checks", (checks,))]
    if report.events:
        timeline = Table(("event", "channel", "latency"), tuple(
            (e.event, e.channel, f"{e.latency_ms:.0f} ms" if e.latency_ms is not None else "not received")
            for e in report.events))
        bars = tuple((f"{e.event} {e.latency_ms:.0f} ms", e.latency_ms) for e in report.events
                     if e.latency_ms is not None)
        sections.append(Section("timeline", "Probe timeline (trigger to the subscribed connection)",
                                (timeline, BarChart("latency chart", bars))))
    if settings := _settings_lines(report):
        sections.append(Section("settings", "Settings and where they came from",
                                (Bullets(tuple((Code(line),) for line in settings)),)))
    return ReportDocument(facts.title, byline(facts.generated_at, facts.versions), tuple(sections),
                          report.worst.value)


# --- the writers ---------------------------------------------------------------------------------------

def markdown_text(document: ReportDocument, redact: Redactor) -> str:
    def clean(text: str) -> str:
        # Text from outside stays text: no link, image, emphasis or HTML a viewer would render, and no
        # `|` that would split a table cell.
        return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", printable(redact(text)))

    def code(text: str) -> str:
        return printable(redact(text)).replace("`", "'")

    def inline(parts: Inline) -> str:
        return "".join(f"`{code(part.text)}`" if isinstance(part, Code) else clean(part) for part in parts)

    lines = [f"# {clean(document.title)}", "", clean(document.byline)]
    if document.status is not None:
        lines += ["", f"**Result: {_BADGE_WORDS.get(document.status, document.status).upper()}**"]
    for section in document.sections:
        lines += ["", f"## {clean(section.heading)}"]
        for block in section.blocks:
            if isinstance(block, Paragraph):
                lines += ["", inline(block.text)]
            elif isinstance(block, Bullets):
                lines += ["", *(f"- {inline(item)}" for item in block.items)]
            elif isinstance(block, Preformatted):
                lines += ["", "```", *(line.replace("```", "` ` `") for line in _printable_lines(block.text, redact)),
                          "```"]
            elif isinstance(block, Table):
                lines += ["", "| " + " | ".join(map(clean, block.headers)) + " |",
                          "|" + "---|" * len(block.headers)]
                lines += ["| " + " | ".join(map(clean, row)) + " |" for row in block.rows]
    return "\n".join(lines) + "\n"


def _printable_lines(text: str, redact: Redactor) -> list[str]:
    """Preformatted text's lines, each made printable on its own: its line breaks are the layout, not
    characters to escape (printable() would show them as a literal \\n)."""
    return [printable(line) for line in redact(text).splitlines()]


#: what a report's badge says for each overall status
_BADGE_WORDS = {"pass": "pass", "skip": "warn", "warn": "warn", "fail": "fail", "error": "fail"}

#: characters Markdown could read as markup; a backslash makes any of them plain text
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>!|~]")

_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;
vertical-align:top}.pass{color:#1a7f37}.warn,.skip{color:#9a6700}.fail,.error{color:#cf222e}
.verdict{padding:.8rem;border-left:4px solid #888;background:#f6f8fa}code,pre{background:#f6f8fa}
pre{white-space:pre-wrap;overflow-wrap:anywhere;padding:.5rem}
.badge{display:inline-block;padding:.15rem .6rem;border-radius:1rem;color:#fff;font-weight:600}
.badge.pass{background:#1a7f37}.badge.warn{background:#9a6700}.badge.fail{background:#cf222e}"""
#: the classes a status cell may carry
_STATUS_CLASSES = frozenset({"pass", "warn", "skip", "fail", "error"})


def _bar_chart(chart: BarChart, clean: Callable[[str], str]) -> str:
    """A small inline SVG bar chart (no script, no external file)."""
    if not chart.bars:
        return ""
    top = max(value for _, value in chart.bars) or 1.0
    rows = []
    for index, (label, value) in enumerate(chart.bars):
        width = max(2.0, 300 * value / top)
        rows.append(f'<rect x="0" y="{index * 22}" width="{width:.0f}" height="16" fill="#0969da"/>'
                    f'<text x="{width + 6:.0f}" y="{index * 22 + 12}" font-size="12">{clean(label)}</text>')
    # Wide enough for the longest label after the longest bar (12 px text is at most ~7.5 px a character),
    # so no label is clipped; the page scales it down when the window is narrower.
    span = 306 + 7.5 * max(len(label) for label, _ in chart.bars) + 10
    return (f'<svg role="img" aria-label="{clean(chart.label)}" width="{span:.0f}" height="{len(chart.bars) * 22}" '
            f'viewBox="0 0 {span:.0f} {len(chart.bars) * 22}" style="max-width:100%;height:auto" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def html_text(document: ReportDocument, redact: Redactor) -> str:
    def clean(text: str) -> str:
        return html.escape(printable(redact(text)))

    def inline(parts: Inline) -> str:
        return "".join(f"<code>{clean(part.text)}</code>" if isinstance(part, Code) else clean(part)
                       for part in parts)

    def cell(row: tuple[str, ...], index: int, status_column: int | None) -> str:
        status = f' class="{row[index]}"' if index == status_column and row[index] in _STATUS_CLASSES else ""
        return f"<td{status}>{clean(row[index])}</td>"

    parts = [(f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{clean(document.title)}"
              f"</title><style>{_STYLE}</style></head><body>"),
             f"<h1>{clean(document.title)}</h1>", f"<p>{clean(document.byline)}</p>"]
    if document.status is not None:
        word = _BADGE_WORDS.get(document.status, "warn")
        parts.append(f'<p><span class="badge {word}">{clean(word.upper())}</span></p>')
    for section in document.sections:
        parts.append(f'<h2 id="{clean(section.anchor)}">{clean(section.heading)}</h2>')
        for block in section.blocks:
            if isinstance(block, Paragraph):
                role = f' class="{clean(block.role)}"' if block.role else ""
                parts.append(f"<p{role}>{inline(block.text)}</p>")
            elif isinstance(block, Bullets):
                parts.append("<ul>" + "".join(f"<li>{inline(item)}</li>" for item in block.items) + "</ul>")
            elif isinstance(block, Preformatted):
                parts.append("<pre>" + "\n".join(map(html.escape, _printable_lines(block.text, redact))) + "</pre>")
            elif isinstance(block, Table):
                parts.append("<table><tr>" + "".join(f"<th>{clean(h)}</th>" for h in block.headers) + "</tr>")
                parts += ["<tr>" + "".join(cell(row, i, block.status_column) for i in range(len(row))) + "</tr>"
                          for row in block.rows]
                parts.append("</table>")
            else:
                parts.append(_bar_chart(block, clean))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def markdown_report(report: Report, facts: TicketFacts, redact: Redactor) -> str:
    return markdown_text(check_document(report, facts), redact)


def html_report(report: Report, facts: TicketFacts, redact: Redactor) -> str:
    return html_text(check_document(report, facts), redact)


def write_document(document: ReportDocument, path: Path, redact: Redactor) -> None:
    """Writes the document in the format its suffix names (see `report_format`)."""
    from pusher_doctor.render.files import write_text

    render = html_text if report_format(path) == "html" else markdown_text
    write_text(path, render(document, redact))


def write_report(report: Report, facts: TicketFacts, path: Path, redact: Redactor) -> None:
    """Writes a check run's report in the format its suffix names."""
    write_document(check_document(report, facts), path, redact)
