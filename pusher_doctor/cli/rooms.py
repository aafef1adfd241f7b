"""`pusher-doctor rooms`: a hotel's occupied room and conversation channels now, and one room's sentence.

"""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, commands
from pusher_doctor.cli.common import (
    NO_SERVER_OPTIONS,
    ChannelPrefixOption,
    ContractOption,
    FieldOption,
    ServerOptions,
    channel_or_exit,
    channel_prefix_or_exit,
    connect_or_exit,
    contract_or_exit,
    fields_or_exit,
    with_contract_env,
    with_option_groups,
)

EXAMPLES = """\b
Examples:
  pusher-doctor rooms --hotel hotel-paradise
  pusher-doctor rooms --hotel hotel-paradise --room 101
  pusher-doctor rooms --hotel h --room 101 --channel-prefix presence-
  pusher-doctor rooms --hotel h --json | jq '.channels[].name'
"""


@commands.command(epilog=EXAMPLES, short_help="List the hotel's occupied channels and who is on them.")
@with_option_groups
def rooms(
    hotel: Annotated[str | None, typer.Option(
        metavar="SLUG", help="Hotel slug, as in the backend's channel names (hotel-paradise): the contract's "
                             "{hotel}.")] = None,
    room: Annotated[str | None, typer.Option(
        help="Also say, in a sentence, whether a guest page is on this room's channel, naming near misses.")] = None,
    server: ServerOptions = NO_SERVER_OPTIONS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    channel_prefix: ChannelPrefixOption = "",
    json_output: JsonOption = False,
    contract_file: ContractOption = None,
    field: FieldOption = None,
) -> None:
    """List the hotel's occupied room and conversation channels now, with subscriber counts.

    One signed REST request with the channel-prefix filter, however many rooms the hotel has (needs
    the app secret). With --room: a sentence about that room; when it is empty but a channel with
    almost its name is occupied (rooms for room, _ for -, capitals, no -chat, a typo), that near miss
    is named (cause channel-near-miss), and so is a page left on the public name after the backend
    moved to --channel-prefix. With an app contract (pusher-doctor.toml), its channels with the values of
    --field NAME=VALUE, and its recipient channel instead of the room's. On presence- channels, members are counted too (one guest with two tabs
    is two subscribers, one member). Exit code 0; 1 when a near miss is found; 2 usage error.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.render.rooms import rooms_to_dict, show_rooms
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.rooms import survey_rooms

    out = Output(json_output, False, server.secret, schema=TRIAGE_SCHEMA)
    channel_prefix_or_exit(out, channel_prefix)
    contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, contract)
    hotel = hotel if hotel is not None else values.get("hotel")  # --field hotel=SLUG says the same
    if hotel is None and "hotel" in contract.fields:
        out.usage_error("rooms needs --hotel", "add --hotel SLUG")
    for value in (hotel, room, *values.values()):  # each value is part of a channel name: Pusher's rules hold
        if value is not None:
            channel_or_exit(out, channel_prefix + value)
    out, conn = connect_or_exit(out, with_contract_env(server, contract),
                                needs_secret="listing channels is a signed REST call")
    report = survey_rooms(conn.rest(), hotel, room, timeout, channel_prefix, contract, values)
    raise typer.Exit(out.present(report, show_rooms, rooms_to_dict))
