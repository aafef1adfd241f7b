"""`pusher-doctor init`: shows the contract, writes it, never replaces one without --force."""

from __future__ import annotations

import shutil
from pathlib import Path

from pusher_doctor.contract import load_contract

FIXTURES = Path(__file__).resolve().parents[1] / "infer" / "fixtures"


def _app(tmp_path: Path) -> Path:
    app = tmp_path / "shop"
    shutil.copytree(FIXTURES / "laravel", app)
    return app


def test_init_shows_then_writes_a_contract_the_commands_find(cli, tmp_path: Path) -> None:
    app = _app(tmp_path)
    result = cli(["init", str(app)])
    assert result.exit_code == 0, result.output
    written = (app / "pusher-doctor.toml").read_text()
    assert result.stdout.strip() == written.strip()  # what was shown is what was written
    assert f"wrote {app / 'pusher-doctor.toml'}" in result.stderr
    contract = load_contract(start=app / "resources" / "js")
    assert contract.recipient_channel.template.text == "private-orders.{order}"
    assert contract.env_file == app / ".env"


def test_an_existing_contract_is_shown_but_not_replaced_without_force(cli, tmp_path: Path) -> None:
    app = _app(tmp_path)
    (app / "pusher-doctor.toml").write_text("# mine\n")
    result = cli(["init", str(app)])
    assert result.exit_code == 2 and "private-orders.{order}" in result.stdout
    assert "exists: not replaced" in result.stderr and "--force" in result.stderr
    assert (app / "pusher-doctor.toml").read_text() == "# mine\n"
    assert cli(["init", str(app), "--force"]).exit_code == 0
    assert "private-orders" in (app / "pusher-doctor.toml").read_text()


def test_dry_run_writes_nothing_and_an_empty_folder_gets_the_hotel_chat(cli, tmp_path: Path) -> None:
    result = cli(["init", str(tmp_path), "--dry-run"])
    assert result.exit_code == 0 and "{hotel}-room-{room}-chat" in result.stdout
    assert "built-in hotel chat" in result.stdout
    assert not (tmp_path / "pusher-doctor.toml").exists()


def test_another_output_file_is_not_found_by_name_and_says_how_to_use_it(cli, tmp_path: Path) -> None:
    app = _app(tmp_path)
    result = cli(["init", str(app), "--output", str(app / "contract.toml")])
    assert result.exit_code == 0 and (app / "contract.toml").exists()
    assert f"--contract {app / 'contract.toml'}" in result.stderr


def test_bad_paths_are_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    result = cli(["init", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "is not a folder" in result.stderr and "Traceback" not in result.output
    result = cli(["init", str(tmp_path), "--frontend", str(tmp_path / "web")])
    assert result.exit_code == 2 and "--frontend" in result.stderr
    result = cli(["init", str(tmp_path), "--output", str(tmp_path / "no" / "such" / "dir" / "c.toml")])
    assert result.exit_code == 2 and "its folder does not exist" in result.stderr  # as --help says: 2


def test_a_hostile_file_name_reaches_neither_the_terminal_nor_the_toml_raw(cli, tmp_path: Path) -> None:
    evil = tmp_path / "src\x1b[31m\nx"
    evil.mkdir()
    (evil / "a.js").write_text("import Pusher from 'pusher-js';\nconst p = new Pusher('k', {cluster: 'eu'});\n"
                               "p.subscribe('feed').bind('posted', () => {});\n")
    result = cli(["init", str(tmp_path)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    assert load_contract(tmp_path / "pusher-doctor.toml").keys == ("feed",)
