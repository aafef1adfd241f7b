"""protocol/lazy.py: what the client libraries import at load time but a run seldom uses is imported on
first use, and then works as the real module."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def test_loading_the_clients_loads_neither_requests_nor_nacl() -> None:
    loaded = _run("import sys, pusher_doctor.protocol.rest, pusher_doctor.protocol.guest; "
                  "print(sorted(m for m in sys.modules if m.startswith(('requests.', 'nacl.bindings'))))")
    assert loaded == "[]"


def test_the_pusher_library_still_encrypts_through_the_deferred_nacl() -> None:
    code = ("import pusher_doctor.protocol.rest, pusher.crypto; "
            "print(sorted(pusher.crypto.encrypt('private-encrypted-x', 'data', bytes(32))))")
    assert _run(code) == "['ciphertext', 'nonce']"


def test_loading_the_clients_leaves_http_cookies_to_a_server_that_sets_a_cookie() -> None:
    # websocket-client keeps the handshake's Set-Cookie in a jar built on http.cookies (~1 % of a check's start).
    code = ("import sys, pusher_doctor.protocol.rest, pusher_doctor.protocol.guest\n"
            "print(type(sys.modules['http.cookies']).__name__)\n"
            "from websocket._cookiejar import SimpleCookieJar\n"
            "jar = SimpleCookieJar()\njar.add('session=abc; Domain=example.com')\nprint(jar.get('example.com'))")
    assert _run(code).splitlines() == ["ImportedOnFirstUse", "session=abc"]
