"""The guest browser's WebSocket connection, through pysher, with every outcome observed and bounded.

pysher swallows errors in its own thread, retries some failures forever, prints a traceback on
4001/4003 and can block on `disconnect()`. This module replaces the handlers that do that, records
everything the connection sees in one log that the caller waits on with a timeout, and closes by
shutting the socket down so that pysher's thread and its scheduler end at once.
"""

from __future__ import annotations

import json
import logging
import math
import sched
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Self

from msgspec import Struct

from pusher_doctor.lazy import defer

# pysher imports requests at module level for its auth-endpoint helper, which pusher-doctor never calls;
# websocket-client imports http.cookies for servers that set a cookie on the handshake, which Pusher's do not.
defer("requests")
defer("http.cookies")
import pysher  # after the deferrals above, on purpose
import websocket

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.protocol.frames import BulkReader
from pusher_doctor.protocol.wire import (
    classify_transport_error,
    classify_ws_error,
    load_json,
    no_answer,
    parse_pusher_error,
    parse_subscription_error,
)
from pusher_doctor.results import Problem, problem

if TYPE_CHECKING:  # auth loads the REST client, which a watch never needs
    from pusher_doctor.protocol.signing import ChannelAuth, UserAuth

SUBSCRIBED = "pusher_internal:subscription_succeeded"
SUBSCRIPTION_ERROR = "pusher:subscription_error"


# A NamedTuple, as triage.model's WatchEvent: one for every event, cheapest to make.
class ChannelEvent(NamedTuple):
    channel: str
    event: str
    data: Any
    at: float  # time.monotonic() when it arrived


class Connected(Struct, frozen=True):
    socket_id: str
    elapsed_ms: float


class SignedIn(Struct, frozen=True):
    user_id: str
    elapsed_ms: float


class Subscribed(Struct, frozen=True):
    channel: str
    elapsed_ms: float
    #: the acknowledgement's data: on presence channels the members ({"presence": {"ids", "hash", "count"}})
    data: Any = None


def _parse_frame(message: str | bytes) -> Any:
    return json.loads(message.decode("utf-8") if isinstance(message, bytes) else message)


class GuestConnection:
    """One pysher connection as a guest page would open it (no secret: guests only know the key)."""

    CLOSE_WAIT = 0.3
    #: seconds an opened socket may stay silent before it counts as "not a Pusher server"
    GREETING_GRACE = 1.0
    #: the longest wait for the answer to a sign-in
    SIGNIN_WAIT = 5.0

    #: pusher:error frames kept (a server repeating one for every event must not fill the memory)
    SERVER_ERRORS_KEPT = 100

    def __init__(self, endpoint: Endpoint, key: str, on_event: Callable[[ChannelEvent], None] | None = None,
                 keep_events: bool = True, parse: Callable[[str | bytes], Any] | None = None,
                 on_events: Callable[[list[ChannelEvent]], None] | None = None) -> None:
        """`on_event` is called with every channel event as it arrives, on pysher's thread (hand it to a
        queue); `on_events` with the events of each read of the socket at once, in order (frames read in
        bulk: many per call, so a fast watch hands them to its thread in one go, not one by one); with
        `keep_events=False` only subscription answers are kept, so a long watch stays small.
        `parse` reads each frame's JSON in place of the standard parser, giving the same answers (the
        watch's `fast_json.loads`); bytes that are not UTF-8 must raise UnicodeDecodeError."""
        self.endpoint = endpoint
        self._parse = parse or _parse_frame
        self._on_event = on_event
        self._on_events = on_events
        #: events of the current read, for `on_events`; with the bulk reader, handed on after each read
        self._arrived: list[ChannelEvent] = []
        self._bulk = False
        self._keep_events = keep_events
        self._dropped_at: float | None = None
        self._changed = threading.Condition()
        self._stopped = threading.Event()
        self._socket_id: str | None = None
        self._opened_at: float | None = None
        self._failure: Problem | None = None
        self._events: list[ChannelEvent] = []
        #: the shared secret of each encrypted channel subscribed with one, to decrypt its events
        self._shared_secrets: dict[str, str] = {}
        self._signed_in = False
        #: the last pusher:error, as the server put it
        self._server_said: str | None = None
        #: every pusher:error the server sent (code, message), the first SERVER_ERRORS_KEPT of them
        self._server_errors: list[tuple[object, str]] = []
        #: frames left out because they were not the protocol (an event name that is not a string)
        self._odd_frames = 0
        self._started = False
        self._timers_armed_at = -math.inf
        self._pusher = pysher.Pusher(
            key, custom_host=endpoint.host, port=endpoint.port, secure=endpoint.secure,
            # pysher logs every payload at INFO and tracebacks at ERROR: keep its logger quiet.
            log_level=logging.CRITICAL, reconnect_interval=3600, auto_sub=False, daemon=True,
        )
        self._observe(self._pusher.connection)

    @property
    def server_errors(self) -> tuple[tuple[object, str], ...]:
        """Every pusher:error the server sent so far, as (code, message)."""
        return tuple(self._server_errors)

    @property
    def odd_frames(self) -> int:
        """How many frames were left out because they were not the protocol."""
        return self._odd_frames

    @property
    def label(self) -> str:
        return self.endpoint.ws_url_base

    def _observe(self, conn: pysher.connection.Connection) -> None:
        # pysher's own pusher:error handler joins its own thread (a traceback) or retries forever.
        conn.event_callbacks["pusher:error"] = [(self._on_pusher_error, (), {})]
        conn.bind("pusher:connection_established", self._on_established)
        conn.bind("pusher:signin_success", self._on_signed_in)
        # The websocket callbacks are looked up on the instance when the socket is created.
        original_open = conn._on_open
        # on_open comes just before websocket-client starts reading: its frames are read in bulk from then on.
        conn._on_open = lambda app, *args: (self._on_open(), original_open(app, *args), self._read_in_bulk(app))
        conn._on_error = self._on_transport_error
        conn._on_close = self._on_close
        conn._on_message = self._on_message
        # websocket-client validates each text frame's UTF-8, then decodes it: _on_message decodes it once.
        conn.socket_kwargs = {**conn.socket_kwargs, "skip_utf8_validation": True}
        # pysher's scheduler sleeps up to 30 s between checks; make its sleep end when we close.
        conn.timeout_scheduler = sched.scheduler(time.time, self._scheduler_sleep)

    # --- callbacks, on pysher's thread ---------------------------------------------------------------

    def _record(self, change: Callable[[], None]) -> None:
        with self._changed:
            change()
            self._changed.notify_all()

    def _fail(self, failure: Problem) -> None:
        def change() -> None:
            if self._failure is None:
                self._failure = failure
        self._stop_retrying()
        self._record(change)

    def _on_open(self) -> None:
        self._record(lambda: setattr(self, "_opened_at", time.monotonic()))

    def _read_in_bulk(self, app: Any) -> None:
        self._bulk = BulkReader.install(app, self._hand_over if self._on_events is not None else None)

    def _hand_over(self) -> None:
        """The events of the read just done, to `on_events` at once."""
        if self._arrived and self._on_events is not None:
            arrived, self._arrived = self._arrived, []
            self._on_events(arrived)

    def _on_established(self, data: Any) -> None:
        try:
            socket_id = str(load_json(data)["socket_id"])
        except (TypeError, ValueError, KeyError):
            self._fail(problem("not-pusher", f"{self.label}: malformed connection_established"))
            return
        self._record(lambda: setattr(self, "_socket_id", socket_id))

    def _on_signed_in(self, data: Any) -> None:
        self._record(lambda: setattr(self, "_signed_in", True))

    def _on_pusher_error(self, data: Any) -> None:
        code, message = parse_pusher_error(data)
        self._server_said = f"server said {code}: {message}" if code else f"server said: {message}"
        if len(self._server_errors) < self.SERVER_ERRORS_KEPT:
            self._server_errors.append((code, message))
        self._fail(classify_ws_error(code, message))

    def _on_transport_error(self, _ws: object, error: BaseException) -> None:
        if self._stopped.is_set():
            return
        self._fail(classify_transport_error(error, self.label))

    def _on_close(self, _ws: object, code: int | None = None, reason: Any = None) -> None:
        if not self._stopped.is_set() and self._dropped_at is None:
            self._dropped_at = time.monotonic()
        self._stop_retrying()
        if self._stopped.is_set() or code is None or code < 4000:
            self._record(lambda: None)
            return
        text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason or "")
        self._fail(classify_ws_error(code, text))

    def _on_message(self, _ws: object, message: str | bytes) -> None:
        # In place of pysher's own, which formats a log line and cancels and re-arms its ping and timeout
        # timers on every message (sorting a copy of the scheduler's queue each time): at thousands of
        # events a second that was a tenth of the reader's time. The timers are re-armed at most once a
        # second instead, which moves a ping or a timeout due minutes later by under a second.
        conn = self._pusher.connection
        now = time.monotonic()
        if now - self._timers_armed_at >= 1.0:
            self._timers_armed_at = now
            conn._start_timers()
        # Invalid UTF-8 raises here as websocket-client's own check did: the server does not speak the protocol.
        params = self._parse(message)
        if not isinstance(params, dict):
            raise websocket.WebSocketProtocolException("a frame that is not a JSON object")
        if not isinstance(params.get("event"), str) or not isinstance(params.get("channel", ""), str):
            # Not the protocol (an event name of null or a number): the frame is left out, and what
            # follows it still arrives; pysher's own reader would hand it on and crash a handler.
            self._odd_frames += 1
            return
        # Every channel event, subscription answers included (pysher has no catch-all binding), with its time.
        if "channel" in params:
            self._on_channel_event(params["event"], params.get("data"), params["channel"], now)
            return
        for callback, args, kwargs in conn.event_callbacks.get(params["event"], ()):
            try:
                callback(params.get("data"), *args, **kwargs)
            except Exception:  # as pysher does: a failing handler does not end the connection
                conn.logger.exception("Callback raised unhandled")

    def _on_channel_event(self, event: str, data: Any, channel: str, at: float) -> None:
        shared = self._shared_secrets.get(channel)
        if shared is not None and not event.startswith("pusher"):
            from pusher_doctor.protocol.signing import decrypt_event

            # An encrypted channel's events: the page decrypts them; one that will not open keeps its ciphertext.
            data = decrypt_event(shared, data) or data
        arrived = ChannelEvent(channel, event, data, at)
        if self._on_event is not None:
            self._on_event(arrived)
        if self._on_events is not None:
            self._arrived.append(arrived)
            if not self._bulk:  # websocket-client's own reader: one message per read
                self._hand_over()
        if self._keep_events or event in (SUBSCRIBED, SUBSCRIPTION_ERROR):
            self._record(lambda: self._events.append(arrived))

    def _stop_retrying(self) -> None:
        conn = self._pusher.connection
        conn.needs_reconnect = False
        conn.disconnect_called = True

    def _scheduler_sleep(self, seconds: float) -> None:
        if self._stopped.wait(min(seconds, 1.0)):
            for scheduled in list(self._pusher.connection.timeout_scheduler.queue):
                try:
                    self._pusher.connection.timeout_scheduler.cancel(scheduled)
                except ValueError:
                    pass

    # --- the caller's side -----------------------------------------------------------------------------

    def _wait(self, done: Callable[[], bool], timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: done() or self._failure is not None, max(timeout, 0.0)) \
                and done()

    def connect(self, timeout: float) -> Connected | Problem:
        """Opens the connection; the socket id, or why there is none, within `timeout` seconds."""
        started = time.monotonic()
        self._started = True
        # websocket-client bounds the TCP connect and the TLS/HTTP handshake only by its global default
        # timeout, which pysher gives no way to pass; without it a silent server holds the thread forever.
        websocket.setdefaulttimeout(max(timeout, 0.1))
        self._pusher.connect()
        if self._wait(lambda: self._socket_id is not None, timeout):
            return Connected(str(self._socket_id), (time.monotonic() - started) * 1000)
        if self._failure is not None:
            return self._failure
        # A Pusher server greets at once; a socket that stayed silent a while after opening is something else.
        if self._opened_at is not None and time.monotonic() - self._opened_at >= self.GREETING_GRACE:
            return problem("not-pusher", f"{self.label}: WebSocket accepted but no Pusher greeting "
                                           f"within {timeout:.1f} s: not a Pusher-protocol server")
        return no_answer(self.label, timeout, self.endpoint.secure)

    def subscribe(self, channel: str, timeout: float, auth: ChannelAuth | None = None) -> Subscribed | Problem:
        """Subscribes and waits for the server's acknowledgement; private channels with `auth` (from the
        app's auth endpoint or signed with the secret), else unsigned, as a page without auth would."""
        started = time.monotonic()
        request: dict[str, Any] = {"channel": channel}
        if auth is not None:
            request["auth"] = auth.auth
            if auth.channel_data is not None:
                request["channel_data"] = auth.channel_data
            if auth.shared_secret is not None:
                self._shared_secrets[channel] = auth.shared_secret
        elif channel.startswith(("private-", "presence-")):
            request["auth"] = ""
        # Sent directly: pysher's subscribe() drops channel_data when it is given an auth.
        self._pusher.connection.send_event("pusher:subscribe", request)

        def answer() -> ChannelEvent | None:
            return next((e for e in self._events if e.channel == channel
                         and e.event in (SUBSCRIBED, SUBSCRIPTION_ERROR)), None)

        self._wait(lambda: answer() is not None, timeout)
        reply = answer()
        if reply is not None and reply.event == SUBSCRIBED:
            return Subscribed(channel, (time.monotonic() - started) * 1000, reply.data)
        if reply is not None:
            # signing's module is loaded on a refusal only (~3 ms of a start otherwise)
            from pusher_doctor.protocol.signing import SIGNED_REFUSAL

            code, message = parse_subscription_error(reply.data)
            status = f" {code}" if code else ""
            signed = channel.startswith(("private-", "presence-"))
            return problem("subscription-refused", f"subscription to {channel} refused{status}: {message}",
                           SIGNED_REFUSAL if signed else None)
        if self._failure is not None:
            return self._failure
        return problem("timeout", f"no acknowledgement for {channel} within {timeout:.1f} s")

    def sign_in(self, auth: UserAuth, timeout: float) -> SignedIn | Problem:
        """Signs the connection in as pusher-js's signin() does and waits for the server's answer: on a
        refused signature the server sends pusher:error 4009 and closes the connection."""
        started = time.monotonic()
        self._pusher.connection.send_event("pusher:signin", {"auth": auth.auth, "user_data": auth.user_data})
        # Servers answer at once: a silent one must not take the time the later steps need.
        timeout = min(timeout, self.SIGNIN_WAIT)
        self._wait(lambda: self._signed_in or self._failure is not None or self._dropped_at is not None, timeout)
        if self._signed_in:
            return SignedIn(auth.user_id, (time.monotonic() - started) * 1000)
        if self._failure is not None or self._dropped_at is not None:
            said = self._server_said or (self._failure.summary if self._failure is not None else None)
            return problem("signin-refused", f"the server refused the sign-in as user {auth.user_id}"
                           + (f" ({said})" if said else "") + " and closed the connection")
        return problem("timeout", f"no answer to the sign-in within {timeout:.1f} s")

    @property
    def socket_id(self) -> str | None:
        """The server's id for this connection, once connected: what auth signatures are made for."""
        return self._socket_id

    def send_client_event(self, channel: str, event: str, data: Any) -> None:
        """Sends a client event (`client-...`) on a subscribed channel, as a page's channel.trigger() does;
        a refusal comes back as a `pusher:error` event on that channel."""
        self._pusher.connection.send_event(event, data, channel)

    def wait_for_events(self, wanted: Callable[[list[ChannelEvent]], bool], timeout: float) -> list[ChannelEvent]:
        """Waits until `wanted(events so far)` holds or the time is up; returns the events seen."""
        self._wait(lambda: wanted(self._events), timeout)
        with self._changed:
            return list(self._events)

    @property
    def dropped_at(self) -> float | None:
        """time.monotonic() when the server or the network ended the connection (not our `close`), else
        None. pysher's own reconnection is off: a caller that wants to go on opens a new connection."""
        return self._dropped_at

    @property
    def failure(self) -> Problem | None:
        """Why the connection failed or was refused, once it has."""
        return self._failure

    def close(self) -> None:
        """Ends the connection and pysher's threads within a fraction of a second."""
        self._stopped.set()
        self._stop_retrying()
        conn = self._pusher.connection
        app = conn.socket
        if app is not None:
            app.keep_running = False
            raw = getattr(getattr(app, "sock", None), "sock", None)
            if raw is not None:
                # Shutting down (not just closing) wakes websocket-client's select() at once.
                try:
                    raw.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if self._started:
            conn.join(self.CLOSE_WAIT)
        scheduler_thread = conn.timeout_scheduler_thread
        if scheduler_thread is not None:
            scheduler_thread.join(self.CLOSE_WAIT)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

