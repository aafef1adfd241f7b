"""The page's sockets and frames as data: Pusher socket URLs, frames, and how a page's server differs from
the backend's. Pure functions: no browser."""

from __future__ import annotations

from pusher_doctor.config.endpoints import PUSHER_CLOUD, ClusterDirectory, Endpoint
from pusher_doctor.page.frames import endpoint_difference, parse_frame, parse_socket_url, same_host
from pusher_doctor.page.options import shown_url


def test_a_pusher_js_socket_url_is_taken_apart():
    url = parse_socket_url("wss://ws-eu.pusher.com:443/app/3f2a9?protocol=7&client=js&version=8.4.0&flash=false")
    assert url is not None
    assert (url.secure, url.host, url.port) == (True, "ws-eu.pusher.com", 443)
    assert (url.key, url.client) == ("3f2a9", "js 8.4.0")


def test_a_socket_behind_a_path_and_without_port_is_still_pusher():
    url = parse_socket_url("ws://chat.example/reverb/app/key1?protocol=7")
    assert url is not None and (url.port, url.key, url.client) == (80, "key1", "")


def test_other_websockets_are_not_pusher():
    assert parse_socket_url("ws://localhost:5173/?token=abc") is None  # a dev server's reload socket
    assert parse_socket_url("http://x/app/key") is None
    assert parse_socket_url("ws://x:99999/app/key") is None


def test_a_servers_frame_has_its_data_decoded_once():
    text = '{"event":"new-staff-message","channel":"h-room-1-chat","data":"{\\"message\\":\\"hi\\"}"}'
    frame = parse_frame(text, sent=False, at=1.0)
    assert (frame.event, frame.channel) == ("new-staff-message", "h-room-1-chat")
    assert frame.data == {"message": "hi"}


def test_a_subscribe_frame_names_its_channel_and_garbage_has_no_event():
    sent = parse_frame('{"event":"pusher:subscribe","data":{"auth":"","channel":"h-room-1-chat"}}', True, 1.0)
    assert sent.subscribe_channel == "h-room-1-chat"
    assert parse_frame("not json", False, 1.0).event is None
    assert parse_frame("[1, 2]", False, 1.0).event is None


def test_localhost_and_127_0_0_1_are_the_same_server():
    assert same_host("localhost", "127.0.0.1") and same_host("[::1]", "localhost")
    assert not same_host("10.0.0.1", "127.0.0.1")


def test_the_same_server_is_no_difference():
    url = parse_socket_url("ws://localhost:6001/app/k")
    assert url is not None
    assert endpoint_difference(url, Endpoint("127.0.0.1", 6001, False), PUSHER_CLOUD, None) is None


def test_another_port_or_tls_setting_is_named():
    backend = Endpoint("127.0.0.1", 6001, False)
    other_port = parse_socket_url("ws://127.0.0.1:6002/app/k")
    tls = parse_socket_url("wss://127.0.0.1:6001/app/k")
    assert other_port is not None and tls is not None
    assert endpoint_difference(other_port, backend, PUSHER_CLOUD, None) == \
        "the page connects to ws://127.0.0.1:6002, the backend's server is ws://127.0.0.1:6001"
    assert "with TLS (wss)" in str(endpoint_difference(tls, backend, PUSHER_CLOUD, None))


def test_another_cloud_cluster_is_named_as_a_cluster():
    page = parse_socket_url("wss://ws-eu.pusher.com:443/app/k?protocol=7")
    assert page is not None
    assert endpoint_difference(page, PUSHER_CLOUD.ws("mt1"), PUSHER_CLOUD, "mt1") == \
        "the page connects to cluster eu (wss://ws-eu.pusher.com:443), the backend sends on mt1"
    local = ClusterDirectory({"eu": Endpoint("127.0.0.1", 7001, False),
                              "us2": Endpoint("127.0.0.1", 7002, False)})
    page = parse_socket_url("ws://127.0.0.1:7002/app/k")
    assert page is not None
    assert "cluster us2" in str(endpoint_difference(page, local.ws("eu"), local, "eu"))


def test_a_page_url_is_shown_without_its_query():
    assert shown_url("https://guest.example/rooms/101?token=s3cret#top") == "https://guest.example/rooms/101?…"
    assert shown_url("https://guest.example/rooms/101") == "https://guest.example/rooms/101"
