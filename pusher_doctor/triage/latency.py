"""`latency`: N probe events, rate-limited, from the REST API to a guest connection on this machine;
trigger-to-receive latency, losses, reordering and duplicates, with the REST call's own time apart.

The probe goes to a channel of its own by default, so no guest sees it. Each event carries its sequence
number and the wall-clock time it was sent (`sent_at_ms`), so another client on the same machine (a
pusher-js page) can measure the same events.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.protocol.guest import ChannelEvent, Connected, GuestConnection
from pusher_doctor.protocol.rest import RestClient, RestSuccess
from pusher_doctor.protocol.wire import load_json
from pusher_doctor.results import Problem
from pusher_doctor.triage.model import LatencyReport

PROBE_EVENT = "pusher-doctor-latency"
#: histogram bucket lower bounds, in ms
BUCKETS = (0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)


def probe_channel(hotel: str) -> str:
    """A channel of the hotel's that no guest page subscribes to (not of the room or conversation form)."""
    return f"{hotel}-pusher-doctor-latency-{secrets.token_hex(4)}"


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, round(share * len(sorted_values) + 0.4999))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {"min": ordered[0], "p50": percentile(ordered, 0.5), "p90": percentile(ordered, 0.9),
            "p99": percentile(ordered, 0.99), "max": ordered[-1]}


def histogram(values: list[float]) -> tuple[tuple[float, int], ...]:
    counts = [0] * len(BUCKETS)
    for value in values:
        index = max(i for i, bound in enumerate(BUCKETS) if value >= bound)
        counts[index] += 1
    return tuple(zip(BUCKETS, counts, strict=True))


def _sequence(data: Any, probe: str) -> int | None:
    for _ in range(2):
        if isinstance(data, str):
            try:
                data = load_json(data)
            except ValueError:
                return None
    if isinstance(data, dict) and data.get("probe") == probe and isinstance(data.get("seq"), int):
        return data["seq"]
    return None


def measure(rest: RestClient, endpoint: Endpoint, key: str, channel: str, count: int, rate: float,
            timeout: float, settle_s: float = 2.0) -> LatencyReport | Problem:
    """Sends `count` probe events at `rate` per second and waits up to `settle_s` for the last ones. The
    sending keeps to its plan (`count / rate`) within one `timeout`: a server that answers each call slowly
    cannot stretch it to `count` timeouts; the probes left are not sent (`LatencyReport.unsent`)."""
    arrivals: list[ChannelEvent] = []
    lock = threading.Lock()

    def arrived(event: ChannelEvent) -> None:
        if event.event == PROBE_EVENT:
            with lock:
                arrivals.append(event)

    probe = "lat-" + secrets.token_hex(6)
    with GuestConnection(endpoint, key, on_event=arrived, keep_events=False) as guest:
        answer = guest.connect(timeout)
        if not isinstance(answer, Connected):
            return answer
        subscribed = guest.subscribe(channel, timeout)
        if isinstance(subscribed, Problem):
            return subscribed
        sent_at: list[float | None] = [None] * count
        rest_ms: list[float] = []
        refused = 0
        interrupted = False
        started = time.monotonic()
        sending_ends = started + count / rate + timeout
        planned = count
        try:
            for seq in range(count):
                pause = started + seq / rate - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                left = sending_ends - time.monotonic()
                if left <= 0:
                    count = seq  # behind its plan by a whole --timeout: the probes left are not sent
                    break
                data = {"seq": seq, "probe": probe, "sent_at_ms": time.time() * 1000}
                before = time.monotonic()
                result = rest.trigger(channel, PROBE_EVENT, data, min(timeout, left))
                if not isinstance(result, RestSuccess):
                    if seq == 0:
                        return result
                    refused += 1
                    continue
                sent_at[seq] = before
                rest_ms.append((time.monotonic() - before) * 1000)
            wanted = count - refused
            ends = time.monotonic() + settle_s
            while time.monotonic() < ends:
                with lock:
                    if len(arrivals) >= wanted:
                        break
                time.sleep(0.01)
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: the figures of the probes sent so far
            interrupted = True
        duration = time.monotonic() - started
        if interrupted:  # the probes never sent are not lost: only those asked of the server count
            count = sum(1 for at in sent_at if at is not None) + refused
    with lock:
        seen = list(arrivals)
    latencies: list[float | None] = [None] * count
    duplicated = out_of_order = 0
    highest = -1
    for event in seen:
        seq = _sequence(event.data, probe)
        if seq is None or not 0 <= seq < count or sent_at[seq] is None:
            continue
        if latencies[seq] is not None:
            duplicated += 1
            continue
        latencies[seq] = (event.at - sent_at[seq]) * 1000  # type: ignore[operator]
        if seq < highest:
            out_of_order += 1
        highest = max(highest, seq)
    measured = [value for value in latencies if value is not None]
    return LatencyReport(channel, count - refused, len(measured), count - refused - len(measured), out_of_order,
                         duplicated, tuple(latencies), tuple(rest_ms), rate, duration, refused,
                         histogram(measured), stats(measured), stats(rest_ms), interrupted,
                         0 if interrupted else planned - count)
