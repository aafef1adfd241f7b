"""Step 1b (a Laravel env file, or `--via-backend` on a Laravel app): does the backend send anything at all?
Its broadcaster (`BROADCAST_CONNECTION`, `BROADCAST_DRIVER` before Laravel 11) must be pusher or reverb, not log
or null, and with a queue connection other than sync a worker must run, or every ShouldBroadcast event waits in
the queue.

`scan-backend` reads the same settings from the code; this step reads them from the env file the check runs
with, and looks for a worker among this machine's processes (it may run elsewhere: then only a warning).
"""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.config.settings import Setting
from pusher_doctor.results import Outcome, failed, passed, problem, warned
from pusher_doctor.results.causes import DISABLED_BROADCASTERS

#: broadcasters that send to a Pusher-protocol server
PUSHER_BROADCASTERS = ("pusher", "reverb")
#: queue connections that run a job at once, in the request
IMMEDIATE_QUEUES = ("sync", "")
#: the names each broadcaster's connection reads in Laravel's config/broadcasting.php, by setting
BROADCASTER_NAMES = {"pusher": {"app_id": "PUSHER_APP_ID", "key": "PUSHER_APP_KEY", "secret": "PUSHER_APP_SECRET"},
                     "reverb": {"app_id": "REVERB_APP_ID", "key": "REVERB_APP_KEY", "secret": "REVERB_APP_SECRET"}}


def _borrowed(ctx: CheckContext, broadcaster: str) -> list[tuple[str, str]]:
    """The broadcaster's own variables that were empty, each with the other one pusher-doctor read instead
    (REVERB_APP_KEY for a pusher broadcaster whose PUSHER_APP_KEY is empty): the app itself has no value."""
    prefix = broadcaster.upper() + "_"
    return [(wanted, setting.variable) for name, wanted in BROADCASTER_NAMES[broadcaster].items()
            if (setting := ctx.loaded[name]).variable is not None and not setting.variable.startswith(prefix)]


def _said(setting: Setting) -> str:
    return f"{setting.variable}={setting.value} ({setting.source})"


def check_backend_broadcasting(ctx: CheckContext) -> Outcome:
    broadcaster, queue = ctx.loaded.backend.get("broadcaster"), ctx.loaded.backend.get("queue")
    if broadcaster is None or not broadcaster.present:
        # only a Laravel --via-backend run gets here: its env file says nothing of the broadcaster
        return warned(problem("broadcaster-disabled", "neither BROADCAST_CONNECTION nor BROADCAST_DRIVER is set: "
                              "Laravel uses config/broadcasting.php's fallback, which is null (nothing sent) in a "
                              "new app; the trigger step names the broadcaster the app really uses",
                              about="broadcaster"), *ctx.loaded.searched)
    value = (broadcaster.value or "").strip().lower()
    lines = [_said(broadcaster)] + ([_said(queue)] if queue is not None and queue.present else [])
    if value in DISABLED_BROADCASTERS:
        does = DISABLED_BROADCASTERS[value]
        return failed(problem("broadcaster-disabled", f"the broadcaster is '{value}': Laravel {does}, nothing "
                              "reaches Pusher or Reverb", about="broadcaster"), *lines)
    if value not in PUSHER_BROADCASTERS:
        return warned(problem("broadcaster-disabled", f"the broadcaster is '{value}', not pusher or reverb: events "
                              "do not go to the Pusher-protocol server this check tests", about="broadcaster"),
                      *lines)
    if borrowed := _borrowed(ctx, value):
        return warned(problem("missing-setting", f"the broadcaster is {value}, but the env file leaves its "
                              f"{', '.join(name for name, _ in borrowed)} empty: pusher-doctor used "
                              f"{', '.join(used for _, used in borrowed)}, while Laravel's {value} broadcaster "
                              "reads its own names (config/broadcasting.php)",
                              f"set {', '.join(name for name, _ in borrowed)} in the env file, then "
                              "php artisan config:clear", about=borrowed[0][0]), *lines)
    connection = (queue.value or "").strip().lower() if queue is not None and queue.present else "sync"
    if connection in IMMEDIATE_QUEUES:
        return passed(f"broadcaster {value}, queue {connection}: events are sent in the request", *lines)
    # imported here: the backend's runner (subprocess, process listing) loads only for a Laravel app
    from pusher_doctor.protocol.via_backend import running_queue_workers

    workers = running_queue_workers()
    if workers:
        return passed(f"broadcaster {value}; queue {connection}: {len(workers)} worker(s) run here", *lines,
                      *workers)
    where = ("no queue worker runs on this machine" if workers is not None
             else "this machine's processes cannot be listed to find a worker")
    return warned(problem("broadcast-queued", f"broadcaster {value}, but queue {connection}: ShouldBroadcast events "
                          f"wait for a worker and {where} (ShouldBroadcastNow events are sent at once)",
                          about="queue"), *lines)
