"""``broadcaster-disabled``: Laravel's broadcaster is ``log`` or ``null``, so no event leaves the app.

``config/broadcasting.php``'s ``default`` reads an env variable (``BROADCAST_CONNECTION`` since Laravel 11,
``BROADCAST_DRIVER`` before) and falls back to a value of its own (``null``). ``log`` writes every event to
``storage/logs``; ``null`` drops it. Both look like success: nothing fails, nothing arrives. A common
form: the env file sets ``BROADCAST_DRIVER=pusher`` while the config (Laravel 11's) reads
``BROADCAST_CONNECTION``, so the fallback ``null`` wins.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import (
    Hit,
    Rule,
    Severity,
    broadcast_events,
    cause_fix,
    effective,
    env_doubt,
    hit,
    is_laravel,
)
from pusher_doctor.results.causes import DISABLED_BROADCASTERS

ID = "broadcaster-disabled"
LANGUAGE = "ini"
#: what each disabled broadcaster does with an event
DISABLED = DISABLED_BROADCASTERS
#: the env variable each Laravel version reads, to name the one the app set by mistake
OTHER_NAME = {"BROADCAST_CONNECTION": "BROADCAST_DRIVER", "BROADCAST_DRIVER": "BROADCAST_CONNECTION"}


def check(backend: Backend) -> Iterator[Hit]:
    if not is_laravel(backend) or not (broadcast_events(backend) or backend.dispatches or backend.routes):
        return
    value, where, config = effective(backend, "broadcasting")
    if value not in DISABLED:
        return
    env = backend.env
    doubt = env_doubt(backend) if config.env_name else None  # a literal default needs no env file
    severity = Severity.NOTE if doubt else None
    other = OTHER_NAME.get(config.env_name or "")
    if env is not None and other and env.values.get(other) and env.values.get(config.env_name or "") in (None, ""):
        yield hit(env.places[other],
                  f"{other}={env.values[other]} is not read: the config reads {config.env_name}, which is not set, "
                  f"so the broadcaster is '{value}', which {DISABLED[value]}",
                  f"rename it: {config.env_name}={env.values[other]}", severity)
        return
    source = f"{config.env_name}={value}" if where != config.location else f"the config's fallback '{value}'"
    yield hit(where, f"the broadcaster is '{value}' ({source}): Laravel {DISABLED[value]}, nothing reaches Pusher"
              + (f" ({doubt})" if doubt else ""),
              f"set {config.env_name or 'BROADCAST_CONNECTION'}=pusher (or reverb) in the env file, then "
              "php artisan config:clear", severity)


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="Laravel's broadcaster is log or null",
    finds="A Laravel app that broadcasts (event classes, `broadcast()`, channel routes) whose broadcaster, as "
    "`config/broadcasting.php`'s `default` reads it from the env file (Laravel 11's framework default when the "
    "app has no config file), is `log` or `null`; and the env file setting `BROADCAST_DRIVER` while the config "
    "reads `BROADCAST_CONNECTION` (or the other way round). A note when the values come from `.env.example` or "
    "no env file was found (the running app's `.env` may differ).",
    why="`log` writes each event to `storage/logs`, `null` drops it: the app runs without an error and no event "
    "ever reaches Pusher or Reverb.",
    fix=cause_fix(ID),
    wrong="BROADCAST_CONNECTION=log",
    right="BROADCAST_CONNECTION=pusher",
    check=check,
    severity=Severity.ERROR,
)
