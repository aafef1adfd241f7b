"""Step 6: subscribe the guest connection to the room channel (and the conversation channel)."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.protocol.guest import Subscribed
from pusher_doctor.results import Outcome, failed, passed


def check_subscribe(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.plan is not None
    acknowledged = []
    for channel in ctx.plan.channels:
        answer = ctx.guest.subscribe(channel, ctx.deadline.remaining())
        if not isinstance(answer, Subscribed):
            return failed(answer, *acknowledged)
        acknowledged.append(f"{channel}: acknowledged in {answer.elapsed_ms:.0f} ms")
    return passed(f"subscribed to {len(acknowledged)} channel(s)", *acknowledged)
