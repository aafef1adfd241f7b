"""Page step 7: what the page did to its connection when the message arrived: unsubscribed (a component
unmounting), unsubscribed and subscribed again (an effect re-run), or opened a new connection (a client
created on every render, or a re-mount). Each of these loses or doubles the next messages."""

from __future__ import annotations

import time

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.page.frames import SUBSCRIBE, UNSUBSCRIBE
from pusher_doctor.results import Outcome, failed, passed, problem

#: seconds after the frame in which a re-render's effects show; React runs them within a frame or two
LIFECYCLE_WINDOW = 0.15


def check_page_lifecycle(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.plan is not None and ctx.page_received_at is not None
    room, arrived = ctx.plan.room, ctx.page_received_at
    time.sleep(max(0.0, min(arrived + LIFECYCLE_WINDOW - time.monotonic(), ctx.deadline.remaining())))
    snapshot = ctx.page.snapshot()
    watched = f"watched {(time.monotonic() - arrived) * 1000:.0f} ms after the message"

    def ms(at: float) -> str:
        return f"{(at - arrived) * 1000:.0f} ms"

    opened = [s for s in snapshot.pusher_sockets if s.opened_at > arrived]
    if opened:
        summary = (f"the page opened {len(opened)} new Pusher connection(s) {ms(opened[0].opened_at)} "
                   "after the message")
        return failed(problem("page-reconnected", summary), watched)
    after = [f for s in snapshot.pusher_sockets for f in s.frames
             if f.sent and f.at > arrived and f.subscribe_channel == room]
    left = next((f for f in after if f.event == UNSUBSCRIBE), None)
    again = next((f for f in after if f.event == SUBSCRIBE), None)
    if left is not None and again is not None:
        summary = f"the page unsubscribed from {room} {ms(left.at)} after the message and subscribed again"
        return failed(problem("page-resubscribed", summary), watched)
    if left is not None:
        summary = f"the page unsubscribed from {room} {ms(left.at)} after the message arrived"
        return failed(problem("page-unsubscribed-on-message", summary), watched)
    closed = [s for s in snapshot.pusher_sockets if s.closed_at is not None and s.closed_at > arrived]
    if closed:
        summary = f"the page closed its Pusher connection {ms(closed[0].closed_at)} after the message arrived"
        return failed(problem("page-unsubscribed-on-message", summary), watched)
    return passed(f"the page kept its connection and subscription after the message ({watched})")
