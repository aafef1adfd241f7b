"""Step 8: which test events reached the subscribed guest connection, and how fast."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import probe_of
from pusher_doctor.protocol.guest import ChannelEvent
from pusher_doctor.results import ObservedEvent, Outcome, failed, passed, problem


def check_delivery(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.probe_id is not None
    wanted = {(t.channel, t.event) for t in ctx.triggered}

    def ours(events: list[ChannelEvent]) -> dict[tuple[str, str], ChannelEvent]:
        return {(e.channel, e.event): e for e in events
                if (e.channel, e.event) in wanted and probe_of(e.data) == ctx.probe_id}

    arrived = ours(ctx.guest.wait_for_events(lambda events: len(ours(events)) == len(wanted),
                                             ctx.deadline.remaining()))
    for sent in ctx.triggered:
        got = arrived.get((sent.channel, sent.event))
        latency = round((got.at - sent.sent_at) * 1000, 1) if got else None
        ctx.events.append(ObservedEvent(sent.channel, sent.event, got is not None, latency))
    lines = tuple(f"{e.event} on {e.channel}: " + (f"{e.latency_ms:.0f} ms" if e.received else "NOT received")
                  for e in ctx.events)
    missing = [e for e in ctx.events if not e.received]
    if missing:
        names = ", ".join(f"{e.event} on {e.channel}" for e in missing)
        return failed(problem("event-not-delivered",
                              f"{len(missing)} of {len(ctx.events)} event(s) never arrived within --timeout: {names}"),
                      *lines)
    slowest = max(e.latency_ms or 0 for e in ctx.events)
    return passed(f"all {len(ctx.events)} event(s) arrived, slowest {slowest:.0f} ms", *lines)
