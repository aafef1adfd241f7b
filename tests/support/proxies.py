"""A TCP proxy that forwards everything but drops WebSocket frames from the server after the first few:
a middlebox that loses messages, so that "accepted but never delivered" can be produced for real."""

from __future__ import annotations

import socket
import threading
from contextlib import AbstractContextManager

from tests.support.servers import accepting_server


def _frame_length(buffer: bytes) -> int | None:
    """Total length of the first (unmasked, server-to-client) WebSocket frame in buffer, if complete."""
    if len(buffer) < 2:
        return None
    size, header = buffer[1] & 0x7F, 2
    if size == 126:
        if len(buffer) < 4:
            return None
        size, header = int.from_bytes(buffer[2:4], "big"), 4
    elif size == 127:
        if len(buffer) < 10:
            return None
        size, header = int.from_bytes(buffer[2:10], "big"), 10
    return header + size if len(buffer) >= header + size else None


def _pump(source: socket.socket, sink: socket.socket, frames_to_pass: int | None) -> None:
    """Copies source to sink; with frames_to_pass, after an HTTP 101 only that many frames get through."""
    buffer, upgraded = b"", False
    try:
        while chunk := source.recv(65536):
            if frames_to_pass is None:
                sink.sendall(chunk)
                continue
            buffer += chunk
            if not upgraded:
                head_end = buffer.find(b"\r\n\r\n")
                if head_end < 0:
                    continue
                head, buffer = buffer[: head_end + 4], buffer[head_end + 4:]
                sink.sendall(head)
                upgraded = b" 101 " in head.split(b"\r\n", 1)[0]
                if not upgraded:
                    frames_to_pass = None
                    sink.sendall(buffer)
                    buffer = b""
                    continue
            while (length := _frame_length(buffer)) is not None:
                frame, buffer = buffer[:length], buffer[length:]
                if frames_to_pass > 0:
                    sink.sendall(frame)
                    frames_to_pass -= 1
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def frame_dropping_proxy(target_port: int, frames_to_pass: int) -> AbstractContextManager[int]:
    """Listens on a free loopback port, forwarding to target_port; yields the listening port."""

    def forward(client: socket.socket) -> list[socket.socket]:
        upstream = socket.create_connection(("127.0.0.1", target_port))
        threading.Thread(target=_pump, args=(client, upstream, None), daemon=True).start()
        threading.Thread(target=_pump, args=(upstream, client, frames_to_pass), daemon=True).start()
        return [client, upstream]

    return accepting_server(forward)
