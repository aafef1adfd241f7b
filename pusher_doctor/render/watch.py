"""`watch` as a live console (one line per event, coloured by event) or as JSON Lines (one record per
event or notice, then the summary), and the summary at the end."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pusher_doctor.triage.model import Gap, WatchEvent, WatchNotice, WatchSummary

if TYPE_CHECKING:
    from pusher_doctor.render.report import ReportDocument
    from pusher_doctor.render.terminal import TerminalReport

#: the backend's events in their colours; any other event is magenta
EVENT_STYLES = {"new-staff-message": "green", "new-message": "cyan", "message-delivered": "blue"}
#: the event column's width: the backend's longest event name; another event longer than it just pushes on
EVENT_WIDTH = max(map(len, EVENT_STYLES))
NOTICE_STYLES = {"subscribed": "dim", "connected": "dim", "new-channel": "cyan", "subscription-error": "bold red",
                 "dropped": "bold yellow", "reconnected": "yellow", "member": "cyan", "error": "red"}
#: the one field of an event's or a notice's record that holds what the server sent; every other is a string,
#: a boolean or None
SERVER_DATA = "data"
#: incomplete message trails listed in the summary; the rest are counted
TRAILS_SHOWN = 20
#: disconnections listed one by one in the summary; past this many they are said in one line
GAPS_SHOWN = 3


def _iso(at: float) -> str:
    # Rounded to the microsecond as datetime.fromtimestamp rounds, then cut to the millisecond as isoformat does.
    whole = math.floor(at)
    micro = round((at - whole) * 1e6)
    if micro == 1_000_000:
        whole, micro = whole + 1, 0
    second, text = _last_second
    if whole != second:
        text = _iso_second(whole)
    return text + _MILLISECONDS[micro // 1000]


#: ".000Z" to ".999Z": a fast watch's thousands of records a second each take one instead of formatting it
_MILLISECONDS = tuple(f".{milli:03d}Z" for milli in range(1000))
#: the second last formatted, and its text: the records of one second ask for the same (a tuple, replaced whole)
_last_second: tuple[int | None, str] = (None, "")


def _iso_second(whole: int) -> str:
    global _last_second
    text = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    _last_second = (whole, text)
    return text


def _clock(at: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(at)) + f".{int(at * 1000) % 1000:03d}"


def event_record(event: WatchEvent) -> dict[str, Any]:
    return {"type": "event", "time": _iso(event.at), "channel": event.channel, "event": event.event,
            "message_id": event.message_id, "sender_type": event.sender_type, "expected": event.expected,
            "excerpt": event.excerpt, SERVER_DATA: event.data}


def notice_record(notice: WatchNotice) -> dict[str, Any]:
    return {"type": "notice", "time": _iso(notice.at), "kind": notice.kind, "text": notice.text,
            "channel": notice.channel, "cause": notice.cause}


def summary_record(summary: WatchSummary) -> dict[str, Any]:
    return {
        "type": "summary",
        "duration_s": round(summary.duration_s, 3),
        "interrupted": summary.interrupted,
        "events": summary.total,
        "unexpected": summary.unexpected,
        "channels": list(summary.channels),
        "counts": summary.counts,
        "gaps": [{"started": _iso(g.started), "ended": None if g.ended is None else _iso(g.ended),
                  "seconds": None if g.seconds is None else round(g.seconds, 3)} for g in summary.gaps],
        "messages": [{"id": t.message_id, "arrived": list(t.arrived), "missing": list(t.missing)}
                     for t in summary.trails],
        "skipped_ids": [{"channel": k.channel, "event": k.event, "after": k.after, "before": k.before,
                         "count": k.count} for k in summary.skipped],
        "server_errors": [{"time": _iso(e.at), "code": e.code, "message": e.message, "cause": e.cause}
                          for e in summary.server_errors],
        "lag_s": round(summary.lag_s, 3),
    }


def record(item: WatchEvent | WatchNotice) -> dict[str, Any]:
    return event_record(item) if isinstance(item, WatchEvent) else notice_record(item)


class WatchConsole:
    """Writes events and notices as they come, then the summary."""

    def __init__(self, term: TerminalReport) -> None:
        self.term = term
        #: the channel column's width: the longest channel named so far (subscriptions come first, so the
        #: events' lines line up from the first one)
        self._channel_width = 0

    def _channel(self, channel: str) -> str:
        self._channel_width = max(self._channel_width, len(channel))
        return channel.ljust(self._channel_width)

    def show(self, item: WatchEvent | WatchNotice) -> None:
        if isinstance(item, WatchNotice):
            if item.channel:
                self._channel(item.channel)
            self.term.line((_clock(item.at) + "  ", "dim"), (item.text, NOTICE_STYLES.get(item.kind, "")))
            return
        style = EVENT_STYLES.get(item.event, "magenta")
        who = " ".join(part for part in (f"#{item.message_id}" if item.message_id else "", item.sender_type or "")
                       if part)
        parts: list[tuple[str, str] | str] = [(_clock(item.at) + "  ", "dim"),
                                              (self._channel(item.channel) + "  ", "bold"),
                                              (item.event.ljust(EVENT_WIDTH), style)]
        if who:
            parts.append(f"  {who}")
        parts.append((f"  {item.excerpt}", "dim"))
        if not item.expected:
            parts.append(("  ! the backend does not send this event on this channel", "bold yellow"))
        self.term.line(*parts)

    def summary(self, summary: WatchSummary) -> None:
        term = self.term
        term.console.print()
        ended = "interrupted" if summary.interrupted else "ended"
        term.heading(f"Summary: {summary.total} event(s) in {summary.duration_s:.1f} s on "
                     f"{len(summary.channels)} channel(s) ({ended})")
        for channel in summary.channels:
            by_event = summary.counts.get(channel, {})
            tally = ", ".join(f"{name} {count}" for name, count in sorted(by_event.items())) or "no events"
            term.line((f"{channel}  ", "bold"), tally, indent=2)
        if summary.unexpected:
            term.line(("! ", "yellow"), f"{summary.unexpected} event(s) the backend does not send on their channel "
                      "(a guest page bound to them would never see the backend's own)", indent=2)
        for line in disconnections(summary.gaps):
            term.line(("! ", "yellow"), line, indent=2)
        for line in losses(summary):
            term.line(("! ", "yellow"), line, indent=2)
        complete = [t for t in summary.trails if not t.missing]
        incomplete = [t for t in summary.trails if t.missing]
        if summary.trails:
            term.line(f"messages: {len(complete)} with every expected event, {len(incomplete)} missing some",
                      indent=2)
        for trail in incomplete[:TRAILS_SHOWN]:
            term.line(("✗ ", "red"), f"message #{trail.message_id}: arrived {', '.join(trail.arrived) or 'nothing'}; "
                      f"missing {', '.join(trail.missing)}", indent=4)
        if len(incomplete) > TRAILS_SHOWN:
            term.line((f"and {len(incomplete) - TRAILS_SHOWN} more (--json lists them all)", "dim"), indent=4)


def disconnections(gaps: Sequence[Gap]) -> list[str]:
    """The summary's lines for the connection's gaps: each of a few, else their count, first and last (a
    server that drops every connection would otherwise fill the screen; --json lists each)."""
    lost = "events sent then are lost (Pusher keeps no history)"
    if len(gaps) <= GAPS_SHOWN:
        return [f"disconnected at {_clock(g.started)} "
                + ("until the end" if g.seconds is None else f"for {g.seconds:.1f} s") + f": {lost}" for g in gaps]
    down = f"{sum(g.seconds or 0.0 for g in gaps):.1f} s down"
    down += ", then until the end" if gaps[-1].seconds is None else " in all"
    first, last = _clock(gaps[0].started), _clock(gaps[-1].started)
    return [f"disconnected {len(gaps)} times from {first} to {last} ({down}): {lost}; --json lists each"]


def losses(summary: WatchSummary) -> list[str]:
    """What the watch may have missed with the connection up, one sentence each: skipped message ids,
    the server's own errors, and falling behind."""
    said = [f"message ids {k.after + 1}-{k.before - 1} ({k.count}) never arrived as {k.event} on {k.channel}"
            for k in summary.skipped[:TRAILS_SHOWN]]
    if len(summary.skipped) > TRAILS_SHOWN:
        said.append(f"and {len(summary.skipped) - TRAILS_SHOWN} more runs of skipped ids (--json lists them all)")
    said += [f"the server said {e.code}: {e.message} [{e.cause}]" for e in summary.server_errors[:TRAILS_SHOWN]]
    if summary.fell_behind:
        said.append(f"the watch fell {summary.lag_s:.1f} s behind the server: under such a load the server drops "
                     "events a reader leaves unread")
    return said


# --- the ticket report -----------------------------------------------------------------------------------

#: rows of the report's event and notice timelines, and of its incomplete messages; the rest are counted
REPORT_ROWS = 200


class ReportLog:
    """What a watch report lists beside the summary: the first events and notices, as they came."""

    def __init__(self, limit: int = REPORT_ROWS) -> None:
        self.limit = limit
        self.events: list[WatchEvent] = []
        self.notices: list[WatchNotice] = []
        #: events and notices past the limit, counted
        self.events_left_out = 0
        self.notices_left_out = 0

    def add(self, item: WatchEvent | WatchNotice) -> None:
        if isinstance(item, WatchEvent):
            if len(self.events) < self.limit:
                self.events.append(item)
            else:
                self.events_left_out += 1
        elif len(self.notices) < self.limit:
            self.notices.append(item)
        else:
            self.notices_left_out += 1


def watch_document(summary: WatchSummary, log: ReportLog, generated_at: str,
                   versions: dict[str, str]) -> ReportDocument:
    """The watch as a report to attach to a ticket: what arrived, per channel and per message, the
    connection's gaps, and the events and notices as they came."""
    from pusher_doctor.render.report import (
        BarChart,
        Block,
        Bullets,
        Code,
        Paragraph,
        ReportDocument,
        Section,
        Table,
        byline,
    )

    ended = "interrupted" if summary.interrupted else "ended"
    verdict = [f"{summary.total} event(s) in {summary.duration_s:.1f} s on {len(summary.channels)} "
               + f"channel(s) ({ended})."]
    incomplete = [t for t in summary.trails if t.missing]
    if summary.trails:
        verdict.append(f"{len(summary.trails) - len(incomplete)} message(s) with every expected event, "
                       f"{len(incomplete)} missing some.")
    if summary.unexpected:
        verdict.append(f"{summary.unexpected} event(s) the backend does not send on their channel.")
    if summary.gaps:
        verdict.append(f"{len(summary.gaps)} disconnection(s): events sent then are lost (Pusher keeps no history).")
    verdict += [f"{line[0].upper()}{line[1:]}." for line in losses(summary)]
    counts = tuple((channel, event, str(count)) for channel in summary.channels
                   for event, count in sorted(summary.counts.get(channel, {}).items()))
    sections = [
        Section("summary", "Summary", (Paragraph((" ".join(verdict),), "verdict"),)),
        Section("channels", "Watched channels", (
            Bullets(tuple((Code(channel),) for channel in summary.channels)),
            Table(("channel", "event", "count"), counts),
            BarChart("events per channel", tuple((f"{c} {sum(e.values())}", float(sum(e.values())))
                                                 for c, e in summary.counts.items()))))]
    if summary.trails:
        complete = len(summary.trails) - len(incomplete)
        said = (f"Of the backend's three events per staff message, judged on the watched channels: {complete} "
                f"complete, {len(incomplete)} incomplete.")
        blocks: list[Block] = [Paragraph((said,))]
        if incomplete:
            blocks.append(Table(("message", "arrived", "missing"), tuple(
                (t.message_id, ", ".join(t.arrived) or "nothing", ", ".join(t.missing))
                for t in incomplete[:REPORT_ROWS])))
        if len(incomplete) > REPORT_ROWS:
            blocks.append(Paragraph((f"and {len(incomplete) - REPORT_ROWS} more missing some events",)))
        sections.append(Section("messages", "Messages", tuple(blocks)))
    if summary.gaps:
        sections.append(Section("gaps", "Disconnections", (Table(("disconnected at", "for"), tuple(
            (_iso(g.started), "until the end" if g.seconds is None else f"{g.seconds:.1f} s")
            for g in summary.gaps)),)))
    events: list[Block] = [Table(("time", "channel", "event", "message", "sender", "excerpt", "expected"), tuple(
        (_iso(e.at), e.channel, e.event, e.message_id or "", e.sender_type or "", e.excerpt,
         "yes" if e.expected else "NO: the backend does not send it here") for e in log.events))]
    if log.events_left_out:
        events.append(Paragraph((f"and {log.events_left_out} more event(s) (watch --json lists them all)",)))
    sections.append(Section("events", "Events as they arrived", tuple(events)))
    notices: list[Block] = [Table(("time", "what", "said", "cause"), tuple(
        (_iso(n.at), n.kind, n.text, n.cause or "") for n in log.notices))]
    if log.notices_left_out:
        notices.append(Paragraph((f"and {log.notices_left_out} more notice(s) (watch --json lists them all)",)))
    sections.append(Section("notices", "Connection and subscriptions", tuple(notices)))
    title = "pusher-doctor watch: " + ", ".join(summary.channels[:3]) + (
        f" and {len(summary.channels) - 3} more" if len(summary.channels) > 3 else "")
    # The badge warns when the ticket has something to look at: a message missing events, an event the
    # backend never sends there, a gap; Ctrl-C is a watch's usual end, not a warning.
    status = "warn" if (incomplete or summary.unexpected or summary.gaps) else "pass"
    return ReportDocument(title, byline(generated_at, versions), tuple(sections), status)
