"""Extra questions asked of servers when a credential is refused, to tell a swap or another cluster
from a plain typo. Each probe is bounded by the timeout it is given and returns a plain answer."""

from __future__ import annotations

import ipaddress

from pusher_doctor.config.endpoints import ClusterDirectory, Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.guest import Connected, GuestConnection
from pusher_doctor.protocol.rest import RestClient, RestSuccess


def is_loopback(endpoint: Endpoint) -> bool:
    """True when talking to this endpoint sends nothing off this machine."""
    if endpoint.host == "localhost":
        return True
    try:
        return ipaddress.ip_address(endpoint.host.strip("[]")).is_loopback
    except ValueError:
        return False


def rest_accepts_swapped(endpoint: Endpoint, app_id: str, key: str, secret: str, timeout: float) -> bool:
    """Whether a request signed with key and secret exchanged is accepted.

    It sends the secret as the auth_key: callers ask only servers on this machine.
    """
    answer = RestClient(endpoint, app_id, secret, Secret(key)).list_channels(timeout)
    return isinstance(answer, RestSuccess)


def websocket_accepts_key(endpoint: Endpoint, key: str, timeout: float) -> bool:
    with GuestConnection(endpoint, key) as probe:
        return isinstance(probe.connect(timeout), Connected)


def cluster_accepting_key(directory: ClusterDirectory, tried: str, key: str, timeout: float) -> str | None:
    """The cluster, other than `tried`, whose WebSocket accepts the key; all are asked at once."""
    # Imported here: every `check` imports this module, and only a refused key on Pusher cloud gets here.
    from concurrent.futures import ThreadPoolExecutor

    others = [cluster for cluster in directory.clusters if cluster != tried]
    if not others:
        return None
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        answers = pool.map(lambda cluster: websocket_accepts_key(directory.ws(cluster), key, timeout), others)
        return next((cluster for cluster, accepted in zip(others, answers) if accepted), None)
