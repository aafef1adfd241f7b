"""--via-backend's pure parts: which backend a directory is, what its snippet's output says, and the cause of
each error a Laravel or Django backend reports (the SDKs' own words, as they print them)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.protocol.via_backend import (
    BROADCASTER,
    ERROR,
    REFUSED,
    SENT,
    Backend,
    BackendSent,
    BackendUnusable,
    classify_backend_error,
    find_backend,
    read_output,
    running_queue_workers,
    send_through,
)
from pusher_doctor.results import Problem

LARAVEL = Backend("laravel", Path("."), ("php",))


@pytest.mark.parametrize(("text", "cause"), [
    # Laravel's PusherBroadcaster wraps the SDK's ApiErrorException: "Pusher error: <its message>."
    (("Illuminate\\Broadcasting\\BroadcastException: Pusher error: cURL error 60: SSL certificate problem: unable "
     "to get local issuer certificate (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)"), "tls-error"),
    (("Illuminate\\Broadcasting\\BroadcastException: Pusher error: cURL error 7: Failed to connect to localhost "
     "port 8080 after 0 ms: Connection refused"), "unreachable"),
    (("Illuminate\\Broadcasting\\BroadcastException: Pusher error: cURL error 28: Operation timed out after 30001 "
     "milliseconds with 0 bytes received"), "timeout"),
    (("Illuminate\\Broadcasting\\BroadcastException: Pusher error: Invalid signature: you should have sent "
     "HmacSHA256Hex(...)."), "wrong-secret"),
    ("Illuminate\\Broadcasting\\BroadcastException: Pusher error: Unknown auth_key.", "key-not-found"),
    ("Illuminate\\Broadcasting\\BroadcastException: Pusher error: Unknown app.", "app-not-found"),
    ('Error: Class "Pusher\\Pusher" not found', "backend-sdk-missing"),
    # the Python SDK and requests
    ("PusherBadAuth: The secret authentication failed", "wrong-secret"),
    (("ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: "
     "/apps/1/events (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] "
     "Connection refused'))"), "unreachable"),
    (("SSLError: HTTPSConnectionPool(host='localhost', port=8080): [SSL: WRONG_VERSION_NUMBER] wrong version "
     "number (_ssl.c:1000)"), "tls-error"),
    ("ModuleNotFoundError: No module named 'pusher'", "backend-sdk-missing"),
    ("RuntimeError: something else entirely", "backend-trigger-failed"),
])
def test_each_backend_error_is_named_by_its_cause(text: str, cause: str) -> None:
    found = classify_backend_error("php artisan tinker", text)
    assert found.cause == cause, found
    assert found.summary.startswith("php artisan tinker: ")


def test_a_backend_that_never_ran_the_snippet_is_not_runnable() -> None:
    output = "PHP Warning:  require(/app/vendor/autoload.php): Failed to open stream: No such file or directory\n"
    found = read_output(LARAVEL, output, 255, 12.0)
    assert isinstance(found, Problem) and found.cause == "backend-not-runnable"
    assert "vendor/autoload.php" in found.summary


def test_the_marker_lines_say_what_was_sent_and_through_what() -> None:
    output = (f"noise\n{BROADCASTER} Illuminate\\Broadcasting\\Broadcasters\\PusherBroadcaster\n"
              f"{SENT} private-chat.1 message.sent\n{SENT} chat.2 other\n")
    found = read_output(LARAVEL, output, 0, 80.0)
    assert found == BackendSent((("private-chat.1", "message.sent"), ("chat.2", "other")),
                                "Illuminate\\Broadcasting\\Broadcasters\\PusherBroadcaster", 80.0)


def test_an_error_line_wins_over_what_was_sent_before_it() -> None:
    output = f"{BROADCASTER} x\n{SENT} a b\n{ERROR} BroadcastException: Pusher error: Unknown app.\n"
    found = read_output(LARAVEL, output, 0, 1.0)
    assert isinstance(found, Problem) and found.cause == "app-not-found"


def test_a_refusal_the_sdk_returned_is_named_by_the_rest_classifier() -> None:
    output = f'{BROADCASTER} pusher\n{REFUSED} {{"error": "The secret authentication failed", "code": 401}}\n'
    found = read_output(LARAVEL, output, 0, 1.0)
    assert isinstance(found, Problem) and found.cause == "wrong-secret"
    assert found.summary.startswith("php artisan tinker: the request signature was refused (HTTP 401")


def test_a_directory_is_laravel_with_artisan_and_django_with_manage_py(tmp_path: Path) -> None:
    with pytest.raises(BackendUnusable, match="neither artisan"):
        find_backend(tmp_path)
    with pytest.raises(BackendUnusable, match="not a directory"):
        find_backend(tmp_path / "nowhere")
    (tmp_path / "artisan").write_text("<?php\n")
    with pytest.raises(BackendUnusable, match="php is not on PATH"):
        find_backend(tmp_path, which=lambda name: None)
    found = find_backend(tmp_path, which=lambda name: f"/usr/bin/{name}")
    assert found.kind == "laravel" and found.command[:3] == ("/usr/bin/php", "artisan", "tinker")
    (tmp_path / "artisan").unlink()
    (tmp_path / "manage.py").write_text("")
    (tmp_path / ".venv/bin").mkdir(parents=True)
    (tmp_path / ".venv/bin/python").write_text("")
    found = find_backend(tmp_path, which=lambda name: None)
    assert found.kind == "django" and found.command[:4] == (str(tmp_path / ".venv/bin/python"), "manage.py",
                                                             "shell", "-c")


def _fake_php(tmp_path: Path, prints: str) -> Backend:
    """A Laravel directory whose `php` prints `prints` (what tinker would), the events it got appended."""
    (tmp_path / "artisan").write_text("<?php\n")
    php = tmp_path / "bin" / "php"
    php.parent.mkdir()
    php.write_text(f"#!{sys.executable}\nimport os, sys\nassert sys.argv[1:3] == ['artisan', 'tinker']\n"
                   f"print({prints!r})\nprint('EVENTS', os.environ['PUSHER_DOCTOR_EVENTS'])\n")
    php.chmod(0o755)
    return find_backend(tmp_path, which=lambda name: str(php))


def test_a_fake_php_on_path_sends_and_its_ssl_error_is_tls(tmp_path: Path) -> None:
    backend = _fake_php(tmp_path, f"{ERROR} Illuminate\\Broadcasting\\BroadcastException: Pusher error: cURL "
                                  "error 60: SSL certificate problem: self-signed certificate.")
    found = send_through(backend, [("chat.1", "message.sent", {"text": "hi"})], 10)
    assert isinstance(found, Problem) and found.cause == "tls-error" and "cURL error 60" in found.summary


def test_the_events_travel_in_the_environment_not_the_command_line(tmp_path: Path) -> None:
    backend = _fake_php(tmp_path, f"{BROADCASTER} PusherBroadcaster\n{SENT} chat.1 message.sent")
    hostile = {"text": "'; system('rm -rf /'); //"}
    found = send_through(backend, [("chat.1", "message.sent", hostile)], 10)
    assert found == BackendSent((("chat.1", "message.sent"),), "PusherBroadcaster", found.elapsed_ms)
    assert not any("rm -rf" in part for part in backend.command)


def test_a_backend_that_hangs_is_ended_within_the_bound(tmp_path: Path) -> None:
    hanging = Backend("laravel", tmp_path, (sys.executable, "-c", "import time; time.sleep(60)"))
    found = send_through(hanging, [], 0.5)
    assert isinstance(found, Problem) and found.cause == "timeout" and "did not finish within 0.5 s" in found.summary


def test_a_queue_worker_is_found_among_the_processes() -> None:
    before = running_queue_workers()
    assert before is not None  # Linux: /proc is there
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "artisan", "queue:work"])
    try:
        # the child's command line is its own only once it has exec'd: looked for again until then, bounded
        for _ in range(50):
            found = running_queue_workers()
            if found and any(f"pid {worker.pid}:" in line for line in found):
                break
            time.sleep(0.1)
        assert found is not None and any(f"pid {worker.pid}:" in line for line in found), found
    finally:
        worker.kill()
        worker.wait()


def _django(tmp_path: Path, body: str) -> Backend:
    """A Django directory whose manage.py is `body` (run as is, the snippet's arguments ignored)."""
    (tmp_path / "manage.py").write_text(body)
    return find_backend(tmp_path, which=lambda name: sys.executable)


def test_a_backend_that_leaves_a_detached_child_is_read_when_it_exits(tmp_path: Path) -> None:
    # the child holds the pipe for 25 s: the result is the backend's own, read once it has exited
    backend = _django(tmp_path, "import subprocess, sys\nprint('django: settings are broken', flush=True)\n"
                                f"subprocess.Popen([{sys.executable!r}, '-c', 'import time; time.sleep(25)'], "
                                "start_new_session=True)\nsys.exit(1)\n")
    started = time.monotonic()
    found = send_through(backend, [], 3)
    assert time.monotonic() - started < 2.5
    assert isinstance(found, Problem) and found.cause == "backend-not-runnable", found
    assert "settings are broken" in found.summary


def test_a_backend_that_hangs_after_its_child_closed_the_pipe_is_ended_within_the_bound(tmp_path: Path) -> None:
    backend = _django(tmp_path, "import os, time\nos.close(1)\nos.close(2)\ntime.sleep(60)\n")
    started = time.monotonic()
    found = send_through(backend, [], 0.5)
    assert time.monotonic() - started < 2.5
    assert isinstance(found, Problem) and found.cause == "timeout"


def test_only_a_bounded_tail_of_a_flood_of_output_is_kept(tmp_path: Path) -> None:
    import resource

    # 60 MB of output: the memory kept is the tail, not the flood (max RSS grows by far less than it)
    backend = _django(tmp_path, "import sys\nchunk = 'debug line: loading settings\\n' * 10000\n"
                                "for _ in range(200):\n    sys.stdout.write(chunk)\nprint('the last line')\n"
                                "sys.exit(1)\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found = send_through(backend, [], 30)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert isinstance(found, Problem) and "the last line" in found.summary
    assert grown_mb < 20, grown_mb


def test_the_fix_for_a_backend_that_does_not_boot_is_its_own_framework_s(tmp_path: Path) -> None:
    found = send_through(_django(tmp_path, "import sys\nprint('ImproperlyConfigured: no SECRET_KEY')\nsys.exit(1)\n"),
                         [], 10)
    assert isinstance(found, Problem) and found.cause == "backend-not-runnable"
    assert found.hint.commands == ("python manage.py check",) and "artisan" not in str(found.hint)
    laravel = _fake_php(tmp_path / "l" if (tmp_path / "l").mkdir() is None else tmp_path, "PHP Fatal error: boom")
    found = send_through(laravel, [], 10)
    assert isinstance(found, Problem) and found.hint.commands == ("php artisan about",)
