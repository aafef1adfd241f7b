"""Last: does the server relay client events on the guest channel? With client events on, any guest (on
a public channel: anyone) can send events that the page cannot tell from the backend's.

A second connection subscribes like a guest and sends one client event nobody binds; the first one
(the guest connection) either receives it, or the sender gets the server's refusal."""

from __future__ import annotations

import time

from pusher_doctor.checks.auth_endpoint import authorize
from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import PROBE_FIELD, needs_auth, new_probe_id, probe_of
from pusher_doctor.protocol.guest import ChannelEvent, Connected, GuestConnection, Subscribed
from pusher_doctor.results import Outcome, Problem, passed, problem, skipped, warned

PROBE_EVENT = "client-pusher-doctor-probe"
#: the longest wait for the relayed event or the refusal: servers answer a client event at once
MAX_WAIT = 1.0
#: seconds the sender is waited on in each turn: its refusal ends the wait as it arrives; a relayed event
#: (the guest connection's, looked at between turns) is seen at most this late
TURN_S = 0.005


def check_client_events(ctx: CheckContext) -> Outcome:
    assert ctx.guest is not None and ctx.plan is not None and ctx.target is not None
    room = ctx.plan.room
    if ctx.live_subscribers != 0 and not ctx.request.assume_yes:
        return skipped(f"not probed: a guest may be subscribed to {room} and would receive the client event "
                       "(pass --yes to probe anyway)")
    sender = GuestConnection(ctx.target.ws, str(ctx.loaded.value("key")))
    try:
        why_not = _join(ctx, sender, room)
        if why_not is not None:
            return skipped(f"not probed: the second connection could not join {room} ({why_not})")
        marker = new_probe_id()
        sender.send_client_event(room, PROBE_EVENT, {PROBE_FIELD: marker})
        relayed, refusal = _outcome(ctx, sender, room, marker)
    finally:
        sender.close()
    if relayed:
        return warned(problem("client-events-enabled", f"the server relayed a client event from one connection to "
                              f"another on {room}: a guest can send events the page may take for the backend's"),
                      client_events=True)
    if refusal is not None:
        return passed(f"the server refuses client events on {room}: {refusal}", client_events=False)
    return passed(f"a client event on {room} was not relayed within {MAX_WAIT:.0f} s", client_events=False)


def _join(ctx: CheckContext, sender: GuestConnection, room: str) -> str | None:
    connected = sender.connect(ctx.deadline.remaining())
    if not isinstance(connected, Connected):
        return connected.summary
    auth = authorize(ctx, sender, room) if needs_auth(room) else None
    if isinstance(auth, Problem):
        return auth.summary
    joined = sender.subscribe(room, ctx.deadline.remaining(), auth)
    return None if isinstance(joined, Subscribed) else joined.summary


def _outcome(ctx: CheckContext, sender: GuestConnection, room: str, marker: str) -> tuple[bool, str | None]:
    """(relayed to the guest connection, the sender's refusal), after at most MAX_WAIT seconds."""
    assert ctx.guest is not None

    def relayed(events: list[ChannelEvent]) -> bool:
        return any(e.event == PROBE_EVENT and e.channel == room and probe_of(e.data) == marker for e in events)

    def refusal(events: list[ChannelEvent]) -> ChannelEvent | None:
        return next((e for e in events if e.event == "pusher:error" and e.channel == room), None)

    ends = time.monotonic() + min(MAX_WAIT, ctx.deadline.remaining())
    while True:
        # Two connections, two threads: each turn is spent waiting on the sender, so the refusal that most
        # servers send ends the step as it arrives (a turn spent on the guest first would always run out);
        # the guest connection is then looked at without waiting.
        refused = refusal(sender.wait_for_events(lambda events: refusal(events) is not None, TURN_S))
        if relayed(ctx.guest.wait_for_events(relayed, 0.0)):
            return True, None
        if refused is not None:
            return False, _said(refused.data)
        if time.monotonic() >= ends:
            return False, None


def _said(data: object) -> str:
    from pusher_doctor.protocol.wire import parse_pusher_error

    code, message = parse_pusher_error(data)
    return f"{code}: {message}" if code else message or "refused"
