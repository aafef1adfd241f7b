"""Step 5: is a real guest page subscribed to the room channel right now? (Asked before we subscribe.)"""

from __future__ import annotations

from pusher_doctor.context import CheckContext
from pusher_doctor.rest import RestSuccess
from pusher_doctor.results import Outcome, failed_as, passed, warned


def check_live_guest(ctx: CheckContext) -> Outcome:
    assert ctx.rest is not None and ctx.plan is not None
    room = ctx.plan.room
    answer = ctx.rest.channel_info(room, ctx.deadline.remaining())
    if not isinstance(answer, RestSuccess):
        return failed_as(answer)
    count = answer.body.get("subscription_count")
    if count is None:
        # Pusher cloud reports subscription_count only when it is enabled for the app.
        occupied = bool(answer.body.get("occupied"))
        ctx.live_subscribers = 1 if occupied else 0
        if occupied:
            return passed(f"{room} is occupied: a guest page is subscribed",
                          "enable subscription counting in the app's settings to see how many")
    else:
        ctx.live_subscribers = int(count)
    if ctx.live_subscribers == 0:
        return warned(f"no guest page is subscribed to {room} right now",
                      "if the guest page is open, it is not subscribed: the guide's most likely cause. Check "
                      "the page's channel name and subscription (`pusher-doctor scan-frontend`)",
                      cause="live-guest-absent", subscribers=0)
    return passed(f"{ctx.live_subscribers} connection(s) subscribed to {room} right now",
                  subscribers=ctx.live_subscribers)
