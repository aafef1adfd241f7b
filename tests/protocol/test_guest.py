"""The guest connection against a real soketi: a burst of events reaches the caller in order, and the
per-message work pysher did (re-arming its ping and timeout timers) is done at most once a second."""

from __future__ import annotations

import secrets
import time

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.guest import ChannelEvent, GuestConnection
from pusher_doctor.protocol.rest import RestClient
from tests.support.servers import HEALTHY


def test_a_burst_arrives_in_order_and_the_timers_are_rearmed_at_most_once_a_second(soketi) -> None:
    channel = f"hotel-{secrets.token_hex(4)}-room-1-chat"
    endpoint = Endpoint(soketi.HOST, soketi.port, False)
    arrived: list[ChannelEvent] = []
    rest = RestClient(endpoint, HEALTHY.id, HEALTHY.key, Secret(HEALTHY.secret))
    with GuestConnection(endpoint, HEALTHY.key, on_event=arrived.append, keep_events=False) as guest:
        assert guest.connect(5).socket_id
        assert guest.subscribe(channel, 5).channel == channel
        connection = guest._pusher.connection
        armed: list[float] = []
        start_timers = connection._start_timers
        connection._start_timers = lambda: (armed.append(time.monotonic()), start_timers())
        started = time.monotonic()
        for first in range(0, 200, 10):
            batch = [(channel, "new-staff-message", {"id": n}) for n in range(first, first + 10)]
            assert not hasattr(rest.trigger_batch(batch, 5), "cause")
        ends = time.monotonic() + 5
        while len([e for e in arrived if e.event == "new-staff-message"]) < 200 and time.monotonic() < ends:
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        # Still armed: the ping and the timeout wait in pysher's scheduler.
        assert len(connection.timeout_scheduler.queue) >= 2
    ids = [e.data for e in arrived if e.event == "new-staff-message"]
    assert ids == [f'{{"id": {n}}}' for n in range(200)]
    assert len(armed) <= elapsed + 1, f"re-armed {len(armed)} times in {elapsed:.1f} s"
