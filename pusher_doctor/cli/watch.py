"""`pusher-doctor watch`: the Pusher dashboard's Debug Console in a terminal, with the key alone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pusher_doctor.cli.app import commands
from pusher_doctor.cli.common import (
    NO_CHANNEL_AUTH_OPTIONS,
    NO_SERVER_OPTIONS,
    ChannelAuthOptions,
    EncryptionKeyOption,
    ReportOption,
    ServerOptions,
    channel_or_exit,
    connect_or_exit,
    private_channels_or_exit,
    report_path_or_exit,
    with_option_groups,
)
from pusher_doctor.results import ExitCode

if TYPE_CHECKING:
    from pusher_doctor.cli.output import Output
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
        min=0.1, help="Seconds to watch; default until Ctrl-C. Either way a summary follows.")] = None,
    server: ServerOptions = NO_SERVER_OPTIONS,
    channel_auth: ChannelAuthOptions = NO_CHANNEL_AUTH_OPTIONS,
    encryption_master_key: EncryptionKeyOption = None,
    report_file: ReportOption = None,
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
    Exit code 0; 1 when the connection or a subscription failed; 130 after Ctrl-C.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.watch import WatchRequest

    # Header and cookie values are secrets from the start, even in a usage error.
    out = Output(json_output, False, server.secret, encryption_master_key, *channel_auth.secrets, schema=TRIAGE_SCHEMA)
    if (room or conversation or all_rooms) and not hotel:
        out.usage_error("--room, --conversation and --all-rooms need --hotel", "add --hotel SLUG")
    private = private_channels_or_exit(out, channel_auth, conversation)
    channels, contract = _named_channels(out, hotel, room, conversation, private)
    channels.extend(channel or [])
    if not channels and not all_rooms:
        out.usage_error("nothing to watch", "give --hotel with --room, --conversation or --all-rooms, or --channel NAME")
    for name in channels:
        channel_or_exit(out, name)
    if report_file is not None:
        report_path_or_exit(out, report_file)
    request = WatchRequest(tuple(channels), contract, hotel if all_rooms else None, duration,
                           channel_prefix=channel_auth.channel_prefix)
    raise typer.Exit(_watch(out, server, request, private["auth_endpoint"], encryption_master_key, report_file))


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
                    private: dict[str, Any]) -> tuple[list[str], dict[str, frozenset[str]]]:
    """The channels --room and --conversation name (with --channel-prefix or the templates), and the events
    the backend sends on each."""
    from pusher_doctor.hotel_chat import (
        CONVERSATION_EVENTS,
        ROOM_EVENT,
        named_conversation_channel,
        named_room_channel,
    )

    named: dict[str, frozenset[str]] = {}
    if hotel is None:
        return [], named
    try:
        if room is not None:
            named[named_room_channel(hotel, room, conversation, private["channel_prefix"],
                                     private["room_template"])] = frozenset({ROOM_EVENT})
        if conversation is not None:
            named[named_conversation_channel(hotel, room, conversation, private["channel_prefix"],
                                             private["conversation_template"])] = frozenset(CONVERSATION_EVENTS)
    except ValueError as error:
        out.usage_error(str(error), "write the channel's name with {hotel}, {room} and {conversation}")
    return list(named), named
