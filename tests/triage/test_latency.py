"""`latency` against real soketi, compared with a real pusher-js guest measuring the same events."""

from __future__ import annotations

import json
import secrets
import statistics
from pathlib import Path

import pytest

from pusher_doctor.triage.latency import histogram, percentile, stats
from tests.support.cli import app_options
from tests.support.guests import pusher_js_guest
from tests.support.latency_guest import latency_guest
from tests.support.servers import HEALTHY


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.9), percentile(values, 0.99)) == (50.0, 90.0, 99.0)
    assert stats([3.0]) == {"min": 3.0, "p50": 3.0, "p90": 3.0, "p99": 3.0, "max": 3.0}
    assert dict(histogram([0.5, 1.5, 1.7, 700.0]))[1.0] == 2


def test_figures_agree_with_a_pusher_js_guest_on_the_same_events(cli, soketi, tmp_path: Path) -> None:
    channel = f"lat-{secrets.token_hex(4)}-probe"
    with latency_guest(soketi, channel, 100, 15_000, tmp_path) as guest:
        result = cli(["latency", "--hotel", "h", "--room", "1", "--channel", channel, "-n", "100", "--rate", "100",
                      "--yes", "--json", *app_options(soketi, HEALTHY)])
        theirs = json.loads(guest.communicate(timeout=20)[0].splitlines()[-1])
    ours = result.json()
    assert result.exit_code == 0, result.output
    assert (ours["sent"], ours["received"], ours["lost"], ours["out_of_order"], ours["duplicated"]) == (100, 100, 0, 0, 0)
    assert len(theirs["latencies"]) == 100
    # Same machine, same events: the medians differ by little (the benchmark holds the 1 ms target).
    assert abs(ours["latency_ms"]["p50"] - statistics.median(theirs["latencies"])) < 5.0
    assert ours["latency_ms"]["min"] <= ours["latency_ms"]["p50"] <= ours["latency_ms"]["p99"] <= ours["latency_ms"]["max"]


def test_the_room_channel_is_used_only_with_consent(cli, soketi) -> None:
    hotel = "latroom-" + secrets.token_hex(4)
    with pusher_js_guest(soketi, f"{hotel}-room-3-chat", "new-staff-message", 3000):
        result = cli(["latency", "--hotel", hotel, "--room", "3", "--on-room-channel", "-n", "5",
                      *app_options(soketi, HEALTHY)])
    # As with `trigger`: nothing was sent, which is the command not doing its job (exit 1), not a usage error.
    assert result.exit_code == 1
    assert f"1 connection(s) are subscribed to {hotel}-room-3-chat" in result.stdout and "--yes" in result.stdout


def test_terminal_output_has_figures_and_a_histogram(cli, soketi) -> None:
    result = cli(["latency", "--hotel", "h", "--room", "1", "-n", "20", "--rate", "200", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    assert "trigger -> receive (ms)  min " in result.stdout and "received 20 of 20; lost 0" in result.stdout
    assert "█" in result.stdout


@pytest.mark.parametrize("args", [["-n", "0"], ["--rate", "0"], ["--on-room-channel", "--channel", "x"]])
def test_bad_options_are_usage_errors(cli, soketi, args: list[str]) -> None:
    result = cli(["latency", "--hotel", "h", "--room", "1", *args, *app_options(soketi, HEALTHY)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_the_contracts_probe_channel_is_used_without_a_hotel(cli, soketi, tmp_path) -> None:
    probe = "ci-probe-" + secrets.token_hex(3)
    (tmp_path / "pusher-doctor.toml").write_text(
        f'probe-channel = "{probe}"\n[channels.orders]\ntemplate = "orders.{{order}}"\nevents = ["shipped"]\n')
    result = cli(["latency", "-n", "5", "--rate", "100", "--json", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    assert result.json()["channel"] == probe
    nothing = cli(["latency", "--contract", str(tmp_path / "missing.toml"), "--json"])
    assert nothing.exit_code == 2 and nothing.json()["error"]["cause"] == "contract-invalid"
