"""``broadcast-queued``: events that implement ``ShouldBroadcast`` go through the queue, and the queue is
not ``sync``: without a worker they wait in the jobs table forever.

The scan cannot see whether a worker runs. It says so as a warning when nothing in the repository starts
one (a Procfile, supervisor or compose file, composer's ``dev`` script with ``queue:listen``, Horizon), and
as a note when something does (it may still not run where the problem is seen).
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
from pusher_doctor.backend.rules.broadcaster_disabled import DISABLED

ID = "broadcast-queued"
LANGUAGE = "php"


def check(backend: Backend) -> Iterator[Hit]:
    if not is_laravel(backend):
        return
    broadcaster, _, _ = effective(backend, "broadcasting")
    if broadcaster in DISABLED:
        return  # broadcaster-disabled says why nothing is sent; the queue is not the first problem
    queued = [event for event in broadcast_events(backend)
              if "ShouldBroadcastNow" not in event.implements and not event.sync_connection]
    if not queued:
        return
    connection, where, config = effective(backend, "queue")
    if connection in (None, "sync"):
        return
    names = ", ".join(event.name for event in queued[:3]) + (f" and {len(queued) - 3} more" if len(queued) > 3 else "")
    setting = f"{config.env_name}={connection}" if config.env_name else f"queue '{connection}'"
    doubt = env_doubt(backend) if config.env_name else None
    if doubt:
        yield hit(where, f"{names} broadcast through the queue ({setting}, {doubt}): they are sent only while a "
                  "queue worker runs", "if the env file the app runs with has no QUEUE_CONNECTION=sync, run "
                  "php artisan queue:work", Severity.NOTE)
        return
    if backend.workers:
        yield hit(where, f"{names} broadcast through the queue ({setting}): they are sent only while a worker runs "
                  f"(one is set up in {backend.workers[0]})",
                  "check the worker runs where the events go missing: php artisan queue:monitor "
                  f"{connection}:default, php artisan queue:failed", Severity.NOTE)
        return
    yield hit(where, f"{names} broadcast through the queue ({setting}) and nothing in the repository starts a queue "
              "worker: without one the events wait in the queue and never reach Pusher",
              "run php artisan queue:work (under supervisor in production), or implement ShouldBroadcastNow; "
              "waiting jobs: php artisan queue:monitor " + f"{connection}:default")


RULE = Rule(
    id=ID,
    checklist_item="backend-publishes",
    title="Queued broadcasts with a queue that needs a worker",
    finds="Event classes that implement `ShouldBroadcast` (not `ShouldBroadcastNow`, no `$connection = 'sync'`) "
    "while the queue connection (`QUEUE_CONNECTION`, Laravel 11's default `database`) is not `sync`. A warning "
    "when nothing in the repository starts a worker (Procfile, supervisor, compose, composer scripts, Horizon), "
    "a note when something does or when the values come from `.env.example` (or no env file).",
    why="Laravel pushes a `ShouldBroadcast` event onto the queue; only a worker sends it to Pusher. With no worker "
    "running the jobs pile up and no event arrives, without an error anywhere.",
    fix=cause_fix(ID),
    wrong="class MessageSent implements ShouldBroadcast { ... }  // QUEUE_CONNECTION=database, no worker",
    right="class MessageSent implements ShouldBroadcastNow { ... }  // or: php artisan queue:work",
    check=check,
    severity=Severity.WARNING,
)
