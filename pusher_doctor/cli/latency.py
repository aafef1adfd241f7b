"""`pusher-doctor latency`: trigger-to-receive latency of N probe events, losses and reordering."""

from __future__ import annotations

from typing import Annotated

import typer

from pusher_doctor.cli.app import DEFAULT_TIMEOUT, JsonOption, commands, seconds
from pusher_doctor.cli.common import (
    NO_SERVER_OPTIONS,
    ContractOption,
    FieldOption,
    ServerOptions,
    channel_or_exit,
    connect_or_exit,
    consented_or_exit,
    contract_or_exit,
    fields_or_exit,
    recipient_fields_or_exit,
    with_contract_env,
    with_option_groups,
)

#: the longest a run may send for (-n / --rate): a figure of minutes; a longer watch of a room is `watch`'s job
MAX_SENDING_S = 3600.0

EXAMPLES = """\b
Examples:
  pusher-doctor latency --hotel hotel-paradise --room 101
  pusher-doctor latency --hotel h --room 101 -n 1000 --rate 200 --json \\
    | jq .latency_ms
  pusher-doctor latency --hotel h --room 101 --on-room-channel --yes
"""


@commands.command(epilog=EXAMPLES, short_help="Measure trigger-to-receive latency with probe events.")
@with_option_groups
def latency(
    hotel: Annotated[str | None, typer.Option(
        metavar="SLUG", help="Hotel slug: the contract's {hotel}; names the probe channel.")] = None,
    room: Annotated[str | None, typer.Option(
        help="Room number (its channel is used only with --on-room-channel).")] = None,
    count: Annotated[int, typer.Option("-n", "--count", min=1, max=100_000, help="Probe events to send.")] = 200,
    rate: Annotated[float, typer.Option(click_type=seconds(0.1, 10_000), help="Probe events per second.")] = 50.0,
    on_room_channel: Annotated[bool, typer.Option(
        "--on-room-channel", help="Probe on the room channel itself (a live guest would see the probes: "
                                  "asked on a terminal, else needs --yes).")] = False,
    channel: Annotated[str | None, typer.Option(
        help="Probe on this channel (default: a fresh {hotel}-pusher-doctor-latency-... channel).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Probe even when someone is on the channel.")] = False,
    server: ServerOptions = NO_SERVER_OPTIONS,
    timeout: Annotated[float, typer.Option(
        "--timeout", click_type=seconds(0.1, 600.0), metavar="SECONDS",
        help="Seconds each wait may take: connecting, subscribing, each probe's REST call. The run itself "
             "lasts -n / --rate seconds (at most an hour) and 2 s more for the last probes.")] = DEFAULT_TIMEOUT,
    json_output: JsonOption = False,
    contract_file: ContractOption = None,
    field: FieldOption = None,
) -> None:
    """Measure trigger-to-receive latency with N probe events, rate-limited.

    Subscribes on this machine (pysher, as a guest page would), triggers N events through the REST API
    and reports latency min/p50/p90/p99/max, lost, out-of-order and duplicated events, the REST call's
    own time apart, and a histogram. The probe channel is one of its own (the contract's probe-channel
    when it names one) unless --on-room-channel (the contract's recipient channel, its fields from --hotel,
    --room and --field).
    --timeout bounds each wait; the run lasts -n / --rate seconds, at most an hour (a longer one is refused
    before anything is sent). Needs the app secret. Exit code 0; 1 events lost or refused; 2 usage error.
    """
    from pusher_doctor.cli.output import Output
    from pusher_doctor.cli.signals import interrupted_exit_code
    from pusher_doctor.render.latency import latency_to_dict, show_latency
    from pusher_doctor.render.triage_text import TRIAGE_SCHEMA
    from pusher_doctor.triage.latency import measure, probe_channel
    from pusher_doctor.triage.model import LatencyReport

    out = Output(json_output, False, server.secret, schema=TRIAGE_SCHEMA)
    if count / rate > MAX_SENDING_S:
        out.usage_error(f"-n {count} at --rate {rate:g} would send for {_spoken(count / rate)}; a latency run sends "
                        f"for at most an hour", f"raise --rate or lower -n (at most {int(rate * MAX_SENDING_S)} "
                        f"at --rate {rate:g})")
    if on_room_channel and channel:
        out.usage_error("give --on-room-channel or --channel, not both", "see --help")
    contract = contract_or_exit(out, contract_file)
    values = fields_or_exit(out, field, contract, {"hotel": hotel, "room": room})
    hotel = values.get("hotel")
    if on_room_channel:
        recipient_fields_or_exit(out, contract, values)
        target = contract.recipient_channel.template.fill(values)
    elif channel or contract.probe_channel:
        target = channel or str(contract.probe_channel)
    elif hotel:
        target = probe_channel(hotel)
    else:
        out.usage_error("no channel to probe on", "give --hotel (a probe channel of the hotel's is made), --channel "
                                                  "NAME, or a probe-channel in pusher-doctor.toml")
    channel_or_exit(out, target)
    out, conn = connect_or_exit(out, with_contract_env(server, contract), needs_secret="probe events are triggered with signed REST calls")
    rest = conn.rest()
    consented_or_exit(out, rest, target, f"{count} probe events", yes, timeout,
                      otherwise=", or leave out --on-room-channel/--channel to probe on a channel of its own")
    if (term := out.terminal()) is not None:
        term.line((f"sending {count} probe events at {rate:g}/s on {target}…", "dim"))
    report = measure(rest, conn.target.ws, conn.key, target, count, rate, timeout)
    code = out.present(report, show_latency, latency_to_dict)
    raise typer.Exit(interrupted_exit_code() if isinstance(report, LatencyReport) and report.interrupted else code)


def _spoken(seconds: float) -> str:
    """A long duration as a person says it: 2.8 hours, 11.6 days."""
    hours = seconds / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"
