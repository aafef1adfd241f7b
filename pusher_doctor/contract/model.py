"""The app contract: which channels an app uses (as templates), which events it sends on each, its auth
endpoint and env file. Pure data with the questions every command asks of it: build a channel's name,
tell which channel a name is, and whether an event is one the backend sends there."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from msgspec import Struct

from pusher_doctor.contract.names import channel_name_problem
from pusher_doctor.contract.template import ChannelTemplate

#: pusher-js's own events (connection and subscription state): no backend sends them
PUSHER_EVENT_PREFIXES = ("pusher:", "pusher_internal:")
#: events every app may bind though its backend never sends them: pusher-js's own events and client
#: events sent by other browsers
EXEMPT_EVENT_PREFIXES = (*PUSHER_EVENT_PREFIXES, "client-")
#: Laravel Echo's default namespace: `.listen('OrderShipped')` binds `App\Events\OrderShipped`
ECHO_NAMESPACE = "App\\Events\\"
#: Pusher's limit on an event name
EVENT_NAME_MAX = 200


class EventSpec(Struct, frozen=True):
    """An event the backend sends, and the keys its data carries that the page reads (may be empty)."""

    name: str
    payload: tuple[str, ...] = ()


class ChannelSpec(Struct, frozen=True):
    """One channel of the app: its key in the contract (`room`), its template and the events sent on it."""

    key: str
    template: ChannelTemplate
    events: tuple[EventSpec, ...]

    @property
    def event_names(self) -> tuple[str, ...]:
        return tuple(event.name for event in self.events)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.template.fields

    @property
    def kind(self) -> str:
        """public, private, presence or encrypted."""
        return self.template.kind

    def build(self, values: Mapping[str, str | None]) -> str:
        """This channel's name for these field values; ValueError says which value is missing or unusable."""
        return self.template.build(values)

    def match(self, name: str) -> dict[str, str] | None:
        """The field values when `name` is this channel's, else None."""
        return self.template.match(name)

    def event(self, name: str) -> EventSpec | None:
        return next((event for event in self.events if event.name == name), None)


class EventVerdict(Struct, frozen=True):
    """Why an event name is not one the backend sends on a channel, and what to bind instead."""

    problem: str
    expected: tuple[str, ...]


class Contract(Struct, frozen=True):
    """What an app's backend and pages agree on. `recipient` is the key of the channel the recipient's page
    listens on (the one `check` triggers on); `origin` is the file it was read from, when it was."""

    channels: tuple[ChannelSpec, ...]
    recipient: str
    auth_endpoint: str | None = None
    env_file: Path | None = None
    probe_channel: str | None = None
    # The last three are not compared: where a contract was read from and what it is called are not what
    # it says (`__eq__`).
    origin: Path | None = None
    #: what the contract is called in messages ("the hotel chat", "pusher-doctor.toml")
    label: str = "the app contract"
    #: the hotel chat's, built in: the commands then keep their hotel-chat wording and shapes
    is_builtin: bool = False

    def __post_init__(self) -> None:
        keys = [channel.key for channel in self.channels]
        if not keys or self.recipient not in keys or len(set(keys)) != len(keys):
            raise ValueError(f"a contract needs channels with distinct keys, among them {self.recipient!r}")
        if self.probe_channel is not None and channel_name_problem(self.probe_channel):
            raise ValueError(channel_name_problem(self.probe_channel))

    def _said(self) -> tuple[object, ...]:
        return self.channels, self.recipient, self.auth_endpoint, self.env_file, self.probe_channel

    def __eq__(self, other: object) -> bool:
        return self._said() == other._said() if type(other) is Contract else NotImplemented

    def __hash__(self) -> int:
        return hash(self._said())

    @property
    def recipient_channel(self) -> ChannelSpec:
        return self.channel(self.recipient)

    def channel(self, key: str) -> ChannelSpec:
        """The channel of this key; KeyError names the keys there are."""
        for channel in self.channels:
            if channel.key == key:
                return channel
        raise KeyError(f"{self.label} has no channel {key!r} (it has {', '.join(self.keys)})")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(channel.key for channel in self.channels)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field of every channel, each once, in order."""
        return tuple(dict.fromkeys(field for channel in self.channels for field in channel.fields))

    @property
    def event_names(self) -> tuple[str, ...]:
        """Every event the backend sends, each once, in order."""
        return tuple(dict.fromkeys(name for channel in self.channels for name in channel.event_names))

    def match(self, name: str) -> tuple[ChannelSpec, dict[str, str]] | None:
        """Which of the contract's channels `name` is, with its field values; None for another channel."""
        for channel in self.channels:
            values = channel.match(name)
            if values is not None:
                return channel, values
        return None

    def judge_event(self, event: str, channel: ChannelSpec | None) -> EventVerdict | None:
        """None when the backend sends `event` on `channel` (any of its channels when None), or the event is
        pusher-js's own or a client event; else why not, naming the events that are sent there."""
        if event.startswith(EXEMPT_EVENT_PREFIXES):
            return None
        expected = channel.event_names if channel is not None else self.event_names
        if event in expected:
            return None
        shown = ", ".join(f"'{name}'" for name in expected)
        if event.startswith(".") and event[1:] in expected:
            return EventVerdict(f"'{event}' keeps Echo's leading dot: on the wire the event is '{event[1:]}'",
                                expected)
        if event.startswith(ECHO_NAMESPACE) and event.removeprefix(ECHO_NAMESPACE) in expected:
            bare = event.removeprefix(ECHO_NAMESPACE)
            return EventVerdict(f"'{event}' is Echo's namespace in front of '{bare}': the backend sends '{bare}' "
                                f"(broadcastAs), so listen('.{bare}') with the leading dot", expected)
        elsewhere = [other for other in self.channels if other is not channel and event in other.event_names]
        if channel is not None and elsewhere:
            return EventVerdict(f"the backend sends '{event}' on the {elsewhere[0].key} channel, not on the "
                                f"{channel.key} channel (there it sends {shown})", expected)
        where = f"on the {channel.key} channel" if channel is not None else "on any of its channels"
        return EventVerdict(f"the backend never sends '{event}' {where}", expected)

    def closest_event(self, event: str, channel: ChannelSpec | None = None) -> str:
        """The event the backend sends (on `channel`) most like `event`, for "did you mean" hints."""
        import difflib  # only for a wrong event's hint: not every command's start

        choices = channel.event_names if channel is not None else self.event_names
        return (difflib.get_close_matches(event, choices, n=1, cutoff=0.0) or [choices[0]])[0]


def event_name_problem(name: str) -> str | None:
    """Why `name` cannot be an event the backend sends, or None."""
    if not isinstance(name, str) or not name:
        return "an event name is empty"
    if len(name) > EVENT_NAME_MAX:
        return f"{name[:40]!r}… is {len(name)} characters long; Pusher allows {EVENT_NAME_MAX}"
    if any(not char.isprintable() for char in name):
        return f"{name!r} contains control characters"
    if name.startswith(PUSHER_EVENT_PREFIXES):
        return f"{name!r} is one of Pusher's own events, which a backend does not send"
    return None


def echo_wire_event(listened: str) -> str:
    """The event Echo's `listen(listened)` binds on the wire when `listened` has no leading dot: its default
    namespace in front, dots as backslashes (`Chat.MessageSent` -> `App\\Events\\Chat\\MessageSent`)."""
    return ECHO_NAMESPACE + listened.replace(".", "\\")


def echo_listen_for(wire: str) -> str:
    """What to pass Echo's `listen` to receive the event `wire`: the inverse of :func:`echo_wire_event`, or
    the name with a leading dot (Echo then adds no namespace)."""
    if wire.startswith(ECHO_NAMESPACE):
        return wire.removeprefix(ECHO_NAMESPACE).replace("\\", ".")
    return "." + wire
