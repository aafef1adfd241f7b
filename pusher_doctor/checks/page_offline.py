"""Page step (`--page-offline-test`): drop the page's connection, send a second test message while it is
down, bring the network back, and see whether the page catches up. Pusher does not replay what a client
missed, so a page that only listens shows that message only after a refresh.

The drop is real: the page's sockets are closed as a network failure would close them and Playwright's
offline mode keeps pusher-js from reconnecting until the network is back (offline mode alone only holds
frames back, it loses none). The second message goes straight to Pusher, so the backend never stored it
and a history reload cannot show it: what tells a page that catches up is that it asks its server again
(a fetch, XHR or reload) once its subscription is back, or that the missed text shows."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.hotel_chat import PlannedEvent, build_payloads, new_probe_id
from pusher_doctor.page.frames import SUBSCRIBED, same_host
from pusher_doctor.page.options import shown_url
from pusher_doctor.protocol.rest import RestSuccess
from pusher_doctor.results import Outcome, failed, passed, problem

if TYPE_CHECKING:  # only annotations: the browser's machinery loads with --page alone
    from pusher_doctor.page.watch import PageRequest, Snapshot

#: seconds the page's sockets get to close once dropped
DROP_WAIT = 1.0
#: seconds the page gets to reconnect and subscribe again once the network is back
RECONNECT_WAIT = 5.0
#: seconds after the subscription came back in which the page should ask its server for what it missed
RESYNC_WINDOW = 1.0
#: requests that can reload messages; auth requests for private channels are POSTs and do not count
_RELOADS = ("fetch", "xhr", "document")


def check_page_offline(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.rest is not None and ctx.plan is not None and ctx.target is not None
    page, room = ctx.page, ctx.plan.room
    text = f"{ctx.request.message_text} (sent while the page was offline)"
    before = page.count_text(text, ctx.deadline.remaining())
    dropped_at = time.monotonic()
    if page.drop_sockets(ctx.deadline.remaining()) < 0:
        raise RuntimeError("the page's sockets could not be reached to drop them")
    page.wait_for(lambda s: True if all(p.closed_at for p in s.pusher_sockets) else None,
                  min(DROP_WAIT, ctx.deadline.remaining()))
    page.set_offline(True, ctx.deadline.remaining())
    try:
        probe = new_probe_id()
        request = ctx.request
        data = build_payloads(ctx.plan, request.hotel, request.room, request.conversation, probe,
                              text)[PlannedEvent(room, ctx.plan.room_event)]
        answer = ctx.rest.trigger(room, ctx.plan.room_event, data, ctx.deadline.remaining())
    finally:
        page.set_offline(False, max(ctx.deadline.remaining(), 1.0))
    if not isinstance(answer, RestSuccess):
        return failed(answer)
    back_at = time.monotonic()

    def subscribed_again(snapshot: Snapshot) -> float | None:
        return next((f.at for s in snapshot.pusher_sockets if s.opened_at > dropped_at for f in s.frames
                     if not f.sent and f.event == SUBSCRIBED and f.channel == room), None)

    resubscribed = page.wait_for(subscribed_again, min(RECONNECT_WAIT, ctx.deadline.remaining()))
    if resubscribed is None:
        gone = problem("page-no-resync",
                       f"the page did not reconnect to {room} within {RECONNECT_WAIT:.0f} s of the network "
                       "coming back: it needs a refresh")
        return failed(gone, probe=probe)

    def reload(snapshot: Snapshot) -> PageRequest | None:
        return next((r for r in snapshot.requests if r.at > dropped_at and r.method == "GET"
                     and r.kind in _RELOADS and not _to_pusher(r.url, ctx)), None)

    asked = page.wait_for(reload, min(RESYNC_WINDOW, ctx.deadline.remaining()))
    shown = page.count_text(text, ctx.deadline.remaining()) > before
    took = (resubscribed - back_at) * 1000
    details = [f"dropped the page's connection; it reconnected {took:.0f} ms after the network came back",
               f"second test message: probe {probe}"]
    if asked is not None or shown:
        how = f"{asked.kind} {asked.method} {shown_url(asked.url)}" if asked else "the missed message showed"
        return passed(f"the page caught up after reconnecting ({how})", *details, probe=probe)
    stale = problem("page-no-resync", "after reconnecting the page asked its server for nothing within "
                                      f"{RESYNC_WINDOW:.0f} s: the message sent while it was offline shows "
                                      "only after a refresh")
    return failed(stale, *details, probe=probe)


def _to_pusher(url: str, ctx: CheckContext) -> bool:
    """A request to Pusher itself (a transport fallback, stats), not to the page's own server."""
    assert ctx.target is not None
    parts = urlsplit(url)
    host = parts.hostname or ""
    own_server = same_host(host, ctx.target.ws.host) and parts.port == ctx.target.ws.port
    return host.endswith("pusher.com") or own_server
