"""`watch`: the Debug Console in a terminal. Subscribes as a guest page would (key only) and hands each
event, and each change of the connection, to the caller as it happens; at the end, a summary.

pysher calls back on its own thread: events go through a queue to the caller's thread, which does
everything else (so a slow terminal slows the display, never pysher's reading), the events of each read
of the socket as one item (a fast server's many frames pass between the threads at once). pysher's own
reconnection is off (see protocol/guest.py); after a drop this module opens a new connection, says how
long the gap was, and re-subscribes. Pusher keeps no history: events sent during a gap are lost.
"""

from __future__ import annotations

import functools
import json
import math
import queue
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.hotel_chat import (
    CONVERSATION_EVENTS,
    PRESENCE_PREFIX,
    ROOM_EVENT,
    is_encrypted,
    needs_auth,
)
from pusher_doctor.protocol import fast_json
from pusher_doctor.protocol.authorizer import ChannelAuthorizer
from pusher_doctor.protocol.guest import (
    SUBSCRIBED,
    SUBSCRIPTION_ERROR,
    ChannelEvent,
    Connected,
    GuestConnection,
)
from pusher_doctor.protocol.listeners import OWN_MARKER_PREFIX, own_marker
from pusher_doctor.protocol.rest import RestClient
from pusher_doctor.protocol.signing import ChannelAuth, presence_members
from pusher_doctor.protocol.wire import classify_ws_error, decoded
from pusher_doctor.results import Problem, problem
from pusher_doctor.triage.model import (
    BEHIND_S,
    Gap,
    MessageTrail,
    ServerError,
    SkippedIds,
    WatchEvent,
    WatchNotice,
    WatchSummary,
)
from pusher_doctor.triage.rooms import list_hotel

_ROOM = re.compile(r".+-room-[^-]+-chat")
_CONVERSATION = re.compile(r".+-conversation-[^-]+-chat")
#: characters of an event's data shown on its line
EXCERPT_LENGTH = 80
#: message ids remembered for the summary's trails; older ones are dropped (a long watch stays small)
TRAIL_LIMIT = 10_000
#: consecutive message ids (each one more than the last) on one channel and event before a jump is called
#: a skip: ids that only count up one by one are the backend's own sequence, not rooms taking turns
DENSE_RUN = 20
#: skips kept for the summary (each is also a notice as it happens)
SKIPS_KEPT = 1000
#: seconds of waiting below which a watch that was behind has caught up
CAUGHT_UP_S = 0.2
#: seconds without an event after which what was emitted is flushed (the console's and --json's "at once")
GATHER_S = 0.002
#: seconds a connection must last for its drop to be a mishap, not a server that drops every connection
STEADY_S = 5.0
#: the longest wait between reconnects to a server that keeps dropping them
MAX_BACKOFF_S = 30.0
#: connections in a row that dropped before STEADY_S for the watch to call the server unsteady (exit 1)
FLAPS_UNSTEADY = 3

Emit = Callable[[WatchEvent | WatchNotice], None]
#: the backend's three events for one message, in the order it sends them
_BACKEND_EVENTS = (ROOM_EVENT, *CONVERSATION_EVENTS)
#: what a presence channel's server says when a member joins or leaves
_MEMBER_EVENTS = ("pusher_internal:member_added", "pusher_internal:member_removed")


# Asked for every event; a watch sees few channels (bounded for --all-rooms on a large hotel).
@functools.lru_cache(maxsize=4096)
def expected_events(channel: str) -> frozenset[str] | None:
    """The events the backend sends on this channel, or None when the channel is not one of its kinds."""
    if _ROOM.fullmatch(channel):
        return frozenset({ROOM_EVENT})
    if _CONVERSATION.fullmatch(channel):
        return frozenset(CONVERSATION_EVENTS)
    return None


def _excerpt(data: Any, raw: Any) -> str:
    """The message's text, else the data as the server sent it (`raw`, when it is JSON text: encoding
    the parsed data again would cost a fast watch its time), else encoded."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        text = data["message"]
    elif isinstance(data, str):
        text = data
    elif isinstance(raw, str) and not raw.lstrip().startswith('"'):  # not encoded twice
        text = raw
    else:
        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            text = type(data).__name__
    # Only the start is shown: a long value is not split whole.
    cut = len(text) > EXCERPT_LENGTH * 4
    text = " ".join(text[: EXCERPT_LENGTH * 4].split())
    return text if len(text) <= EXCERPT_LENGTH and not cut else text[: EXCERPT_LENGTH - 1] + "…"


def describe(event: ChannelEvent, wall: float, wanted: frozenset[str] | None = None) -> WatchEvent:
    """One arrived event as the console shows it: message id, sender, excerpt, and whether it belongs
    (`wanted`: the events the backend sends on its channel, else judged from the channel's name)."""
    data, plain = fast_json.decoded(event.data, depth=2)
    message_id = sender = None
    if isinstance(data, dict):
        # message-delivered carries the message's id as message_id; the message events as id.
        raw_id = data.get("message_id") if event.event == "message-delivered" else data.get("id", data.get("message_id"))
        # NaN or Infinity (as Python's json.dumps writes them) names no message
        message_id = None if raw_id is None or isinstance(raw_id, (dict, list)) or (
            isinstance(raw_id, float) and not math.isfinite(raw_id)) else str(raw_id)
        sender = data.get("sender_type")
        if not isinstance(sender, str):
            sender = None
    wanted = wanted if wanted is not None else expected_events(event.channel)
    return WatchEvent(wall, event.channel, event.event, message_id, sender, _excerpt(data, event.data),
                      wanted is None or event.event in wanted, data, plain)


def _still_sealed(data: Any) -> bool:
    """Whether an encrypted channel's event is still ciphertext: the guest could not decrypt it."""
    return isinstance(data, dict) and "ciphertext" in data and "nonce" in data


class Tally:
    """Counts for the summary: events per channel and name, gaps, and each message id's events."""

    def __init__(self, contract: Callable[[str], frozenset[str] | None] = expected_events) -> None:
        #: the events the backend sends on a channel, or None when the channel is not one of its kinds
        self.contract = contract
        self.counts: dict[str, dict[str, int]] = {}
        self.gaps: list[Gap] = []
        self.unexpected = 0
        # Ordered, to drop the oldest in O(1): deleting a plain dict's first key leaves holes that each
        # next(iter(...)) walks again.
        self._trails: OrderedDict[str, set[str]] = OrderedDict()
        #: (channel, event) -> (the highest numeric message id, how many came one more than the last)
        self._runs: dict[tuple[str, str], tuple[int, int]] = {}
        self.skipped: list[SkippedIds] = []
        self.server_errors: list[ServerError] = []
        self.lag_s = 0.0

    def add(self, event: WatchEvent) -> SkippedIds | None:
        """Counts the event; the ids it shows were skipped, when it jumps a run of consecutive ones."""
        name, message_id = event.event, event.message_id
        by_event = self.counts.get(event.channel)
        if by_event is None:
            by_event = self.counts[event.channel] = {}
        by_event[name] = by_event.get(name, 0) + 1
        if not event.expected:
            self.unexpected += 1
        if message_id is None:
            return None
        if name in _BACKEND_EVENTS:
            seen = self._trails.get(message_id)
            if seen is None:
                if len(self._trails) >= TRAIL_LIMIT:
                    self._trails.popitem(last=False)
                self._trails[message_id] = {name}
            else:
                seen.add(name)
        return self._follow_ids(event) if message_id.isdigit() else None

    def _follow_ids(self, event: WatchEvent) -> SkippedIds | None:
        number = int(event.message_id or 0)
        key = (event.channel, event.event)
        last, run = self._runs.get(key, (None, 0))
        skipped = None
        if last is None or number > last + 1:
            if last is not None and run >= DENSE_RUN:
                skipped = SkippedIds(event.channel, event.event, last, number)
                if len(self.skipped) < SKIPS_KEPT:
                    self.skipped.append(skipped)
            self._runs[key] = (number, 0)
        elif number == last + 1:
            self._runs[key] = (number, run + 1)
        # An id at or below the last (a repeat, or out of order) leaves the run as it is.
        return skipped

    def trails(self, channels: Iterable[str]) -> tuple[MessageTrail, ...]:
        """Per message id, which of the backend's three events arrived, judged only against the events
        the watched channels can carry (watching the room alone, one of three is all there is to see)."""
        watchable: set[str] = set()
        for channel in channels:
            watchable |= self.contract(channel) or set()
        order = _BACKEND_EVENTS
        return tuple(MessageTrail(message_id, tuple(e for e in order if e in seen),
                                  tuple(e for e in order if e in watchable and e not in seen))
                     for message_id, seen in self._trails.items())

    def summary(self, duration_s: float, channels: tuple[str, ...], interrupted: bool) -> WatchSummary:
        return WatchSummary(duration_s, {c: dict(e) for c, e in self.counts.items()}, tuple(self.gaps),
                            self.trails(channels), self.unexpected, channels, interrupted, tuple(self.skipped),
                            tuple(self.server_errors), self.lag_s)


@dataclass(frozen=True)
class WatchRequest:
    channels: tuple[str, ...]
    #: the backend's events on channels named by a template (`private-{hotel}-room-{room}`), whose names
    #: do not show their kind; other channels are judged by the guide's names
    contract: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: with a REST client, also every occupied room and conversation channel of this hotel, re-listed
    #: every `rescan_s` while the watch runs
    hotel: str | None = None
    #: seconds to watch; None until Ctrl-C
    duration_s: float | None = None
    #: with `hotel`: the prefix before the guide's names of the hotel's channels (private-, presence-)
    channel_prefix: str = ""
    connect_timeout_s: float = 5.0
    rescan_s: float = 2.0
    #: seconds between attempts to reconnect after a drop
    retry_s: float = 1.0


class Watch:
    """One watch: `run()` streams to `emit` until the duration ends or Ctrl-C, then returns the summary."""

    def __init__(self, endpoint: Endpoint, key: str, request: WatchRequest, emit: Emit,
                 rest: RestClient | None = None, authorizer: ChannelAuthorizer | None = None,
                 flush: Callable[[], None] | None = None) -> None:
        """`authorizer` signs private, presence and encrypted channels (the app's auth endpoint, or the
        secret); without one they are subscribed unsigned, and the server's refusal is shown. `flush` is
        called whenever the watch is about to wait with nothing left to emit (no event for GATHER_S), so an
        `emit` that does not flush each record (a syscall each) still has everything out before any wait."""
        self.endpoint = endpoint
        self.key = key
        self.request = request
        self.emit = emit
        self.flush = flush
        self.rest = rest
        self.authorizer = authorizer
        self.tally = Tally(self._contract)
        #: encrypted channels whose events did not decrypt, said once each
        self._undecrypted: set[str] = set()
        self._inbox: queue.SimpleQueue[list[ChannelEvent]] = queue.SimpleQueue()
        #: events put in the inbox, and events taken from it, each counted by one thread alone
        self._received = 0
        self._taken = 0
        self._guest: GuestConnection | None = None
        self._channels: list[str] = list(dict.fromkeys(request.channels))
        self._started = time.monotonic()
        self._next_rescan = 0.0
        self._rescans = 0
        #: subscriptions the server refused
        self.refused = 0
        self._stop = threading.Event()
        self._next_care = 0.0
        #: when the current connection was made, and how many in a row dropped before STEADY_S
        self._connected_at = 0.0
        self._flaps = 0
        #: the server dropped FLAPS_UNSTEADY connections in a row soon after making them (the watch exits 1)
        self.kept_dropping = False
        #: the server errors of the current connection already said
        self._errors_said = 0
        #: whether the watch is behind now (said once until it catches up)
        self._behind = False
        #: per channel an event came on: (the watch's own marker, the events expected, encrypted), asked
        #: once instead of for each event
        self._channel_facts: dict[str, tuple[bool, frozenset[str] | None, bool]] = {}

    # --- the connection ----------------------------------------------------------------------------

    def _notice(self, kind: str, text: str, channel: str | None = None, cause: str | None = None) -> None:
        self.emit(WatchNotice(time.time(), kind, text, channel, cause))
        self._flush_out()  # notices are few, and most come before a wait (a connect, a subscription)

    def _flush_out(self) -> None:
        if self.flush is not None:
            self.flush()

    def stop(self) -> None:
        """Ends `run()` soon, from another thread, as the end of --duration would."""
        self._stop.set()

    def _remaining(self) -> float | None:
        if self._stop.is_set():
            return 0.0
        if self.request.duration_s is None:
            return None
        return max(0.0, self.request.duration_s - (time.monotonic() - self._started))

    def _open(self, timeout: float) -> Connected | Problem:
        guest = GuestConnection(self.endpoint, self.key, on_events=self._arrived, keep_events=False,
                                parse=fast_json.loads)
        answer = guest.connect(timeout)
        if isinstance(answer, Connected):
            self._guest = guest
            self._errors_said = 0
            self._connected_at = time.monotonic()
        else:
            guest.close()
        return answer

    def _arrived(self, events: list[ChannelEvent]) -> None:
        """On pysher's thread: the events of one read, to the watch's thread."""
        self._received += len(events)
        self._inbox.put(events)

    def _contract(self, channel: str) -> frozenset[str] | None:
        return self.request.contract.get(channel) or expected_events(channel)

    def _wait_s(self) -> float:
        """Seconds one exchange may take: the connect timeout, or less when --duration ends sooner."""
        remaining = self._remaining()
        return self.request.connect_timeout_s if remaining is None else min(remaining,
                                                                            self.request.connect_timeout_s)

    def _subscribe(self, channels: Iterable[str], announce_new: bool = False) -> None:
        assert self._guest is not None
        for channel in channels:
            if self._wait_s() <= 0:
                return  # the watch is over (--duration, or stopped): the summary follows
            if announce_new:
                self._notice("new-channel", f"{channel} is now occupied: watching it too", channel)
            auth = self._authorize(channel)
            if isinstance(auth, Problem):
                self.refused += 1
                self._notice("subscription-error", auth.summary, channel, auth.cause)
                continue
            try:
                answer = self._guest.subscribe(channel, max(self._wait_s(), 0.05), auth)
            except Exception as error:  # noqa: BLE001 - a socket closed under pysher's send: a drop, seen next turn
                self._notice("error", f"could not subscribe to {channel}: {type(error).__name__}", channel)
                return
            if isinstance(answer, Problem):
                self.refused += 1
                self._notice("subscription-error", answer.summary, channel, answer.cause)
                continue
            signed = "" if auth is None else (", signed by the auth endpoint" if auth.signed_by == "endpoint"
                                              else ", signed with the secret: the app's auth endpoint was not used")
            members = presence_members(answer.data) if channel.startswith(PRESENCE_PREFIX) else None
            present = "" if members is None else (
                f"; {members['count']} member(s) present" + (f": {', '.join(members['ids'][:10])}"
                                                             if members["ids"] else ""))
            self._notice("subscribed", f"subscribed to {channel} ({answer.elapsed_ms:.0f} ms{signed}){present}",
                         channel)
            self._mark_as_own(channel)

    def _mark_as_own(self, channel: str) -> None:
        """Joins the channel's marker, so that `check` and `trigger` leave this watch out of the guests they
        count (`protocol.listeners`). Best effort: without it the watch only counts as one more guest."""
        assert self._guest is not None
        try:
            self._guest.subscribe(own_marker(channel), max(min(self._wait_s(), 1.0), 0.05))
        except Exception:  # noqa: BLE001 - a socket closed under pysher's send: the drop is seen next turn
            return

    def _authorize(self, channel: str) -> ChannelAuth | Problem | None:
        """The signature to subscribe with, None for public channels (and private ones with nothing to sign:
        the server's refusal then says what a page without auth gets)."""
        if not needs_auth(channel) or self.authorizer is None or not self.authorizer.can_sign:
            return None
        assert self._guest is not None and self._guest.socket_id is not None
        return self.authorizer.authorize(self._guest.socket_id, channel, lambda: max(self._wait_s(), 0.05),
                                         self._channels)

    def _rescan(self) -> None:
        """With --all-rooms: subscribe to the hotel's channels that became occupied since the last look."""
        if self.rest is None or self.request.hotel is None or time.monotonic() < self._next_rescan:
            return
        self._next_rescan = time.monotonic() + self.request.rescan_s
        listed = list_hotel(self.rest, self.request.hotel, min(self.request.connect_timeout_s, 2.0),
                            self.request.channel_prefix)
        if isinstance(listed, Problem):
            self._notice("error", f"could not list the hotel's channels: {listed.summary}", cause=listed.cause)
            return
        new = [c.name for c in listed[0] if c.name not in self._channels]
        self._channels.extend(new)
        self._subscribe(new, announce_new=self._rescans > 0)
        self._rescans += 1

    def _reconnect(self) -> bool:
        """After a drop: new connections until one works or the watch ends; True when back."""
        assert self._guest is not None
        self._server_said()  # what the server said as it closed
        dropped_at = self._guest.dropped_at or time.monotonic()
        why = self._guest.failure
        self._guest.close()
        self._guest = None
        gap_start = time.time() - (time.monotonic() - dropped_at)
        # A server that accepts and then drops at once would be hammered by reconnects: each connection that
        # did not last STEADY_S doubles the wait before the next one.
        self._flaps = self._flaps + 1 if dropped_at - self._connected_at < STEADY_S else 0
        pause = min(self.request.retry_s * 2 ** (self._flaps - 1), MAX_BACKOFF_S) if self._flaps else 0.0
        self.kept_dropping = self.kept_dropping or self._flaps >= FLAPS_UNSTEADY
        again = (f"; the server dropped {self._flaps} connections in a row within {STEADY_S:g} s of making them: "
                 f"reconnecting in {pause:g} s" if self._flaps >= FLAPS_UNSTEADY else "; reconnecting")
        self._notice("dropped", "connection lost" + (f" ({why.summary})" if why else "") + again + ". "
                     "Pusher keeps no history: events sent until it is back are lost", cause=why.cause if why else None)
        while True:
            remaining = self._remaining()
            if pause > 0 and (remaining is None or remaining > 0):
                self._stop.wait(pause if remaining is None else min(pause, remaining))
                remaining = self._remaining()
            if remaining is not None and remaining <= 0:
                self.tally.gaps.append(Gap(gap_start, None))
                return False
            answer = self._open(self._wait_s())
            if isinstance(answer, Connected):
                gap = Gap(gap_start, time.time())
                self.tally.gaps.append(gap)
                self._notice("reconnected", f"reconnected after {gap.seconds:.1f} s; events sent in that gap are "
                             "lost (Pusher keeps no history)")
                self._subscribe(list(self._channels))
                return True
            pause = max(pause, self.request.retry_s)

    # --- the loop ------------------------------------------------------------------------------------

    def start(self) -> Problem | None:
        """Connects and subscribes; the problem when the first connection fails (nothing to watch). The wait
        ends with --duration when that comes first: a server that never greets does not stretch the watch."""
        answer = self._open(self._wait_s())
        if isinstance(answer, Problem) and answer.cause == "timeout" and self._remaining() == 0:
            return problem("timeout", f"{answer.summary}: --duration ended before the server greeted",
                           "check that the server runs and answers WebSocket upgrades, or watch longer (--duration)")
        if isinstance(answer, Problem):
            return answer
        self._notice("connected", f"connected to {self.endpoint.ws_url_base}, socket id {answer.socket_id}")
        self._subscribe(list(self._channels))
        self._rescan()
        return None

    def _handle_all(self, events: Iterable[ChannelEvent]) -> None:
        """Each event in turn: shown and counted, or said as a notice (members), or left out (protocol
        events, the watch's own marker). A fast server's hundreds per read: what each needs is looked up once."""
        facts_of, add, emit = self._channel_facts, self.tally.add, self.emit
        monotonic, wall_clock = time.monotonic, time.time
        for event in events:
            self._taken += 1  # before it is handled: the events still waiting are the ones after it
            name = event.event
            if name in _MEMBER_EVENTS:
                self._member_notice(event)
                continue
            if name in (SUBSCRIBED, SUBSCRIPTION_ERROR) or name.startswith(("pusher:", "pusher_internal:")):
                continue  # subscription answers are reported by _subscribe; protocol events are not the backend's
            facts = facts_of.get(event.channel)
            if facts is None:
                facts = facts_of[event.channel] = (event.channel.startswith(OWN_MARKER_PREFIX),
                                                   self._contract(event.channel), is_encrypted(event.channel))
            own, wanted, encrypted = facts
            if own:
                continue  # the watch's own marker (protocol.listeners): whatever arrives there is not the backend's
            waited = monotonic() - event.at
            described = describe(event, wall_clock() - waited, wanted)
            if encrypted and event.channel not in self._undecrypted and _still_sealed(described.data):
                self._undecrypted.add(event.channel)
                self._notice("error", f"events on {event.channel} arrive encrypted and do not open with the "
                             "channel's shared secret: the backend encrypts with another master key", event.channel,
                             "encryption-key-mismatch")
            skipped = add(described)
            emit(described)
            if skipped is not None:
                self._notice("skipped", f"message ids {skipped.after + 1}-{skipped.before - 1} ({skipped.count}) "
                             f"never arrived as {skipped.event} on {skipped.channel}, between ids that came one by "
                             "one: lost if the backend sent them (a server drops events a watch reads too slowly)",
                             skipped.channel)
            self._keep_up(waited)

    def _keep_up(self, waited: float) -> None:
        """Says once when events wait in the watch over BEHIND_S: a reader that falls behind is what the
        server drops events for."""
        self.tally.lag_s = max(self.tally.lag_s, waited)
        if waited > BEHIND_S and not self._behind:
            self._behind = True
            self._notice("behind", f"the watch is {waited:.1f} s behind the server ({self._received - self._taken} events "
                         "waiting): events may be dropped by the server; skipped message ids are in the summary")
        elif waited < CAUGHT_UP_S:
            self._behind = False

    def _server_said(self) -> None:
        """Each pusher:error the server sent since last asked, as a notice and in the summary."""
        if self._guest is None:
            return
        errors = self._guest.server_errors
        for code, message in errors[self._errors_said:]:
            found = classify_ws_error(code, message)
            self.tally.server_errors.append(ServerError(time.time(), code, message, found.cause))
            said = f"the server said {code}: {message}" if code is not None else f"the server said: {message}"
            self._notice("error", said + " (events it refuses or drops are not shown)", cause=found.cause)
        self._errors_said = len(errors)

    def _member_notice(self, event: ChannelEvent) -> None:
        member = decoded(event.data, depth=2)
        user = member.get("user_id") if isinstance(member, dict) else None
        who = "a member" if user is None or isinstance(user, (dict, list)) else f"member {user}"
        joined = event.event == _MEMBER_EVENTS[0]
        self._notice("member", f"{who} {'joined' if joined else 'left'} {event.channel}", event.channel)

    def run(self) -> WatchSummary:
        """Streams until the duration ends (or Ctrl-C / SIGTERM, which end it with a summary too)."""
        interrupted = False
        try:
            while True:
                remaining = self._remaining()
                if remaining is not None and remaining <= 0:
                    break
                events = self._next_events(remaining)
                if events is not None:
                    self._handle_all(events)
                    if time.monotonic() < self._next_care:
                        continue
                # A quiet moment, or a while of steady traffic: look after the connection and the hotel, which
                # may wait on the network, so what was written goes out first.
                self._flush_out()
                self._next_care = time.monotonic() + 0.5
                self._server_said()
                if (self._guest is None or self._guest.dropped_at is not None) and not self._reconnect():
                    break
                self._rescan()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            self._server_said()
            self.close()
        self._drain()
        return self.tally.summary(time.monotonic() - self._started, tuple(self._channels), interrupted)

    def _next_events(self, remaining: float | None) -> list[ChannelEvent] | None:
        """The next read's events, waiting up to 0.2 s (less when the watch ends sooner); what was emitted is
        flushed first once none came for GATHER_S: a steady stream of small reads is written a few hundred
        records at a time, not with a write each."""
        try:
            return self._inbox.get(timeout=GATHER_S if remaining is None else min(remaining, GATHER_S))
        except queue.Empty:
            pass
        self._flush_out()
        try:
            return self._inbox.get(timeout=0.2 if remaining is None else max(min(remaining, 0.2) - GATHER_S, 0.0))
        except queue.Empty:
            return None

    def _drain(self) -> None:
        # Events that arrived before the connection closed still count.
        while True:
            try:
                self._handle_all(self._inbox.get_nowait())
            except queue.Empty:
                return


    def close(self) -> None:
        guest, self._guest = self._guest, None
        if guest is not None:
            guest.close()
