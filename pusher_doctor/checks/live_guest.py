"""Step 5: is a real guest page subscribed to the room channel right now? (Asked before we subscribe.)"""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.protocol.rest import RestSuccess
from pusher_doctor.protocol.wire import subscription_count
from pusher_doctor.results import Outcome, Problem, failed, passed, problem, warned


def check_live_guest(ctx: CheckContext) -> Outcome:
    assert ctx.rest is not None and ctx.plan is not None
    room = ctx.plan.room
    answer = ctx.rest.channel_info(room, ctx.deadline.remaining())
    if not isinstance(answer, RestSuccess):
        return failed(answer)
    count = subscription_count(answer.body)
    if isinstance(count, Problem):
        return failed(count)
    if count is None:
        # Pusher cloud reports subscription_count only when it is enabled for the app.
        occupied = bool(answer.body.get("occupied"))
        ctx.live_subscribers = 1 if occupied else 0
        if occupied:
            return passed(f"{room} is occupied: a guest page is subscribed",
                          "enable subscription counting in the app's settings to see how many")
    else:
        ctx.live_subscribers = count
    if ctx.live_subscribers == 0:
        return warned(problem("live-guest-absent", f"no guest page is subscribed to {room} right now"), subscribers=0)
    return passed(f"{ctx.live_subscribers} connection(s) subscribed to {room} right now",
                  subscribers=ctx.live_subscribers)
