"""Page step 8: Pusher errors and warnings in the page's console, `pusher:error` frames the server sent
the page, and uncaught exceptions since it loaded (page-load reports those thrown while loading), each
with where it came from. Console noise unrelated to Pusher (a missing favicon) is listed, not counted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.page.frames import ERROR
from pusher_doctor.protocol.wire import parse_pusher_error
from pusher_doctor.results import Outcome, passed, problem, warned

if TYPE_CHECKING:  # only annotations: the browser's machinery loads with --page alone
    from pusher_doctor.page.watch import ConsoleEntry


def _about_pusher(entry: ConsoleEntry) -> bool:
    said = f"{entry.text} {entry.place}".lower()
    return "pusher" in said or "/app/" in said


def check_page_console(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None
    snapshot = ctx.page.snapshot()
    loaded_at = snapshot.loaded_at or 0.0
    noted = [e for e in snapshot.console if e.kind in ("error", "warning", "exception")]
    counted = [e for e in noted if (e.kind == "exception" and e.at > loaded_at)
               or (e.kind != "exception" and _about_pusher(e))]
    refusals = [parse_pusher_error(f.data) for s in snapshot.pusher_sockets for f in s.frames
                if not f.sent and f.event == ERROR]
    clients = sorted({s.pusher.client for s in snapshot.pusher_sockets if s.pusher and s.pusher.client})
    details = [f"Pusher client: {', '.join(clients) or 'unknown'}"]
    details += [f"{e.kind}: {e.text}" + (f" at {e.place}" if e.place else "") for e in counted]
    details += [f"the server sent the page pusher:error {code}: {message}" for code, message in refusals]
    details += [f"not Pusher: {e.kind}: {e.text}" for e in noted
                if e not in counted and e.kind != "exception"]
    if snapshot.console_overflowed:
        details.append(f"the page logged more than {len(snapshot.console)} console messages: the rest were not "
                       "read (a loop logging is slow for guests too)")
    found = len(counted) + len(refusals)
    if found:
        first = details[1]
        summary = f"{found} Pusher error(s) or uncaught exception(s) in the page: {first}"
        return warned(problem("page-console-errors", summary), *details, clients=clients)
    return passed("no Pusher errors or uncaught exceptions in the page's console", *details, clients=clients)
