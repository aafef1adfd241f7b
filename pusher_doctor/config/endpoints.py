"""Where the WebSocket and the REST API of an app live: Pusher cloud by cluster, or a self-hosted host."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct, field

#: Pusher cloud's public clusters (mt1 is the default when none is given)
KNOWN_CLUSTERS = ("mt1", "us2", "us3", "eu", "ap1", "ap2", "ap3", "ap4", "sa1")
#: "eu=127.0.0.1:6001,us2=127.0.0.1:6002": serve these clusters from plain local servers instead of
#: Pusher cloud (tests, mirrors); only the clusters listed then exist.
CLUSTER_HOSTS_VARIABLE = "PUSHER_DOCTOR_CLUSTER_HOSTS"


class Endpoint(Struct, frozen=True):
    host: str
    port: int
    secure: bool

    @property
    def ws_url_base(self) -> str:
        return f"{'wss' if self.secure else 'ws'}://{self.host}:{self.port}"

    @property
    def http_url_base(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.host}:{self.port}"


class ClusterHostsError(ValueError):
    """PUSHER_DOCTOR_CLUSTER_HOSTS is not of the form cluster=host:port,..."""


class ClusterDirectory(Struct, frozen=True):
    """Pusher cloud's hosts per cluster, unless overridden by local servers."""

    overrides: Mapping[str, Endpoint] = field(default_factory=dict)

    @property
    def clusters(self) -> tuple[str, ...]:
        return tuple(self.overrides) or KNOWN_CLUSTERS

    def ws(self, cluster: str) -> Endpoint:
        return self.overrides.get(cluster) or Endpoint(f"ws-{cluster}.pusher.com", 443, True)

    def rest(self, cluster: str) -> Endpoint:
        return self.overrides.get(cluster) or Endpoint(f"api-{cluster}.pusher.com", 443, True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ClusterDirectory:
        spec = environ.get(CLUSTER_HOSTS_VARIABLE, "").strip()
        overrides = {}
        for item in filter(None, (part.strip() for part in spec.split(","))):
            cluster, _, address = item.partition("=")
            host, _, port = address.rpartition(":")
            if not cluster or not host or not port.isdigit():
                raise ClusterHostsError(f"{CLUSTER_HOSTS_VARIABLE}: {item!r} is not cluster=host:port")
            overrides[cluster.strip()] = Endpoint(host, int(port), False)
        return cls(overrides)


#: Pusher cloud as it is, with no overrides
PUSHER_CLOUD = ClusterDirectory()
