"""Hostile parts for the fault suite: servers that answer whatever a test says, and the checks every
run must pass however it ended (bounded, no traceback, no raw control character, valid JSON, no secret)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pusher_doctor.protocol.listeners import OWN_MARKER_PREFIX
from tests.support.servers import accepting_server

#: a control character from input that reached a terminal (newline and the rich/ANSI-free output aside)
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: what a hostile server answers: (status, body); changed by the test between examples
Answer = tuple[int, bytes]


def _websocket_frame(text: str) -> bytes:
    payload = text.encode("utf-8", "surrogatepass")
    size = len(payload)
    header = bytes([0x81, size]) if size < 126 else (
        bytes([0x81, 126]) + size.to_bytes(2, "big") if size < 65536 else bytes([0x81, 127]) + size.to_bytes(8, "big"))
    return header + payload


@contextmanager
def hostile_server(http_answer: Callable[[], Answer], frames: Callable[[], list[str]]) -> Iterator[int]:
    """One port, as soketi has: a plain HTTP request gets `http_answer()`; a WebSocket upgrade is completed,
    `frames()` are sent as text frames and the connection is held open. Yields the port."""

    def greet(connection: socket.socket) -> None:
        for frame in frames():
            connection.sendall(_websocket_frame(frame))

    with _upgrading_server(http_answer, greet) as port:
        yield port


@contextmanager
def _upgrading_server(http_answer: Callable[[], Answer], upgraded: Callable[[socket.socket], None]) -> Iterator[int]:
    """One port: a plain HTTP request gets `http_answer()`; a WebSocket upgrade is completed and the
    connection handed to `upgraded`, then held open. Yields the port."""

    def serve(connection: socket.socket) -> list[socket.socket]:
        connection.settimeout(2)
        try:
            request = connection.recv(65536).decode("latin-1")
        except OSError:
            return [connection]
        key = re.search(r"Sec-WebSocket-Key: *(\S+)", request, re.IGNORECASE)
        if key is None:
            status, body = http_answer()
            connection.sendall(f"HTTP/1.1 {status} Hostile\r\nContent-Type: application/json\r\nContent-Length: "
                               f"{len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
            connection.close()
            return []
        accept = base64.b64encode(hashlib.sha1((key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode())
                                  .digest()).decode()
        connection.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        upgraded(connection)
        return [connection]

    with accepting_server(serve) as port:
        yield port


def pusher_error(code: object, message: object) -> str:
    return json.dumps({"event": "pusher:error", "data": {"code": code, "message": message}})


def assert_clean(output: str, *secrets: str, json_output: bool = False) -> None:
    """What every run must show, whatever went wrong: no traceback, no raw control character, no secret,
    and in JSON mode exactly one valid UTF-8 document."""
    assert "Traceback (most recent call last)" not in output, output[-2000:]
    found = RAW_CONTROL.search(output)
    assert found is None, f"raw control character {found.group()!r} in output: {output[-500:]!r}"
    for secret in secrets:
        assert secret not in output, "the secret reached the output"
    if json_output:
        json.loads(output.encode("utf-8").decode("utf-8"))


def _client_frames(connection: socket.socket) -> Iterator[str]:
    """The text of each (masked) frame a client sends, until it closes or goes quiet for 2 s."""
    buffer = b""
    while True:
        while len(buffer) < 2 or len(buffer) < _client_frame_size(buffer):
            try:
                chunk = connection.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
        size = _client_frame_size(buffer)
        frame, buffer = buffer[:size], buffer[size:]
        length, start = frame[1] & 0x7F, 2
        start = {126: 4, 127: 10}.get(length, 2)
        mask, payload = frame[start:start + 4], frame[start + 4:]
        if frame[0] & 0x0F == 0x8:  # close
            return
        yield bytes(b ^ mask[i % 4] for i, b in enumerate(payload)).decode("utf-8", "replace")


def _client_frame_size(buffer: bytes) -> int:
    length = buffer[1] & 0x7F
    if length == 126:
        return 8 + int.from_bytes(buffer[2:4], "big") if len(buffer) >= 4 else 4
    if length == 127:
        return 14 + int.from_bytes(buffer[2:10], "big") if len(buffer) >= 10 else 10
    return 6 + length


@contextmanager
def pusher_server(after_subscribe: Callable[[str], list[str]], then_drop: bool = False) -> Iterator[int]:
    """A Pusher-protocol server on loopback that greets, acknowledges each subscription and then sends
    `after_subscribe(channel)` as text frames: for frames soketi would never send; with `then_drop` it
    then drops the connection (a flapping server). Yields the port."""

    def talk(connection: socket.socket) -> None:
        established = json.dumps({"socket_id": "1234.5678", "activity_timeout": 120})
        connection.sendall(_websocket_frame(json.dumps({"event": "pusher:connection_established",
                                                        "data": established})))
        for text in _client_frames(connection):
            try:
                message = json.loads(text)
            except ValueError:
                continue
            if message.get("event") != "pusher:subscribe":
                continue
            channel = message["data"]["channel"]
            connection.sendall(_websocket_frame(json.dumps({"event": "pusher_internal:subscription_succeeded",
                                                            "channel": channel, "data": "{}"})))
            if channel.startswith(OWN_MARKER_PREFIX):
                continue  # a watch's own marker (protocol.listeners): nothing is ever sent there
            try:
                for frame in after_subscribe(channel):
                    connection.sendall(_websocket_frame(frame))
                if then_drop:
                    connection.shutdown(socket.SHUT_RDWR)
                    return
            except OSError:
                return

    with _upgrading_server(lambda: (200, b'{"channels": {}}'),
                           lambda connection: threading.Thread(target=talk, args=(connection,), daemon=True).start()
                           ) as port:
        yield port
