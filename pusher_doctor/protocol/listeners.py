"""Who is listening on a channel, pusher-doctor's own connections left out.

The REST API counts connections, not who they are: a `watch` left running on the room channel would
count as a live guest and make `check` and `trigger` ask or refuse. So every connection of pusher-doctor
that watches a channel also joins that channel's marker (`own_marker`), a public channel of its own
that nothing is ever sent on; the marker's count is how many of the channel's connections are ours.
"""

from __future__ import annotations

import hashlib

from msgspec import Struct

from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.protocol.wire import subscription_count
from pusher_doctor.results import Problem

#: the marker channels' names start so; a digest follows, as a channel name and a prefix could pass
#: Pusher's 164 characters, and a digest is never a near miss of a room channel
OWN_MARKER_PREFIX = "pusher-doctor-own-"


def own_marker(channel: str) -> str:
    """The public channel a pusher-doctor connection on `channel` also joins, so that counts can leave it out."""
    return OWN_MARKER_PREFIX + hashlib.sha256(channel.encode("utf-8")).hexdigest()[:32]


class Listeners(Struct, frozen=True):
    """The connections on one channel now."""

    #: connections that are not pusher-doctor's own (guests); None: occupied, but the server does not count
    guests: int | None
    #: pusher-doctor's own connections on it (a running `watch`), left out of `guests`
    own: int = 0


def listeners_on(rest: RestClient, channel: str, timeout: float) -> Listeners | Problem:
    """How many connections would see an event on `channel` now, apart from pusher-doctor's own. One
    request, and a second (the marker's count) only when someone is there."""
    answer = rest.channel_info(channel, timeout)
    if not isinstance(answer, RestSuccess):
        return answer
    count = subscription_count(answer.body)
    if isinstance(count, Problem):
        return count
    if count is None:  # Pusher cloud reports counts only when the app enables them
        return Listeners(None if answer.body.get("occupied") else 0)
    if count == 0:
        return Listeners(0)
    marker = rest.channel_info(own_marker(channel), timeout)
    own = subscription_count(marker.body) if isinstance(marker, RestSuccess) else None
    # A marker that cannot be read leaves the count as it is: better to ask once too often.
    ours = min(own, count) if isinstance(own, int) else 0
    return Listeners(count - ours, ours)
