"""--page-offline-test: a page that only listens misses what was sent while its connection was down; a
page that reloads its history on reconnect catches up."""

from __future__ import annotations

from tests.support.pages import checks_by_id


def test_a_page_without_history_reload_needs_a_refresh_after_a_drop(check_page):
    result = check_page("correct", "--page-offline-test", room="offline-plain")
    offline = checks_by_id(result)["page-offline"]
    assert (offline["status"], offline["cause"]) == ("fail", "page-no-resync"), offline
    assert "reconnected" in " ".join(offline["details"])
    assert result.exit_code == 1


def test_a_page_that_reloads_history_on_reconnect_passes(check_page):
    result = check_page("resync", "--page-offline-test", room="offline-resync")
    offline = checks_by_id(result)["page-offline"]
    assert offline["status"] == "pass", offline
    assert "/api/messages" in offline["summary"]
    assert result.exit_code == 0, result.output
