"""Shared by the REST and WebSocket checks: when the server refuses a credential, say which one and why."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.protocol.probes import (
    cluster_accepting_key,
    is_loopback,
    rest_accepts_swapped,
    websocket_accepts_key,
)
from pusher_doctor.results import Problem, problem

SWAPPED = problem("malformed-setting", "PUSHER_KEY and PUSHER_SECRET are swapped",
                  "exchange the values of PUSHER_KEY and PUSHER_SECRET in the backend's .env")
#: causes after which exchanging key and secret is worth one more question
_MAYBE_SWAPPED = ("wrong-secret", "key-not-found")
#: causes after which another cluster may know the key
_MAYBE_OTHER_CLUSTER = ("key-not-found", "app-not-found", "wrong-cluster")
#: seconds one probe may take, within what is left of the run
_PROBE_SECONDS = 2.0


def explain_refusal(ctx: CheckContext, refused: Problem, over: str) -> Problem:
    """A sharper problem than `refused` when a probe finds one; `over` is "rest" or "websocket"."""
    assert ctx.target is not None
    if refused.cause in _MAYBE_SWAPPED and _swapped(ctx, over):
        return SWAPPED
    if refused.cause in _MAYBE_OTHER_CLUSTER and ctx.target.is_cloud:
        found = _cluster_of_key(ctx)
        if found is not None:
            return problem("wrong-cluster", f"the key belongs to cluster {found}, not {ctx.target.cluster}",
                           f"set PUSHER_CLUSTER={found} in the backend's .env and cluster: '{found}' in the "
                           "guest page")
    return refused


def _swapped(ctx: CheckContext, over: str) -> bool:
    assert ctx.target is not None
    key, secret = str(ctx.loaded.value("key")), str(ctx.loaded.value("secret"))
    endpoint = ctx.target.rest if over == "rest" else ctx.target.ws
    # Both probes put the secret where the key goes (a URL): never towards another machine's logs.
    if not is_loopback(endpoint):
        return False
    timeout = min(ctx.deadline.remaining(), _PROBE_SECONDS)
    if over == "rest":
        return rest_accepts_swapped(endpoint, str(ctx.loaded.value("app_id")), key, secret, timeout)
    return websocket_accepts_key(endpoint, secret, timeout)


def _cluster_of_key(ctx: CheckContext) -> str | None:
    """Asked once per run: the REST and WebSocket checks may both want it."""
    assert ctx.target is not None and ctx.target.cluster is not None
    if ctx.key_cluster is None:
        ctx.key_cluster = cluster_accepting_key(ctx.target.directory, ctx.target.cluster,
                                                str(ctx.loaded.value("key")),
                                                min(ctx.deadline.remaining(), _PROBE_SECONDS)) or ""
    return ctx.key_cluster or None
