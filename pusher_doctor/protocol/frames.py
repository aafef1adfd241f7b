"""Reading a guest connection's frames in bulk, under websocket-client.

websocket-client reads each frame with a `select` and two or three `recv` calls (the header, the length,
the payload), each through several layers of Python: at thousands of events a second that was most of
the reader thread's time. `BulkReader` takes the place of its dispatcher's loop: one `recv` fills a buffer
with many frames, and the frames a Pusher server sends almost always (a whole, unmasked text frame) are
cut from it here and handed to the connection's `on_message` as websocket-client would hand them. Any
other frame (ping, pong, close, a fragment, a masked or reserved-bit frame, one that is not all in the
buffer yet) goes to websocket-client's own reader, which reads it from the same buffer: what it does with
those frames (answer a ping, close, join fragments, refuse a bad frame, wait for the rest of a frame with
the socket's timeout) stays its own.

The frame format (RFC 6455, section 5.2): byte 0 is FIN, three reserved bits and the opcode (0x81: a whole
text frame); byte 1 is the mask bit and a 7-bit length, where 126 means a 16-bit length follows and 127 a
64-bit one; then the mask key (4 bytes, when masked) and the payload.
"""

from __future__ import annotations

import selectors
from collections.abc import Callable
from typing import Any

#: byte 0 of a whole (FIN) text frame with no reserved bits set
WHOLE_TEXT = 0x81
#: bytes asked of the socket at once: many frames per call, bounded so one read never holds much memory
CHUNK = 1 << 18


def plain_text_frames(buffer: bytes | bytearray, start: int = 0) -> tuple[list[bytes], int]:
    """The payloads of the whole, unmasked text frames at `start` of `buffer`, up to the first frame that
    is anything else or not all there; and where that frame (or the end) begins."""
    payloads: list[bytes] = []
    end = len(buffer)
    at = start
    view = memoryview(buffer)  # one copy per payload, not two
    while end - at >= 2:
        second = buffer[at + 1]
        if buffer[at] != WHOLE_TEXT or second & 0x80:  # another kind of frame, or masked
            break
        length = second & 0x7F
        if length < 126:
            head = 2
        elif length == 126:
            if end - at < 4:
                break
            length = int.from_bytes(buffer[at + 2:at + 4], "big")
            head = 4
        else:
            if end - at < 10:
                break
            length = int.from_bytes(buffer[at + 2:at + 10], "big")
            head = 10
        if end - at - head < length:
            break  # not all here yet
        at += head
        payloads.append(view[at:at + length].tobytes())
        at += length
    view.release()  # the buffer may be resized again
    return payloads, at


class BulkReader:
    """The reading loop of one websocket-client `WebSocketApp` (`app`) whose `WebSocket` is `ws`, in place
    of its dispatcher's `read`: `install` puts it there, from the connection's `on_open` (called just before
    websocket-client starts reading)."""

    def __init__(self, app: Any, ws: Any, timeout: float, delivered: Callable[[], None] | None = None) -> None:
        self._app = app
        self._ws = ws
        self._timeout = timeout
        self._delivered = delivered or _nothing
        #: websocket-client's own read of the socket: raises as before on a closed socket or a timeout
        self._socket_recv: Callable[[int], bytes] = ws.frame_buffer.recv
        self._buffer = bytearray(b"".join(ws.frame_buffer.recv_buffer))
        ws.frame_buffer.recv_buffer = []
        self._at = 0

    @classmethod
    def install(cls, app: Any, delivered: Callable[[], None] | None = None) -> bool:
        """Reads `app`'s frames in bulk from now on, when its dispatcher is websocket-client's own (not a
        custom one); whether it was installed. `delivered` is called after each read's messages were handed
        to `on_message`, before the reader waits again (so a handler may gather them and pass them on at once)."""
        from websocket._dispatcher import Dispatcher, SSLDispatcher

        ws = getattr(app, "sock", None)
        dispatcher = getattr(ws, "dispatcher", None)
        # The frames are handed on as bytes, as websocket-client does only when it skips the UTF-8 check.
        if (ws is None or type(dispatcher) not in (Dispatcher, SSLDispatcher) or app.on_data is not None
                or not ws.frame_buffer.skip_utf8_validation):
            return False
        reader = cls(app, ws, dispatcher.ping_timeout, delivered)
        ws.frame_buffer.recv = reader._recv
        dispatcher.read = reader.read  # looked up on the instance after on_open returns
        return True

    def _recv(self, size: int) -> bytes:
        """websocket-client's frame reader asks here: from the buffer first, else from the socket."""
        if self._at >= len(self._buffer):
            self._fill()
        taken = bytes(self._buffer[self._at:self._at + size])
        self._at += len(taken)
        return taken

    def _fill(self) -> None:
        if self._at:
            del self._buffer[:self._at]
            self._at = 0
        self._buffer += self._socket_recv(CHUNK)

    def read(self, sock: Any, read_callback: Callable[[], bool], check_callback: Callable[[], Any]) -> None:
        """Reads until the connection ends, as websocket-client's `Dispatcher.read` does. Whatever is left in
        the buffer once the whole text frames are handed on (another kind of frame, or one not all here) is
        read by websocket-client's own reader, which waits for the rest of it as it did: a frame that stalls
        halfway ends the connection at the socket's timeout, as before."""
        app = self._app
        if app.sock is None or app.sock.sock is None:
            return
        raw = app.sock.sock
        pending = getattr(raw, "pending", None)  # TLS: bytes already decrypted, which select does not see
        selector = selectors.DefaultSelector()
        selector.register(raw, selectors.EVENT_READ)
        try:
            while app.keep_running:
                self._deliver()
                frame_left = self._at < len(self._buffer)  # websocket-client's own reader takes that frame
                going_on = read_callback() if frame_left else True
                self._delivered()
                if not going_on:
                    break
                if not frame_left and ((pending is not None and pending()) or selector.select(self._timeout)):
                    self._fill()
                check_callback()
        finally:
            selector.close()
            self._delivered()  # what was read before the connection ended or failed

    def _deliver(self) -> None:
        """Hands each whole text frame at the head of the buffer to `on_message`, as websocket-client's
        reader does with `skip_utf8_validation` (the payload as bytes; a failing handler goes to `on_error`)."""
        if self._ws.cont_frame.recving_frames is not None:
            return  # a fragmented message is being joined: a text frame now is websocket-client's to refuse
        if self._at >= len(self._buffer):
            return
        payloads, self._at = plain_text_frames(self._buffer, self._at)
        app = self._app
        on_message = app.on_message
        for payload in payloads:
            try:
                on_message(app, payload)
            except Exception as error:  # noqa: BLE001 - as websocket-client's _callback: logged, then on_error
                app._callback(_raiser(error))


def _nothing() -> None:
    pass


def _raiser(error: Exception) -> Callable[..., None]:
    """A callback that raises `error`, so that websocket-client's `_callback` reports it as its own would."""
    def raise_it(*_args: object) -> None:
        raise error
    return raise_it
