"""`pusher-doctor watch`: the Pusher dashboard's Debug Console in a terminal, with the key alone."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pusher_doctor.cli.app import commands
from pusher_doctor.cli.common import (
    AppIdOption,
    AuthCookieOption,
    AuthEndpointOption,
    AuthHeaderOption,
    ChannelPrefixOption,
    ClusterOption,
    ContractOption,
    ConversationChannelOption,
    EncryptionKeyOption,
    EnvFileOption,
    FieldOption,
    HostOption,
    KeyOption,
    OriginOption,
    PortOption,
    ReportOption,
    RoomChannelOption,
    SchemeOption,
    SecretOption,
    channel_or_exit,
    connect_or_exit,
    contract_or_exit,
    fields_or_exit,
    private_channels_or_exit,
    report_path_or_exit,
)
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
    from pusher_doctor.contract import Contract
    from pusher_doctor.render.terminal import TerminalReport
    from pusher_doctor.render.watch import ReportLog
    from pusher_doctor.triage.model import WatchSummary


@commands.command()
def watch(
    hotel: Annotated[str | None, typer.Option(help="Hotel slug, as in the backend's channel names.")] = None,
    room: Annotated[str | None, typer.Option(help="Watch this room's channel ({hotel}-room-{room}-chat).")] = None,
    conversation: Annotated[str | None, typer.Option(
        help="Watch this conversation's channel ({hotel}-conversation-{id}-chat).")] = None,
    channel: Annotated[list[str] | None, typer.Option(
        "--channel", help="Watch this channel by name (repeatable).")] = None,
    all_rooms: Annotated[bool, typer.Option(
        "--all-rooms", help="Watch every occupied channel of the hotel, and those that become occupied "
                            "(lists them through the REST API: needs the secret).")] = False,
    duration: Annotated[float | None, typer.Option(
        min=0.1, help="Seconds to watch; default until Ctrl-C. Either way a summary follows.")] = None,
    env_file: EnvFileOption = None,
    app_id: AppIdOption = None,
    key: KeyOption = None,
    secret: SecretOption = None,
    cluster: ClusterOption = None,
    host: HostOption = None,
    port: PortOption = None,
    scheme: SchemeOption = None,
    channel_prefix: ChannelPrefixOption = "",
    room_channel: RoomChannelOption = None,
    conversation_channel: ConversationChannelOption = None,
    auth_endpoint: AuthEndpointOption = None,
    auth_header: AuthHeaderOption = None,
    auth_cookie: AuthCookieOption = None,
    origin: OriginOption = None,
    encryption_master_key: EncryptionKeyOption = None,
    report_file: ReportOption = None,
    contract_file: ContractOption = None,
    field: FieldOption = None,
    json_output: Annotated[bool, typer.Option(
        "--json", help="JSON Lines on stdout, one record per event or notice, flushed at once; then a summary.")]
        = False,
) -> None:
    """Show the events on the hotel's channels as they arrive, like the dashboard's Debug Console.

    Each line: time, channel, event, message id, sender type and an excerpt of the data, coloured by
    event; an event the backend never sends on that channel is marked. Subscription answers, drops and
    reconnections are shown (events sent while disconnected are lost: Pusher keeps no history). Ends at
    --duration or Ctrl-C with a summary: events per channel, gaps, and for each message id which of the
    backend's three events arrived; --report also writes it, with the events and notices as they came,
    for a ticket. Needs only the app key, except --all-rooms (REST: the secret)
    and private channels (signed by --auth-endpoint as the page's are, else with the secret); presence
    channels show their members, encrypted ones are decrypted (the master key checks the endpoint's).
    With an app contract (pusher-doctor.toml), its channels whose fields are given (--field NAME=VALUE,
    --hotel, --room, --conversation) are watched, and its events are the ones expected on each.
    Exit code 0; 1 when the connection or a subscription failed; 130 after Ctrl-C.

    \b
    Examples:
      pusher-doctor watch --hotel hotel-paradise --room 101 --conversation 45
      pusher-doctor watch --hotel hotel-paradise --all-rooms --duration 60
      pusher-doctor watch --channel hotel-paradise-room-101-chat --json | jq -c 'select(.type=="event")'
      pusher-doctor watch --hotel h --room 101 --channel-prefix private- --auth-endpoint https://app/auth \\
        --auth-cookie sessionid=... --origin https://guest.example.com
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.cli.signals import interrupted_exit_code
    from pusher_doctor.hotel_chat import needs_auth
    from pusher_doctor.protocol.authorizer import ChannelAuthorizer
    from pusher_doctor.protocol.rest import RestClient
    from pusher_doctor.render.triage_text import (
        TRIAGE_SCHEMA,
        problem_document,
        show_problem,
        terminal,
        write_json_line,
    )
    from pusher_doctor.render.watch import ReportLog, WatchConsole, record, summary_record
    from pusher_doctor.triage.watch import Watch, WatchRequest

    # Header and cookie values are secrets from the start, even in a usage error.
    out = Output(json_output, False, secret, encryption_master_key, *(auth_header or ()), *(auth_cookie or ()),
                 schema=TRIAGE_SCHEMA)
    app_contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, app_contract)
    if (room or conversation or all_rooms) and not hotel and "hotel" in app_contract.fields:
        out.usage_error("--room, --conversation and --all-rooms need --hotel", "add --hotel SLUG")
    private = private_channels_or_exit(out, channel_prefix, room_channel, conversation_channel, conversation,
                                       auth_endpoint, auth_header or [], auth_cookie or [], origin)
    channels, contract = _named_channels(out, hotel, room, conversation, private, app_contract, values,
                                         channel or [])
    channels.extend(channel or [])
    if not channels and not all_rooms:
        out.usage_error("nothing to watch", "give --hotel with --room, --conversation or --all-rooms, or --channel NAME")
    for name in channels:
        channel_or_exit(out, name)
    if report_file is not None:
        report_path_or_exit(out, report_file)
    endpoint = private["auth_endpoint"]
    signing = any(needs_auth(name) for name in channels) or needs_auth(channel_prefix)
    options = {"app_id": app_id, "key": key, "secret": secret, "cluster": cluster, "host": host, "port": port,
               "scheme": scheme, "encryption_master_key": encryption_master_key}
    out, conn = connect_or_exit(out, env_file or app_contract.env_file, options, needs_secret=(
        "--all-rooms lists the hotel's channels with a signed REST call" if all_rooms
        else "private channels are signed with it when no --auth-endpoint is given" if signing and endpoint is None
        else None), needs_app_id=all_rooms)
    if endpoint is not None:
        out = out.masking(*endpoint.secrets)
    authorizer = ChannelAuthorizer(conn.key, conn.secret, endpoint, conn.master_key) if signing else None
    rest = None
    if all_rooms:
        assert conn.app_id is not None and conn.secret is not None
        rest = RestClient(conn.target.rest, conn.app_id, conn.key, conn.secret)
    term = None if json_output else terminal(out.redact)
    console = WatchConsole(term) if term is not None else None

    log = ReportLog() if report_file is not None else None

    def emit(item: object) -> None:
        if log is not None:
            log.add(item)  # type: ignore[arg-type]
        if console is not None:
            console.show(item)  # type: ignore[arg-type]
        else:
            # Flushed by the watch whenever it waits (below): under a burst, one write per many records.
            write_json_line(record(item), out.redact, flush=False)  # type: ignore[arg-type]

    request = WatchRequest(tuple(channels), contract, hotel if all_rooms else None, duration,
                           channel_prefix=channel_prefix)
    session = Watch(conn.target.ws, conn.key, request, emit, rest, authorizer,
                    flush=None if console is not None else sys.stdout.flush)
    try:
        failed = session.start()
    except KeyboardInterrupt:
        session.close()
        raise typer.Exit(interrupted_exit_code()) from None
    if failed is not None:
        if term is not None:
            show_problem(term, failed)
        else:
            write_json_line(problem_document(failed), out.redact)
        raise typer.Exit(ExitCode.PROBLEMS_FOUND)
    if term is not None:
        term.line(("watching; Ctrl-C ends with a summary" if duration is None else f"watching for {duration:g} s",
                   "dim"))
    summary = session.run()
    if console is not None:
        console.summary(summary)
    else:
        write_json_line(summary_record(summary), out.redact)
    if report_file is not None and log is not None:
        _write_report(out, term, report_file, summary, log)
    if summary.interrupted:
        raise typer.Exit(interrupted_exit_code())
    raise typer.Exit(ExitCode.PROBLEMS_FOUND if session.refused else ExitCode.OK)


def _named_channels(out: Output, hotel: str | None, room: str | None, conversation: str | None,
                    private: dict[str, Any], contract: Contract, fields: dict[str, str],
                    extra: list[str]) -> tuple[list[str], dict[str, frozenset[str]]]:
    """The contract's channels whose fields all have a value (--hotel, --room, --conversation, --field), with
    --channel-prefix in front or from the templates, then --channel's names; and the events the contract says
    the backend sends on each."""
    from pusher_doctor.contract import ChannelTemplate
    from pusher_doctor.hotel_chat import fill_template

    values = {"hotel": hotel, "room": room, "conversation": conversation, **fields}
    first_other = next((spec for spec in contract.channels if spec.key != contract.recipient), None)
    named: dict[str, frozenset[str]] = {}
    for spec in contract.channels:
        override = (private["room_template"] if spec.key == contract.recipient
                    else private["conversation_template"] if spec is first_other else None)
        needed = ChannelTemplate.parse(override).fields if override else spec.fields
        if not needed or any(values.get(name) is None for name in needed):
            continue  # a channel is watched when it is named by its fields' values
        try:
            name = (fill_template(override, hotel, room, conversation, fields) if override
                    else private["channel_prefix"] + spec.template.fill(values))
        except ValueError as error:
            out.usage_error(str(error), "give each field of the channel's template a value")
        named[name] = frozenset(spec.event_names)
    for name in extra:  # a channel named outright is still one of the contract's when its name says so
        matched = contract.match(name)
        if matched is not None and name not in named:
            named[name] = frozenset(matched[0].event_names)
    return [name for name in named if name not in extra], named


def _write_report(out: Output, term: TerminalReport | None, path: Path, summary: WatchSummary, log: ReportLog) -> None:
    """The summary as a ticket report; a file that cannot be written after all is said (exit 74)."""
    from pusher_doctor.render.report import generated_now, package_versions, write_document
    from pusher_doctor.render.watch import watch_document

    try:
        write_document(watch_document(summary, log, generated_now(), package_versions()), path, out.redact)
    except OSError as error:
        out.file_not_written("--report", path, error)
    if term is not None:
        term.line((f"report written to {path}", "dim"))
