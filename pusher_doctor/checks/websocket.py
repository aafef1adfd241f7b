"""Step 4: connect as the guest's browser would (pysher, key only) and get a socket id."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.checks.refusals import explain_refusal
from pusher_doctor.protocol.guest import Connected, GuestConnection
from pusher_doctor.results import Outcome, failed, passed, skipped


def check_websocket(ctx: CheckContext) -> Outcome:
    assert ctx.target is not None
    if ctx.unreachable_server is not None and not ctx.target.is_cloud:
        return skipped(f"not run: same server as the REST API ({ctx.unreachable_server})")
    guest = GuestConnection(ctx.target.ws, str(ctx.loaded.value("key")))
    answer = guest.connect(ctx.deadline.remaining())
    if not isinstance(answer, Connected):
        guest.close()
        return failed(explain_refusal(ctx, answer, over="websocket"), f"endpoint: {guest.label}")
    ctx.guest = guest
    return passed(f"connected in {answer.elapsed_ms:.0f} ms, socket id {answer.socket_id}",
                  f"endpoint: {guest.label}", socket_id=answer.socket_id)
