"""The Typer application and the options several commands share. Each command is defined in its own
module on `commands`, and that module is imported only when its command is looked up (`COMMAND_MODULES`);
each imports the layers it needs inside its body, so startup stays small."""

from __future__ import annotations

import functools
import importlib
import inspect
import math
import os
from collections.abc import Iterator, Mapping, MutableMapping
from gettext import gettext as _
from typing import Annotated, Any

import click
import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name
from typer.models import CommandInfo

from pusher_doctor import __version__

DEFAULT_TIMEOUT = 5.0

#: every command, in the order --help lists them, and the module that defines it on `commands`
COMMAND_MODULES: dict[str, str] = {
    "check": "pusher_doctor.cli.check",
    "demo": "pusher_doctor.cli.demo",
    "init": "pusher_doctor.cli.init",
    "latency": "pusher_doctor.cli.latency",
    "rooms": "pusher_doctor.cli.rooms",
    "sandbox": "pusher_doctor.cli.sandbox",
    "scan-backend": "pusher_doctor.cli.scan_backend",
    "scan-frontend": "pusher_doctor.cli.scan_frontend",
    "scan-logs": "pusher_doctor.cli.scan_logs",
    "trigger": "pusher_doctor.cli.trigger",
    "watch": "pusher_doctor.cli.watch",
}

#: the triage commands, whose JSON documents (usage errors included) are numbered apart: schema 1
TRIAGE_COMMANDS = frozenset({"latency", "rooms", "scan-logs", "trigger", "watch"})

#: Where the command modules define their commands (`@commands.command()`). Apart from `app`, so that
#: typer never converts them all: the app's group builds the one that is looked up (`CommandsOnDemand`).
commands = typer.Typer()


def _definition(name: str) -> CommandInfo:
    """The definition of the command `name` (a key of `COMMAND_MODULES`), its module imported if need be."""
    importlib.import_module(COMMAND_MODULES[name])
    for info in commands.registered_commands:
        if (info.name or get_command_name(getattr(info.callback, "__name__", ""))) == name:
            return info
    raise LookupError(f"{COMMAND_MODULES[name]} defines no command {name!r}")


class _BuiltOnLookup(MutableMapping[str, click.Command]):
    """The group's commands by name, each built from its definition when first looked up. Its keys are
    every name, so the "Did you mean" of click and typer still sees them all."""

    def __init__(self, built: Mapping[str, click.Command]) -> None:
        self._built = dict(built)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built:
            if name not in COMMAND_MODULES:
                raise KeyError(name)
            built = get_command_from_info(_definition(name), pretty_exceptions_short=app.pretty_exceptions_short,
                                          rich_markup_mode=app.rich_markup_mode)
            if built.callback is not None:
                built.callback = _in_an_existing_folder(name, built.callback)
            self._built[name] = built
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter([*COMMAND_MODULES, *(name for name in self._built if name not in COMMAND_MODULES)])

    def __len__(self) -> int:
        return len(COMMAND_MODULES.keys() | self._built.keys())


class FolderGone(Exception):
    """The current folder was deleted (or moved away) before the command started: `command` cannot run."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


def _in_an_existing_folder(name: str, callback: Any) -> Any:
    """The command's body, first making sure the current folder still exists. Every command looks
    something up relative to it (./.env, pusher-doctor.toml, a scanned path, soketi's working folder):
    asked once here, after the options are parsed (so --help still works), instead of in each of them."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            os.getcwd()
        except FileNotFoundError:
            raise FolderGone(name) from None
        return callback(*args, **kwargs)

    return run


class CommandsOnDemand(TyperGroup):
    """The app's group, which turns only the command that runs into a click command. Typer would convert
    every command's signature into click parameters on each start (~25 ms for all of them), after
    importing every command module; --help lists the commands from their help text alone."""

    def __init__(self, *, commands: Mapping[str, click.Command] | None = None, **attrs: Any) -> None:
        super().__init__(commands=_BuiltOnLookup(commands or {}), **attrs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # typer's goes through the values, which would build every command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's listing, given each command's help text instead of the command built in full
        summaries = {name: self._summary(name) for name in self.list_commands(ctx)}
        listed = {name: summary for name, summary in summaries.items() if not summary.hidden}
        if listed:
            limit = formatter.width - 6 - max(map(len, listed))
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, summary.get_short_help_str(limit)) for name, summary in listed.items()])

    def _summary(self, name: str) -> click.Command:
        """The command `name` as --help lists it: its help, short help, hidden and deprecated, no parameters
        (a command not in `COMMAND_MODULES` was added built)."""
        if name not in COMMAND_MODULES:
            return self.commands[name]
        info = _definition(name)
        # as typer.main.get_command_from_info reads the help
        help_text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        return TyperCommand(name=name, help=help_text, short_help=info.short_help, hidden=info.hidden,
                            deprecated=info.deprecated, rich_markup_mode=self.rich_markup_mode)


app = typer.Typer(
    cls=CommandsOnDemand,
    name="pusher-doctor",
    help="Finds out why a real-time message did not reach its recipient over Pusher Channels.\n\n"
         "Exit codes: 0 no check failed (warnings allowed), 1 a check failed, 2 usage error, 74 output could "
         "not be written, 130/143/129 interrupted (Ctrl-C, SIGTERM, SIGHUP).",
    epilog="\b\nExamples:\n  pusher-doctor demo                     # the whole chain on a local sandbox\n"
           "  pusher-doctor check --hotel h --room 101\n  pusher-doctor scan-frontend ./src",
    no_args_is_help=True,
    # click suggests a near command name itself: typer's own suggestion would say "Did you mean" twice.
    suggest_commands=False,
    add_completion=True,
    # Plain help: rich-formatted help costs ~80 ms of imports on every --help.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

class NumberRange(click.FloatRange):
    """click's FloatRange, refusing NaN: every comparison with NaN is false, so `--timeout nan` passed the
    range and reached a lock's wait, which raised."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number.", param, ctx)
        return number


def seconds(minimum: float, maximum: float | None = None) -> NumberRange:
    """The type of an option counting seconds (or any float) between `minimum` and `maximum`."""
    return NumberRange(minimum, maximum)


TimeoutOption = Annotated[float, typer.Option(
    "--timeout", click_type=seconds(0.1, 600.0), metavar="SECONDS",
    help="Seconds the whole run may take; every wait shares this budget. Only an event that never arrives "
         "waits it out.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout, nothing else.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also show the details of passing checks.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pusher-doctor {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True,
                                                     help="Show the version and exit.")] = None,
    color: Annotated[str, typer.Option(
        "--color", metavar="WHEN", click_type=click.Choice(["auto", "always", "never"]),
        help="Colour: auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces it), always or never. "
             "Before the command: pusher-doctor --color=never check ...")] = "auto",
) -> None:
    """Finds out why a real-time message did not reach its recipient over Pusher Channels."""
    if color != "auto":
        from pusher_doctor.cli.output import choose_color

        choose_color(color)
