"""Page step 5: which events the page's pusher-js binds on the room channel, where the page exposes
pusher-js as `window.Pusher` (its UMD build, or a Laravel Echo setup); pusher-js keeps its clients in
`Pusher.instances`. A bundled pusher-js cannot be read: then page-render decides alone."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import Outcome, failed, passed, problem, skipped

#: seconds reading the bindings may take
READ_WAIT = 2.0


def check_page_bindings(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.plan is not None
    room = ctx.plan.room
    found = ctx.page.bindings(room, min(ctx.deadline.remaining(), READ_WAIT))
    if found is None:
        return skipped("cannot read the page's bindings: its pusher-js is not window.Pusher (a bundled "
                       "build); page render decides")
    details = [f"pusher-js clients: {found.clients} created, {found.live} connected"]
    if not found.found:
        return skipped(f"no connected pusher-js client of the page has {room}", *details)
    events = [e for e in found.events if not e.startswith(("pusher:", "pusher_internal:"))]
    details.append(f"bound on {room}: {', '.join(events) or 'nothing'}")
    if found.client_events:
        details.append(f"bound on the client, for every channel: {', '.join(found.client_events)}")
    # the event the test message is sent as: the first the contract names on the recipient's channel
    event = ctx.plan.room_event
    listens = event in events or event in found.client_events or found.catch_all > 0
    ctx.page_listens = listens
    if listens:
        how = "" if event in (*events, *found.client_events) else " (through a catch-all binding)"
        return passed(f"the page listens to {event} on {room}{how}", *details, events=events)
    echo = next((e for e in events if e.endswith(event)), None)
    fix = (f"the page binds {echo}: with Laravel Echo, listen('.{event}') (the leading dot keeps Echo "
           "from adding its namespace)") if echo else f"bind {event} on {room} (as the app contract names it)"
    return failed(problem("page-wrong-event", f"the page binds {', '.join(events) or 'nothing'} on {room}, "
                                              f"not {event}", fix), *details, events=events)
