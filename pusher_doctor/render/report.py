"""A check run as a report to attach to a ticket: Markdown (`.md`) or one self-contained HTML page (`.html`).

It carries what the guide says to share with the frontend team (channel, event, the event's data shape),
the settings with their sources (secret masked), each check with its status, fix and cause, the probe's
timeline, the verdict and the versions involved. Every string is masked first, then cleaned of control
characters; in HTML it is escaped as well. Nothing is fetched: the page has no external resource.
"""

from __future__ import annotations

import html
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


def _settings_lines(report: Report) -> list[str]:
    settings = next((c for c in report.checks if c.id == "settings"), None)
    return [line for line in (settings.outcome.details if settings else ()) if "  (" in line]


def _timeline(report: Report) -> list[tuple[str, str, str]]:
    return [(e.event, e.channel, f"{e.latency_ms:.0f} ms" if e.latency_ms is not None else "not received")
            for e in report.events]


def markdown_report(report: Report, facts: TicketFacts, redact: Redactor) -> str:
    def clean(text: str) -> str:
        return printable(redact(text)).replace("|", "\\|")

    lines = [f"# {clean(facts.title)}", "", f"Generated {clean(facts.generated_at)} by "
             + ", ".join(f"{clean(name)} {clean(version)}" for name, version in facts.versions.items()) + ".",
             "", "## Verdict", "", clean(report.verdict), "", "## For the frontend team", ""]
    lines += [f"- `{clean(event)}` on `{clean(channel)}`" for channel, event in facts.events]
    if facts.data_shape:
        lines += ["", "Data of the staff message:", "", "```", "{"]
        lines += [f"  {clean(name)}: {clean(kind)}," for name, kind in facts.data_shape.items()]
        lines += ["}", "```"]
    lines += ["", "## Checks", "", "| step | status | what was found | fix | cause |", "|---|---|---|---|---|"]
    for result in report.checks:
        outcome = result.outcome
        lines.append(f"| {clean(result.title)} | {result.status.value} | {clean(outcome.summary)} | "
                     f"{clean(str(outcome.hint)) if outcome.hint and result.status is not Status.PASS else ''} | "
                     f"{clean(outcome.cause or '')} |")
    if report.events:
        lines += ["", "## Probe timeline (trigger to the subscribed connection)", "",
                  "| event | channel | latency |", "|---|---|---|"]
        lines += [f"| {clean(event)} | {clean(channel)} | {latency} |" for event, channel, latency in _timeline(report)]
    settings = _settings_lines(report)
    if settings:
        lines += ["", "## Settings and where they came from", ""] + [f"- {clean(line)}" for line in settings]
    return "\n".join(lines) + "\n"


_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;
vertical-align:top}.pass{color:#1a7f37}.warn,.skip{color:#9a6700}.fail,.error{color:#cf222e}
.verdict{padding:.8rem;border-left:4px solid #888;background:#f6f8fa}code,pre{background:#f6f8fa}"""


def _latency_chart(report: Report, redact: Redactor) -> str:
    """A small inline SVG bar chart of the probe's latencies (no script, no external file)."""
    received = [e for e in report.events if e.latency_ms is not None]
    if not received:
        return ""
    top = max(e.latency_ms or 0 for e in received) or 1.0
    rows = []
    for index, event in enumerate(received):
        width = max(2.0, 300 * (event.latency_ms or 0) / top)
        label = html.escape(printable(redact(f"{event.event} {event.latency_ms:.0f} ms")))
        rows.append(f'<rect x="0" y="{index * 22}" width="{width:.0f}" height="16" fill="#0969da"/>'
                    f'<text x="{width + 6:.0f}" y="{index * 22 + 12}" font-size="12">{label}</text>')
    return (f'<svg role="img" aria-label="latency chart" width="520" height="{len(received) * 22}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def html_report(report: Report, facts: TicketFacts, redact: Redactor) -> str:
    def clean(text: str) -> str:
        return html.escape(printable(redact(text)))

    parts = [(f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{clean(facts.title)}"
              f"</title><style>{_STYLE}</style></head><body>"),
             f"<h1>{clean(facts.title)}</h1>",
             "<p>Generated " + clean(facts.generated_at) + " by "
             + ", ".join(f"{clean(name)} {clean(version)}" for name, version in facts.versions.items()) + ".</p>",
             f'<h2 id="verdict">Verdict</h2><p class="verdict">{clean(report.verdict)}</p>',
             '<h2 id="frontend">For the frontend team</h2><ul>']
    parts += [f"<li><code>{clean(event)}</code> on <code>{clean(channel)}</code></li>" for channel, event in facts.events]
    parts.append("</ul>")
    if facts.data_shape:
        shape = "\n".join(f"  {name}: {kind}," for name, kind in facts.data_shape.items())
        parts.append(f"<p>Data of the staff message:</p><pre>{{\n{clean(shape)}\n}}</pre>")
    parts.append('<h2 id="checks">Checks</h2><table><tr><th>step</th><th>status</th><th>what was found</th>'
                 "<th>fix</th><th>cause</th></tr>")
    for result in report.checks:
        outcome = result.outcome
        fix = clean(str(outcome.hint)) if outcome.hint and result.status is not Status.PASS else ""
        parts.append(f"<tr><td>{clean(result.title)}</td><td class=\"{result.status.value}\">{result.status.value}"
                     f"</td><td>{clean(outcome.summary)}</td><td>{fix}</td><td>{clean(outcome.cause or '')}</td></tr>")
    parts.append("</table>")
    if report.events:
        parts.append('<h2 id="timeline">Probe timeline (trigger to the subscribed connection)</h2><table>'
                     "<tr><th>event</th><th>channel</th><th>latency</th></tr>")
        parts += [f"<tr><td>{clean(event)}</td><td>{clean(channel)}</td><td>{latency}</td></tr>"
                  for event, channel, latency in _timeline(report)]
        parts.append("</table>" + _latency_chart(report, redact))
    settings = _settings_lines(report)
    if settings:
        parts.append('<h2 id="settings">Settings and where they came from</h2><ul>'
                     + "".join(f"<li><code>{clean(line)}</code></li>" for line in settings) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_report(report: Report, facts: TicketFacts, path: Path, redact: Redactor) -> None:
    """Writes the report in the format its suffix names (see `report_format`)."""
    render = html_report if report_format(path) == "html" else markdown_report
    path.write_text(render(report, facts, redact), encoding="utf-8")
