"""Every way the chain can break, by stable id: what it means and how to fix it.

Checks name a cause by id; the README's troubleshooting table is this registry. Ids never change
once published: CI scripts match on them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cause:
    id: str
    meaning: str
    fix: str


CAUSES: tuple[Cause, ...] = (
    Cause("missing-setting", "a required Pusher setting is absent",
          "add it to the backend's .env (or pass the option) with the value from the Pusher dashboard"),
    Cause("malformed-setting", "a setting has the wrong form (quotes, spaces, non-numeric id, bad port...)",
          "correct the value as the summary says; copy it again from the Pusher dashboard"),
    Cause("invalid-channel-name", "a channel name the backend builds breaks Pusher's naming rules",
          "use only A-Z a-z 0-9 _ - = @ , . ; and at most 164 characters in slugs and room numbers"),
    Cause("unreachable", "the host does not resolve or refuses the connection",
          "check PUSHER_HOST/PUSHER_PORT (self-hosted) or PUSHER_CLUSTER (cloud), and that the server runs"),
    Cause("tls-error", "the TLS handshake failed",
          "use PUSHER_SCHEME=http for a plain server, or fix the server's certificate"),
    Cause("timeout", "the server did not answer in time",
          "check firewalls and proxies between here and the server, or raise --timeout"),
    Cause("not-pusher", "something answered, but it is not a Pusher-protocol server",
          "point PUSHER_HOST/PUSHER_PORT at the soketi/Reverb port, not a web server"),
    Cause("app-not-found", "the server has no app with this app id",
          "copy PUSHER_APP_ID from the dashboard (or the server's app config)"),
    Cause("key-not-found", "the server has no app with this key",
          "copy PUSHER_KEY from the dashboard; check key and secret are not swapped"),
    Cause("wrong-cluster", "the key belongs to an app in another cluster",
          "set PUSHER_CLUSTER (backend) and the frontend's cluster to the app's cluster"),
    Cause("wrong-secret", "the server rejected the request signature",
          "copy PUSHER_SECRET from the dashboard; check it belongs to this app id"),
    Cause("clock-skew", "this machine's clock differs from the server's by more than Pusher allows",
          "sync the clock (e.g. `timedatectl set-ntp true`)"),
    Cause("app-disabled", "the app is disabled on the server",
          "enable the app in the Pusher dashboard or the server's app config"),
    Cause("over-quota", "the app reached its connection or message quota",
          "raise the plan's limits or the server's maxConnections, or close idle connections"),
    Cause("payload-too-large", "the event is larger than the app allows (Pusher: 10 KB)",
          "send an id and let the page fetch the message, or shorten the payload"),
    Cause("subscription-refused", "the server refused the channel subscription",
          "public room channels need no auth: check the channel name and the server's channel rules"),
    Cause("event-not-delivered", "the event was accepted but never reached the subscribed guest",
          "check that the trigger and the subscription use the same app, cluster and channel name"),
    Cause("server-error", "the server answered with an error this tool does not know",
          "read the server's message in the details; check the server's logs"),
    Cause("internal-error", "a check crashed (status `error`); the other checks still ran",
          "a pusher-doctor bug: report it with the --verbose output"),
    Cause("usage-error", "the command line or a file it names is unusable (exit code 2)",
          "correct the option as the message says; see --help"),
    Cause("live-guest-absent", "no browser is subscribed to the room channel right now",
          "open the guest page and check it subscribes to the room channel (see `scan-frontend`)"),
)

_BY_ID = {cause.id: cause for cause in CAUSES}


def fix_for(cause_id: str) -> str:
    """The standard fix for a cause id."""
    return _BY_ID[cause_id].fix
