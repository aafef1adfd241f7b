"""What a start loads and builds: --help lists the commands without their cores, and a command builds and
imports only itself (issue #8: every start pays for what it imports)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer.main
from typer.testing import CliRunner

from pusher_doctor.cli import app
from pusher_doctor.cli.app import COMMAND_MODULES

APP_MODULE = sys.modules["pusher_doctor.cli.app"]  # `pusher_doctor.cli.app` the attribute is the Typer app
NETWORK_STACK = {"pysher", "pusher", "requests", "websocket", "http", "ssl", "tree_sitter", "playwright"}
#: what runs a command rather than defines it: none of it is needed to list the commands
CORES = {"rich", "pusher_doctor.checks", "pusher_doctor.runner", "pusher_doctor.protocol", "pusher_doctor.render",
         "pusher_doctor.config", "pusher_doctor.results.outcome", "pusher_doctor.triage", "pusher_doctor.scan",
         "pusher_doctor.sandbox", "pusher_doctor.page"}


def _loaded_by(args: list[str], cwd: Path) -> set[str]:
    """The modules a real start of the CLI with `args` has loaded when it exits."""
    code = ("import sys\nfrom pusher_doctor.cli import main\nsys.argv = ['pusher-doctor', *sys.argv[1:]]\n"
            "try:\n    main()\nfinally:\n    sys.stderr.write('\\nloaded: ' + ' '.join(sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)
    return set(done.stderr.rpartition("\nloaded: ")[2].split())


def _found(loaded: set[str], wanted: set[str]) -> set[str]:
    return {name for name in loaded if name in wanted or any(name.startswith(w + ".") for w in wanted)}


def test_help_loads_no_command_core_and_no_network_stack(tmp_path: Path) -> None:
    loaded = _loaded_by(["--help"], tmp_path)
    assert set(COMMAND_MODULES.values()) <= loaded  # read for their help text...
    assert not _found(loaded, NETWORK_STACK | CORES)  # ...which is all that is read


def test_a_command_loads_no_other_command(tmp_path: Path) -> None:
    # A check that stops at its settings still loads the whole checklist: the probe sees what a run loads.
    loaded = _loaded_by(["check", "--hotel", "h", "--room", "1", "--json"], tmp_path)
    assert {"pysher", "pusher_doctor.checks", "pusher_doctor.cli.check"} <= loaded
    assert not _found(loaded, {"rich", *(m for m in COMMAND_MODULES.values() if m != "pusher_doctor.cli.check")})


def test_the_checklist_loads_signing_and_the_backends_runner_only_for_the_steps_that_use_them(tmp_path: Path) -> None:
    # Loaded by the steps that need them (a private channel, --auth-endpoint, --via-backend, a Laravel env
    # file): about 8 % of every other check's start (issue #24).
    loaded = _loaded_by(["check", "--hotel", "h", "--room", "1", "--json"], tmp_path)
    assert "pusher_doctor.checks" in loaded
    assert not _found(loaded, {"pusher_doctor.protocol.signing", "pusher_doctor.protocol.auth",
                               "pusher_doctor.protocol.authorizer", "pusher_doctor.protocol.via_backend"})


def test_a_check_creates_no_dataclass(tmp_path: Path) -> None:
    # Python 3.11 compiles each method a dataclass generates apart (~0.6 ms a class, 37 on this path, a
    # sixth of the start): the check's value types are msgspec Structs (issue #24, tests/test_value_types.py).
    loaded = _loaded_by(["check", "--hotel", "h", "--room", "1", "--json"], tmp_path)
    assert {"pusher_doctor.checks", "pusher_doctor.contract", "pusher_doctor.results.outcome"} <= loaded
    assert "dataclasses" not in loaded


def test_a_command_help_loads_only_its_own_module(tmp_path: Path) -> None:
    loaded = _loaded_by(["scan-logs", "--help"], tmp_path)
    assert _found(loaded, set(COMMAND_MODULES.values())) == {"pusher_doctor.cli.scan_logs"}


@pytest.mark.parametrize("args", [["scan-logs", "--help"], ["--help"]])
def test_typer_turns_only_the_command_that_runs_into_a_click_command(monkeypatch: pytest.MonkeyPatch,
                                                                    args: list[str]) -> None:
    built: list[str] = []
    real = typer.main.get_command_from_info

    def spy(info: typer.models.CommandInfo, **options: object) -> click.Command:
        command = real(info, **options)  # type: ignore[arg-type]
        built.append(str(command.name))
        return command

    # Both the group's own builder and typer's, which would build every command it was given.
    monkeypatch.setattr(typer.main, "get_command_from_info", spy)
    monkeypatch.setattr(APP_MODULE, "get_command_from_info", spy)
    assert CliRunner().invoke(app, args).exit_code == 0
    assert built == args[:-1]


def test_help_lists_the_commands_as_click_would_from_the_commands_built_in_full() -> None:
    group = typer.main.get_command(app)
    ctx = click.Context(group, info_name="pusher-doctor")
    listed, built = ctx.make_formatter(), ctx.make_formatter()
    group.format_commands(ctx, listed)
    click.Group.format_commands(group, ctx, built)  # click's own: get_command builds each command
    assert listed.getvalue() == built.getvalue()
    assert [line.split()[0] for line in listed.getvalue().splitlines()[1:]] == list(COMMAND_MODULES)


def test_a_mistyped_command_is_still_suggested() -> None:
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2
    assert result.output.count("Did you mean 'check'?") == 1  # click's, not typer's as well


def test_the_collector_paused_for_the_imports_runs_again_once_the_command_has_its_output(tmp_path: Path) -> None:
    # __main__ pauses the garbage collector while modules load; a command that then ran for hours without
    # it (watch) would keep every reference cycle it made.
    code = ("import gc, sys\nfrom pusher_doctor.__main__ import main\nsys.argv = ['pusher-doctor', *sys.argv[1:]]\n"
            "try:\n    main()\nfinally:\n    sys.stderr.write(f'\\ncollector: {gc.isenabled()} {gc.get_freeze_count()}')\n")
    done = subprocess.run([sys.executable, "-c", code, "check", "--hotel", "h", "--room", "1", "--json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    enabled, frozen = done.stderr.rpartition("\ncollector: ")[2].split()
    assert enabled == "True"
    assert int(frozen) > 10_000  # what the imports made, frozen rather than walked
