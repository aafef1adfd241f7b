"""`pusher-doctor init`: write a pusher-doctor.toml inferred from the app's code, after showing it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from msgspec.structs import replace

from pusher_doctor.cli.app import commands
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.contract import Contract


EXAMPLES = """\b
Examples:
  pusher-doctor init                      # the app in this folder
  pusher-doctor init . --frontend ../web  # the frontend in another repository
  pusher-doctor init --dry-run
"""


@commands.command(epilog=EXAMPLES, short_help="Write the app contract, inferred from its code.")
def init(
    path: Annotated[Path, typer.Argument(
        help="The app's folder: its code is read from here and the contract is written here.")] = Path("."),
    frontend: Annotated[Path | None, typer.Option(
        "--frontend", metavar="DIR", help="Where the frontend's code is, when not under PATH.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write here instead of PATH/pusher-doctor.toml.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a contract file that exists.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show the contract; write nothing.")] = False,
) -> None:
    """Write a pusher-doctor.toml: the app's channels, the events sent on each, its auth endpoint and env file.

    They are inferred from the frontend's code (the channels it subscribes to and the events it binds on
    each, the client's authEndpoint), the backend's (Laravel event classes, the server SDK's triggers: on
    a channel both name, the events the backend sends) and the env file with PUSHER_* or REVERB_*. Without
    any, the built-in hotel chat's contract is written, to edit. The contract is shown first; an existing
    file is never replaced without --force. Every command then reads it from this folder or below it.
    Exit code 0; 2 when the file exists (without --force) or its folder is missing or read-only; 74 when
    writing it fails all the same (a full disk).
    """
    from pusher_doctor.cli.common import usable_path_or_exit, writable_or_exit
    from pusher_doctor.cli.output import Output
    from pusher_doctor.contract import CONTRACT_FILE, ContractError, find_contract
    from pusher_doctor.contract.load import PYPROJECT, contract_from_text
    from pusher_doctor.contract.write import contract_to_toml
    from pusher_doctor.infer import infer_contract
    from pusher_doctor.infer.backend import infer_backend
    from pusher_doctor.render.safe_text import printable

    out = Output(False, False)
    if output is not None and str(output) == "-":  # a file named "-" is never what is meant
        out.usage_error("--output -: init writes a file; the contract is shown on stdout already",
                        "run pusher-doctor init --dry-run to print the contract without writing it")
    for option, given in (("PATH", path), ("--frontend", frontend), ("--output", output)):
        if given is not None:
            usable_path_or_exit(out, option, given)
    if not path.is_dir():
        out.usage_error(f"{path} is not a folder", "give the app's folder (the one with its code), or leave it out")
    if frontend is not None and not (frontend.is_dir() or frontend.is_file()):
        # a FIFO or a device given by hand is a mistake to say, not a frontend to skip with a note
        reason = "is neither a folder nor a regular file" if frontend.exists() else "does not exist"
        out.usage_error(f"--frontend {frontend} {reason}", "give the folder of the frontend's code")
    target = output if output is not None else path / CONTRACT_FILE
    if target.name == PYPROJECT:  # it would read back as the [tool.pusher-doctor] table it does not write
        out.usage_error(f"--output {target}: init writes a pusher-doctor.toml, not a pyproject.toml",
                        "write pusher-doctor.toml (or run --dry-run and copy its tables under [tool.pusher-doctor])")
    if not dry_run:  # said before the code is read, not after
        writable_or_exit(out, "--output" if output is not None else "init", target)
        if target.exists() and not target.is_file():  # a FIFO would block the write forever, a device take it
            out.usage_error(f"{target} is not a regular file: not replaced, even with --force",
                            "remove it, or give --output FILE")
    found = infer_contract(path, frontend, backend=infer_backend)
    text = contract_to_toml(found.contract, target.parent, found.notes)
    try:  # what is written must read back as the contract shown: a bug here must not leave a broken file
        if not same_contract(contract_from_text(text, target), found.contract):
            raise ContractError("does not read back as the contract inferred", target)
    except ContractError as error:
        out.usage_error(f"pusher-doctor init built a contract it cannot read back: {error}",
                        "a pusher-doctor bug: report it with this folder's layout")
    for line in text.splitlines():  # each line made safe for a terminal (printable escapes line breaks)
        typer.echo(printable(line))
    if dry_run:
        return
    if os.path.lexists(target) and not force:  # a link to nothing counts: writing would follow it
        out.usage_error(f"{target} exists: not replaced", f"run pusher-doctor init --force to replace it, or edit "
                                                          f"{target.name} by hand")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        out.file_not_written("init", target, error)
    typer.echo(printable(f"wrote {target}" + (" (the built-in hotel chat's contract: nothing found to infer "
                                              "from; edit it)" if found.fallback else "")), err=True)
    applies = find_contract(target.parent)
    if applies is None or applies.resolve() != target.resolve():
        read = f"read {applies}" if applies is not None else "do not find it by its name"
        typer.echo(printable(f"note: in {target.parent} the commands {read}: pass --contract {target} to use it"),
                   err=True)
    raise typer.Exit(ExitCode.OK)


def same_contract(read: Contract, inferred: Contract) -> bool:
    """Whether the file read back says what was inferred (the env file compared as the file it names)."""
    def resolved(path: Path | None) -> Path | None:
        return path.resolve() if path is not None else None

    return (replace(read, env_file=None) == replace(inferred, env_file=None)
            and resolved(read.env_file) == resolved(inferred.env_file))
