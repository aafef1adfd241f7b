"""contract-channel and contract-event: a frontend judged by its app's pusher-doctor.toml, valid and invalid
snippets through scan-frontend's real engine, and the command that finds the contract from PATH upward."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pusher_doctor.contract import contract_from_table
from pusher_doctor.infer.rules import contract_rules
from pusher_doctor.scan import scan_frontend

CONTRACT = contract_from_table(tomllib.loads("""
[channels.orders]
template = "private-orders.{order}"
events = ["order.shipped", "OrderCancelled"]
[channels.feed]
template = "announcements"
events = ["announced"]
"""))


def _findings(tmp_path: Path, code: str) -> list[tuple[str, str, str]]:
    (tmp_path / "app.js").write_text(code)
    report = scan_frontend(tmp_path, rules=contract_rules(CONTRACT), contract="none")
    return [(f.rule, f.severity.value, f.message) for f in report.findings]


@pytest.mark.parametrize("code", [
    "window.Echo.private(`orders.${id}`).listen('.order.shipped', f).listen('.OrderCancelled', g);",
    "window.Echo.channel('announcements').listen('.announced', f);",
    "pusher.subscribe(`private-orders.${order.id}`).bind('order.shipped', f);",
    "pusher.subscribe(name).bind('whatever', f);",  # a name made only of unknown parts is not judged
    "window.Echo.private(`orders.${id}`).listenForWhisper('typing', f);",
])
def test_valid(tmp_path: Path, code: str) -> None:
    assert _findings(tmp_path, code) == []


@pytest.mark.parametrize(("code", "rule", "severity", "says"), [
    ("window.Echo.private(`orders-${id}`).listen('.order.shipped', f);", "contract-channel", "error",
     "'-' where the backend has '.'"),
    ("pusher.subscribe(`orders.${id}`).bind('order.shipped', f);", "contract-channel", "error",
     "no prefix where the backend has 'private-'"),
    ("window.Echo.channel('other-feature').listen('.x', f);", "contract-channel", "note", "none of the contract's"),
    ("window.Echo.private(`orders.${id}`).listen('OrderCancelled', f);", "contract-event", "error",
     "binds 'App\\Events\\OrderCancelled' (Echo's namespace)"),
    ("window.Echo.private(`orders.${id}`).listen('.OrderCanceled', f);", "contract-event", "error",
     "never sends 'OrderCanceled' on the orders channel"),
    ("window.Echo.private(`orders.${id}`).listen('.announced', f);", "contract-event", "error",
     "sends 'announced' on the feed channel, not on the orders channel"),
])
def test_invalid(tmp_path: Path, code: str, rule: str, severity: str, says: str) -> None:
    (found,) = _findings(tmp_path, code)
    assert found[:2] == (rule, severity) and says in found[2], found


def test_scan_frontend_finds_the_contract_from_the_scanned_folder_upward(cli, tmp_path: Path) -> None:
    app = tmp_path / "shop"
    (app / "resources" / "js").mkdir(parents=True)
    (app / "pusher-doctor.toml").write_text('[channels.orders]\ntemplate = "orders.{id}"\nevents = ["shipped"]\n')
    (app / "resources" / "js" / "a.js").write_text(
        "window.Echo.channel(`orders.${id}`).listen('.shiped', f);\n")
    result = cli(["scan-frontend", str(app / "resources" / "js"), "--json"])
    assert result.exit_code == 1
    assert [f["rule"] for f in result.json()["findings"]] == ["contract-event"]
    broken = cli(["scan-frontend", str(app / "resources" / "js"), "--contract-file", str(tmp_path / "nope.toml"),
                  "--json"])
    assert broken.exit_code == 2 and broken.json()["error"]["cause"] == "contract-invalid"


def test_the_text_report_says_the_app_contract_rules_ran_not_that_the_hotel_chats_are_off(cli, tmp_path: Path) -> None:
    app = tmp_path / "shop"
    app.mkdir()
    (app / "pusher-doctor.toml").write_text('[channels.orders]\ntemplate = "orders.{id}"\nevents = ["shipped"]\n')
    (app / "a.js").write_text("window.Echo.channel(`orders.${id}`).listen('.shipped', f);\n")
    result = cli(["scan-frontend", str(app)])
    assert result.exit_code == 0, result.output
    assert "app contract rules: on (contract-channel, contract-event" in result.output
    assert "hotel-chat contract rules" not in result.output
