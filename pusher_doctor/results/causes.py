"""Every way the chain can break, by stable id: what it means and how to fix it.

Checks name a cause by id; the README's troubleshooting table is this registry. Ids never change
once published: CI scripts match on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pusher_doctor.results.outcome import Problem, Remediation, as_remediation


@dataclass(frozen=True)
class Cause:
    id: str
    meaning: str
    fix: Remediation


CAUSES: tuple[Cause, ...] = (
    Cause("missing-setting", "a required Pusher setting is absent",
          Remediation("add it to the backend's .env (or pass the option) with the value from the Pusher dashboard")),
    Cause("malformed-setting", "a setting has the wrong form (quotes, spaces, non-numeric id, bad port...)",
          Remediation("correct the value as the summary says; copy it again from the Pusher dashboard")),
    Cause("invalid-channel-name", "a channel name the backend builds breaks Pusher's naming rules",
          Remediation("use only A-Z a-z 0-9 _ - = @ , . ; and at most 164 characters in slugs and room numbers")),
    Cause("unreachable", "the host does not resolve or refuses the connection",
          Remediation("check PUSHER_HOST/PUSHER_PORT (self-hosted) or PUSHER_CLUSTER (cloud), and that the server runs")),
    Cause("tls-error", "the TLS handshake failed",
          Remediation("use PUSHER_SCHEME=http for a plain server, or fix the server's certificate")),
    Cause("timeout", "the server did not answer in time",
          Remediation("check firewalls and proxies between here and the server, or raise --timeout")),
    Cause("not-pusher", "something answered, but it is not a Pusher-protocol server",
          Remediation("point PUSHER_HOST/PUSHER_PORT at the soketi/Reverb port, not a web server")),
    Cause("app-not-found", "the server has no app with this app id",
          Remediation("copy PUSHER_APP_ID from the dashboard (or the server's app config)")),
    Cause("key-not-found", "the server has no app with this key",
          Remediation("copy PUSHER_KEY from the dashboard; check key and secret are not swapped")),
    Cause("wrong-cluster", "the key belongs to an app in another cluster",
          Remediation("set PUSHER_CLUSTER (backend) and the frontend's cluster to the app's cluster")),
    Cause("wrong-secret", "the server rejected the request signature",
          Remediation("copy PUSHER_SECRET from the dashboard; check it belongs to this app id")),
    Cause("clock-skew", "this machine's clock differs from the server's by more than Pusher allows",
          Remediation("sync this machine's clock", ("timedatectl set-ntp true",))),
    Cause("app-disabled", "the app is disabled on the server",
          Remediation("enable the app in the Pusher dashboard or the server's app config")),
    Cause("over-quota", "the app reached its connection or message quota",
          Remediation("raise the plan's limits or the server's maxConnections, or close idle connections")),
    Cause("payload-too-large", "the event is larger than the app allows (Pusher: 10 KB)",
          Remediation("send an id and let the page fetch the message, or shorten the payload")),
    Cause("subscription-refused", "the server refused the channel subscription",
          Remediation("public room channels need no auth: check the channel name and the server's channel rules")),
    Cause("event-not-delivered", "the event was accepted but never reached the subscribed guest",
          Remediation("check that the trigger and the subscription use the same app, cluster and channel name")),
    Cause("server-error", "the server answered with an error this tool does not know",
          Remediation("read the server's message in the details; check the server's logs")),
    Cause("internal-error", "a check crashed (status `error`); the other checks still ran",
          Remediation("a pusher-doctor bug: report it with the --verbose output")),
    Cause("usage-error", "the command line or a file it names is unusable (exit code 2)",
          Remediation("correct the option as the message says; see --help")),
    Cause("live-guest-absent", "no browser is subscribed to the room channel right now",
          Remediation("if the guest page is open, it is not subscribed (the most likely cause of \"only after a "
                      "refresh\"): check the page's channel name and subscription", ("pusher-doctor scan-frontend ./src",))),
    Cause("channel-near-miss", "nobody is on the room channel, but a channel with almost its name is occupied",
          Remediation("make the guest page build the channel name exactly as the backend does: "
                      "{hotel}-room-{room}-chat", ("pusher-doctor scan-frontend ./src",))),
    # Private, presence and encrypted channels (`check --channel-prefix`, `--auth-endpoint`).
    Cause("auth-endpoint-unreachable", "the app's auth endpoint could not be reached (host, port, TLS or time)",
          Remediation("check that --auth-endpoint is the URL the page uses and that it opens from this machine")),
    Cause("auth-endpoint-status", "the auth endpoint answered with an HTTP error instead of 200",
          Remediation("401/403: send the guest's session (--auth-cookie, --auth-header); 404: a wrong or relative "
                      "URL; 419: the CSRF token is missing; 5xx: read the backend's logs")),
    Cause("auth-response-invalid", "the auth endpoint's answer is not the JSON pusher-js expects ({\"auth\": ...})",
          Remediation("return the pusher library's authenticate(channel, socket_id) result as the body, unwrapped")),
    Cause("auth-signature-mismatch", "the auth endpoint's signature is not the one the server will expect",
          Remediation("sign with this app's key and secret, for the request's socket_id and channel_name")),
    Cause("presence-data-missing", "a presence channel's auth answer has no channel_data or no user_id",
          Remediation("pass the user: authenticate(channel, socket_id, {\"user_id\": ..., \"user_info\": {...}})")),
    Cause("auth-cors", "a browser on the page's origin may not read the auth endpoint's answer (CORS)",
          Remediation("answer the page's origin with Access-Control-Allow-Origin (and Access-Control-Allow-Headers "
                      "for custom headers), or serve the endpoint from the page's origin")),
    Cause("encryption-key-mismatch", "an encrypted channel's master key is missing, malformed or not the endpoint's",
          Remediation("set the same PUSHER_ENCRYPTION_MASTER_KEY_BASE64 (32 random bytes, base64) where the backend "
                      "triggers and where the auth endpoint signs", ("openssl rand -base64 32",))),
    Cause("public-guest-channel", "the guest's channel is public: anyone who knows its name can read it",
          Remediation("move to private-{hotel}-room-{room}-chat: the backend triggers on the new name and adds an "
                      "auth endpoint that checks the guest's session; the page subscribes to the new name")),
    Cause("client-events-enabled", "the app relays client events on the guest channel: a guest can send events",
          Remediation("turn client events off in the app's settings (soketi: enableClientMessages false) unless the "
                      "page sends them, and never trust an event the page did not get from the backend")),
)

_BY_ID = {cause.id: cause for cause in CAUSES}


def problem(cause_id: str, summary: str, hint: str | Remediation | None = None, about: str | None = None) -> Problem:
    """A problem of a known cause; its fix is the cause table's unless this case knows a sharper one."""
    return Problem(cause_id, summary, _BY_ID[cause_id].fix if hint is None else as_remediation(hint), about)
