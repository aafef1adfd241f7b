"""A TCP relay on a fixed loopback port whose upstream can be changed: one address for a server that is
stopped and started again elsewhere, as a restart behind a stable host name looks to a client."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Relay:
    def __init__(self, target_port: int, on_request: Callable[[bytes], None] | None = None) -> None:
        self.target_port = target_port
        #: called with each chunk the client sends, before it goes upstream (a slow server: it sleeps)
        self.on_request = on_request
        self.port = 0
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()

    def retarget(self, port: int) -> None:
        """New connections go to `port`; the ones open now are cut, as a dying server cuts them."""
        self.target_port = port
        self.cut()

    def cut(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for conn in held:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def _pump(self, source: socket.socket, sink: socket.socket,
              on_chunk: Callable[[bytes], None] | None = None) -> None:
        try:
            while chunk := source.recv(65536):
                if on_chunk is not None:
                    on_chunk(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=1)
        except OSError:
            client.close()  # the server is down: the client sees its connection closed at once
            return
        upstream.settimeout(None)
        with self._lock:
            self._held += [client, upstream]
        threading.Thread(target=self._pump, args=(client, upstream, self.on_request), daemon=True).start()
        threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()


@contextmanager
def relay(target_port: int, on_request: Callable[[bytes], None] | None = None) -> Iterator[Relay]:
    """A relay listening on a free loopback port (`.port`), forwarding to `target_port`."""
    forwarder = Relay(target_port, on_request)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    forwarder.port = listener.getsockname()[1]
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client = listener.accept()[0]
            except OSError:
                continue
            client.settimeout(None)
            forwarder.forward(client)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield forwarder
    finally:
        stop.set()
        thread.join(1)
        forwarder.cut()
        listener.close()
