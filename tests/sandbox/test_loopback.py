"""The demo's small loopback servers, against independent oracles: the auth endpoint signs as the pusher
library's authenticate() does, the web server is plainly not Pusher, the silent server never answers."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

import pusher
import pytest

from pusher_doctor.sandbox.loopback import AuthEndpoint, WebServer, closed_port, silent_server


def _ask(url: str, socket_id: str = "123.456",
         channel: str = "private-demo-hotel-room-101-chat") -> tuple[int, dict]:
    body = urllib.parse.urlencode({"socket_id": socket_id, "channel_name": channel}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_auth_endpoint_signs_as_the_pusher_library_does() -> None:
    library = pusher.Pusher(app_id="1", key="demo-key", secret="demo-secret")
    with AuthEndpoint("demo-key", "demo-secret") as endpoint:
        status, body = _ask(endpoint.url)
    assert status == 200
    assert body == library.authenticate(channel="private-demo-hotel-room-101-chat", socket_id="123.456")


def test_an_endpoint_with_another_secret_signs_wrong_and_a_refusing_one_answers_its_status() -> None:
    library = pusher.Pusher(app_id="1", key="demo-key", secret="demo-secret")
    with AuthEndpoint("demo-key", "another-secret") as wrong, \
            AuthEndpoint("demo-key", "demo-secret", 403) as refusing:
        assert _ask(wrong.url)[1] != library.authenticate(channel="private-demo-hotel-room-101-chat",
                                                          socket_id="123.456")
        assert _ask(refusing.url)[0] == 403
        assert _ask(refusing.url.replace("/pusher/auth", "/elsewhere"))[0] == 403
    with AuthEndpoint("demo-key", "demo-secret") as endpoint:
        assert _ask(endpoint.url.replace("/pusher/auth", "/elsewhere"))[0] == 404
        assert _ask(endpoint.url, socket_id="")[0] == 400


def test_the_web_server_answers_html_and_stops_listening_on_exit() -> None:
    with WebServer() as server, urllib.request.urlopen(f"http://127.0.0.1:{server.port}/apps/1/channels",
                                                       timeout=5) as answer:
        assert answer.headers["Content-Type"] == "text/html" and b"<html>" in answer.read()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)


def test_the_silent_server_accepts_and_never_answers_and_the_closed_port_refuses() -> None:
    with silent_server() as port, socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(0.5)
        with pytest.raises(TimeoutError):
            connection.recv(1)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", closed_port()), timeout=2)
