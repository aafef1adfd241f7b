"""Which browser opens the guest page. None is ever downloaded at run time: the one named with
--browser, else a Chrome or Chromium on this machine, else one that Playwright already installed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from pusher_doctor.results import Problem, problem

#: where packaged Chrome and Chromium live, most common first
MACHINE_BROWSERS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
#: names looked up on PATH after the fixed places
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: headless, and quiet: the browser visits only the page and what it loads, never Google's services.
#: --no-sandbox because the doctor often runs as root in containers, where Chrome's sandbox cannot start.
LAUNCH_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync")

def _runnable(path: str | Path | None) -> Path | None:
    if path and Path(path).is_file() and os.access(path, os.X_OK):
        return Path(path)
    return None


def find_browser(explicit: Path | None, playwright_browser: str | None,
                 machine: Iterable[str] = MACHINE_BROWSERS,
                 path_names: Iterable[str] = PATH_NAMES) -> Path | None:
    """The browser to launch: `explicit` when given (even if it turns out not to run: the person chose
    it), else the first Chrome/Chromium on this machine, else Playwright's installed one."""
    if explicit is not None:
        return explicit
    for candidate in (*machine, *(shutil.which(name) for name in path_names), playwright_browser):
        if found := _runnable(candidate):
            return found
    return None


def no_browser(summary: str) -> Problem:
    """The cause table's fix names the install commands."""
    return problem("no-browser", summary)
