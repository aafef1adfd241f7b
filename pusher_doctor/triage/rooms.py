"""`rooms`: which of a hotel's room and conversation channels are occupied right now, with subscriber
counts, and a plain sentence about one room, naming a near miss when the room is empty.

One REST request with the channel-prefix filter lists the hotel's channels, however many rooms it has.
Only when the asked room is empty is a second request made, for every occupied channel of the app:
a near miss (`hotel_paradise-...`) need not start with the hotel's prefix.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from pusher_doctor.contract import HOTEL_CHAT, Contract
from pusher_doctor.hotel_chat import PRESENCE_PREFIX
from pusher_doctor.near_miss import find_near_misses, near_miss_problem
from pusher_doctor.protocol.listeners import own_marker
from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.protocol.wire import occupied_channels
from pusher_doctor.results import Problem, problem
from pusher_doctor.triage.model import OccupiedChannel, RoomsReport


def _count(info: Any, name: str) -> int | None:
    count = info.get(name) if isinstance(info, Mapping) else None
    # bool is an int in Python; a count of True is a malformed answer, not one subscriber.
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def occupied_counts(body: Mapping[str, Any], field: str = "subscription_count") -> dict[str, int | None] | Problem:
    """channel -> subscriber count (None when the server does not count) from a channel-list answer; with
    `field="user_count"`, a presence channel's distinct members."""
    channels = occupied_channels(dict(body))
    if isinstance(channels, Problem):
        return channels
    return {str(name): _count(info, field) for name, info in channels.items()}


def hotel_channel(name: str, hotel: str | None, subscribers: int | None, channel_prefix: str = "",
                  users: int | None = None, contract: Contract = HOTEL_CHAT,
                  values: Mapping[str, str] | None = None) -> OccupiedChannel | None:
    """The channel as one of the contract's (the hotel chat's: this hotel's room or conversation channel, named
    the guide's way after `channel_prefix`), or None when it is another's or not the backend's at all.

    The listing's prefix filter alone is not enough: `hotel-paradise-annex-room-1-chat` starts with
    `hotel-paradise-` but is another hotel's room. Its kind is the contract's key for the channel, its ident
    the value of the first field that was not given (the room number, the conversation id).
    """
    if not name.startswith(channel_prefix):
        return None
    matched = contract.match(name[len(channel_prefix):])
    if matched is None:
        return None
    spec, found = matched
    given = _given(hotel, values)
    if any(given.get(field) not in (None, found[field]) for field in spec.fields):
        return None
    ident = next((found[field] for field in spec.fields if given.get(field) is None), None)
    return OccupiedChannel(name, subscribers, spec.key, ident, users)


def _given(hotel: str | None, values: Mapping[str, str] | None) -> dict[str, str | None]:
    return {"hotel": hotel, **(values or {})}


def listing_prefix(contract: Contract, hotel: str | None, values: Mapping[str, str] | None = None) -> str:
    """What every name of the contract's channels starts with, given these values: the REST listing's
    filter (`hotel-paradise-` for the hotel chat)."""
    given = _given(hotel, values)
    heads = []
    for spec in contract.channels:
        head = ""
        for part in spec.template.parts:
            value = part if isinstance(part, str) else given.get(part.name)
            if value is None:
                break
            head += value
        heads.append(head)
    return os.path.commonprefix(heads)


def _order(channel: OccupiedChannel) -> tuple[int, int, str]:
    ident = channel.ident or ""
    # Rooms before conversations; numbers in numeric order (room 9 before room 10).
    return (0 if channel.kind == "room" else 1, int(ident) if ident.isdigit() else 1 << 62, ident)


def list_hotel(rest: RestClient, hotel: str | None, timeout: float, channel_prefix: str = "",
               contract: Contract = HOTEL_CHAT, values: Mapping[str, str] | None = None
               ) -> tuple[tuple[OccupiedChannel, ...], float] | Problem:
    """The hotel's occupied channels, or those of the contract's channels with these values (one request;
    named with `channel_prefix` before the contract's names) and how long the request took in ms."""
    answer = _channels(rest, timeout, prefix=(channel_prefix + listing_prefix(contract, hotel, values)) or None)
    if not isinstance(answer, RestSuccess):
        return answer
    counts = occupied_counts(answer.body)
    if isinstance(counts, Problem):
        return counts
    users = occupied_counts(answer.body, "user_count")
    listed = (hotel_channel(name, hotel, count, channel_prefix, users.get(name) if isinstance(users, dict) else None,
                            contract, values)
              for name, count in counts.items())
    return tuple(sorted(filter(None, listed), key=_order)), answer.elapsed_ms


def _channels(rest: RestClient, timeout: float, prefix: str | None) -> RestSuccess | Problem:
    answer = rest.list_channels(timeout, prefix=prefix, counts=True)
    if isinstance(answer, Problem) and answer.cause == "server-error":
        # A server that refuses `info=subscription_count` on the list still lists the occupied channels.
        return rest.list_channels(timeout, prefix=prefix)
    return answer


def _count_text(count: int | None) -> str:
    if count is None:
        return "someone (the server does not count subscribers)"
    return f"{count} subscriber{'s' if count != 1 else ''}"


def _members(rest: RestClient, channel: OccupiedChannel, timeout: float) -> tuple[int | None, int]:
    """A presence room's distinct members, and the requests it took: the listing's count when the server
    gave one, else the channel's own info (servers that list no user_count still report it there)."""
    if channel.users is not None or not channel.name.startswith(PRESENCE_PREFIX):
        return channel.users, 0
    answer = rest.channel_info(channel.name, timeout)
    return (_count(answer.body, "user_count") if isinstance(answer, RestSuccess) else None), 1


def _members_text(users: int | None) -> str:
    return "" if users is None else f" ({users} distinct member{'s' if users != 1 else ''})"


def survey_rooms(rest: RestClient, hotel: str | None, room: str | None, timeout: float,
                 channel_prefix: str = "", contract: Contract = HOTEL_CHAT,
                 values: Mapping[str, str] | None = None) -> RoomsReport | Problem:
    """The hotel's occupied channels (the contract's, with these values); with `room` (every field of the
    recipient's channel given), also that channel's sentence and its near misses."""
    started = time.monotonic()
    listed = list_hotel(rest, hotel, timeout, channel_prefix, contract, values)
    if isinstance(listed, Problem):
        return listed
    channels, _ = listed
    given = {**_given(hotel, values), "room": room}
    recipient = contract.recipient_channel
    about = hotel if contract.is_builtin and hotel is not None else contract.label
    if any(given.get(field) is None for field in recipient.fields):
        return RoomsReport(about, channels, 1, (time.monotonic() - started) * 1000)
    expected = channel_prefix + recipient.template.fill(given)
    mine = next((c for c in channels if c.name == expected), None)
    ours, asked_ours = 0, 0
    if mine is not None and mine.subscribers:
        # A running `watch` is pusher-doctor's own, not a guest page (protocol.listeners).
        ours, asked_ours = _own_connections(rest, expected, max(timeout - (time.monotonic() - started), 0.05)), 1
    guests = None if mine is None or mine.subscribers is None else mine.subscribers - ours
    if mine is not None and guests != 0:
        users, asked = _members(rest, mine, max(timeout - (time.monotonic() - started), 0.05))
        watching = f" (and {ours} of pusher-doctor's own watch, not counted)" if ours else ""
        sentence = (f"{_count_text(guests)}{_members_text(users)} on {expected} right now: "
                    f"a guest page is listening{watching}")
        return RoomsReport(about, channels, 1 + asked + asked_ours, (time.monotonic() - started) * 1000, room,
                           expected, guests, (), sentence, users)
    everything = _channels(rest, max(timeout - (time.monotonic() - started), 0.05), prefix=None)
    if isinstance(everything, Problem):
        return everything
    counts = occupied_counts(everything.body)
    if isinstance(counts, Problem):
        return counts
    misses = find_near_misses(expected, counts)
    watching = " (only pusher-doctor's own watch is on it)" if ours else ""
    finding = near_miss_problem(expected, misses) if misses else problem(
        "live-guest-absent", f"nobody is on {expected} right now{watching}: if the guest page is open, it is not "
                             "subscribed (and no occupied channel has a similar name)")
    return RoomsReport(about, channels, 2 + asked_ours, (time.monotonic() - started) * 1000, room, expected, 0,
                       misses, finding.summary, finding=finding)


def _own_connections(rest: RestClient, channel: str, timeout: float) -> int:
    """How many of the channel's connections are pusher-doctor's own watches (0 when that cannot be read)."""
    answer = rest.channel_info(own_marker(channel), timeout)
    return (_count(answer.body, "subscription_count") or 0) if isinstance(answer, RestSuccess) else 0
