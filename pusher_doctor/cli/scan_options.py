"""The options the two code scans share (`scan-frontend`, `scan-backend`): what they fail on, how they write
their report, and the Output that report goes through.

Neither scan's command module imports the other: each imports these from here, so running one loads
(and registers) only its own command.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output


class FailOn(str, Enum):
    """--fail-on: the scan's severities, without loading the scan to list them."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Format(str, Enum):
    """--format: how the report is written."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    #: the text, then a GitHub Actions annotation per finding (as main's scan-frontend has it)
    GITHUB = "github"


ScanVerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files that were skipped.")]
FailOnOption = Annotated[FailOn, typer.Option(
    "--fail-on", help="The least severe finding that makes the exit code 1: error, warning or note.",
    case_sensitive=False)]
FormatOption = Annotated[Format, typer.Option(
    "--format", help="text (default), json (as --json) or sarif (SARIF 2.1.0, for GitHub code scanning).",
    case_sensitive=False)]


def scan_output_or_exit(json_output: bool, output_format: Format, verbose: bool) -> Output:
    """The Output a scan's report goes through: the JSON document for --json or --format json, else text (a
    SARIF log is written by `Output.scan`, and a usage error then goes to stderr as text, since SARIF
    consumers read a log or nothing); a usage error when --json and --format sarif both ask."""
    from pusher_doctor.cli.output import Output
    from pusher_doctor.render.json import SCAN_SCHEMA

    sarif = output_format is Format.SARIF
    out = Output((json_output or output_format is Format.JSON) and not sarif, verbose, schema=SCAN_SCHEMA)
    if json_output and output_format not in (Format.TEXT, Format.JSON):
        out.usage_error(f"--json and --format {output_format.value} ask for two different outputs", "give one of them")
    return out
