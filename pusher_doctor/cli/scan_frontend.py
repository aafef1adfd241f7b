"""`pusher-doctor scan-frontend`: reads the guest page's source for the guide's frontend mistakes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pusher_doctor.cli.app import JsonOption, commands, seconds
from pusher_doctor.cli.common import usable_path_or_exit
from pusher_doctor.cli.scan_options import FailOn, Format
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pusher_doctor.cli.output import Output
    from pusher_doctor.config.settings import LoadedSettings
    from pusher_doctor.contract import Contract as AppContract
    from pusher_doctor.scan.model import BackendPusherSettings, Finding


class Contract(str, Enum):
    """--contract: when the hotel-chat rules run."""

    AUTO = "auto"
    HOTEL = "hotel"
    NONE = "none"

EXAMPLES = """\b
Examples:
  pusher-doctor scan-frontend ./guest-app/src
  pusher-doctor scan-frontend ./src --backend-env ../backend/.env
  pusher-doctor scan-frontend ./src --json | jq '.findings[].rule'
  pusher-doctor scan-frontend ./src --format sarif > pusher-doctor.sarif
  pusher-doctor scan-frontend ./src --contract hotel --fail-on error
"""


@commands.command("scan-frontend", epilog=EXAMPLES, short_help="Read the guest page's source for Pusher mistakes.")
def scan_frontend_command(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The guest page's source folder (or one file).")],
    env_file: Annotated[Path | None, typer.Option(
        "--env-file", metavar="PATH", help="The frontend's env file (VITE_/REACT_APP_/NEXT_PUBLIC_/VUE_APP_ PUSHER_KEY and "
                           "PUSHER_CLUSTER). Default: each app's .env.local, .env.development or .env, found "
                           "as its build finds them (up to the folder with package.json).")] = None,
    backend_env: Annotated[Path | None, typer.Option(
        "--backend-env", metavar="PATH",
        help="The backend's .env: compares the frontend's key and cluster with it.")] = None,
    json_output: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files that were skipped.")] = False,
    allow_skipped: Annotated[bool, typer.Option(
        "--allow-skipped", help="Exit 0 even when some source files could not be analysed (they may hide "
                                "problems; they are still listed).")] = False,
    timeout: Annotated[float, typer.Option(
        "--timeout", click_type=seconds(0.1, 3600.0), metavar="SECONDS",
        help="Stop reading more files after this long; what was read is still checked and the report says "
             "it is incomplete (exit code 1).")] = 60.0,
    file_timeout: Annotated[float, typer.Option(
        "--file-timeout", click_type=seconds(0.01, 600.0), metavar="SECONDS",
        help="Skip a file that takes longer than this to analyse (it is listed; see --allow-skipped).")] = 2.0,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="The least severe finding that makes the exit code 1: error, warning or note.",
        case_sensitive=False)] = FailOn.WARNING,
    contract: Annotated[Contract, typer.Option(
        "--contract", help="The hotel-chat rules (no-guest-subscribe, wrong-channel, wrong-event): auto runs them "
                           "only when the code shows that contract, hotel always, none never.",
        case_sensitive=False)] = Contract.AUTO,
    output_format: Annotated[Format, typer.Option(
        "--format", "--output-format",
        help="text (default), json (as --json), sarif (SARIF 2.1.0, for GitHub code scanning) or github (the "
             "text, then an annotation per finding on the pull request's diff).",
        case_sensitive=False)] = Format.TEXT,
    contract_file: Annotated[Path | None, typer.Option(
        "--contract-file", metavar="FILE",
        help="The app contract to judge channel and event names by (contract-channel, contract-event). "
             "Default: pusher-doctor.toml or [tool.pusher-doctor] from PATH upward; without one, the hotel "
             "chat's rules.")] = None,
    fix: Annotated[bool, typer.Option(
        "--fix", help="Fix what is provably safe ('-rooms-' for '-room-', Echo's leading dot, setMessages([...messages, "
                      "m]) to the functional update): shows the diff, then asks (or --yes).")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --fix: write the fixes without asking.")] = False,
) -> None:
    """Read the guest page's JavaScript/TypeScript/Vue source for the guide's frontend mistakes.

    Reads pusher-js and Laravel Echo code (React, Next.js, Vue, Nuxt). Finds: unsubscribing early,
    stale state in the handler, a client created on every render or never disconnected, unbind()
    with no arguments, teardowns that do not match the setup, Echo event names missing their leading
    dot, the Pusher secret in browser code, key/cluster differing from the backend, a missing
    cluster; and, where the code shows the hotel chat, a missing room subscription and wrong channel
    or event names. Each finding is an error, a warning or a note. node_modules, build output and
    minified bundles are skipped. A `// pusher-doctor-ignore RULE` comment silences one line.
    Exit code 0: nothing at or above --fail-on; 1: such findings, a source file that could not be
    analysed (unless --allow-skipped) or a scan cut short by --timeout; 2: bad path or file.
    With an app contract (pusher-doctor.toml from PATH upward, or --contract-file), its channels and events
    are the ones judged (contract-channel, contract-event) instead of the hotel chat's.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.config.settings import EnvFileError, load_settings
    from pusher_doctor.config.target import frontend_expectations
    from pusher_doctor.contract.hotel import is_hotel_chat
    from pusher_doctor.render.json import SCAN_SCHEMA
    from pusher_doctor.scan.engine import scan_frontend
    from pusher_doctor.scan.model import ScanInputError
    from pusher_doctor.scan.rules import RULES

    sarif = output_format is Format.SARIF
    # SARIF consumers read a log or nothing: a usage error then goes to stderr as text
    out = Output((json_output or output_format is Format.JSON) and not sarif, verbose, schema=SCAN_SCHEMA)
    if json_output and output_format not in (Format.TEXT, Format.JSON):
        out.usage_error(f"--json and --format {output_format.value} ask for two different outputs",
                        "give one of them")
    if fix and (out.json_output or output_format is not Format.TEXT):
        out.usage_error("--fix shows its changes as a diff in the text output", "leave out --json/--format")
    for option, given in (("PATH", path), ("--env-file", env_file), ("--backend-env", backend_env),
                          ("--contract-file", contract_file)):
        if given is not None:
            usable_path_or_exit(out, option, given)
    try:
        backend = None
        if backend_env is not None:
            loaded = load_settings({}, environ={}, env_file=backend_env, env_file_required=True)
            out = out.with_settings(loaded)
            backend = _backend(loaded, frontend_expectations(loaded))
        app_contract = _app_contract(out, path, contract_file)
        rules, hotel_rules = RULES, contract.value
        if not is_hotel_chat(app_contract):
            from pusher_doctor.infer.rules import contract_rules

            rules = (*RULES, *contract_rules(app_contract))
            hotel_rules = "none" if contract is Contract.AUTO else contract.value  # its own names, not the hotel's
        report = scan_frontend(path, env_file, backend, file_time_limit=file_timeout, time_limit=timeout,
                               contract=hotel_rules, rules=rules)
    except (ScanInputError, EnvFileError) as error:
        out.usage_error(str(error), error.fix
                        or "give the guest page's source folder, and env files that exist")
    out.scan(report, compared_with_backend=backend is not None, allow_skipped=allow_skipped,
             fail_on=fail_on.value, sarif=sarif, github=output_format is Format.GITHUB, root_given=str(path))
    if fix:
        _offer_fixes(out, path, report.findings, yes)
    clean = report.clean(allow_skipped, fail_on.value)
    raise typer.Exit(ExitCode.OK if clean else ExitCode.PROBLEMS_FOUND)


def _app_contract(out: Output, path: Path, given: Path | None) -> AppContract:
    """The contract --contract-file names, or the one found from the scanned folder upward (the app's root
    holds it, wherever the scan runs from); a usage error when it cannot be used."""
    from pusher_doctor.contract import ContractError, load_contract

    try:
        return load_contract(given, start=path if path.is_dir() else path.parent)
    except ContractError as error:
        out.usage_error(str(error), error.fix, cause=error.cause)


def _offer_fixes(out: Output, root: Path, findings: Sequence[Finding], yes: bool) -> None:
    """Shows the safe fixes as a unified diff, then writes them with --yes or when the person agrees."""
    import sys

    from pusher_doctor.cli.output import is_tty
    from pusher_doctor.cli.scan_fixes import fixes_for
    from pusher_doctor.render.safe_text import printable

    fixes = fixes_for(root, list(findings))
    if not fixes:
        typer.echo("--fix: no finding here has a fix that is safe to make automatically; fix them as shown above")
        return
    for change in fixes:
        shown = change.path.as_posix()
        # The diff is the person's own source: masked and made printable line by line, as any output is.
        typer.echo("\n".join(printable(out.redact(line)) for line in change.diff(shown).splitlines()))
    count = sum(len(change.rules) for change in fixes)
    if not yes:
        term = out.terminal() if is_tty(sys.stdin) and is_tty(sys.stdout) else None
        if term is None or not term.confirm(f"apply these {count} fix(es) to {len(fixes)} file(s)?"):
            typer.echo("--fix: nothing written (pass --yes to write the fixes shown)")
            return
    for change in fixes:
        with open(change.path, "w", encoding="utf-8", newline="") as written:  # its line endings as they were
            written.write(change.after)
    typer.echo(f"--fix: fixed {count} finding(s) in {len(fixes)} file(s); scan again to see what is left")


def _backend(loaded: LoadedSettings, expected: tuple[str | None, str | None]) -> BackendPusherSettings:
    """The backend's key and cluster, and its secret only as a digest the scan can compare but never print."""
    from pusher_doctor.scan.digest import secret_digest
    from pusher_doctor.scan.model import BackendPusherSettings

    secret = loaded.value("secret")
    digest = secret_digest(secret) if secret and secret.strip() else None
    return BackendPusherSettings(expected[0], expected[1], digest)
