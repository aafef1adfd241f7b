"""What the backend rules share: the frontend scan's :class:`Rule` and :class:`Hit` (one finding model
for both scans), each rule's fix taken from the cause table, and small questions several rules ask."""

from __future__ import annotations

from pusher_doctor.backend.laravel import FRAMEWORK_DEFAULTS, implements_broadcast
from pusher_doctor.backend.model import LARAVEL, Backend, ConfigDefault, LaravelEvent, SentChannel
from pusher_doctor.results.causes import CAUSES
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.rules import Hit, Rule
from pusher_doctor.scan.sources import Location

_FIXES = {cause.id: cause.fix for cause in CAUSES}


def cause_fix(cause_id: str) -> str:
    """The fix of a cause, as the README's troubleshooting table shows it: a rule's id is its cause's id."""
    return str(_FIXES[cause_id])


def hit(location: Location, message: str, hint: str, severity: Severity | None = None) -> Hit:
    return Hit(location, message, hint, severity)


def anchor(backend: Backend) -> Location:
    """Where a finding about the app as a whole points when no line says it: the env file's first line,
    else the first event class."""
    if backend.env is not None:
        return Location(backend.env.rel, 1, 1, "")
    if backend.events:
        return backend.events[0].location
    return Location(".", 1, 1, "")


def broadcast_events(backend: Backend) -> list[LaravelEvent]:
    """The event classes that do broadcast (ShouldBroadcast or ShouldBroadcastNow, or a parent that is)."""
    return [event for event in backend.events if implements_broadcast(backend, event)]


def env_doubt(backend: Backend) -> str | None:
    """Why the env file's values may not be the running app's (a template read, or none found), or None."""
    if backend.env is None:
        return "no .env was found: the running app's may set it otherwise"
    if backend.env.template:
        return f"read from {backend.env.rel}: the real .env may differ"
    return None


def effective(backend: Backend, which: str) -> tuple[str | None, Location, ConfigDefault]:
    """The broadcaster (``broadcasting``) or queue connection (``queue``) this app uses with its env file,
    where that value is set, and the config line that reads it (Laravel 11's default without a config file).
    See :func:`env_doubt` for how sure that is."""
    config = backend.broadcast_default if which == "broadcasting" else backend.queue_default
    if config is None:
        name, fallback = FRAMEWORK_DEFAULTS[which]
        config = ConfigDefault(name, fallback, anchor(backend))
    value, where = config.value(backend.env)
    return value, where, config


def sent_channels(backend: Backend) -> list[SentChannel]:
    """Every channel the backend sends on: its broadcasting event classes' (and those whose parents are not
    all in the scanned code) and its triggers'."""
    found = [channel for event in backend.events if implements_broadcast(backend, event) is not False
             for channel in event.channels]
    found.extend(SentChannel(name, trigger.location) for trigger in backend.triggers for name in trigger.channels)
    return found


def is_laravel(backend: Backend) -> bool:
    return LARAVEL in backend.frameworks


__all__ = ["Hit", "Rule", "Severity", "anchor", "broadcast_events", "cause_fix", "effective", "env_doubt", "hit", "is_laravel", "sent_channels"]
