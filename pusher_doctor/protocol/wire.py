"""Turns what servers and sockets answer into causes: pure functions, no I/O.

Knows the wire forms of Pusher cloud (documented), soketi (HTTP 200 with an `{"error", "code"}`
body; quota code 4100) and Laravel Reverb (`pusher:error` data JSON-encoded twice).
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import ssl
from typing import Any

from pusher_doctor.lazy import defer

# websocket-client imports http.cookies for servers that set a cookie on the handshake, which Pusher's do not.
defer("http.cookies")
import websocket  # after the deferral above, on purpose

from pusher_doctor.results import Problem, problem

#: Pusher refuses signed REST requests whose timestamp is further than this from its clock.
CLOCK_WINDOW_SECONDS = 600


def load_json(text: str | bytes) -> Any:
    """Parsed JSON from a server; ValueError for anything unusable, deeply nested answers included
    (the standard parser recurses, and a hostile server could otherwise crash the run)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _answer_problem(what: str, body: Any) -> Problem:
    try:
        quoted = json.dumps(body, ensure_ascii=False)
    except (ValueError, TypeError, RecursionError):
        quoted = type(body).__name__
    return problem("server-error", f"the server's answer has no valid {what}: {_short_text(quoted)}",
                   "the server answered in a shape the Pusher HTTP API does not use: check it is a Pusher-protocol "
                   "server (soketi, Reverb, Pusher cloud) and read its logs")


def occupied_channels(body: dict[str, Any]) -> dict[str, Any] | Problem:
    """The `channels` object of a channels listing, checked for the shape Pusher documents."""
    channels = body.get("channels", {})
    if not isinstance(channels, dict):
        return _answer_problem("channels object", body)
    return channels


def subscription_count(body: dict[str, Any]) -> int | None | Problem:
    """A channel's `subscription_count` (None when the server does not report it), checked."""
    count = body.get("subscription_count")
    if count is None:
        return None
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return _answer_problem("subscription_count", body)
    return count


def decoded(data: Any, depth: int = 3) -> Any:
    """An event's data however many times (up to `depth`) it was JSON-encoded: pysher hands over the raw
    JSON string, Reverb encodes `pusher:error` twice, some backends their events' data. A string that is
    not JSON stays a string. The watch's events: `fast_json.decoded`, which gives the same."""
    for _ in range(depth):
        if not isinstance(data, str):
            break
        try:
            data = load_json(data)
        except ValueError:
            break
    return data


def _code(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


def parse_pusher_error(data: Any) -> tuple[int | None, str]:
    """The (code, message) of a `pusher:error` event's data, whatever its encoding.

    Pusher and soketi send an object; Reverb sends the object JSON-encoded, inside a JSON string.
    """
    data = decoded(data)
    if not isinstance(data, dict):
        return None, "" if data is None else str(data)
    return _code(data.get("code")), str(data.get("message") or "")


def parse_subscription_error(data: Any) -> tuple[int | None, str]:
    """The (status, message) of a `pusher:subscription_error`: Pusher and soketi send {"type", "error",
    "status"}; some servers send a `pusher:error`-like {"code", "message"} or a bare string."""
    data = decoded(data)
    if not isinstance(data, dict):
        return None, "" if data is None else str(data)
    kind = data.get("type")
    message = str(data.get("error") or data.get("message") or "")
    return (_code(data.get("status", data.get("code"))),
            f"{kind}: {message}" if isinstance(kind, str) and kind and message else message)


def classify_ws_error(code: int | None, message: str) -> Problem:
    """A WebSocket `pusher:error` (or close code) from the server."""
    said = f"server said {code}: {message}".strip().rstrip(":") if code else f"server said: {message}"
    lowered = message.lower()
    if code == 4001:
        if "cluster" in lowered:
            return problem("wrong-cluster", f"the key belongs to another cluster ({said})")
        return problem("key-not-found", f"the server knows no app with this key ({said})")
    if code == 4003:
        return problem("app-disabled", f"the app is disabled ({said})")
    if code in (4004, 4100):
        return problem("over-quota", f"the app is over its connection quota ({said})")
    if code == 4009:
        return problem("server-error", f"the connection was not authorized in time ({said})",
                         "this app requires user authentication: the guest page must call signin()")
    if code is not None and 4200 <= code <= 4299:
        return problem("server-error", f"the server closed the connection ({said})",
                         "the server is restarting or dropped idle connections; run the check again")
    return problem("server-error", f"the server refused the connection ({said})")


def no_answer(where: str, seconds: float, secure: bool) -> Problem:
    """Nothing (or nothing complete) came back in time."""
    # A plain-http server (soketi, Reverb in development) never answers a TLS hello: the usual cause.
    tls = "if the server speaks plain http, set PUSHER_SCHEME=http; " if secure else ""
    return problem("timeout", f"{where}: no answer within {seconds:.1f} s",
                     tls + "check firewalls and proxies between here and the server, or raise --timeout")


def classify_transport_error(error: BaseException, endpoint: str) -> Problem:
    """A socket, TLS, HTTP-library or WebSocket-handshake error reaching `endpoint`.

    Libraries wrap the root cause (an HTTP library > its pool > socket), so the whole chain is searched,
    the most telling kind of cause first: a read timeout during the TLS handshake is a TLS problem.
    """
    chain = _exception_chain(error)

    def find(kinds: tuple[type[BaseException], ...] = (), *texts: str) -> BaseException | None:
        return next((exc for exc in chain if isinstance(exc, kinds)
                     or any(text in str(exc).lower() for text in texts)), None)

    if find((socket.gaierror,), "name or service not known", "failed to resolve", "name resolution"):
        return problem("unreachable", f"{endpoint}: the host name does not resolve")
    if exc := find((ssl.SSLError,)):
        return problem("tls-error", f"{endpoint}: TLS handshake failed ({_short(exc)})")
    if find((ConnectionRefusedError,), "connection refused"):
        return problem("unreachable", f"{endpoint}: connection refused (nothing listens there)")
    if isinstance(exc := find((websocket.WebSocketBadStatusException,)), websocket.WebSocketBadStatusException):
        return problem("not-pusher", f"{endpoint}: answered HTTP {exc.status_code} instead of a WebSocket "
                                       "upgrade: not a Pusher-protocol server")
    if find((socket.timeout, TimeoutError, websocket.WebSocketTimeoutException), "timed out"):
        return problem("timeout", f"{endpoint}: no answer in time")
    if find((json.JSONDecodeError, UnicodeDecodeError, websocket.WebSocketProtocolException,
             http.client.HTTPException)):
        return problem("not-pusher", f"{endpoint}: answered, but not in the Pusher protocol")
    if isinstance(error, OSError):
        return problem("unreachable", f"{endpoint}: connection failed ({_short(error)})")
    if exc := next((e for e in chain if isinstance(e, UnicodeError) and not isinstance(e, UnicodeDecodeError)), None):
        # raised here, encoding the host name ('a..b' for IDNA): nothing was sent, so no server is to blame
        return problem("malformed-setting", f"{endpoint}: the host name cannot be used ({_short(exc)})",
                       "write the host name with letters, digits, dots and hyphens, no empty part between dots")
    return problem("server-error", f"{endpoint}: {_short(error)}")


def classify_rest_answer(status: int, body: str) -> Problem | None:
    """A REST answer: None when it is a success, else what went wrong.

    soketi answers errors with HTTP 200 and `{"error": ..., "code": ...}`, so the body decides, not
    only the status.
    """
    parsed: Any
    try:
        parsed = load_json(body) if body.strip() else None
    except ValueError:
        parsed = None
    message = body.strip()
    if isinstance(parsed, dict) and "error" in parsed:
        message = str(parsed.get("error") or "")
        try:
            status = int(parsed.get("code") or status)
        except (TypeError, ValueError):
            pass
    elif status in (200, 202):
        if isinstance(parsed, dict):
            return None
        return problem("not-pusher", f"HTTP {status} with a body that is not Pusher's JSON "
                                       f"({_short_text(body)}): not a Pusher-protocol server")
    return _classify_rest_error(status, message, parsed)


def _classify_rest_error(status: int, message: str, parsed: Any) -> Problem:
    said = f"HTTP {status}: {_short_text(message)}"
    lowered = message.lower()
    if status == 401:
        # Not any "timestamp": Pusher's invalid-signature message quotes the signed string, auth_timestamp included.
        if lowered.startswith("timestamp expired") or "not within" in lowered:
            return problem("clock-skew", f"the server refused the request time ({said})")
        return problem("wrong-secret", f"the request signature was refused ({said})")
    if status == 400 and "auth_key" in lowered:
        return problem("key-not-found", f"the server knows no app with this key ({said})")
    # A web server's 404 page often echoes the path (/apps/1/events): only a Pusher-like answer counts.
    if status == 404 and (parsed is not None or ("app" in lowered and "<" not in message
                                                 and not lowered.startswith("cannot"))):
        return problem("app-not-found", f"the server has no app with this app id ({said})")
    if status == 413 or "exceeds the allowed maximum" in lowered or "should be less than" in lowered:
        return problem("payload-too-large", f"the event is too large for this app ({said})")
    if status == 403:
        if "quota" in lowered or "limit" in lowered:
            return problem("over-quota", f"the app is over its message quota ({said})")
        return problem("app-disabled", f"the server refused this app ({said})")
    if parsed is None and status in (404, 405, 301, 302, 307, 308):
        return problem("not-pusher", f"{said}: not a Pusher-protocol REST API")
    return problem("server-error", f"the server refused the request ({said})")


def clock_skew_seconds(server_date: str | None, local_epoch: float) -> float | None:
    """Seconds the server's HTTP Date header is ahead of this machine (negative: behind)."""
    if not server_date:
        return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(server_date).timestamp() - local_epoch
    except (TypeError, ValueError):
        return None


def _exception_chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        nested = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        reason = getattr(current, "reason", None)
        current = current.__cause__ or current.__context__ or nested or (
            reason if isinstance(reason, BaseException) else None)
    return seen


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return _short_text(text)


_MARKUP = re.compile(r"<[^<>]{0,200}>")


def _short_text(text: str, limit: int = 120) -> str:
    """A short, one-line excerpt of a server's text: HTML tags dropped, whitespace collapsed, cut with "…".

    The cut happens before secrets are masked; the Redactor masks a secret's piece left beside "…".
    """
    text = " ".join(_MARKUP.sub(" ", text[: limit * 20]).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
