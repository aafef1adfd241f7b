"""Page step (`--page-screenshot FILE`): a PNG of the page after the test message, for the ticket."""

from __future__ import annotations

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.results import Outcome, passed, problem, warned

#: seconds a screenshot may take
SCREENSHOT_WAIT = 5.0


def check_page_screenshot(ctx: CheckContext) -> Outcome:
    assert ctx.page is not None and ctx.request.page is not None and ctx.request.page.screenshot is not None
    path = ctx.request.page.screenshot
    failure = ctx.page.screenshot(path, min(ctx.deadline.remaining(), SCREENSHOT_WAIT))
    if failure is not None:
        return warned(problem("page-screenshot-not-saved", f"{path}: {failure}"))
    return passed(f"saved {path}", path=str(path))
