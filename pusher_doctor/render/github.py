"""GitHub Actions output (`--output-format github`): workflow-command annotations, which GitHub shows on the
run's page and, with a file and line, on the pull request's diff; and the Markdown of the job summary
(`$GITHUB_STEP_SUMMARY`).

An annotation is one line: `::error file=src/Chat.js,line=12,col=5,title=wrong-event::message`. Its
message escapes `%`, CR and LF; its properties also `:` and `,` (GitHub's own toolkit does the same).
Every string is masked and made printable first, as everywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pusher_doctor.config.secret import Redactor
from pusher_doctor.render.safe_text import printable
from pusher_doctor.results import Report, Status
from pusher_doctor.results.causes import docs_link

if TYPE_CHECKING:  # the scan engine is loaded only by scan-frontend
    from pusher_doctor.scan.model import ScanReport
    from pusher_doctor.triage.model import LogPlace, LogReport

#: the annotation level of each status that is worth one
CHECK_LEVELS = {Status.FAIL: "error", Status.ERROR: "error", Status.WARN: "warning"}
#: the annotation level of each scan severity
SCAN_LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def _message(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _message(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, redact: Redactor, *, title: str | None = None, file: str | None = None,
               line: int | None = None, column: int | None = None) -> str:
    """One workflow command; `message` and `title` masked, made printable and escaped."""
    properties = [f"file={_property(printable(redact(file)))}" if file is not None else "",
                  f"line={line}" if line is not None else "", f"col={column}" if column is not None else "",
                  f"title={_property(printable(redact(title)))}" if title is not None else ""]
    listed = ",".join(part for part in properties if part)
    return f"::{level}{' ' + listed if listed else ''}::{_message(printable(redact(message)))}"


def check_annotations(report: Report, redact: Redactor) -> list[str]:
    """An annotation per check that warned, failed or crashed (with its fix and cause), then the verdict."""
    lines = []
    for result in report.checks:
        level = CHECK_LEVELS.get(result.status)
        if level is None:
            continue
        outcome = result.outcome
        fix = f" Fix: {outcome.hint}" if outcome.hint is not None else ""
        cause = f" (cause {outcome.cause}, {docs_link(outcome.cause)})" if outcome.cause else ""
        lines.append(annotation(level, f"{outcome.summary}.{fix}{cause}", redact,
                                title=f"pusher-doctor {result.id}: {result.title}"))
    lines.append(annotation("error" if not report.ok else "notice", report.verdict, redact,
                            title="pusher-doctor verdict"))
    return lines


def scan_annotations(report: ScanReport, redact: Redactor, prefix: str = "") -> list[str]:
    """An annotation per finding, at its file, line and column; `prefix` is the scanned folder as given,
    so the path is the repository's, as the diff shows it."""
    return [annotation(SCAN_LEVELS.get(str(finding.severity), "warning"), f"{finding.message}. Fix: {finding.hint}",
                       redact, title=f"pusher-doctor {finding.rule}", file=_joined(prefix, finding.file),
                       line=finding.line, column=finding.column) for finding in report.findings]


def _joined(prefix: str, file: str) -> str:
    prefix = prefix.removeprefix("./").rstrip("/")
    return file if prefix in ("", ".") else f"{prefix}/{file}"


def scan_summary(report: ScanReport, redact: Redactor, prefix: str = "") -> str:
    """The job summary of a scan: its result, then a table of the findings with their fixes."""

    def cell(text: str) -> str:
        return _cell(text, redact)

    result = "FAIL" if report.findings else "PASS"
    counted = f"{len(report.findings)} finding(s) in {report.files_scanned} file(s) scanned"
    lines = [f"## pusher-doctor scan-frontend: {cell(report.root)}", "", f"**Result: {result}** ({counted})"]
    if report.findings:
        lines += ["", "| where | rule | severity | what | fix |", "|---|---|---|---|---|"]
        lines += [f"| `{cell(_joined(prefix, f.file))}:{f.line}` | {cell(f.rule)} | {cell(str(f.severity))} | "
                  f"{cell(f.message)} | {cell(f.hint)} |" for f in report.findings]
    return "\n".join(lines) + "\n"


def _at(level: str, message: str, title: str, place: LogPlace, redact: Redactor) -> str:
    """An annotation at a log line (stdin has no file to point at on the run's page)."""
    if place.file == "stdin":
        return annotation(level, message, redact, title=title)
    return annotation(level, message, redact, title=title, file=place.file, line=place.line)


def logs_annotations(report: LogReport, redact: Redactor) -> list[str]:
    """An annotation per finding of scan-logs, at the log line where it was seen: a message never sent to
    the guest's channel, a wrongly built channel name, a Pusher error (errors); an exception (warning)."""
    title = "pusher-doctor scan-logs"
    lines = [_at("error", f"message {gap.message_id}: {', '.join(gap.done) or 'nothing'} logged; missing "
                 f"{', '.join(gap.missing)}", f"{title}: message {gap.message_id}", gap.first, redact)
             for gap in report.gaps]
    lines += [_at("error", f"channel {bad.channel}: {bad.reason}", f"{title}: channel name", bad.place, redact)
              for bad in report.bad_channels]
    lines += [_at("error", place.text, f"{title}: Pusher error", place, redact) for place in report.pusher_errors]
    lines += [_at("warning", place.text, f"{title}: exception", place, redact) for place in report.exceptions]
    return lines


def logs_summary(report: LogReport, redact: Redactor) -> str:
    """The job summary of a log scan: its result, the counts, and a row per message missing a step."""
    counts = (f"{report.messages} message(s) traced, {report.complete} with every step; {len(report.bad_channels)} "
              f"wrong channel name(s), {report.pusher_error_count} Pusher error(s), {report.exception_count} "
              "exception(s)")
    lines = ["## pusher-doctor scan-logs", "", f"**Result: {'PASS' if report.ok else 'FAIL'}** ({counts})"]
    if report.gaps:
        lines += ["", "| message | logged | missing | first seen |", "|---|---|---|---|"]
        lines += [f"| {_cell(gap.message_id, redact)} | {_cell(', '.join(gap.done), redact)} | "
                  f"{_cell(', '.join(gap.missing), redact)} | `{_cell(gap.first.file, redact)}:{gap.first.line}` |"
                  for gap in report.gaps]
    return "\n".join(lines) + "\n"


def _cell(text: str, redact: Redactor) -> str:
    return printable(redact(text)).replace("|", "\\|")
