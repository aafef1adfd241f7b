"""Page step 6: the test message's text showed in the page after its frame arrived. Frame reached and
the page unchanged is the guide's "state update issue"; an exception the handler threw is cited."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import shows_text
from pusher_doctor.results import Outcome, failed, passed, problem, skipped

#: seconds the page gets to show the message once its frame arrived (a render is a few ms)
RENDER_WAIT = 2.0


def check_page_render(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.plan is not None
    assert ctx.page_received_at is not None
    if ctx.page_listens is False:
        return skipped(f"not run: the page does not listen to {ctx.plan.room_event} (page bindings)")
    if not shows_text(ctx.plan):
        return skipped(f"cannot tell: the contract names no text key (message, text, body, content) in "
                       f"{ctx.plan.room_event}'s payload for the page to show")
    if ctx.page_text_before is None:
        return skipped("cannot tell: the page could not be watched for the message's text")
    sent = next(t for t in ctx.triggered if t.channel == ctx.plan.room and t.event == ctx.plan.room_event)
    wait = min(ctx.deadline.remaining(), RENDER_WAIT)
    shown_at = ctx.page.text_shown_at(wait)
    if shown_at is not None:
        latency = (shown_at - sent.sent_at) * 1000
        # Timed by the page's own clock (a MutationObserver), not by when the doctor looked.
        return passed(f"the test message showed in the page {latency:.0f} ms after the trigger",
                      latency_ms=round(latency, 1))
    since_frame = [e for e in ctx.page.snapshot().console
                   if e.at >= ctx.page_received_at and e.kind in ("exception", "error")]
    summary = f"the test event reached the page but its text never showed within {wait:.1f} s"
    if since_frame:
        first = since_frame[0]
        summary += f"; the page then logged {first.text}" + (f" at {first.place}" if first.place else "")
    return failed(problem("page-state-not-updated", summary),
                  *(f"{e.kind}: {e.text} at {e.place or 'unknown place'}" for e in since_frame))
