"""`pusher-doctor check`: the delivery checklist against the app in the backend's settings.

Without `from __future__ import annotations`: typer reads the signature of `check` (38 options) twice on
every start, and would compile each annotation kept as a string anew each time (~4 ms a start); here they
are evaluated once, at import. The annotations of the other functions name types imported for type
checking only, so they are quoted.
"""

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from click.core import ParameterSource
from msgspec.structs import replace

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, VerboseOption, commands
from pusher_doctor.cli.common import (
    NO_CHANNEL_AUTH_OPTIONS,
    NO_SERVER_OPTIONS,
    ChannelAuthOptions,
    ContractOption,
    EncryptionKeyOption,
    FieldOption,
    ReportOption,
    ServerOptions,
    UserAuthEndpointOption,
    contract_or_exit,
    fields_or_exit,
    output_file_or_exit,
    private_channels_or_exit,
    recipient_fields_or_exit,
    report_path_or_exit,
    settings_or_exit,
    texts_or_exit,
    usable_path_or_exit,
    with_contract_env,
    with_option_groups,
    writable_or_exit,
)
from pusher_doctor.hotel_chat import TEST_MESSAGE

if TYPE_CHECKING:
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.cli.output import Output
    from pusher_doctor.page.options import PageOptions
    from pusher_doctor.protocol.via_backend import Backend
    from pusher_doctor.render.report import TicketFacts

#: seconds a run with --page may take unless --timeout says otherwise: the browser starts, the page loads
PAGE_TIMEOUT = 15.0
EXAMPLES = """\b
Examples:
  cd backend && pusher-doctor check --hotel hotel-paradise --room 101
  pusher-doctor check --hotel h --room 101 --conversation 45 --env-file a/.env
  pusher-doctor check --hotel h --room 101 --key KEY --cluster eu   # key only
  pusher-doctor check --hotel h --room 101 --ci --yes --strict --junit out.xml
"""


@commands.command(epilog=EXAMPLES, short_help="Run the delivery checklist live and name the broken link.")
@with_option_groups
def check(
    ctx: typer.Context,
    hotel: Annotated[str | None, typer.Option(
        metavar="SLUG", help="Hotel slug, as in the backend's channel names (hotel-paradise): the contract's "
                             "{hotel}.")] = None,
    room: Annotated[str | None, typer.Option(
        metavar="NUMBER", help="Room number of the guest page (101): the contract's {room}.")] = None,
    conversation: Annotated[str | None, typer.Option(
        metavar="ID", help="Conversation id: also checks new-message and message-delivered on its channel.")] = None,
    server: ServerOptions = NO_SERVER_OPTIONS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Send the test message even when a live guest is subscribed, without asking.")] = False,
    message: Annotated[str, typer.Option(
        metavar="TEXT", show_default=False,
        help="Text of the test message; paste a long real message to test Pusher's 10 KB limit.")] = TEST_MESSAGE,
    json_output: JsonOption = False,
    output_format: Annotated[str, typer.Option(
        "--output-format", metavar="FORMAT", click_type=click.Choice(["text", "json", "github"]),
        help="text (default), json (as --json) or github (the text, then a GitHub Actions annotation per "
             "problem). In a GitHub Actions job the report is also added to its summary.")] = "text",
    verbose: VerboseOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show only problems and the verdict.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too (exit code 1).")] = False,
    ci: Annotated[bool, typer.Option(
        "--ci", help="A CI run: no guest page is expected, so an empty room channel passes; the test message "
                     "is still sent and its delivery checked.")] = False,
    only: Annotated[str | None, typer.Option(
        metavar="IDS", help="Run only these checks (comma-separated ids) and the ones they need.")] = None,
    skip: Annotated[str | None, typer.Option(
        metavar="IDS", help="Do not run these checks (comma-separated ids); checks that need them are skipped.")] = None,
    junit: Annotated[Path | None, typer.Option(
        "--junit", metavar="FILE", help="Also write the checklist as JUnit XML, one test case per check.")] = None,
    report_file: ReportOption = None,
    channel_auth: ChannelAuthOptions = NO_CHANNEL_AUTH_OPTIONS,
    user_auth_endpoint: UserAuthEndpointOption = None,
    encryption_master_key: EncryptionKeyOption = None,
    page: Annotated[str | None, typer.Option(
        metavar="URL", help="Also open the guest page in a headless Chromium and watch it receive and show "
                            "the test message (page-* steps). Raises the default --timeout to "
                            f"{PAGE_TIMEOUT:g} s.")]
        = None,
    page_cookie: Annotated[list[str] | None, typer.Option(
        metavar="NAME=VALUE", help="A cookie of the guest's session for the page's site (repeatable); never "
                                   "shown.")]
        = None,
    page_header: Annotated[list[str] | None, typer.Option(
        metavar="'NAME: VALUE'", help="A header for requests to the page's own origin (repeatable); never "
                                      "shown.")]
        = None,
    page_storage_state: Annotated[Path | None, typer.Option(
        metavar="FILE", help="A Playwright storage-state JSON of a logged-in guest (cookies, "
                             "localStorage); never shown.")] = None,
    browser: Annotated[Path | None, typer.Option(
        metavar="PATH", help="The Chrome/Chromium for --page (else /usr/bin/chromium, google-chrome or "
                             "chromium on PATH, else Playwright's installed one).")] = None,
    page_screenshot: Annotated[Path | None, typer.Option(
        metavar="FILE", help="Save a PNG of the page after the test message.")] = None,
    page_offline_test: Annotated[bool, typer.Option(
        "--page-offline-test", help="Drop the page's connection, send a second test message, reconnect: "
                                    "does the page catch up without a refresh?")] = False,
    contract_file: ContractOption = None,
    field: FieldOption = None,
    via_backend: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Let the app's backend in DIR send the test message itself, through its own runtime, "
                            "SDK and trust store: Laravel (artisan) with php artisan tinker, Django (manage.py) "
                            "with python manage.py shell; its error is named. Raises the default --timeout to "
                            f"{PAGE_TIMEOUT:g} s.")] = None,
) -> None:
    """Run the delivery checklist against the app in the backend's settings and name the broken link.

    The channels and events are the app contract's (pusher-doctor.toml, see `pusher-doctor init`), the hotel
    chat's without one; its fields take --hotel, --room, --conversation or --field NAME=VALUE.
    Settings come from the options, then the environment, then the env file. Check ids, in order:
    settings, channels, rest-api, websocket, live-guest, channel-auth, subscribe, channel-privacy, trigger,
    delivery, client-events (backend after settings with a Laravel env file or --via-backend on a Laravel app; user-auth after
    websocket with --user-auth-endpoint; page-* with --page).
    """
    from pusher_doctor.checks import checks_for, select_checks
    from pusher_doctor.checks.context import CheckRequest
    from pusher_doctor.cli.output import Output, Reporting, step_summary_path

    json_output = json_output or output_format == "json"
    started_at = time.monotonic()  # the budget covers reading the env file too
    # Header and cookie values are secrets from the start, even in a usage error.
    out = Output(json_output, verbose, server.secret, encryption_master_key, *channel_auth.secrets,
                 *(page_header or ()), *(page_cookie or ()))
    contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, contract, {"hotel": hotel, "room": room, "conversation": conversation})
    hotel, room, conversation = values.get("hotel"), values.get("room"), values.get("conversation")
    recipient_fields_or_exit(out, contract, values, channel_auth.room_channel)
    if channel_auth.auth_endpoint is None and contract.auth_endpoint is not None and (
            contract.auth_endpoint.startswith(("http://", "https://")) or channel_auth.origin is not None):
        # the contract's, where it can be reached from here
        channel_auth = replace(channel_auth, auth_endpoint=contract.auth_endpoint)
    server = with_contract_env(server, contract)
    channels = private_channels_or_exit(out, channel_auth, conversation, user_auth_endpoint, values)
    page_options = _page_options(out, page, page_cookie or [], page_header or [], page_storage_state, browser,
                                 page_screenshot, page_offline_test)
    page_secrets = page_options.secrets() if page_options is not None else ()
    endpoint_secrets = [secret for key in ("auth_endpoint", "user_auth_endpoint") if channels[key] is not None
                        for secret in channels[key].secrets]
    out = out.masking(*endpoint_secrets, *page_secrets)
    if (page_options is not None or via_backend is not None) and (
            ctx.get_parameter_source("timeout") is ParameterSource.DEFAULT):
        timeout = PAGE_TIMEOUT  # a browser, or a framework booting in php artisan tinker, takes seconds to start
    loaded, clusters = settings_or_exit(out, server.env_file,
                                        server.settings(encryption_master_key=encryption_master_key))
    backend = _backend_or_exit(out, via_backend)
    laravel = any(setting.present for setting in loaded.backend.values())
    if only is not None and not _ids(only):  # else every check would run, the trigger too
        out.usage_error("--only names no check", "give check ids, e.g. --only settings,rest-api, or leave --only out")
    try:
        checks = select_checks(_ids(only), _ids(skip), checks_for(page_options, user_auth_endpoint is not None,
                                                                  backend=laravel or _is_laravel(backend)))
    except ValueError as error:
        out.usage_error(str(error), "see the check ids in --help")
    if junit is not None:
        output_file_or_exit(out, "--junit", junit, "results.xml")
    if report_file is not None:
        report_path_or_exit(out, report_file)
    request = CheckRequest(hotel, room, conversation, timeout, assume_yes=yes, message_text=message,
                           clusters=clusters, started_at=started_at, page=page_options, contract=contract,
                           fields={k: v for k, v in values.items() if k not in ("hotel", "room", "conversation")},
                           ci=ci, via_backend=backend,
                           backend_notes=_laravel_auth_notes(backend, channels["auth_endpoint"]), **channels)
    summary = step_summary_path()
    reporting = Reporting(quiet=quiet, strict=strict, junit=junit, report_file=report_file,
                          report_facts=ticket_facts(request) if report_file is not None or summary else None,
                          github=output_format == "github", step_summary=summary)
    raise typer.Exit(out.with_settings(loaded).check(request, loaded, checks=checks, reporting=reporting))


def _page_options(out: "Output", url: str | None, cookies: list[str], headers: list[str],
                  storage_state: Path | None, browser: Path | None, screenshot: Path | None,
                  offline_test: bool) -> "PageOptions | None":
    """The --page* and --browser options; a usage error names what is wrong (never a cookie's or a
    header's value)."""
    if url is None:
        if cookies or headers or storage_state or browser or screenshot or offline_test:
            out.usage_error("--page-cookie, --page-header, --page-storage-state, --browser, "
                            "--page-screenshot and --page-offline-test go with --page",
                            "add --page URL (the guest page)")
        return None
    from pusher_doctor.page import options as page

    texts_or_exit(out, "--page-cookie", cookies)
    texts_or_exit(out, "--page-header", headers)
    for option, given in (("--page-storage-state", storage_state), ("--browser", browser),
                          ("--page-screenshot", screenshot)):
        if given is not None:
            usable_path_or_exit(out, option, given)
    try:
        options = page.PageOptions(
            page.parse_page_url(url), tuple(page.parse_cookie(c) for c in cookies),
            tuple(page.parse_header(h) for h in headers),
            page.check_storage_state(storage_state) if storage_state else None,
            page.check_browser(browser) if browser else None,
            page.check_screenshot(screenshot) if screenshot else None, offline_test)
    except page.PageOptionError as error:
        out.usage_error(str(error), error.fix or "see --help for the --page options")
    if screenshot is not None:  # after the page's own checks, whose messages name the option's rule
        writable_or_exit(out, "--page-screenshot", screenshot)
    return options


def _backend_or_exit(out: "Output", directory: Path | None) -> "Backend | None":
    """The backend of --via-backend (Laravel or Django), or a usage error naming what is missing."""
    if directory is None:
        return None
    from pusher_doctor.protocol.via_backend import BackendUnusable, find_backend

    usable_path_or_exit(out, "--via-backend", directory)
    try:
        return find_backend(directory)
    except BackendUnusable as error:
        out.usage_error(str(error), "give the directory that holds artisan or manage.py, on a machine that can run it")


def _is_laravel(backend: "Backend | None") -> bool:
    return backend is not None and backend.kind == "laravel"


def _laravel_auth_notes(backend: "Backend | None", endpoint: object) -> tuple[str, ...]:
    """Where a Laravel app's channel auth lives, for a refusal's details: its auth route with the guard, and
    each Broadcast::channel() in routes/channels.php (read by scan-backend's engine, only with an endpoint)."""
    if not _is_laravel(backend) or endpoint is None:
        return ()
    assert backend is not None
    from pusher_doctor.backend import read_backend
    from pusher_doctor.scan.model import ScanInputError

    try:
        facts = read_backend(backend.directory)
    except ScanInputError:
        return ()  # the code cannot be read: the refusal is named without it
    notes = [f"the auth route: {route.how} ({route.location.file}:{route.location.line}), middleware "
             + (", ".join(route.middleware) if route.middleware else "web (Laravel's default)")
             for route in facts.broadcast_routes]
    notes += [f"channel callback: Broadcast::channel('{route.pattern}', ...) at {route.location.file}:"
              f"{route.location.line}" for route in facts.routes]
    return tuple(notes[:10])


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def ticket_facts(request: "CheckRequest") -> "TicketFacts":
    """What a ticket report says beside the checks: the channels and events the backend sends, the shape
    of the staff message's data, and the versions of what ran."""
    from pusher_doctor.hotel_chat import build_payloads, plan_channels
    from pusher_doctor.render.report import TicketFacts, generated_now, json_type, package_versions

    plan = plan_channels(request.hotel, request.room, request.conversation, request.channel_prefix,
                         request.room_template, request.conversation_template, request.contract, request.fields)
    payloads = build_payloads(plan, request.hotel, request.room, request.conversation, "pd-…", request.message_text)
    room_data = next(data for planned, data in payloads.items() if planned.channel == plan.room)
    title = f"pusher-doctor report: {check_title(request)}"
    return TicketFacts(title, tuple((e.channel, e.event) for e in plan.events),
                       {name: json_type(value) for name, value in room_data.items()}, package_versions(),
                       generated_now())


def check_title(request: "CheckRequest") -> str:
    """What a run is about: the hotel and room (and conversation) of the hotel chat, or the field values of
    another app's contract."""
    if request.contract.is_builtin and request.hotel is not None:
        return f"{request.hotel}, room {request.room}" + (
            f", conversation {request.conversation}" if request.conversation else "")
    given = {"hotel": request.hotel, "room": request.room, "conversation": request.conversation, **request.fields}
    shown = ", ".join(f"{name} {value}" for name, value in given.items() if value is not None)
    return f"{request.contract.label}" + (f": {shown}" if shown else "")
