"""A page behind the guest's login: without the session it is an HTTP error with the fix; with it (cookie,
header or storage state) the page works; the session's values never appear in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.pages import SESSION_COOKIE, SESSION_VALUE, checks_by_id


def test_without_the_guests_session_the_page_is_an_http_error_naming_the_session_options(check_page):
    result = check_page("correct", room="no-session", private=True)
    load = checks_by_id(result)["page-load"]
    assert (load["status"], load["cause"], load["data"]["status"]) == ("fail", "page-http-error", 403)
    assert "--page-cookie" in load["hint"]
    assert result.exit_code == 1


def _storage_state(tmp_path: Path) -> str:
    path = tmp_path / "guest-state.json"
    path.write_text(json.dumps({"cookies": [
        {"name": SESSION_COOKIE, "value": SESSION_VALUE, "domain": "127.0.0.1", "path": "/", "expires": -1,
         "httpOnly": True, "secure": False, "sameSite": "Lax"}], "origins": []}))
    return str(path)


@pytest.mark.parametrize("session", ["cookie", "header", "storage-state"])
def test_with_the_guests_session_the_page_works_and_the_session_is_never_shown(check_page, tmp_path, session):
    options = {"cookie": ["--page-cookie", f"{SESSION_COOKIE}={SESSION_VALUE}"],
               "header": ["--page-header", f"Authorization: Bearer {SESSION_VALUE}"],
               "storage-state": ["--page-storage-state", _storage_state(tmp_path)]}[session]
    result = check_page("correct", *options, "-v", room=f"session-{session}", private=True)
    assert checks_by_id(result)["page-render"]["status"] == "pass", result.output
    assert SESSION_VALUE not in result.output
    shown = check_page("correct", *options, "-v", room=f"session-{session}-terminal", private=True,
                       json_output=False)
    assert shown.exit_code == 0 and SESSION_VALUE not in shown.output
