"""`pusher-doctor watch`: the Pusher dashboard's Debug Console in a terminal, with the key alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pusher_doctor.cli.app import commands, seconds
from pusher_doctor.cli.common import (
    NO_CHANNEL_AUTH_OPTIONS,
    NO_SERVER_OPTIONS,
    ChannelAuthOptions,
    ContractOption,
    EncryptionKeyOption,
    FieldOption,
    ReportOption,
    ServerOptions,
    channel_or_exit,
    connect_or_exit,
    contract_or_exit,
    fields_or_exit,
    private_channels_or_exit,
    report_path_or_exit,
    with_contract_env,
    with_option_groups,
)
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
    from pusher_doctor.contract import Contract
    from pusher_doctor.protocol.auth import AuthEndpoint
    from pusher_doctor.triage.watch import WatchRequest


EXAMPLES = """\b
Examples:
  pusher-doctor watch --hotel hotel-paradise --room 101 --conversation 45
  pusher-doctor watch --hotel hotel-paradise --all-rooms --duration 60
  pusher-doctor watch --channel h-room-101-chat --json \\
    | jq -c 'select(.type=="event")'
  pusher-doctor watch --hotel h --room 101 --channel-prefix private- \\
    --auth-endpoint https://app/auth --auth-cookie sessionid=... \\
    --origin https://guest.example.com
"""


@commands.command(epilog=EXAMPLES, short_help="Show the hotel's events as they arrive (Debug Console).")
@with_option_groups
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
        click_type=seconds(0.1), help="Seconds to watch; default until Ctrl-C. Either way a summary follows.")] = None,
    server: ServerOptions = NO_SERVER_OPTIONS,
    channel_auth: ChannelAuthOptions = NO_CHANNEL_AUTH_OPTIONS,
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
    Exit code 0; 1 when the connection or a subscription failed, or the server kept dropping the connection
    (reconnects then wait longer each time); 130 after Ctrl-C.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.watch import WatchRequest

    # Header and cookie values are secrets from the start, even in a usage error.
    out = Output(json_output, False, server.secret, encryption_master_key, *channel_auth.secrets, schema=TRIAGE_SCHEMA)
    app_contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, app_contract)
    if (room or conversation or all_rooms) and not hotel and "hotel" in app_contract.fields:
        out.usage_error("--room, --conversation and --all-rooms need --hotel", "add --hotel SLUG")
    private = private_channels_or_exit(out, channel_auth, conversation)
    channels, contract = _named_channels(out, hotel, room, conversation, private, app_contract, values,
                                         channel or [])
    channels.extend(channel or [])
    if not channels and not all_rooms:
        out.usage_error("nothing to watch", "give --hotel with --room, --conversation or --all-rooms, or --channel NAME")
    for name in channels:
        channel_or_exit(out, name)
    if report_file is not None:
        report_path_or_exit(out, report_file)
    request = WatchRequest(tuple(channels), contract, hotel if all_rooms else None, duration,
                           channel_prefix=channel_auth.channel_prefix)
    raise typer.Exit(_watch(out, with_contract_env(server, app_contract), request, private["auth_endpoint"],
                            encryption_master_key, report_file))


def _watch(out: Output, server: ServerOptions, request: WatchRequest, endpoint: AuthEndpoint | None,
           master_key: str | None, report_file: Path | None) -> ExitCode:
    """Connects as the request needs and hands the watch to `Output.watch`; the exit code."""
    from pusher_doctor.hotel_chat import needs_auth
    from pusher_doctor.triage.watch import Watch

    all_rooms = request.hotel is not None
    signing = any(needs_auth(name) for name in request.channels) or needs_auth(request.channel_prefix)
    out, conn = connect_or_exit(out, server, needs_secret=(
        "--all-rooms lists the hotel's channels with a signed REST call" if all_rooms
        else "private channels are signed with it when no --auth-endpoint is given" if signing and endpoint is None
        else None), needs_app_id=all_rooms, encryption_master_key=master_key)
    if endpoint is not None:
        out = out.masking(*endpoint.secrets)
    authorizer = conn.authorizer(endpoint) if signing else None
    rest = conn.rest() if all_rooms else None
    return out.watch(lambda emit, flush: Watch(conn.target.ws, conn.key, request, emit, rest, authorizer, flush=flush),
                     request.duration_s, report_file)


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
