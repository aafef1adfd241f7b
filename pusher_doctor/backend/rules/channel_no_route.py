"""``channel-no-route``: a private or presence channel that no ``Broadcast::channel(...)`` in
``routes/channels.php`` matches, so Laravel's ``/broadcasting/auth`` refuses every subscription (403).

The channels are those the frontend subscribes to and those the backend's events broadcast on. Laravel
matches the name without its ``private-``/``presence-`` prefix; ``{param}`` stands for one part without a dot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.names import is_known, near, route_matches
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit, is_laravel, sent_channels
from pusher_doctor.contract.names import split_prefix
from pusher_doctor.scan.sources import Location
from pusher_doctor.scan.values import Pattern

ID = "channel-no-route"
LANGUAGE = "php"


def _private_channels(backend: Backend) -> Iterator[tuple[Pattern, Location]]:
    for channel in sent_channels(backend):
        yield channel.name, channel.location
    if backend.frontend is not None:
        for subscribed in backend.frontend.subscriptions:
            yield subscribed.name, subscribed.location


def check(backend: Backend) -> Iterator[Hit]:
    if not is_laravel(backend):
        return
    seen: set[tuple[str, str, int]] = set()
    for name, location in _private_channels(backend):
        prefix, _rest = split_prefix(name.text)
        if not prefix or not is_known(name) or (name.display(), location.file, location.line) in seen:
            continue
        seen.add((name.display(), location.file, location.line))
        if any(route_matches(route.pattern, name) for route in backend.routes):
            continue
        shown = name.display()
        if not backend.routes:
            yield hit(location, f"'{shown}' is a {prefix.rstrip('-')} channel but no Broadcast::channel() was found: "
                      "the auth endpoint refuses it (403)",
                      "authorize it in routes/channels.php: Broadcast::channel('"
                      f"{_route_for(name)}', fn ($user, ...) => ...)", Severity.WARNING)
            continue
        close = [route.pattern for route in backend.routes if near(_route_shape(route.pattern), name.probe()[len(prefix):])]
        also = f"; the nearest route is '{close[0]}'" if close else ""
        yield hit(location, f"no Broadcast::channel() in {backend.channels_file} matches '{shown}'{also}: "
                  "Laravel's auth endpoint refuses the subscription (403)",
                  f"Broadcast::channel('{_route_for(name)}', ...) in {backend.channels_file}, the name without "
                  f"'{prefix}'")


def _route_shape(route: str) -> str:
    return re.sub(r"\{[^}]*\}", "\0", route)


def _route_for(name: Pattern) -> str:
    """The route pattern that authorizes ``name``: its prefix removed, each hole a ``{param}``."""
    prefix, _ = split_prefix(name.text)
    shown = name.display()
    return shown.removeprefix(prefix)


RULE = Rule(
    id=ID,
    checklist_item="channel-auth",
    title="A private or presence channel with no route in routes/channels.php",
    finds="A `private-`/`presence-` channel (subscribed by the frontend, or in an event's `broadcastOn()`) that "
    "no `Broadcast::channel()` pattern matches (Laravel's own matching: the name without its prefix, `{param}` "
    "for one dot-free part), naming the nearest route; a warning when the app has no channel routes at all.",
    why="Laravel's `/broadcasting/auth` answers 403 for a channel no route matches (an "
    "`AccessDeniedHttpException`), so the subscription fails and the page receives nothing.",
    fix=cause_fix(ID),
    wrong="Broadcast::channel('chat.{roomId}', ...);\n// Echo.private(`chat-room.${roomId}`)",
    right="Broadcast::channel('chat-room.{roomId}', ...);\n// Echo.private(`chat-room.${roomId}`)",
    check=check,
    severity=Severity.ERROR,
)
