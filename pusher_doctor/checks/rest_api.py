"""Step 3: one signed REST request proves app id, key and secret (and that a Pusher server answers)."""

from __future__ import annotations

import time

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.checks.refusals import explain_refusal
from pusher_doctor.config.settings import VARIABLES
from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.protocol.wire import CLOCK_WINDOW_SECONDS, clock_skew_seconds, occupied_channels
from pusher_doctor.results import Outcome, Problem, failed, passed, problem, skipped, warned

#: causes that say nothing Pusher-like answers at that host and port
_SERVER_UNUSABLE = ("unreachable", "tls-error", "timeout", "not-pusher")


def check_rest_api(ctx: CheckContext) -> Outcome:
    assert ctx.target is not None
    secret = ctx.loaded.secret
    missing = [VARIABLES[name][0] for name in ("app_id", "secret") if ctx.loaded.value(name) is None]
    if missing or secret is None:
        return skipped(f"not run: needs {' and '.join(missing)}, which signs REST requests (only the key was given)")
    client = RestClient(ctx.target.rest, str(ctx.loaded.value("app_id")), str(ctx.loaded.value("key")), secret)
    answer = client.list_channels(ctx.deadline.remaining())
    if not isinstance(answer, RestSuccess):
        refused = explain_refusal(ctx, answer, over="rest")
        if refused.cause in _SERVER_UNUSABLE:
            ctx.unreachable_server = f"{refused.cause}: {client.endpoint.http_url_base}"
        return failed(refused, f"endpoint: {client.endpoint.http_url_base}")
    channels = occupied_channels(answer.body)
    if isinstance(channels, Problem):
        return failed(channels, f"endpoint: {client.endpoint.http_url_base}")
    ctx.rest = client
    summary = f"signed request accepted in {answer.elapsed_ms:.0f} ms ({len(channels)} occupied channel{'' if len(channels) == 1 else 's'})"
    skew = clock_skew_seconds(answer.server_date, answer.sent_at)
    if skew is not None and abs(skew) > CLOCK_WINDOW_SECONDS:
        text = f"this machine's clock is {abs(skew):.0f} s {'behind' if skew > 0 else 'ahead of'} the server's"
        if ctx.target.is_cloud:
            return failed(problem("clock-skew", text + f"; Pusher refuses requests outside {CLOCK_WINDOW_SECONDS} s"))
        return warned(problem("clock-skew", f"{summary}; {text}: Pusher cloud would refuse these requests"))
    return passed(summary, f"endpoint: {client.endpoint.http_url_base}", f"checked at {time.strftime('%H:%M:%S')}",
                  *_named(channels))


#: occupied channels named in the details; a busy app has thousands
_NAMED_CHANNELS = 10


def _named(channels: dict[str, object]) -> tuple[str, ...]:
    """The occupied channels counted, by name, at most `_NAMED_CHANNELS` of them."""
    if not channels:
        return ()
    names = sorted(str(name) for name in channels)
    more = len(names) - _NAMED_CHANNELS
    return (f"occupied: {', '.join(names[:_NAMED_CHANNELS])}" + (f" and {more} more" if more > 0 else ""),)
