"""Shared by the REST and WebSocket checks: tell a swapped key/secret or another cluster from a plain typo."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pusher_doctor.context import CheckContext
from pusher_doctor.guest import Connected, GuestConnection
from pusher_doctor.rest import RestClient, RestSuccess
from pusher_doctor.secrets import Secret
from pusher_doctor.wire import Diagnosis, diagnosis

SWAPPED = diagnosis("malformed-setting", "PUSHER_KEY and PUSHER_SECRET are swapped",
                    "exchange the values of PUSHER_KEY and PUSHER_SECRET in the backend's .env")


def swapped_rest(ctx: CheckContext) -> Diagnosis | None:
    """SWAPPED when signing with key and secret exchanged succeeds."""
    key, secret = ctx.loaded.value("key"), ctx.loaded.value("secret")
    assert ctx.target is not None and key and secret
    swapped = RestClient(ctx.target.rest, str(ctx.loaded.value("app_id")), secret, Secret(key))
    answer = swapped.list_channels(min(ctx.deadline.remaining(), 2.0))
    return SWAPPED if isinstance(answer, RestSuccess) else None


def swapped_ws(ctx: CheckContext) -> Diagnosis | None:
    """SWAPPED when the secret, used as the key, opens a connection."""
    secret = ctx.loaded.value("secret")
    assert ctx.target is not None and secret
    with GuestConnection(ctx.target.ws, secret) as probe:
        return SWAPPED if isinstance(probe.connect(min(ctx.deadline.remaining(), 2.0)), Connected) else None


def cluster_of_key(ctx: CheckContext) -> str | None:
    """The Pusher cloud cluster whose WebSocket accepts the key, probing all clusters at once."""
    assert ctx.target is not None and ctx.target.cluster is not None
    key = str(ctx.loaded.value("key"))
    directory = ctx.target.directory
    others = [c for c in directory.clusters if c != ctx.target.cluster]
    timeout = min(ctx.deadline.remaining(), 3.0)

    def accepts(cluster: str) -> bool:
        with GuestConnection(directory.ws(cluster), key) as probe:
            return isinstance(probe.connect(timeout), Connected)

    if not others:
        return None
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        for cluster, ok in zip(others, pool.map(accepts, others)):
            if ok:
                return cluster
    return None


def wrong_cluster(ctx: CheckContext, seen: Diagnosis) -> Diagnosis:
    """Names the right cluster when the key works in another one, else keeps what the server said."""
    if ctx.target is None or not ctx.target.is_cloud:
        return seen
    found = cluster_of_key(ctx)
    if found is None:
        return seen
    return diagnosis("wrong-cluster", f"the key belongs to cluster {found}, not {ctx.target.cluster}",
                     f"set PUSHER_CLUSTER={found} in the backend's .env and cluster: '{found}' in the guest page")
