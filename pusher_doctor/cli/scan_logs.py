"""`pusher-doctor scan-logs`: the backend's logs, message by message, against the guide's steps."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from pusher_doctor.cli.app import JsonOption, commands
from pusher_doctor.cli.common import ContractOption, contract_or_exit, usable_path_or_exit

EXAMPLES = """\b
Examples:
  pusher-doctor scan-logs /var/log/backend/django.log
  pusher-doctor scan-logs app.log app.log.1.gz --since 2h
  kubectl logs deploy/backend | pusher-doctor scan-logs - --json \\
    | jq '.incomplete_messages'
"""


@commands.command("scan-logs", epilog=EXAMPLES, short_help="Rebuild each message's steps from the backend's logs.")
def scan_logs(
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Backend log files: plain or gzip; - reads stdin.")],
    since: Annotated[str | None, typer.Option(
        help="Only lines from this time on: 2026-11-24 10:00, or back from now: 30m, 2h, 1d. "
             "Compared with the lines' timestamps as written.")] = None,
    json_output: JsonOption = False,
    contract_file: ContractOption = None,
    output_format: Annotated[str, typer.Option(
        "--output-format", metavar="FORMAT", click_type=click.Choice(["text", "json", "github"]),
        help="text (default), json (as --json) or github (the text, then a GitHub Actions annotation per "
             "finding at its log line). In a GitHub Actions job the result is also added to its summary.")] = "text",
) -> None:
    """Rebuild, per message id, which of the backend's steps its logs show, and what is missing.

    Steps: message created; Pusher triggered on the guest's room channel with new-staff-message; FCM
    sent; Pusher triggered on the conversation channel. Reports messages never triggered to the guest's
    channel, channel names not of the form {hotel}-room-{room}-chat, Pusher error lines and exceptions
    near them, and a table per room. Reads Django, gunicorn and JSON-lines logs, with or without emoji;
    other lines are skipped. Large files stream. Needs no settings. With an app contract (pusher-doctor.toml),
    triggers are judged by its channels (found after channel=) and its recipient channel's events. Exit code 0; 1 when a message never
    reached the guest's channel, a channel name is wrong, Pusher errors were logged or no message was found
    at all; 2 unreadable file, closed stdin, or a device (/dev/zero) given as a log.
    """
    from pusher_doctor.cli.output import Output, step_summary_path
    from pusher_doctor.render.logs import logs_to_dict, show_logs
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.logs import LogScan, SinceError, parse_since

    out = Output(json_output or output_format == "json", False, schema=TRIAGE_SCHEMA)
    contract = contract_or_exit(out, contract_file)
    try:
        scan = LogScan(parse_since(since) if since is not None else None, since, contract)
    except SinceError as error:
        out.usage_error(str(error), "give --since a date and time or a duration such as 30m")
    for name in files:
        path = usable_path_or_exit(out, "log file", Path(name))
        # Pipes are fine (`scan-logs <(kubectl logs ...)`): logs are streamed, never read whole.
        if name == "-" and sys.stdin is None:
            out.usage_error("log file is - but stdin is closed", "pipe the log in, or give the log file's path")
        if name != "-" and (path.is_dir() or not path.exists()):
            reason = "is a directory" if path.is_dir() else "does not exist"
            out.usage_error(f"log file {name} {reason}", "give the paths of the backend's log files, or - for stdin")
        if (device := _device(name)) is not None:
            out.usage_error(f"log file {'- (stdin)' if name == '-' else name} is {device}, not a log file: a device "
                            f"may never end", "give the paths of the backend's log files, or pipe a "
                                                              "log into -")
    for name in files:
        try:
            if name == "-":
                scan.feed_stream("stdin", sys.stdin.buffer)
            else:
                with open(name, "rb") as stream:
                    scan.feed_stream(name, stream)
        except OSError as error:
            out.usage_error(f"log file {name} cannot be read: {error.strerror or error}", "check its permissions")
    report = scan.report()
    code = out.present(report, show_logs, logs_to_dict)
    summary = step_summary_path()
    if output_format == "github" or summary is not None:
        from pusher_doctor.render.github import logs_annotations, logs_summary

        if output_format == "github":
            for line in logs_annotations(report, out.redact):
                typer.echo(line)
        if summary is not None:
            out.append_summary(summary, logs_summary(report, out.redact))
    raise typer.Exit(code)


def _device(name: str) -> str | None:
    """What `name` (stdin for -) is when it is a device or socket rather than a log (`/dev/zero`, `/dev/urandom`
    never end), else None. Files and pipes are logs (`<(kubectl logs ...)`, `... | scan-logs -`); so are a
    terminal on stdin and /dev/null, which end when told to."""
    import os
    import stat

    try:
        found = os.fstat(sys.stdin.fileno()) if name == "-" else os.stat(name)
        if (name == "-" and sys.stdin.isatty()) or (stat.S_ISCHR(found.st_mode)
                                                    and found.st_rdev == os.stat(os.devnull).st_rdev):
            return None
    except (AttributeError, OSError, ValueError):  # not a descriptor (input given in-process); unreadable: said later
        return None
    if stat.S_ISCHR(found.st_mode):
        return "a character device"
    if stat.S_ISBLK(found.st_mode):
        return "a block device (a disk)"
    if stat.S_ISSOCK(found.st_mode):
        return "a socket"
    return None
