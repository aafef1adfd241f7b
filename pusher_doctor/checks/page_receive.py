"""Page step 4: the test message's frame (`new-staff-message`, or the contract's first event on the
recipient's channel, with this run's probe) reached the page's
own socket, and how long after the trigger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import probe_of
from pusher_doctor.page.frames import Frame
from pusher_doctor.results import Outcome, failed, passed, problem

if TYPE_CHECKING:  # only annotations: the browser's machinery loads with --page alone
    from pusher_doctor.page.watch import Snapshot

#: seconds the page's frame may lag behind the doctor's own guest connection, which already has it
RECEIVE_WAIT = 2.0


def check_page_receive(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.plan is not None and ctx.probe_id is not None
    room, event = ctx.plan.room, ctx.plan.room_event
    sent = next(t for t in ctx.triggered if t.channel == room and t.event == event)

    def ours(snapshot: Snapshot) -> Frame | None:
        return next((f for s in snapshot.pusher_sockets for f in s.frames
                     if not f.sent and f.event == event and f.channel == room
                     and probe_of(f.data) == ctx.probe_id), None)

    wait = min(ctx.deadline.remaining(), RECEIVE_WAIT)
    frame = ctx.page.wait_for(ours, wait)
    if frame is None:
        open_sockets = sum(1 for s in ctx.page.snapshot().pusher_sockets if s.closed_at is None)
        summary = f"{event} never reached the page's socket within {wait:.1f} s of the trigger"
        return failed(problem("page-event-not-received", summary),
                      f"the page has {open_sockets} Pusher connection(s) open")
    ctx.page_received_at = frame.at
    latency = (frame.at - sent.sent_at) * 1000
    return passed(f"{event} reached the page {latency:.0f} ms after the trigger",
                  latency_ms=round(latency, 1))
