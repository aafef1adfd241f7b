"""Step 5: is a real guest page subscribed to the room channel right now? (Asked before we subscribe.)

Nobody there warns (the page may be closed, or not subscribed), unless the run expects nobody: a CI run
(`--ci`) or a run that opens the page itself (`--page`). Someone on a channel with almost the room's
name fails: that is a page open on the wrong channel."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.near_miss import NearMiss, find_near_misses, near_miss_problem
from pusher_doctor.protocol.listeners import listeners_on
from pusher_doctor.protocol.rest import RestSuccess
from pusher_doctor.protocol.wire import occupied_channels
from pusher_doctor.results import Outcome, Problem, failed, passed, problem, warned


def check_live_guest(ctx: CheckContext) -> Outcome:
    assert ctx.rest is not None and ctx.plan is not None
    room = ctx.plan.room
    listeners = listeners_on(ctx.rest, room, ctx.deadline.remaining())
    if isinstance(listeners, Problem):
        return failed(listeners)
    ctx.live_subscribers = listeners.guests
    ours = (f"{listeners.own} of pusher-doctor's own connection(s) (a running watch) not counted",) if listeners.own else ()
    if listeners.guests is None:
        # Pusher cloud reports subscription_count only when it is enabled for the app.
        return passed(f"{room} is occupied: a guest page is subscribed",
                      "enable subscription counting in the app's settings to see how many")
    if ctx.live_subscribers == 0:
        misses = _near_misses(ctx, room)
        if misses:
            # A guest page is open but on the wrong channel: a broken link, as `rooms --room` says (exit 1).
            return failed(near_miss_problem(room, misses), *(f"near miss: {m.channel} ({'; '.join(m.reasons)})"
                                                             for m in misses), subscribers=0,
                          near_misses=[m.channel for m in misses])
        if ctx.request.ci:
            return passed(f"nobody is subscribed to {room}, as expected in a CI run (--ci)", *ours, subscribers=0)
        if ctx.request.page is not None:
            # The guest page is opened by pusher-doctor itself after this step: nobody is expected yet.
            return passed(f"nobody is subscribed to {room} yet; the guest page opened below will be", subscribers=0)
        return warned(problem("live-guest-absent", f"no guest page is subscribed to {room} right now"), *ours,
                      subscribers=0)
    return passed(f"{ctx.live_subscribers} connection(s) subscribed to {room} right now", *ours,
                  subscribers=ctx.live_subscribers)


def _near_misses(ctx: CheckContext, room: str) -> tuple[NearMiss, ...]:
    """Occupied channels with almost the room channel's name: the guest page building it wrongly.

    One more request, only when the room is empty; if it fails, the plain "nobody is subscribed" stands.
    """
    assert ctx.rest is not None
    answer = ctx.rest.list_channels(ctx.deadline.remaining(), counts=True)
    if not isinstance(answer, RestSuccess):
        return ()
    channels = occupied_channels(answer.body)
    if isinstance(channels, Problem):
        return ()
    counts = {str(name): (info.get("subscription_count") if isinstance(info, dict) else None)
              for name, info in channels.items()}
    return find_near_misses(room, {name: count if isinstance(count, int) else None for name, count in counts.items()})
