"""The backend's side: signed REST calls through the `pusher` library, with every outcome observed.

The library raises for some HTTP statuses, raises ValueError for its own checks, and returns soketi's
errors (HTTP 200 with an error body) as success. A custom backend hands us the raw answer instead, and
this module turns each call into either a parsed body or a Problem. The backend speaks HTTP through the
standard library: the library's default (requests) costs every run ~80 ms of imports for one request.
"""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from msgspec import Struct

from pusher_doctor.lazy import defer

# The pusher library imports nacl at load time for encrypted channels alone.
defer("nacl.secret")
defer("nacl.utils")
import pusher  # after the deferrals above, on purpose

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.bounded import within
from pusher_doctor.protocol.wire import classify_rest_answer, classify_transport_error, load_json, no_answer
from pusher_doctor.results import Problem, problem


class RawAnswer(Struct, frozen=True):
    status: int
    body: str
    server_date: str | None
    sent_at: float  # time.time() when the request left
    #: the answer went on past MAX_ANSWER_BYTES: `body` is only its start
    cut: bool = False


class RestSuccess(Struct, frozen=True):
    body: dict[str, Any]
    server_date: str | None
    sent_at: float
    elapsed_ms: float


#: the most of an answer that is read: a Pusher answer is small, a hostile one could be endless
MAX_ANSWER_BYTES = 4 << 20


class _RawBackend:
    """A `pusher` library backend that returns the raw answer instead of interpreting it."""

    def __init__(self, client: Any, **_options: Any) -> None:
        self.client = client

    def send_request(self, request: Any) -> RawAnswer:
        url = urlsplit(request.url)
        timeout = self.client.timeout
        connection = (http.client.HTTPSConnection(url.hostname or "", url.port, timeout=timeout,
                                                  context=ssl.create_default_context())
                      if url.scheme == "https" else http.client.HTTPConnection(url.hostname or "", url.port,
                                                                                timeout=timeout))
        try:
            sent_at = time.time()
            body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
            connection.request(request.method, url.path + (f"?{url.query}" if url.query else ""), body=body,
                               headers=request.headers)
            answer = connection.getresponse()
            content = answer.read(MAX_ANSWER_BYTES + 1)  # one byte more tells a cut answer from a full one
            return RawAnswer(answer.status, content[:MAX_ANSWER_BYTES].decode("utf-8", "replace"),
                             answer.getheader("Date"), sent_at, cut=len(content) > MAX_ANSWER_BYTES)
        finally:
            connection.close()


# The pusher library's ValueError messages (how each starts) and the cause each means.
_LIBRARY_REFUSALS = {
    "Invalid Channel": "invalid-channel-name",
    "Channel too long": "invalid-channel-name",
    "Too much data": "payload-too-large",
    "Invalid app id": "malformed-setting",
    "No master key was provided": "encryption-key-mismatch",
    "encryption_master_key": "encryption-key-mismatch",
}


class RestClient:
    """Signed calls to one app's REST API."""

    def __init__(self, endpoint: Endpoint, app_id: str, key: str, secret: Secret,
                 master_key: Secret | None = None) -> None:
        self.endpoint = endpoint
        self._app_id = app_id
        self._key = key
        self._secret = secret
        #: the app's encryption master key: the library then encrypts what it triggers on
        #: private-encrypted- channels, exactly as the backend's own client does
        self._master_key = master_key

    def with_master_key(self, master_key: Secret) -> RestClient:
        return RestClient(self.endpoint, self._app_id, self._key, self._secret, master_key)

    def for_channels(self, channels: Iterable[str], master_key: Secret | None) -> RestClient | Problem:
        """The client to trigger on `channels` with: on private-encrypted- ones it holds the app's master key,
        so that the library encrypts as the backend's own client does; `encryption-key-mismatch` when that
        key is missing or is not one (said before anything is sent)."""
        from pusher_doctor.hotel_chat import is_encrypted
        from pusher_doctor.protocol.signing import master_key_problem

        if not any(map(is_encrypted, channels)):
            return self
        if master_key is None:
            return problem("encryption-key-mismatch", "the channels are encrypted but "
                           "PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set: their events cannot be encrypted")
        if (why := master_key_problem(master_key)) is not None:
            return problem("encryption-key-mismatch", why)
        return self.with_master_key(master_key)

    def _client(self, timeout: float) -> pusher.Pusher:
        encryption = {"encryption_master_key_base64": self._master_key.reveal()} if self._master_key else {}
        return pusher.Pusher(
            app_id=self._app_id, key=self._key, secret=self._secret.reveal(),
            host=self.endpoint.host, port=self.endpoint.port, ssl=self.endpoint.secure,
            timeout=max(timeout, 0.05), backend=_RawBackend, **encryption,
        )

    def _call(self, timeout: float, method: str, *args: Any) -> RestSuccess | Problem:
        started = time.monotonic()
        outcome = within(timeout, lambda: getattr(self._client(timeout), method)(*args), "pusher-doctor-rest")
        if outcome is None:
            return no_answer(self.endpoint.http_url_base, timeout, self.endpoint.secure)
        if isinstance(outcome, (ValueError, TypeError)):  # the library's own checks, before anything is sent
            cause = next((cause for start, cause in _LIBRARY_REFUSALS.items() if str(outcome).startswith(start)),
                         "malformed-setting")
            return problem(cause, f"the pusher library refused the call before sending: {outcome}")
        if isinstance(outcome, (OSError, http.client.HTTPException)):
            return classify_transport_error(outcome, self.endpoint.http_url_base)
        if isinstance(outcome, BaseException):
            raise outcome
        raw: RawAnswer = outcome
        if raw.cut:
            return problem("answer-too-large", f"{self.endpoint.http_url_base}: the answer (HTTP {raw.status}) is "
                                               f"larger than the {MAX_ANSWER_BYTES >> 20} MiB pusher-doctor reads")
        refused = classify_rest_answer(raw.status, raw.body)
        if refused is not None:
            return refused
        return RestSuccess(load_json(raw.body), raw.server_date, raw.sent_at,
                           (time.monotonic() - started) * 1000)

    def list_channels(self, timeout: float, prefix: str | None = None,
                      counts: bool = False) -> RestSuccess | Problem:
        """The occupied channels; with `prefix`, only those whose names start with it (the server filters,
        so a hotel with thousands of rooms is still one request); with `counts`, each channel's
        `subscription_count` (Pusher cloud reports it only when subscription counting is enabled) and, when
        the prefix is `presence-`, each channel's `user_count` (Pusher allows it only then)."""
        if prefix is None and not counts:
            return self._call(timeout, "channels_info")
        info = ["subscription_count", *(["user_count"] if prefix and prefix.startswith("presence-") else [])]
        return self._call(timeout, "channels_info", prefix, info if counts else [])

    def channel_info(self, channel: str, timeout: float) -> RestSuccess | Problem:
        """The channel's `subscription_count`, and on a presence channel its `user_count` (distinct members)."""
        info = ["subscription_count", *(["user_count"] if channel.startswith("presence-") else [])]
        return self._call(timeout, "channel_info", channel, info)

    def trigger(self, channel: str, event: str, data: dict[str, Any] | str, timeout: float) -> RestSuccess | Problem:
        return self._call(timeout, "trigger", channel, event, data)

    def trigger_batch(self, events: list[tuple[str, str, Any]], timeout: float) -> RestSuccess | Problem:
        """Up to 10 events (channel, event, data) in one request; the library mutates the list it is
        given, so it gets a fresh one."""
        batch = [{"channel": channel, "name": event, "data": data} for channel, event, data in events]
        return self._call(timeout, "trigger_batch", batch)
