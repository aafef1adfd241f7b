"""Without --page nothing of the browser is loaded: neither Playwright nor the page watch (asyncio)."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(done.stdout.split())


MACHINERY = {"playwright", "pusher_doctor.page.watch", "asyncio"}


def test_a_check_run_without_page_loads_no_browser_machinery():
    loaded = _loaded_after("import pusher_doctor.runner.session, pusher_doctor.cli.check")
    assert not MACHINERY & loaded, sorted(MACHINERY & loaded)


def test_opening_a_page_is_what_loads_it():
    # The same test sees the machinery once a page watch exists (Playwright itself comes with open()).
    loaded = _loaded_after("from pusher_doctor.page.options import PageOptions; "
                           "from pusher_doctor.page.watch import PageWatch; PageWatch(PageOptions('http://x/')).close()")
    assert MACHINERY - {"playwright"} <= loaded

