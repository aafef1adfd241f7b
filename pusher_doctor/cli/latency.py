"""`pusher-doctor latency`: trigger-to-receive latency of N probe events, losses and reordering."""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, TimeoutOption, commands
from pusher_doctor.cli.common import (
    NO_SERVER_OPTIONS,
    HotelOption,
    ServerOptions,
    channel_or_exit,
    connect_or_exit,
    consented_or_exit,
    with_option_groups,
)


@commands.command()
@with_option_groups
def latency(
    hotel: HotelOption,
    room: Annotated[str, typer.Option(help="Room number (its channel is used only with --on-room-channel).")],
    count: Annotated[int, typer.Option("-n", "--count", min=1, max=100_000, help="Probe events to send.")] = 200,
    rate: Annotated[float, typer.Option(min=0.1, max=10_000, help="Probe events per second.")] = 50.0,
    on_room_channel: Annotated[bool, typer.Option(
        "--on-room-channel", help="Probe on the room channel itself (a live guest would see the probes: "
                                  "asked on a terminal, else needs --yes).")] = False,
    channel: Annotated[str | None, typer.Option(
        help="Probe on this channel (default: a fresh {hotel}-pusher-doctor-latency-... channel).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Probe even when someone is on the channel.")] = False,
    server: ServerOptions = NO_SERVER_OPTIONS,
    timeout: TimeoutOption = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
) -> None:
    """Measure trigger-to-receive latency with N probe events, rate-limited.

    Subscribes on this machine (pysher, as a guest page would), triggers N events through the REST API
    and reports latency min/p50/p90/p99/max, lost, out-of-order and duplicated events, the REST call's
    own time apart, and a histogram. The probe channel is one of its own unless --on-room-channel.
    --timeout bounds each call. Needs the app secret. Exit code 0; 1 events lost or refused; 2 usage error.

    \b
    Examples:
      pusher-doctor latency --hotel hotel-paradise --room 101
      pusher-doctor latency --hotel hotel-paradise --room 101 -n 1000 --rate 200 --json | jq .latency_ms
      pusher-doctor latency --hotel hotel-paradise --room 101 --on-room-channel --yes
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.cli.signals import interrupted_exit_code
    from pusher_doctor.hotel_chat import room_channel
    from pusher_doctor.render.latency import latency_to_dict, show_latency
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.latency import measure, probe_channel
    from pusher_doctor.triage.model import LatencyReport

    out = Output(json_output, False, server.secret, schema=TRIAGE_SCHEMA)
    if on_room_channel and channel:
        out.usage_error("give --on-room-channel or --channel, not both", "see --help")
    target = room_channel(hotel, room) if on_room_channel else channel or probe_channel(hotel)
    channel_or_exit(out, target)
    out, conn = connect_or_exit(out, server, needs_secret="probe events are triggered with signed REST calls")
    rest = conn.rest()
    consented_or_exit(out, rest, target, f"{count} probe events", yes, timeout,
                      otherwise=", or leave out --on-room-channel/--channel to probe on a channel of its own")
    if (term := out.terminal()) is not None:
        term.line((f"sending {count} probe events at {rate:g}/s on {target}…", "dim"))
    report = measure(rest, conn.target.ws, conn.key, target, count, rate, timeout)
    code = out.present(report, show_latency, latency_to_dict)
    raise typer.Exit(interrupted_exit_code() if isinstance(report, LatencyReport) and report.interrupted else code)
