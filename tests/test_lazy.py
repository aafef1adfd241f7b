"""lazy.py: what the client libraries import at load time but a run seldom uses is imported on
first use, and then works as the real module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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


def test_a_check_leaves_what_typer_and_click_import_for_completion_editors_and_archives_unloaded(
        tmp_path: Path) -> None:
    # issue #24: ~3 % of a check's start. A check that stops at its settings still loads the whole checklist.
    code = ("import sys\nfrom pusher_doctor.__main__ import main\nfrom pusher_doctor.lazy import CLI_DEFERRED\n"
            "sys.argv = ['pusher-doctor', *sys.argv[1:]]\n"
            "try:\n    main()\nfinally:\n"
            "    sys.stderr.write('\\nkinds: ' + ' '.join(type(sys.modules[n]).__name__ for n in CLI_DEFERRED))\n")
    done = subprocess.run([sys.executable, "-c", code, "check", "--hotel", "h", "--room", "1", "--json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          check=False)
    assert "Traceback" not in done.stderr
    assert set(done.stderr.rpartition("\nkinds: ")[2].split()) == {"ImportedOnFirstUse"}


def test_what_the_cli_defers_works_as_the_real_module_once_used() -> None:
    code = ("import pusher_doctor.cli, shutil, subprocess, textwrap, tokenize, io\n"
            "print(subprocess.run(['echo', 'ran'], capture_output=True, text=True, check=True).stdout.strip())\n"
            "print(textwrap.shorten('one two three', 9))\n"
            "print(shutil._BZ2_SUPPORTED, shutil._LZMA_SUPPORTED)\n"
            "print(next(tokenize.generate_tokens(io.StringIO('x = 1').readline)).string)")
    assert _run(code).splitlines() == ["ran", "one [...]", "True True", "x"]
