"""Page step 1 (`--page`): open the guest page in a headless browser: its HTTP status, and any exception
thrown while it loaded. Runs after live-guest has counted the real guests, so the doctor's own page is
never taken for a live guest by the trigger's guard."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import Outcome, failed, passed, problem, warned


def check_page_load(ctx: CheckContext) -> Outcome:
    # Here, not at the top: a run without --page never loads the browser's machinery.
    from pusher_doctor.page.watch import Loaded, PageWatch

    options = ctx.request.page
    assert options is not None
    ctx.page = PageWatch(options)
    answer = ctx.page.open(ctx.deadline.remaining())
    if not isinstance(answer, Loaded):
        return failed(answer, f"page: {options.shown_url}")
    details = [f"page: {options.shown_url}",
               f"browser: {answer.browser}, started in {answer.launch_ms:.0f} ms"]
    timings = {"load_ms": round(answer.elapsed_ms, 1), "launch_ms": round(answer.launch_ms, 1)}
    if answer.url != options.shown_url:
        details.append(f"redirected to {answer.url}")
    if answer.status is not None and answer.status >= 400:
        return failed(problem("page-http-error", f"the page answered HTTP {answer.status}"), *details,
                      status=answer.status)
    thrown = [entry for entry in ctx.page.snapshot().console if entry.kind == "exception"]
    summary = f"HTTP {answer.status}, loaded in {answer.elapsed_ms:.0f} ms (browser start included)"
    if thrown:
        first = thrown[0]
        return warned(problem("page-script-error", f"{summary}, but it threw {first.text}"
                              + (f" at {first.place}" if first.place else "")),
                      *details, *(f"uncaught: {e.text} at {e.place or 'unknown place'}" for e in thrown),
                      status=answer.status, **timings)
    return passed(summary, *details, status=answer.status, **timings)
