"""`check --page` on another app than the hotel chat, driven by its pusher-doctor.toml, in a real Chromium:
its channel and event are the contract's, so a correct page passes (no false page-wrong-event) and a page
binding another event is named against the contract's event."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options
from tests.support.pages import GuestPages, checks_by_id
from tests.support.servers import HEALTHY

CONTRACT = """\
[channels.orders]
template = "orders.{order}"
events = ["order.shipped", "order.cancelled"]

[channels.orders.payload]
"order.shipped" = ["id", "message", "status"]
"""

PAGE_STEPS = ["page-load", "page-connection", "page-subscribe", "page-receive", "page-bindings", "page-render"]


def _check(cli, soketi: SoketiServer, pages: GuestPages, tmp_path: Path, order: str, url_extra: str = ""):
    contract = tmp_path / "pusher-doctor.toml"
    contract.write_text(CONTRACT)
    return cli(["check", "--contract", str(contract), "--field", f"order={order}",
                "--page", pages.url("orders", order) + url_extra, *app_options(soketi, HEALTHY), "--json"])


def test_a_correct_page_of_another_app_passes_with_its_contract(cli, soketi, pages, tmp_path: Path) -> None:
    result = _check(cli, soketi, pages, tmp_path, "order-77")
    checks = checks_by_id(result)
    assert result.exit_code == 0, result.output
    assert checks["channels"]["summary"].startswith("orders.order-77")
    assert {checks[step]["status"] for step in PAGE_STEPS} == {"pass"}, {s: checks[s]["summary"] for s in PAGE_STEPS}
    assert "order.shipped" in checks["page-bindings"]["summary"]
    assert "order.shipped" in checks["page-receive"]["summary"]


def test_a_page_binding_another_event_is_told_the_contracts_event(cli, soketi, pages, tmp_path: Path) -> None:
    result = _check(cli, soketi, pages, tmp_path, "order-78", "&event=OrderShipped")
    checks = checks_by_id(result)
    assert result.exit_code == 1
    assert checks["page-bindings"]["cause"] == "page-wrong-event"
    assert "not order.shipped" in checks["page-bindings"]["summary"]
    assert checks["page-subscribe"]["status"] == "pass"


def test_without_the_field_the_contract_asks_for_it(cli, tmp_path: Path) -> None:
    contract = tmp_path / "pusher-doctor.toml"
    contract.write_text(CONTRACT)
    result = cli(["check", "--contract", str(contract), "--json"])
    assert result.exit_code == 2
    assert "{order}" in result.json()["error"]["message"] and "--field order=VALUE" in result.json()["error"]["hint"]


def test_a_broken_contract_is_one_line_with_its_cause(cli, tmp_path: Path) -> None:
    (tmp_path / "pusher-doctor.toml").write_text('[channels.orders]\ntemplate = "orders.{id:>9}"\nevents = ["x"]\n')
    result = cli(["check", "--field", "id=1", "--json"])  # found in the working directory
    assert result.exit_code == 2
    error = result.json()["error"]
    assert error["cause"] == "contract-invalid" and error["message"].startswith("pusher-doctor.toml:2: ")
