"""A correct guest page passes every page step, the verdict says the frontend works, and the doctor's
own page is never taken for a live guest (while a real one still is)."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.checks import checks_for
from pusher_doctor.page.options import PageOptions
from pusher_doctor.sandbox import SoketiServer
from tests.support.guests import pusher_js_guest
from tests.support.pages import checks_by_id

PAGE_STEPS = ["page-load", "page-connection", "page-subscribe", "page-receive", "page-bindings",
              "page-render", "page-lifecycle", "page-console"]


def test_a_correct_react_page_passes_and_its_screenshot_is_saved(check_page, tmp_path: Path):
    shot = tmp_path / "after-probe.png"
    result = check_page("react-correct", "--page-screenshot", str(shot))
    checks = checks_by_id(result)
    assert result.exit_code == 0, result.output
    assert [c for c in checks if c.startswith("page-")] == [*PAGE_STEPS, "page-screenshot"]
    assert {checks[step]["status"] for step in [*PAGE_STEPS, "page-screenshot"]} == {"pass"}
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert checks["page-receive"]["data"]["latency_ms"] >= 0
    assert checks["page-render"]["data"]["latency_ms"] >= 0
    assert "The guest page got it too" in result.json()["verdict"]
    assert "so the frontend works" in result.json()["verdict"]


def test_the_doctors_own_page_is_not_a_live_guest(check_page):
    # No --yes and no terminal: the trigger runs only because nobody but the doctor's page listens.
    checks = checks_by_id(check_page("correct", room="guard-alone"))
    assert checks["live-guest"]["data"]["subscribers"] == 0
    assert checks["trigger"]["status"] == "pass"


def test_a_real_guest_beside_the_doctors_page_still_stops_the_trigger(check_page, soketi: SoketiServer):
    with pusher_js_guest(soketi, "hotel-paradise-room-guard-real-chat", "new-staff-message", 30_000):
        checks = checks_by_id(check_page("correct", room="guard-real"))
    assert checks["live-guest"]["data"]["subscribers"] == 1
    assert checks["trigger"]["status"] == "skip" and "--yes" in checks["trigger"]["summary"]
    assert checks["page-subscribe"]["status"] == "pass"
    assert checks["page-receive"]["status"] == "skip"


def test_the_terminal_shows_the_page_steps_and_the_favicon_404_is_not_a_pusher_error(check_page):
    result = check_page("correct", "-v", room="terminal", json_output=False)
    assert result.exit_code == 0, result.output
    for line in ("✓ Page load", "✓ Page socket", "✓ Page channel", "✓ Page frame", "✓ Page render",
                 "✓ Page remount", "✓ Page console"):
        assert line in result.stdout
    assert "not Pusher: error: Failed to load resource" in result.stdout
    assert "Pusher client: js 8.4.0" in result.stdout


def test_page_steps_join_the_checklist_only_with_page():
    plain = checks_for(None)
    assert not [c for c in plain if c.id.startswith("page-")]
    ids = [c.id for c in checks_for(PageOptions("http://guest.example/"))]
    assert ids.index("live-guest") < ids.index("page-load") < ids.index("page-subscribe")
    assert ids.index("page-subscribe") < ids.index("trigger")
    assert ids.index("delivery") < ids.index("page-receive")
    assert "page-offline" not in ids and "page-screenshot" not in ids
    everything = [c.id for c in checks_for(PageOptions("http://guest.example/", screenshot=Path("x.png"),
                                                       offline_test=True))]
    assert everything.index("page-screenshot") < everything.index("page-offline")
