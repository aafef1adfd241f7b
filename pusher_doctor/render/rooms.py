"""`rooms` as text for people and as a JSON document: the hotel's occupied channels, then the room's
sentence with its near misses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pusher_doctor.results.causes import docs_link
from pusher_doctor.triage.model import RoomsReport

if TYPE_CHECKING:
    from pusher_doctor.render.terminal import TerminalReport


def rooms_to_dict(report: RoomsReport) -> dict[str, Any]:
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA

    return {
        "schema": TRIAGE_SCHEMA,
        "ok": report.ok,
        "hotel": report.hotel,
        "channels": [{"name": c.name, "kind": c.kind, "id": c.ident, "subscribers": c.subscribers,
                      "users": c.users} for c in report.channels],
        "room": report.room,
        "room_channel": report.room_channel,
        "room_subscribers": report.room_subscribers,
        "room_users": report.room_users,
        "near_misses": [{"channel": m.channel, "subscribers": m.subscribers, "reasons": list(m.reasons)}
                        for m in report.near_misses],
        "sentence": report.sentence,
        "requests": report.requests,
        "elapsed_ms": round(report.elapsed_ms, 1),
    }


def _count(subscribers: int | None, users: int | None = None) -> str:
    said = "occupied" if subscribers is None else f"{subscribers} subscriber{'s' if subscribers != 1 else ''}"
    return said if users is None else f"{said}, {users} member{'s' if users != 1 else ''}"


def show_rooms(term: TerminalReport, report: RoomsReport) -> None:
    shown = len(report.channels)
    term.heading(f"pusher-doctor rooms: {report.hotel} ({shown} occupied channel{'s' if shown != 1 else ''}, "
                 f"{report.requests} request{'s' if report.requests != 1 else ''}, {report.elapsed_ms:.0f} ms)")
    if not report.channels:
        term.line((f"none of {report.hotel}'s channels is occupied right now", "dim"), indent=2)
    width = max((len(c.name) for c in report.channels), default=0)
    for channel in report.channels:
        label = f"{channel.kind} {channel.ident}"
        style = "bold" if channel.name == report.room_channel else ""
        term.line((f"{label:<20}", "cyan"), (f"{channel.name:<{width}}  ", style), _count(channel.subscribers, channel.users),
                  indent=2)
    if report.sentence is None or report.room_channel is None:
        return
    term.console.print()
    found = report.finding
    if found is None:
        term.line(("✓ ", "green"), report.sentence)
        return
    if report.near_misses:
        term.line(("✗ ", "bold red"), (found.summary, "bold red"))
    else:
        term.line(("! ", "yellow"), found.summary)
    term.fix(found.hint, indent=2)
    term.line((f"cause: {found.cause}  ({docs_link(found.cause)})", "dim"), indent=2)
    for miss in report.near_misses[1:]:
        term.line((f"also near: {miss.channel} ({_count(miss.subscribers)}): {'; '.join(miss.reasons)}", "dim"),
                  indent=2)
