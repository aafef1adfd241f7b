"""What the triage commands find, as plain data: occupied channels and near misses (`rooms`), the live
stream (`watch`), the backend's log trail (`scan-logs`), probe latencies (`latency`) and what `trigger`
sent. Imports nothing of the network stack, so renderers can take these types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pusher_doctor.near_miss import NearMiss
from pusher_doctor.results import Problem

# --- rooms -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupiedChannel:
    name: str
    #: None when the server does not report counts (Pusher cloud without subscription counting)
    subscribers: int | None
    #: "room", "conversation" or "other"
    kind: str
    #: the room number or conversation id in the name, when it has the backend's form
    ident: str | None = None
    #: presence channels: distinct members (one guest with two tabs is two subscribers, one user); None
    #: when the server does not say
    users: int | None = None


@dataclass(frozen=True)
class RoomsReport:
    hotel: str
    channels: tuple[OccupiedChannel, ...]
    #: how many REST requests it took (1, or 2 when a near miss was looked for among all channels)
    requests: int
    elapsed_ms: float
    room: str | None = None
    room_channel: str | None = None
    #: subscribers on the room channel (0 when it is not occupied); None without --room or counts
    room_subscribers: int | None = None
    near_misses: tuple[NearMiss, ...] = ()
    #: one plain sentence about the room, with --room
    sentence: str | None = None
    #: members of a presence room channel, when the server says
    room_users: int | None = None
    #: with --room, when the room is empty: the near miss, or that no guest page is subscribed
    finding: Problem | None = None

    @property
    def ok(self) -> bool:
        """No near miss: a page on almost the room's channel is a finding."""
        return not self.near_misses


# --- watch -------------------------------------------------------------------------------------------


# A NamedTuple, not a frozen dataclass: one is made for every event, and a frozen dataclass sets each field
# through object.__setattr__ (three times the cost, a tenth of a fast watch's per-event time).
class WatchEvent(NamedTuple):
    at: float  # time.time() when it arrived
    channel: str
    event: str
    message_id: str | None
    sender_type: str | None
    excerpt: str
    #: False when the backend's contract does not send this event on this channel
    expected: bool
    #: the event's data, parsed from JSON when it is JSON
    data: Any = None
    #: True where parsing found `data` plain JSON (`fast_json.only_plain`), False where the standard parser
    #: read it, None when not known: the --json output's encoder takes it instead of looking through again
    plain: bool | None = None


@dataclass(frozen=True)
class WatchNotice:
    """Something about the connection rather than an event: a subscription answer, a drop, a reconnect."""

    at: float  # time.time()
    #: subscribed, subscription-error, connected, dropped, reconnected, new-channel, member, error
    kind: str
    text: str
    channel: str | None = None
    cause: str | None = None


@dataclass(frozen=True)
class Gap:
    """A time the connection was down: events sent then are lost, Pusher keeps no history."""

    started: float  # time.time()
    ended: float | None  # None when the watch ended before it came back

    @property
    def seconds(self) -> float | None:
        return None if self.ended is None else self.ended - self.started


#: seconds an event may wait in a watch before the watch is behind: the server drops what a slow reader
#: leaves unread
BEHIND_S = 1.0


@dataclass(frozen=True)
class SkippedIds:
    """Message ids missing from a run of consecutive ones on one channel and event, while the connection
    stayed up: the server dropped them (it does under overload, when the watch reads too slowly) or the
    backend never sent them."""

    channel: str
    event: str
    #: the last id before the skip and the first after it
    after: int
    before: int

    @property
    def count(self) -> int:
        return self.before - self.after - 1


@dataclass(frozen=True)
class ServerError:
    """A pusher:error the server sent while the watch ran (4301: a rate limit; 4100/4004: over quota...)."""

    at: float  # time.time()
    code: object
    message: str
    cause: str


@dataclass(frozen=True)
class MessageTrail:
    """Which of the backend's events for one message id arrived on the watched channels."""

    message_id: str
    arrived: tuple[str, ...]
    #: expected events (on watched channels) that did not arrive
    missing: tuple[str, ...]


@dataclass(frozen=True)
class WatchSummary:
    duration_s: float
    #: channel -> event name -> count
    counts: dict[str, dict[str, int]]
    gaps: tuple[Gap, ...]
    trails: tuple[MessageTrail, ...]
    unexpected: int
    channels: tuple[str, ...]
    interrupted: bool = False
    #: message ids missing from consecutive runs: events lost with the connection up
    skipped: tuple[SkippedIds, ...] = ()
    #: what the server itself said was wrong while the watch ran
    server_errors: tuple[ServerError, ...] = ()
    #: the longest an event waited in the watch before it was shown: past BEHIND_S, it fell behind
    lag_s: float = 0.0

    @property
    def fell_behind(self) -> bool:
        return self.lag_s > BEHIND_S

    @property
    def total(self) -> int:
        return sum(sum(by_event.values()) for by_event in self.counts.values())


# --- scan-logs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogPlace:
    file: str
    line: int
    text: str  # the line, shortened and with control characters made visible


@dataclass(frozen=True)
class MessageGap:
    """A message the logs show created (or triggered) with some of the expected steps missing."""

    message_id: str
    room_channel: str | None
    done: tuple[str, ...]
    missing: tuple[str, ...]
    first: LogPlace


@dataclass(frozen=True)
class BadChannel:
    channel: str
    reason: str
    place: LogPlace
    count: int = 1


@dataclass(frozen=True)
class RoomRow:
    channel: str
    messages: int
    guest_triggers: int
    missing_guest_trigger: int
    errors: int


@dataclass(frozen=True)
class LogReport:
    files: tuple[str, ...]
    lines: int
    bytes: int
    messages: int
    #: messages with every expected step
    complete: int
    #: counts of messages missing each step
    missing_counts: dict[str, int]
    #: examples, bounded (the counts are exact)
    gaps: tuple[MessageGap, ...]
    bad_channels: tuple[BadChannel, ...]
    pusher_errors: tuple[LogPlace, ...]
    pusher_error_count: int
    exceptions: tuple[LogPlace, ...]
    exception_count: int
    rooms: tuple[RoomRow, ...]
    since: str | None = None
    #: lines before --since that were skipped
    skipped_before_since: int = 0
    #: files that could not be read to the end, and why
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Messages were traced and each reached the guest's channel. Logs with no message line at all
        prove nothing (the wrong file, another service's log): not ok either."""
        return self.messages > 0 and not (self.missing_counts.get("guest-trigger") or self.bad_channels
                                          or self.pusher_error_count)


# --- latency -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LatencyReport:
    channel: str
    sent: int
    received: int
    lost: int
    out_of_order: int
    duplicated: int
    #: trigger-to-receive latencies in ms, in the order they were sent (None: lost)
    latencies_ms: tuple[float | None, ...]
    #: REST call durations in ms
    rest_ms: tuple[float, ...]
    rate: float
    duration_s: float
    refused: int = 0
    #: (lower bound ms, count) per histogram bucket
    histogram: tuple[tuple[float, int], ...] = ()
    stats: dict[str, float] = field(default_factory=dict)
    rest_stats: dict[str, float] = field(default_factory=dict)
    #: stopped by Ctrl-C, SIGTERM or SIGHUP: the figures are of the probes sent until then
    interrupted: bool = False
    #: probes never sent: the server answered so slowly that the run fell a whole --timeout behind its plan
    unsent: int = 0

    @property
    def ok(self) -> bool:
        """Every probe event was accepted and received, and the run was not cut short."""
        return self.lost == 0 and self.refused == 0 and not self.interrupted and self.unsent == 0


# --- trigger -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentEvent:
    channel: str
    event: str
    bytes: int
    elapsed_ms: float


@dataclass(frozen=True)
class TriggerReport:
    sent: tuple[SentEvent, ...]
    #: subscribers on the guarded channel when asked (None: the server does not count)
    subscribers: int | None
    #: the probe id in the staff-message form's data
    probe: str | None = None

    @property
    def ok(self) -> bool:
        """Sent is done: a refusal comes back as a problem instead of a report."""
        return True
