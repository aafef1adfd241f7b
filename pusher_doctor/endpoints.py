"""Where the WebSocket and the REST API of an app live: Pusher cloud by cluster, or a self-hosted host."""

from __future__ import annotations

from dataclasses import dataclass

#: Pusher cloud's WebSocket host for a cluster; tests aim cluster probing at local servers by overriding it.
CLOUD_WS_HOST_TEMPLATE = "ws-{cluster}.pusher.com"
CLOUD_REST_HOST_TEMPLATE = "api-{cluster}.pusher.com"


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    secure: bool

    @property
    def ws_url_base(self) -> str:
        return f"{'wss' if self.secure else 'ws'}://{self.host}:{self.port}"

    @property
    def http_url_base(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.host}:{self.port}"


def cloud_ws_endpoint(cluster: str, template: str = CLOUD_WS_HOST_TEMPLATE) -> Endpoint:
    return Endpoint(template.format(cluster=cluster), 443, True)


def cloud_rest_endpoint(cluster: str) -> Endpoint:
    return Endpoint(CLOUD_REST_HOST_TEMPLATE.format(cluster=cluster), 443, True)
