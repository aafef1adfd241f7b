"""What the guest page's WebSockets show, as data: the Pusher socket URL a client opened and the
protocol frames it sent and received. Pure functions, no browser.

pusher-js (and Laravel Echo, which uses it) opens `ws[s]://HOST:PORT[/PATH]/app/KEY?protocol=7&client=js
&version=8.4.0`; Pusher cloud's host is `ws-{cluster}.pusher.com`. Frames are JSON text:
`{"event": ..., "channel": ..., "data": ...}`, where a server's `data` is itself a JSON string.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pusher_doctor.config.endpoints import ClusterDirectory, Endpoint

SUBSCRIBE = "pusher:subscribe"
UNSUBSCRIBE = "pusher:unsubscribe"
SUBSCRIBED = "pusher_internal:subscription_succeeded"
SUBSCRIPTION_ERROR = "pusher:subscription_error"
CONNECTED = "pusher:connection_established"
ERROR = "pusher:error"

_APP_PATH = re.compile(r"^(?P<prefix>.*)/app/(?P<key>[^/]+)$")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class SocketUrl:
    """A Pusher client's WebSocket URL, taken apart."""

    secure: bool
    host: str
    port: int
    key: str
    #: e.g. "js 8.4.0" for pusher-js; "" when the URL does not say
    client: str

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(self.host, self.port, self.secure)


def parse_socket_url(url: str) -> SocketUrl | None:
    """The URL's parts when it is a Pusher-protocol client socket (`/app/KEY`), else None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    match = _APP_PATH.match(parts.path)
    if parts.scheme not in ("ws", "wss") or not parts.hostname or match is None:
        return None
    query = parse_qs(parts.query)
    client = " ".join(query.get(name, [""])[0] for name in ("client", "version")).strip()
    secure = parts.scheme == "wss"
    return SocketUrl(secure, parts.hostname, port or (443 if secure else 80), match["key"], client)


@dataclass(frozen=True)
class Frame:
    """One WebSocket text frame the page sent or received."""

    sent: bool
    at: float  # time.monotonic() when the doctor saw it
    event: str | None
    channel: str | None
    #: the frame's data, decoded from JSON when it was a JSON string (as servers send it)
    data: Any

    @property
    def subscribe_channel(self) -> str | None:
        """The channel of a `pusher:subscribe` or `pusher:unsubscribe` the page sent."""
        if isinstance(self.data, dict) and self.event in (SUBSCRIBE, UNSUBSCRIBE):
            channel = self.data.get("channel")
            return channel if isinstance(channel, str) else None
        return None


def parse_frame(text: str | bytes, sent: bool, at: float) -> Frame:
    """A frame as data; a frame that is not Pusher's JSON gets no event."""
    try:
        message = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return Frame(sent, at, None, None, None)
    if not isinstance(message, dict):
        return Frame(sent, at, None, None, None)
    data = message.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            pass
    event, channel = message.get("event"), message.get("channel")
    return Frame(sent, at, event if isinstance(event, str) else None,
                 channel if isinstance(channel, str) else None, data)


def same_host(a: str, b: str) -> bool:
    """Host names that reach the same server from this machine (localhost is 127.0.0.1)."""
    a, b = a.lower().strip("[]"), b.lower().strip("[]")
    return a == b or (a in _LOOPBACK and b in _LOOPBACK)


def endpoint_difference(page: SocketUrl, expected: Endpoint, directory: ClusterDirectory,
                        cluster: str | None) -> str | None:
    """How the page's server differs from the backend's, or None (`cluster`: the backend's, on cloud)."""
    if same_host(page.host, expected.host) and page.port == expected.port and page.secure == expected.secure:
        return None
    page_cluster = next((name for name in directory.clusters if same_host(directory.ws(name).host, page.host)
                         and directory.ws(name).port == page.port), None)
    shown = f"{'wss' if page.secure else 'ws'}://{page.host}:{page.port}"
    if cluster is not None and page_cluster is not None:
        return f"the page connects to cluster {page_cluster} ({shown}), the backend sends on {cluster}"
    backend = f"cluster {cluster} ({expected.ws_url_base})" if cluster else expected.ws_url_base
    if same_host(page.host, expected.host) and page.port == expected.port:
        tls = "with TLS (wss)" if page.secure else "without TLS (ws)"
        return f"the page connects {tls} to {shown}, the backend's server is {backend}"
    return f"the page connects to {shown}, the backend's server is {backend}"
