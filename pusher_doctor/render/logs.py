"""`scan-logs` as text (findings first, then the per-room table) and as a JSON document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pusher_doctor.triage.model import LogPlace, LogReport

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport

#: the steps as the summary names them
STEP_NAMES = {"created": "message created", "guest-trigger": "Pusher triggered on the guest's room channel",
              "fcm": "FCM sent", "conversation-trigger": "Pusher triggered on the conversation channel"}
#: examples shown per finding on a terminal; --json has all that were kept
SHOWN = 5


def _place(place: LogPlace) -> dict[str, Any]:
    return {"file": place.file, "line": place.line, "text": place.text}


def logs_to_dict(report: LogReport) -> dict[str, Any]:
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    return {
        "schema": TRIAGE_SCHEMA,
        "ok": report.ok,
        "files": list(report.files),
        "lines": report.lines,
        "bytes": report.bytes,
        "since": report.since,
        "skipped_before_since": report.skipped_before_since,
        "messages": report.messages,
        "complete": report.complete,
        "missing": report.missing_counts,
        "incomplete_messages": [{"id": g.message_id, "room_channel": g.room_channel, "done": list(g.done),
                                 "missing": list(g.missing), "first": _place(g.first)} for g in report.gaps],
        "bad_channels": [{"channel": b.channel, "reason": b.reason, "count": b.count, "first": _place(b.place)}
                         for b in report.bad_channels],
        "pusher_errors": {"count": report.pusher_error_count, "lines": [_place(p) for p in report.pusher_errors]},
        "exceptions": {"count": report.exception_count, "lines": [_place(p) for p in report.exceptions]},
        "rooms": [{"channel": r.channel, "messages": r.messages, "guest_triggers": r.guest_triggers,
                   "missing_guest_trigger": r.missing_guest_trigger, "errors": r.errors} for r in report.rooms],
        "notes": list(report.notes),
    }


def show_logs(term: TerminalReport, report: LogReport) -> None:
    size = f"{report.bytes / 1e6:.1f} MB" if report.bytes >= 100_000 else f"{report.bytes} bytes"
    term.heading(f"pusher-doctor scan-logs: {', '.join(report.files)} ({report.lines} lines, {size})")
    if report.since:
        term.line((f"since {report.since}: {report.skipped_before_since} matching line(s) before it skipped", "dim"))
    for note in report.notes:
        term.line(("! ", "yellow"), note)
    term.line(f"{report.messages} message(s) traced, {report.complete} with every step")
    never = [g for g in report.gaps if "guest-trigger" in g.missing]
    if report.missing_counts.get("guest-trigger"):
        term.line(("✗ ", "bold red"), ((f"{report.missing_counts['guest-trigger']} message(s) never triggered to the "
                                       "guest's room channel"), "bold red"))
        for gap in never[:SHOWN]:
            done = ", ".join(STEP_NAMES[s] for s in gap.done) or "nothing"
            term.line(f"#{gap.message_id}", (f" {gap.room_channel or ''}", "bold"),
                      (f"  {gap.first.file}:{gap.first.line}", "dim"), f"  seen: {done}", indent=4)
        term.line(("fix: ", "bold cyan"), "read the backend's trigger code path for these messages (an exception "
                  "or an early return before client.trigger)", indent=2)
    for step in ("fcm", "conversation-trigger", "created"):
        if report.missing_counts.get(step):
            term.line(("! ", "yellow"), f"{report.missing_counts[step]} message(s) without \"{STEP_NAMES[step]}\"")
    for bad in report.bad_channels[:SHOWN]:
        term.line(("✗ ", "bold red"), ("channel ", "bold red"), (bad.channel, "bold"),
                  (f" ({bad.count} time{'s' if bad.count != 1 else ''})", "dim"), f": {bad.reason}")
        term.line((f"{bad.place.file}:{bad.place.line}", "dim"), indent=4)
    if report.pusher_error_count:
        term.line(("✗ ", "bold red"), (f"{report.pusher_error_count} Pusher error line(s)", "bold red"))
        for place in report.pusher_errors[:SHOWN]:
            term.line((f"{place.file}:{place.line}  ", "dim"), place.text, indent=4)
    if report.exception_count:
        term.line(("! ", "yellow"), f"{report.exception_count} exception(s)")
        for place in report.exceptions[:SHOWN]:
            term.line((f"{place.file}:{place.line}  ", "dim"), place.text, indent=4)
    if report.rooms:
        term.console.print()
        width = max(len(r.channel) for r in report.rooms)
        term.line((f"{'room channel':<{width}}  messages  to guest  missing  errors", "bold"), indent=2)
        for row in report.rooms:
            style = "red" if row.missing_guest_trigger or row.errors else ""
            term.line(((f"{row.channel:<{width}}  {row.messages:>8}  {row.guest_triggers:>8}  "
                       f"{row.missing_guest_trigger:>7}  {row.errors:>6}"), style), indent=2)
    term.console.print()
    if report.messages == 0:
        none_found = ("no message of the backend's was found in these logs: give the Django backend's "
                      "application log (the lines that say \"Pusher triggered\")")
        term.line(("! ", "yellow"), (none_found, "bold yellow"))
    elif report.ok:
        term.line(("✓ ", "green"), ("every traced message reached the guest's channel", "bold green"))
    else:
        term.line(("✗ ", "bold red"), ("the logs show messages that never reached the guest's channel", "bold red"))
