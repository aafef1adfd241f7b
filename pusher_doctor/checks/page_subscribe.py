"""Page step 3: the page subscribed to the room channel and the server acknowledged it; otherwise which
channels it did subscribe to, and the nearest mistake."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.page.frames import SUBSCRIBE, SUBSCRIBED, SUBSCRIPTION_ERROR, UNSUBSCRIBE, Frame
from pusher_doctor.results import Outcome, Problem, failed, passed, problem

if TYPE_CHECKING:  # only annotations: the browser's machinery loads with --page alone
    from pusher_doctor.page.watch import Snapshot


def _asked(snapshot: Snapshot) -> list[str]:
    """The channels the page asked for, in order, once each."""
    names = [f.subscribe_channel for s in snapshot.pusher_sockets for f in s.frames
             if f.sent and f.event == SUBSCRIBE and f.subscribe_channel]
    return list(dict.fromkeys(n for n in names if n))


def check_page_subscribe(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.plan is not None and ctx.request.page is not None
    room = ctx.plan.room
    settle = min(ctx.deadline.remaining(), ctx.request.page.settle)

    def answered(snapshot: Snapshot) -> Frame | None:
        return next((f for s in snapshot.pusher_sockets for f in s.frames if not f.sent
                     and f.channel == room and f.event in (SUBSCRIBED, SUBSCRIPTION_ERROR)), None)

    answer = ctx.page.wait_for(answered, settle)
    snapshot = ctx.page.snapshot()
    asked = _asked(snapshot)
    details = [f"the page subscribed to: {', '.join(asked) or 'nothing'}"]
    if answer is None:
        return failed(_not_subscribed(ctx, asked, settle), *details, channels=asked)
    if answer.event == SUBSCRIPTION_ERROR:
        refused = problem("page-subscription-error",
                          f"the server refused the page's subscription to {room}: {answer.data}")
        return failed(refused, *details, channels=asked)
    last = [f for s in snapshot.pusher_sockets for f in s.frames if f.sent and f.subscribe_channel == room]
    if last and last[-1].event == UNSUBSCRIBE:
        left = problem("page-not-subscribed",
                       f"the page subscribed to {room}, then unsubscribed before any message (a cleanup that "
                       "runs too early)")
        return failed(left, *details, channels=asked)
    # From now on the page notes when the test message's text shows once more: page-render asks.
    ctx.page_text_before = ctx.page.watch_text(ctx.request.message_text, ctx.deadline.remaining())
    since = f" {(answer.at - snapshot.loaded_at) * 1000:.0f} ms after it loaded" if snapshot.loaded_at else ""
    return passed(f"the page subscribed to {room}{since}", *details, channels=asked)


def _not_subscribed(ctx: CheckContext, asked: list[str], settle: float) -> Problem:
    assert ctx.plan is not None
    room = ctx.plan.room
    if room in asked:
        return problem("page-subscription-error",
                       f"the page asked for {room} but the server did not acknowledge it within "
                       f"{settle:.1f} s")
    if not asked:
        return problem("page-not-subscribed",
                       f"the page connected but subscribed to no channel within {settle:.1f} s")
    nearest = (difflib.get_close_matches(room, asked, n=1, cutoff=0) or asked)[0]
    summary = f"the page subscribed to {', '.join(asked)}, not {room}"
    if nearest == ctx.plan.conversation:
        summary += (f" ({ctx.plan.room_event} goes to {room}; {nearest} gets "
                    f"{', '.join(ctx.plan.conversation_events)})")
    return problem("page-wrong-channel", summary,
                   f"subscribe to {room}, spelled exactly as the backend builds it (nearest found: "
                   f"{nearest})")
