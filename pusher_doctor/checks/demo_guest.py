"""The demo's extra step, right after delivery: did the demo's own pusher-js guest (a real client under
Node, subscribed before the check) get the test message? Only `demo` runs it (`checks_for(demo_guest=True)`),
with the guest in `CheckRequest.demo_guest`."""

from __future__ import annotations

from typing import Protocol

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import Outcome, failed, passed, problem, skipped


class Received(Protocol):
    @property
    def at(self) -> float:
        """time.time() when the guest got the event."""
        ...


class DemoGuest(Protocol):
    """What the step needs of the demo's guest (`sandbox.guest.PusherJsGuest`): checks may not import the
    sandbox, which hands it over through the request."""

    channel: str
    event: str

    def received(self, probe: str, timeout: float) -> Received | None: ...


def check_demo_guest(ctx: CheckContext) -> Outcome:
    guest = ctx.request.demo_guest
    assert guest is not None, "the demo-guest step runs only with the demo's guest"
    sent = next((t for t in ctx.triggered if t.channel == guest.channel), None)
    if ctx.probe_id is None or sent is None:
        return skipped(f"no test event was sent on {guest.channel}")
    got = guest.received(ctx.probe_id, ctx.deadline.remaining())
    if got is None:
        return failed(problem("event-not-delivered", "the demo's pusher-js guest never received "
                              f"{guest.event} on {guest.channel} within --timeout"))
    latency = round((got.at - sent.sent_at) * 1000, 1)
    return passed(f"the demo's pusher-js guest received {guest.event} on {guest.channel}, "
                  f"{latency:.0f} ms after the trigger",
                  "a real pusher-js client under Node, subscribed before the check",
                  guest_received=True, latency_ms=latency)
