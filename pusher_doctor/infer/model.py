"""What reading an app's code says about its contract, before it becomes one: channels found as templates,
the events bound or triggered on each, the auth endpoint and the env file, each with where it was seen.

Every source of evidence (the frontend scan today, the backend scan later) returns an `Inferred`; `draft`
merges them into a `Contract` and the comments `pusher-doctor init` writes beside each part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from msgspec.structs import replace

from pusher_doctor.contract import (
    HOTEL_CHAT,
    MAX_CHANNELS,
    MAX_EVENTS,
    ChannelSpec,
    ChannelTemplate,
    Contract,
    EventSpec,
    TemplateError,
)

#: a channel's key is taken from its template's words, leaving out the ones every channel has
_GENERIC_WORDS = frozenset({"private", "presence", "encrypted", "chat", "channel", "channels", "app", "public"})
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass
class InferredChannel:
    """A channel seen in the code: its template, the events seen on it, and where each was seen."""

    template: str
    events: list[str] = field(default_factory=list)
    seen_at: list[str] = field(default_factory=list)

    def add_event(self, event: str) -> None:
        if event not in self.events:
            self.events.append(event)


@dataclass
class Inferred:
    """What one source of evidence found; `source` names it in the file's comments ("the frontend in ./src")."""

    source: str
    channels: list[InferredChannel] = field(default_factory=list)
    auth_endpoint: str | None = None
    auth_endpoint_at: str | None = None
    env_file: Path | None = None
    env_file_why: str | None = None
    #: what could not be used, for the comments (a name with an unknown part, an event with no channel)
    notes: list[str] = field(default_factory=list)
    #: this source is the code that sends (the backend): on a channel it shares with a source that only
    #: listens, its events are the contract's, and an event only the listener binds is named in a comment
    sends: bool = False

    def channel(self, template: str) -> InferredChannel:
        """The channel of this template, added when new."""
        for channel in self.channels:
            if channel.template == template:
                return channel
        channel = InferredChannel(template)
        self.channels.append(channel)
        return channel


@dataclass(frozen=True)
class Draft:
    """The contract to write, the comments per channel key ("" for the file's top), and whether it is only
    the built-in one because the code showed nothing usable."""

    contract: Contract
    notes: dict[str, list[str]]
    fallback: bool


def draft(found: list[Inferred], base: Path) -> Draft:
    """One contract from everything found: channels with at least one event, in the order seen; the first
    auth endpoint and env file. Nothing usable gives the built-in hotel chat contract, saying so."""
    notes: dict[str, list[str]] = {"": []}
    channels: list[ChannelSpec] = []
    keys: set[str] = set()
    #: per channel key: the sources that named it, and the places it was seen (what makes it relevant)
    evidence: dict[str, tuple[set[str], int]] = {}
    for inferred in found:
        for seen in inferred.channels:
            if not seen.events:
                continue
            try:
                template = ChannelTemplate.parse(seen.template)
            except TemplateError as error:
                notes[""].append(f"left out: {error}")
                continue
            same = next((i for i, channel in enumerate(channels) if _shape(channel.template) == _shape(template)),
                        None)
            if same is not None:  # the other side's name for the same channel (`{order}` here, `{id}` there)
                known = channels[same]
                sources, places = evidence[known.key]
                evidence[known.key] = (sources | {inferred.source}, places + len(seen.seen_at))
                notes[known.key].append(f"also seen in {inferred.source}: {', '.join(seen.seen_at[:3])}")
                if inferred.sends:
                    unsent = [event for event in known.event_names if event not in seen.events]
                    if unsent:
                        notes[known.key].append(f"bound by the page but never sent by {inferred.source}: "
                                                f"{', '.join(unsent)} (pusher-doctor scan-backend says why)")
                    channels[same] = replace(known, events=tuple(EventSpec(event) for event in seen.events))
                else:
                    more = tuple(EventSpec(event) for event in seen.events if event not in known.event_names)
                    channels[same] = replace(known, events=known.events + more)
                continue
            key = _key_for(template, keys)
            keys.add(key)
            channels.append(ChannelSpec(key, template, tuple(EventSpec(event) for event in seen.events)))
            evidence[key] = ({inferred.source}, len(seen.seen_at))
            notes[key] = [f"seen in {inferred.source}: {_listed(seen.seen_at, 3)}"]
        notes[""].extend(inferred.notes)
    auth = next(((i.auth_endpoint, i.auth_endpoint_at) for i in found if i.auth_endpoint), (None, None))
    env = next(((i.env_file, i.env_file_why) for i in found if i.env_file), (None, None))
    if auth[1]:
        notes[""].append(f"auth-endpoint: {auth[1]}")
    if env[1]:
        notes[""].append(f"env-file: {env[1]}")
    if not channels:
        notes[""].insert(0, "No channel with its events was found in the code: this is the built-in hotel chat's "
                            "contract. Edit it to your app's channels and events.")
        return Draft(Contract(HOTEL_CHAT.channels, HOTEL_CHAT.recipient, auth[0], env[0]), notes, True)
    if len(channels) > MAX_CHANNELS:
        channels = _most_relevant(channels, evidence, notes)
    channels = [_first_events(channel, notes) for channel in channels]
    return Draft(Contract(tuple(channels), channels[0].key, auth[0], env[0]), notes, False)


def _listed(names: Sequence[str], shown: int) -> str:
    """The first ``shown`` names, then how many more there are: a note stays one line however many were seen."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _first_events(channel: ChannelSpec, notes: dict[str, list[str]]) -> ChannelSpec:
    """The channel with the MAX_EVENTS events a contract holds on one channel, the first seen (the backend's
    first where it sends them); the others named in a note beside it."""
    if len(channel.events) <= MAX_EVENTS:
        return channel
    left = [event.name for event in channel.events[MAX_EVENTS:]]
    notes[channel.key].append(f"left out: {len(left)} more events ({_listed(left, 5)}): a channel holds at most "
                              f"{MAX_EVENTS} in a contract")
    return replace(channel, events=channel.events[:MAX_EVENTS])


def _most_relevant(channels: list[ChannelSpec], evidence: dict[str, tuple[set[str], int]],
                   notes: dict[str, list[str]]) -> list[ChannelSpec]:
    """The MAX_CHANNELS channels a contract holds, out of more (a monorepo, its tests' fixtures): the first
    (the recipient), then those both the frontend and the backend name, then those seen in the most places;
    in the order seen. The others are named in a note at the file's top, so nothing is left out unsaid."""
    def rank(index: int) -> tuple[int, int, int]:
        sources, places = evidence[channels[index].key]
        return -len(sources), -places, index

    kept = {0, *sorted(range(1, len(channels)), key=rank)[:MAX_CHANNELS - 1]}
    left = [channel for index, channel in enumerate(channels) if index not in kept]
    for channel in left:
        notes.pop(channel.key, None)
    named = _listed([channel.template.text for channel in left], 5)
    notes[""].append(f"left out: {len(left)} more channel{'s' if len(left) > 1 else ''} ({named}): a contract holds at most {MAX_CHANNELS}, and these were seen in the fewest places. "
                     f"Put one in place of another by hand if it matters, or run init on the app's own folder "
                     f"(--frontend DIR for its frontend)")
    return [channel for index, channel in enumerate(channels) if index in kept]


def _shape(template: ChannelTemplate) -> tuple[str | None, ...]:
    """A template's literal parts with its fields as gaps: two sides' names for one channel compare equal."""
    return tuple(part if isinstance(part, str) else None for part in template.parts)


def _key_for(template: ChannelTemplate, taken: set[str]) -> str:
    """A channel's key from its words (`{hotel}-room-{room}-chat` is `room`), unique among `taken`."""
    words = [word.lower() for word in _WORD.findall(template.literal_text) if word.lower() not in _GENERIC_WORDS]
    base = (words[0] if words else "channel")[:30]
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key
