"""Page step 2: the page opened a Pusher connection, to the backend's server with the backend's key.

Read from the socket's own URL (`/app/KEY` on host, port, ws or wss), so it works whatever the page is
built with; the server's answer on that socket says whether it accepted the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec.structs import replace

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.page.frames import CONNECTED, ERROR, endpoint_difference
from pusher_doctor.protocol.wire import classify_ws_error, parse_pusher_error
from pusher_doctor.results import Outcome, failed, passed, problem

if TYPE_CHECKING:  # only annotations: the browser's machinery loads with --page alone
    from pusher_doctor.page.watch import PageSocket, Snapshot


def _answered(snapshot: Snapshot) -> PageSocket | None:
    """The first socket the server greeted or refused. A socket that merely failed is not enough:
    pusher-js tries again, maybe over another transport."""
    return next((s for s in snapshot.pusher_sockets
                 if any(f.event in (CONNECTED, ERROR) for f in s.frames if not f.sent)), None)


def check_page_connection(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.target is not None and ctx.request.page is not None
    settle = min(ctx.deadline.remaining(), ctx.request.page.settle)
    socket = ctx.page.wait_for(_answered, settle)
    snapshot = ctx.page.snapshot()
    socket = socket or next(iter(snapshot.pusher_sockets), None)
    if socket is None:
        others = [f"other WebSocket: {s.url}" for s in snapshot.sockets]
        thrown = [f"uncaught: {e.text} at {e.place or 'unknown place'}" for e in snapshot.console
                  if e.kind == "exception"]
        none = problem("page-not-connected", f"the page opened no Pusher connection within {settle:.1f} s of "
                                             "loading")
        return failed(none, *others, *thrown)
    url = socket.pusher
    assert url is not None
    shown = f"{'wss' if url.secure else 'ws'}://{url.host}:{url.port}"
    details = [f"page socket: {shown}/app/{url.key}", f"client: {url.client or 'unknown'}"]
    refusal = next((f for f in socket.frames if not f.sent and f.event == ERROR), None)
    refused = classify_ws_error(*parse_pusher_error(refusal.data)) if refusal is not None else None
    if refused is not None:
        details.append(f"the server answered the page: {refused.summary}")
    key = str(ctx.loaded.value("key"))
    if url.key != key:
        mismatch = problem("page-key-mismatch", f"the page connects with key {url.key}, the backend's is "
                                                f"{key}")
        return failed(mismatch, *details, page_key=url.key)
    difference = endpoint_difference(url, ctx.target.ws, ctx.target.directory, ctx.target.cluster)
    if difference is not None:
        return failed(problem("page-host-mismatch", difference), *details)
    if refused is not None:
        summary = f"the server refused the page's connection: {refused.summary}"
        return failed(replace(refused, summary=summary), *details)
    greeting = next((f for f in socket.frames if not f.sent and f.event == CONNECTED), None)
    if greeting is None:
        why = socket.error or ("closed before the server greeted it" if socket.closed_at else
                               f"no greeting within {settle:.1f} s")
        failure = problem("page-not-connected", f"the page's connection to {shown} failed: {why}")
        return failed(failure, *details)
    socket_id = greeting.data.get("socket_id") if isinstance(greeting.data, dict) else None
    took = (greeting.at - socket.opened_at) * 1000
    return passed(f"the page connected to {shown} with the backend's key in {took:.0f} ms", *details,
                  socket_id=socket_id, client=url.client)
