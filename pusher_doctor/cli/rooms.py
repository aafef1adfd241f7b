"""`pusher-doctor rooms`: a hotel's occupied room and conversation channels now, and one room's sentence.

"""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, commands
from pusher_doctor.cli.common import (
    NO_SERVER_OPTIONS,
    ChannelPrefixOption,
    HotelOption,
    ServerOptions,
    channel_or_exit,
    channel_prefix_or_exit,
    connect_or_exit,
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
    hotel: HotelOption,
    room: Annotated[str | None, typer.Option(
        help="Also say, in a sentence, whether a guest page is on this room's channel, naming near misses.")] = None,
    server: ServerOptions = NO_SERVER_OPTIONS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    channel_prefix: ChannelPrefixOption = "",
    json_output: JsonOption = False,
) -> None:
    """List the hotel's occupied room and conversation channels now, with subscriber counts.

    One signed REST request with the channel-prefix filter, however many rooms the hotel has (needs
    the app secret). With --room: a sentence about that room; when it is empty but a channel with
    almost its name is occupied (rooms for room, _ for -, capitals, no -chat, a typo), that near miss
    is named (cause channel-near-miss), and so is a page left on the public name after the backend
    moved to --channel-prefix. On presence- channels, members are counted too (one guest with two tabs
    is two subscribers, one member). Exit code 0; 1 when a near miss is found; 2 usage error.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.hotel_chat import room_channel
    from pusher_doctor.render.rooms import rooms_to_dict, show_rooms
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.rooms import survey_rooms

    out = Output(json_output, False, server.secret, schema=TRIAGE_SCHEMA)
    channel_prefix_or_exit(out, channel_prefix)
    channel_or_exit(out, channel_prefix + (room_channel(hotel, room) if room is not None else hotel + "-"))
    out, conn = connect_or_exit(out, server, needs_secret="listing channels is a signed REST call")
    report = survey_rooms(conn.rest(), hotel, room, timeout, channel_prefix)
    raise typer.Exit(out.present(report, show_rooms, rooms_to_dict))
