"""``broadcast-routes-missing``: the app has private or presence channels but ``/broadcasting/auth`` is never
registered, or only in a ``BroadcastServiceProvider`` that ``config/app.php`` leaves commented out (the
default of Laravel 10 and earlier).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.backend.model import Backend
from pusher_doctor.backend.rules._base import Hit, Rule, Severity, cause_fix, hit, is_laravel

ID = "broadcast-routes-missing"
LANGUAGE = "php"
PROVIDER = "BroadcastServiceProvider"
_ENABLED_PROVIDER = re.compile(r"^\s*App\\Providers\\BroadcastServiceProvider::class", re.MULTILINE)


def check(backend: Backend) -> Iterator[Hit]:
    if not is_laravel(backend) or not backend.routes:
        return
    first = backend.routes[0].location
    registered = backend.broadcast_routes
    if not registered:
        yield hit(first, "channel routes exist but /broadcasting/auth is never registered: every private or presence "
                  "subscription gets 404",
                  "Laravel 11: ->withRouting(channels: __DIR__.'/../routes/channels.php') in bootstrap/app.php "
                  "(or php artisan install:broadcasting); older: Broadcast::routes() in BroadcastServiceProvider")
        return
    if all(PROVIDER in route.location.file for route in registered) and backend.app_config is not None:
        text = backend.app_config
        if PROVIDER in text and not _ENABLED_PROVIDER.search(text):
            yield hit(registered[0].location, f"Broadcast::routes() is in {PROVIDER}, which config/app.php does not "
                      "load (commented out): /broadcasting/auth answers 404",
                      "uncomment App\\Providers\\BroadcastServiceProvider::class in config/app.php's providers",
                      Severity.ERROR)


RULE = Rule(
    id=ID,
    checklist_item="channel-auth",
    title="Channel routes without /broadcasting/auth",
    finds="A Laravel app with `Broadcast::channel()` routes where nothing registers the auth endpoint "
    "(`Broadcast::routes()`, `withBroadcasting()`, `withRouting(channels: ...)`: a warning, a package may), or "
    "where the only `Broadcast::routes()` is in a `BroadcastServiceProvider` that `config/app.php` leaves "
    "commented out (an error).",
    why="Echo posts every private and presence subscription to `/broadcasting/auth`; without the route it gets "
    "404 and the subscription fails.",
    fix=cause_fix(ID),
    wrong="// App\\Providers\\BroadcastServiceProvider::class,",
    right="App\\Providers\\BroadcastServiceProvider::class,",
    check=check,
    severity=Severity.WARNING,
)
