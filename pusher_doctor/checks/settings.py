"""Step 1: the backend's Pusher settings are all there, well-formed, and say where the app lives."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.config.settings import VARIABLES
from pusher_doctor.config.target import DEFAULT_CLUSTER, build_target, is_key_only_gap, validate
from pusher_doctor.results import Outcome, failed, passed, problem, warned


def check_settings(ctx: CheckContext) -> Outcome:
    loaded = ctx.loaded
    sources = tuple(
        f"{setting.variable or VARIABLES[setting.name][0]} = {setting.shown()}  ({setting.source})"
        for setting in loaded.settings.values() if setting.source is not None
    )
    problems = validate(loaded, ctx.request.clusters)
    blocking = [p for p in problems if not is_key_only_gap(p)]
    if blocking:
        first = blocking[0]
        others = tuple(f"also: {p.summary}" for p in problems if p is not first)
        return failed(first, *others, *sources, *loaded.env_file_problems, setting=first.about)
    ctx.target = build_target(loaded, ctx.request.clusters)
    if problems:
        missing = " and ".join(VARIABLES[p.about or ""][0] for p in problems)
        key_only = problem("missing-setting", f"key only: {missing} not set, so the steps that need them (REST API, "
                           "live guest, trigger, delivery) are skipped; WebSocket and subscribe run with the key",
                           problems[0].hint)
        return warned(key_only, *(p.summary for p in problems), *sources, key_only=True)
    where = (f"Pusher cloud, cluster {ctx.target.cluster}" if ctx.target.is_cloud
             else f"self-hosted server {ctx.target.ws.http_url_base}")
    summary = f"app {loaded.value('app_id')} on {where}"
    if loaded.env_file_problems:
        return warned(problem("malformed-setting", summary + f"; {loaded.env_file} was not read as written",
                              f"fix or remove those lines in {loaded.env_file}"), *loaded.env_file_problems, *sources)
    if ctx.target.is_cloud and loaded.value("cluster") is None:
        return warned(problem("missing-setting", summary + " (no cluster set: the default)",
                              f"set PUSHER_CLUSTER to your app's cluster; without it Pusher assumes {DEFAULT_CLUSTER}"),
                      *sources)
    return passed(summary, *sources)
