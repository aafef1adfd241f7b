"""``server-client-host``: the server SDK's client is pointed at the wrong place: a host with a scheme in it,
the WebSocket host (``ws-eu.pusher.com``) instead of the REST API's, no cluster and no host (the SDK then
uses ``mt1``), HTTPS (the Python SDK's default) to a local Reverb or soketi that speaks plain HTTP, or both a
host and a cluster (the host wins).

Only literal values are judged; a value read from settings or the environment is left to ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.backend.model import NODE, PYTHON, Backend, ServerClient
from pusher_doctor.backend.rules._base import (
    Hit,
    Rule,
    Severity,
    anchor,
    cause_fix,
    effective,
    hit,
    is_laravel,
)

ID = "server-client-host"
LANGUAGE = "python"
#: hosts of a local server (docker services too) that speak plain HTTP unless set up otherwise
_LOCAL_HOST = re.compile(r"^(localhost|127\.0\.0\.1|0\.0\.0\.0|soketi|reverb|pusher|host\.docker\.internal)$")
#: the ports a local soketi (6001) or Reverb (8080) listens on
_PLAIN_PORTS = (6001, 8080, 80)


def check(backend: Backend) -> Iterator[Hit]:
    for client in backend.clients:
        if client.indirect is None:
            yield from _judge(client, _sends(backend, client))
    yield from _laravel(backend)


def _laravel(backend: Backend) -> Iterator[Hit]:
    """Laravel's Reverb or Pusher connection as its env file sets it (the default config's names and fallbacks:
    port 443, scheme https, cluster mt1)."""
    env = backend.env
    if not is_laravel(backend) or env is None:
        return
    broadcaster, _, _ = effective(backend, "broadcasting")
    prefix = {"reverb": "REVERB", "pusher": "PUSHER"}.get(str(broadcaster))
    config = backend.broadcasting_config
    if prefix is None or (config is not None and f"{prefix}_SCHEME" not in config):
        return  # an app whose config reads other names: not judged
    values = env.values
    doubt = Severity.NOTE if env.template else None
    host, port = values.get(f"{prefix}_HOST") or "", values.get(f"{prefix}_PORT") or "443"
    scheme = values.get(f"{prefix}_SCHEME") or "https"
    if "://" in host:
        yield hit(env.places[f"{prefix}_HOST"], f"{prefix}_HOST={host} holds a scheme: Laravel adds "
                  f"{prefix}_SCHEME's, so its broadcasts never reach the server",
                  f"{prefix}_HOST={host.split('://', 1)[1].rstrip('/')} and {prefix}_SCHEME={host.split('://')[0]}",
                  Severity.ERROR)
    elif _LOCAL_HOST.match(host) and scheme == "https" and port != "443":
        where = env.places.get(f"{prefix}_SCHEME") or env.places[f"{prefix}_HOST"]
        yield hit(where, f"Laravel sends its broadcasts to https://{host}:{port} ({prefix}_SCHEME "
                  f"{'is https' if f'{prefix}_SCHEME' in env.places else 'defaults to https'}), where a local "
                  f"{'Reverb' if prefix == 'REVERB' else 'soketi'} serves plain HTTP: every broadcast fails with an "
                  "SSL error", f"{prefix}_SCHEME=http", doubt)
    elif prefix == "PUSHER" and not host and not values.get("PUSHER_APP_CLUSTER"):
        where = env.places.get("PUSHER_APP_KEY") or env.places.get("BROADCAST_CONNECTION") or anchor(backend)
        yield hit(where, "neither PUSHER_APP_CLUSTER nor PUSHER_HOST is set: Laravel sends to api-mt1.pusher.com, "
                  "and an app in another cluster refuses every broadcast", "PUSHER_APP_CLUSTER=<the app's cluster>",
                  doubt)


def _sends(backend: Backend, client: ServerClient) -> bool:
    """Whether the client triggers (one only signing auth answers needs no cluster): a trigger in its file, or on
    the name it is kept under when no other client has that name; in Node, any trigger of the app."""
    unique = client.bound_to is not None and sum(other.bound_to == client.bound_to for other in backend.clients) == 1
    return any(trigger.language == client.language and (
        client.language == NODE or trigger.location.file == client.location.file
        or (unique and trigger.receiver == client.bound_to)) for trigger in backend.triggers)


def _judge(client: ServerClient, sends: bool) -> Iterator[Hit]:
    options, texts = client.options, client.option_texts
    host = options.get("host")
    where = client.location
    if isinstance(host, str) and "://" in host:
        yield hit(where, f"host={texts['host']} holds a scheme: the SDK adds its own, so it calls "
                  f"'{'https' if client.language == PYTHON else 'http'}://{host}/...' and never reaches the server",
                  f"host='{host.split('://', 1)[1].rstrip('/')}', with ssl/useTLS for the scheme", Severity.ERROR)
        return
    if isinstance(host, str) and host.startswith(("ws-", "ws.", "sockjs")):
        yield hit(where, f"host={texts['host']} is Pusher's WebSocket host; the SDK calls the REST API "
                  "(api-CLUSTER.pusher.com)", "drop host and pass cluster='CLUSTER' (the cluster in the host's name)",
                  Severity.ERROR)
        return
    if "host" not in options and "cluster" not in options and sends:
        yield hit(where, "the client has neither cluster nor host: the SDK calls api.pusherapp.com (cluster mt1), "
                  "and an app in any other cluster answers every trigger with an error",
                  "pass cluster=settings.PUSHER_CLUSTER (the app's cluster in the Pusher dashboard)")
        return
    if "host" in options and "cluster" in options:
        yield hit(where, "the client has both host and cluster: the host wins and the cluster is not used",
                  "keep cluster for Pusher's cloud, or host (with port and ssl) for a self-hosted server",
                  Severity.NOTE)
    if client.language == PYTHON and isinstance(host, str) and _LOCAL_HOST.match(host):
        ssl = options.get("ssl", True)  # the Python SDK's default
        port = options.get("port")
        if ssl is True and (port in _PLAIN_PORTS or port is None):
            yield hit(where, f"the client speaks HTTPS (ssl defaults to True) to {host}"
                      + (f":{port}" if port else "") + ", where a local Reverb or soketi serves plain HTTP: "
                      "every trigger fails with an SSL error", "pass ssl=False for a plain-HTTP server")


RULE = Rule(
    id=ID,
    checklist_item="server-settings",
    title="The server SDK's client points at the wrong host",
    finds="A Python `pusher.Pusher(...)` or Node `new Pusher({...})` whose literal options put a scheme in `host` "
    "(an error), name Pusher's WebSocket host (an error), give neither `cluster` nor `host` while the client "
    "triggers (a warning: `mt1`; a client that only signs auth answers needs neither), "
    "give both (a note: `host` wins), or (Python) leave `ssl` at its default `True` for a local server "
    "(`localhost`, `soketi`, `reverb`) on port 6001, 8080 or 80 (a warning). In a Laravel app with the "
    "default config, the env file's `REVERB_*`/`PUSHER_*` connection: a scheme in `*_HOST` (an error), a local "
    "host on another port than 443 with `*_SCHEME` https or unset (a warning), Pusher with neither "
    "`PUSHER_APP_CLUSTER` nor `PUSHER_HOST` (a warning: `mt1`); notes when the values come from `.env.example`.",
    why="The trigger is sent to another server than the app's: it fails (TLS error, 404 unknown app, wrong "
    "cluster) or, caught and ignored, loses every message.",
    fix=cause_fix(ID),
    wrong="pusher_client = pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET, host='https://ws-eu.pusher.com')",
    right="pusher_client = pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET, cluster='eu')",
    check=check,
    severity=Severity.WARNING,
)
