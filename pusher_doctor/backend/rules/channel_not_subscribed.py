"""``channel-not-subscribed``: the backend sends on a channel the frontend never subscribes to, and the
frontend subscribes to one very like it: another prefix (``presence-`` sent, ``private-`` subscribed:
``PresenceChannel`` against Echo's ``private()``), other separators (``chat.{id}`` against ``chat-{id}``),
a letter or two.

Names with unknown parts match when some values make them equal. A sent channel with nothing near it on
the frontend is left alone (another app, or a page the scan did not read, may subscribe).
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend, SentChannel, Subscribed
from pusher_doctor.backend.names import can_equal, is_known, near
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit, sent_channels
from pusher_doctor.contract.names import split_prefix
from pusher_doctor.scan.values import Pattern

ID = "channel-not-subscribed"
LANGUAGE = "php"
#: what subscribes to each prefix, for the hint
_SUBSCRIBE_WITH = {"": "Echo.channel()", "private-": "Echo.private()", "presence-": "Echo.join()",
                   "private-encrypted-": "Echo.encryptedPrivate()"}


def check(backend: Backend) -> Iterator[Hit]:
    view = backend.frontend
    if view is None or not view.subscriptions:
        return
    reported: set[str] = set()
    for channel in sent_channels(backend):
        name = channel.name.display()
        if not is_known(channel.name) or name in reported:
            continue
        if any(can_equal(channel.name, subscribed.name) for subscribed in view.subscriptions):
            continue
        close = [subscribed for subscribed in view.subscriptions if is_known(subscribed.name)
                 and (_same_but_prefix(channel.name, subscribed.name) or near(channel.name, subscribed.name))]
        if not close:
            continue
        reported.add(name)
        yield _hit(channel, close[0])


def _same_but_prefix(sent: Pattern, subscribed: Pattern) -> bool:
    """True when the two names are one channel's name with different prefixes (private- against presence-)."""
    return can_equal(_without_prefix(sent), _without_prefix(subscribed))


def _without_prefix(name: Pattern) -> Pattern:
    prefix, _ = split_prefix(name.text)
    first = name.parts[0] if name.parts else ""
    if not prefix or not isinstance(first, str) or not first.startswith(prefix):
        return name
    return Pattern((first[len(prefix):], *name.parts[1:]))


def _hit(channel: SentChannel, subscribed: Subscribed) -> Hit:
    sent, heard = channel.name.display(), subscribed.name.display()
    sent_prefix, _ = split_prefix(channel.name.text)
    heard_prefix, _ = split_prefix(subscribed.name.text)
    where = f"{subscribed.location.file}:{subscribed.location.line}"
    if sent_prefix != heard_prefix:
        return hit(channel.location,
                   f"the backend sends on '{sent}' but the frontend subscribes to '{heard}' ({where}): "
                   f"a {_kind(sent_prefix)} and a {_kind(heard_prefix)} channel are two different channels",
                   f"use one kind on both sides: subscribe with {_SUBSCRIBE_WITH[sent_prefix]}, or send on the "
                   f"{_kind(heard_prefix)} channel", Severity.ERROR)
    return hit(channel.location,
               f"the backend sends on '{sent}' but the frontend subscribes to '{heard}' ({where}): the names differ",
               "build the channel name the same way on both sides (one shared template)")


def _kind(prefix: str) -> str:
    return prefix.rstrip("-").replace("-", " ") or "public"


RULE = Rule(
    id=ID,
    checklist_item="channel-name",
    title="The backend sends on a channel the frontend does not subscribe to",
    finds="A channel the backend sends on (`broadcastOn()`'s channels, a `trigger(...)`'s) that no frontend "
    "subscription can equal, while one is very like it: another prefix (an error: `PresenceChannel` sent, "
    "`Echo.private()` subscribed), other separators or a letter or two (a warning). Needs the frontend's code.",
    why="Pusher delivers an event only to subscribers of exactly its channel; `private-room.1` and "
    "`presence-room.1` are two channels, as are `chat.5` and `chat-5`.",
    fix=cause_fix(ID),
    wrong="return [new PresenceChannel('room.'.$this->roomId)];\n// Echo.private(`room.${roomId}`)",
    right="return [new PrivateChannel('room.'.$this->roomId)];\n// Echo.private(`room.${roomId}`)",
    check=check,
    severity=Severity.WARNING,
)
