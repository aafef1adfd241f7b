"""The bulk frame reader: the pure cutting of whole text frames from a buffer (any split of the bytes gives
the same frames), and the guest connection reading through it from a scripted WebSocket server over real
TCP (frames split across reads, a fragmented message, a ping, a frame larger than one read, a close, a
connection cut or stalled mid-frame), each compared with websocket-client's own reader on the same bytes."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.protocol import frames
from pusher_doctor.protocol.frames import CHUNK, plain_text_frames
from pusher_doctor.protocol.guest import ChannelEvent, GuestConnection
from tests.support.hostile import _client_frames, _upgrading_server


def frame(payload: bytes, first: int = 0x81, mask: bytes | None = None) -> bytes:
    """One server frame: byte 0 (FIN, opcode), the length in its three forms, the payload (masked if asked)."""
    size = len(payload)
    second = 0x80 if mask else 0
    length = (bytes([second | size]) if size < 126 else bytes([second | 126]) + size.to_bytes(2, "big")
              if size < 65536 else bytes([second | 127]) + size.to_bytes(8, "big"))
    if mask:
        payload = mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([first]) + length + payload


def test_whole_text_frames_of_each_length_form_are_cut_in_order() -> None:
    payloads = [b"", b"a" * 125, b"b" * 126, b"c" * 65535, b"d" * 65536, b'{"event":"x"}']
    buffer = bytearray(b"".join(frame(p) for p in payloads))
    assert plain_text_frames(buffer) == (payloads, len(buffer))


def test_it_stops_at_the_first_frame_that_is_not_all_there_at_every_cut() -> None:
    payloads = [b"one", b"x" * 300, b"three"]
    whole = b"".join(frame(p) for p in payloads)
    ends = [len(frame(payloads[0])), len(frame(payloads[0])) + len(frame(payloads[1])), len(whole)]
    for cut in range(len(whole) + 1):
        found, at = plain_text_frames(bytearray(whole[:cut]))
        complete = sum(1 for end in ends if end <= cut)
        assert found == payloads[:complete]
        assert at == ([0, *ends][complete])


@pytest.mark.parametrize("other", [frame(b"", 0x89), frame(b"hi", 0x8A), frame(b"\x0f\xa0", 0x88), frame(b"half", 0x01),
                                   frame(b"rest", 0x80), frame(b"bin", 0x82), frame(b"rsv", 0xC1),
                                   frame(b"masked", mask=b"\x01\x02\x03\x04")],
                         ids=["ping", "pong", "close", "first-fragment", "continuation", "binary", "reserved-bit",
                              "masked"])
def test_any_other_frame_is_left_for_websocket_client_with_what_follows(other: bytes) -> None:
    buffer = bytearray(frame(b"before") + other + frame(b"after"))
    assert plain_text_frames(buffer) == ([b"before"], len(frame(b"before")))
    # From the frame after it, cutting goes on.
    assert plain_text_frames(buffer, len(frame(b"before")) + len(other)) == ([b"after"], len(buffer))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=20), st.lists(st.integers(1, 400), min_size=1, max_size=30))
def test_any_split_of_the_bytes_gives_the_frames_of_the_whole(payloads: list[bytes], reads: list[int]) -> None:
    whole = b"".join(frame(p) for p in payloads)
    buffer, got, at, offset = bytearray(), [], 0, 0
    while offset < len(whole):
        size = reads[len(got) % len(reads)]
        buffer += whole[offset:offset + size]
        offset += size
        found, at = plain_text_frames(buffer, at)
        got += found
    assert got == payloads
    assert at == len(buffer)


# --- the guest connection reading through it, against a scripted server --------------------------------

Script = Callable[[socket.socket, list[str]], None]


@contextmanager
def scripted_server(script: Script) -> Iterator[tuple[int, list[str]]]:
    """A WebSocket server on loopback that greets as Pusher does and then runs `script(connection, heard)`;
    `heard` collects the text of the client's frames (its pings and pongs show as "<pong ...>")."""
    heard: list[str] = []

    def talk(connection: socket.socket) -> None:
        greeting = json.dumps({"socket_id": "1.2", "activity_timeout": 120})
        connection.sendall(frame(json.dumps({"event": "pusher:connection_established", "data": greeting}).encode()))
        threading.Thread(target=lambda: heard.extend(_client_frames(connection)), daemon=True).start()
        script(connection, heard)

    with _upgrading_server(lambda: (200, b"{}"),
                           lambda connection: threading.Thread(target=talk, args=(connection,), daemon=True).start()
                           ) as port:
        yield port, heard


def event(n: int, size: int = 0) -> bytes:
    data = json.dumps({"id": n, "pad": "p" * size})
    return json.dumps({"event": "new-staff-message", "channel": "h-room-1-chat", "data": data}).encode()


def run_guest(script: Script, bulk: bool, monkeypatch: pytest.MonkeyPatch, expected: int,
              timeout: float = 5.0, batches: list[int] | None = None,
              ) -> tuple[list[ChannelEvent], GuestConnection, list[str]]:
    """A guest on the scripted server, reading in bulk or with websocket-client's own reader, until it has
    `expected` events and was dropped (every script ends the connection), at most 5 s; `timeout`: the
    connect timeout, which websocket-client also sets on the socket. With `batches`, the events are taken
    as `on_events` hands them, and the size of each hand-over is added to it."""
    if not bulk:
        monkeypatch.setattr(frames.BulkReader, "install", classmethod(lambda cls, app, delivered=None: False))
    arrived: list[ChannelEvent] = []
    with scripted_server(script) as (port, heard):
        if batches is None:
            guest = GuestConnection(Endpoint("127.0.0.1", port, False), "key", on_event=arrived.append,
                                    keep_events=False)
        else:
            def hand_over(events: list[ChannelEvent]) -> None:
                batches.append(len(events))
                arrived.extend(events)
            guest = GuestConnection(Endpoint("127.0.0.1", port, False), "key", on_events=hand_over, keep_events=False)
        try:
            assert guest.connect(timeout).socket_id == "1.2"  # also the socket's timeout while reading
            ends = time.monotonic() + 5
            while (len(arrived) < expected or guest.dropped_at is None) and time.monotonic() < ends:
                time.sleep(0.01)
        finally:
            guest.close()
    return arrived, guest, heard


def ids(arrived: list[ChannelEvent]) -> list[int]:
    return [json.loads(e.data)["id"] for e in arrived]


def _in_pieces(connection: socket.socket, data: bytes, piece: int) -> None:
    for start in range(0, len(data), piece):
        connection.sendall(data[start:start + piece])
        time.sleep(0.002)


def _everything(connection: socket.socket, heard: list[str]) -> None:
    # Frames cut across reads, a ping among them, a message in three fragments, one larger than a read.
    _in_pieces(connection, b"".join(frame(event(n)) for n in range(50)) + frame(b"are you there", 0x89)
               + frame(event(50)), 37)
    message = event(51)
    connection.sendall(frame(message[:20], 0x01) + frame(message[20:40], 0x00) + frame(message[40:], 0x80)
                       + frame(event(52, size=CHUNK + 1000)) + b"".join(frame(event(n)) for n in range(53, 60)))
    time.sleep(0.3)
    connection.sendall(frame((4200).to_bytes(2, "big") + b"closing", 0x88))


def outcome(arrived: list[ChannelEvent], guest: GuestConnection, heard: list[str]) -> tuple[object, ...]:
    """What a reader made of a script, the server's port left out."""
    failure = guest.failure
    return (ids(arrived), guest.dropped_at is not None, [h for h in heard if not h.startswith("{")],
            None if failure is None else (failure.cause, failure.summary.replace(guest.label, "SERVER")))


def test_frames_split_fragmented_pinged_large_and_a_close_are_read_as_websocket_client_reads_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    bulk = outcome(*run_guest(_everything, True, monkeypatch, expected=60))
    reference = outcome(*run_guest(_everything, False, monkeypatch, expected=60))
    assert bulk == reference
    assert bulk[0] == list(range(60))
    assert "are you there" in bulk[2]  # the ping's pong, with its payload, as websocket-client sends it
    assert bulk[1]  # the server's close is a drop
    assert bulk[3] is not None and "4200" in bulk[3][1]


def test_a_frame_larger_than_one_read_arrives_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    arrived, _, _ = run_guest(_everything, True, monkeypatch, expected=60)
    assert len(json.loads(arrived[52].data)["pad"]) == CHUNK + 1000


def _cut_mid_frame(connection: socket.socket, heard: list[str]) -> None:
    whole = frame(event(3))
    connection.sendall(b"".join(frame(event(n)) for n in range(3)) + whole[:len(whole) // 2])
    time.sleep(0.2)
    connection.shutdown(socket.SHUT_RDWR)
    connection.close()


def test_a_connection_cut_mid_frame_is_a_drop_after_the_whole_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    bulk = outcome(*run_guest(_cut_mid_frame, True, monkeypatch, expected=3))
    assert bulk == outcome(*run_guest(_cut_mid_frame, False, monkeypatch, expected=3))
    assert bulk[0] == [0, 1, 2]
    assert bulk[1]


def _stall_mid_frame(connection: socket.socket, heard: list[str]) -> None:
    whole = frame(event(2))
    connection.sendall(frame(event(0)) + frame(event(1)) + whole[:len(whole) // 2])
    time.sleep(4)  # the rest never comes, the connection stays open


def test_a_frame_that_stalls_halfway_ends_the_connection_with_a_timeout_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    bulk = outcome(*run_guest(_stall_mid_frame, True, monkeypatch, expected=2, timeout=1.0))
    assert bulk == outcome(*run_guest(_stall_mid_frame, False, monkeypatch, expected=2, timeout=1.0))
    assert bulk[0] == [0, 1]
    assert bulk[1] and bulk[3] is not None and bulk[3][0] == "timeout"  # the wait for the rest timed out


def test_the_bulk_reader_is_the_one_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    installed: list[bool] = []
    install = frames.BulkReader.install.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(frames.BulkReader, "install",
                        classmethod(lambda cls, app, delivered=None: installed.append(install(cls, app, delivered))
                                    or installed[-1]))
    arrived, _, _ = run_guest(_everything, True, monkeypatch, expected=60)
    assert installed == [True]
    assert len(arrived) == 60


@pytest.mark.parametrize("script", [_everything, _cut_mid_frame, _stall_mid_frame])
def test_the_events_of_each_read_handed_over_at_once_are_the_events_one_by_one(
        script: Script, monkeypatch: pytest.MonkeyPatch) -> None:
    """`on_events`, as the watch takes them: the same events in the same order as websocket-client's own
    reader gives `on_event`, the connection's end and failure the same; many to a hand-over when read in
    bulk, and one when websocket-client reads them."""
    expected, timeout = {_everything: (60, 5.0), _cut_mid_frame: (3, 5.0), _stall_mid_frame: (2, 1.0)}[script]
    in_bulk: list[int] = []
    batched = outcome(*run_guest(script, True, monkeypatch, expected, timeout, batches=in_bulk))
    reference = outcome(*run_guest(script, False, monkeypatch, expected, timeout))  # from here on, not in bulk
    assert batched == reference
    assert len(in_bulk) < expected
    one_by_one: list[int] = []
    assert outcome(*run_guest(script, False, monkeypatch, expected, timeout, batches=one_by_one)) == reference
    assert set(one_by_one) == {1}
