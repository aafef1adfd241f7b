"""The guest-page steps of `check --page`, in their places around the trigger. Apart from the main
registry so that a run without --page never imports the browser side."""

from __future__ import annotations

from pusher_doctor.checks import Check
from pusher_doctor.checks.page_bindings import check_page_bindings
from pusher_doctor.checks.page_connection import check_page_connection
from pusher_doctor.checks.page_console import check_page_console
from pusher_doctor.checks.page_lifecycle import check_page_lifecycle
from pusher_doctor.checks.page_load import check_page_load
from pusher_doctor.checks.page_offline import check_page_offline
from pusher_doctor.checks.page_receive import check_page_receive
from pusher_doctor.checks.page_render import check_page_render
from pusher_doctor.checks.page_screenshot import check_page_screenshot
from pusher_doctor.checks.page_subscribe import check_page_subscribe

#: The guest page in a browser (`--page`): opened after live-guest has counted the real guests (so the
#: doctor's own page is never a live guest for the trigger's guard) and subscribed before the trigger.
PAGE_BEFORE_TRIGGER: tuple[Check, ...] = (
    Check("page-load", "Page load", check_page_load, when="page"),
    Check("page-connection", "Page socket", check_page_connection, needs=("page-load", "settings"), when="page"),
    Check("page-subscribe", "Page channel", check_page_subscribe, needs=("page-connection", "channels"), when="page"),
)
#: ... and watched once the test message is out, right after delivery.
PAGE_AFTER_DELIVERY: tuple[Check, ...] = (
    Check("page-receive", "Page frame", check_page_receive, needs=("page-subscribe", "trigger"), when="page"),
    Check("page-bindings", "Page bindings", check_page_bindings, needs=("page-subscribe",), when="page"),
    # Uses page-bindings: a page that binds another event cannot show the message; no second failure.
    Check("page-render", "Page render", check_page_render, needs=("page-receive",), uses=("page-bindings",), when="page"),
    Check("page-lifecycle", "Page remount", check_page_lifecycle, needs=("page-receive",), when="page"),
    Check("page-console", "Page console", check_page_console, needs=("page-load",), when="page"),
    Check("page-screenshot", "Screenshot", check_page_screenshot, needs=("page-load",), when="page-screenshot"),
    # Last of the page steps: it drops the page's connection.
    Check("page-offline", "Page offline", check_page_offline, needs=("page-subscribe", "trigger"), when="page-offline"),
)
