"""The test message sent by the app's own backend (`check --via-backend DIR`), so that its runtime, its
Pusher SDK and its trust store are what is tested, not pusher-doctor's.

A Laravel app (an `artisan` in DIR) sends through `php artisan tinker --execute=...` with
`Broadcast::connection()->broadcast(...)`, its configured broadcaster, synchronously (no queue); a Django
app (a `manage.py`) through `python manage.py shell -c ...` with the `pusher` library and the app's settings
(`settings.PUSHER_*`, else the same names in its environment). The events to send travel in an environment
variable as JSON, never inside the code or a shell string. The snippet prints one marker line per event
sent, one for the error it caught (named by `classify_backend_error` from the SDK's text), and one for a
refusal the SDK returned without raising (named by the REST classifier, `wire.classify_rest_answer`).
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from pusher_doctor.protocol.wire import classify_rest_answer
from pusher_doctor.results import Problem, Remediation, problem

#: the variable the events (a JSON list of [channel, event, data]) travel in
EVENTS_VARIABLE = "PUSHER_DOCTOR_EVENTS"
SENT, ERROR, BROADCASTER = "PUSHER_DOCTOR_SENT", "PUSHER_DOCTOR_ERROR", "PUSHER_DOCTOR_BROADCASTER"
#: a refusal the SDK returned instead of raising (soketi answers errors with HTTP 200 and {"error", "code"})
REFUSED = "PUSHER_DOCTOR_REFUSED"
#: the most of the backend's output that is kept: tinker prints little, a framework's error page a lot
MAX_OUTPUT_CHARS = 64 << 10

# Laravel: the app's default broadcaster (pusher, reverb, log, null...), sent at once, not through the queue.
_PHP = f"""
try {{
    $b = Illuminate\\Support\\Facades\\Broadcast::connection();
    echo "{BROADCASTER} " . get_class($b) . PHP_EOL;
    foreach (json_decode(getenv('{EVENTS_VARIABLE}'), true) as $e) {{
        $b->broadcast([$e[0]], $e[1], $e[2]);
        echo "{SENT} " . $e[0] . " " . $e[1] . PHP_EOL;
    }}
}} catch (\\Throwable $t) {{
    echo "{ERROR} " . get_class($t) . ": " . str_replace(["\\r", "\\n"], " ", $t->getMessage()) . PHP_EOL;
}}
"""

# Django: a client built as such apps build theirs, from settings.PUSHER_* (else the environment).
_PYTHON = f"""
import json, os, sys
from django.conf import settings
def pick(*names):
    for name in names:
        value = getattr(settings, name, None) or os.environ.get(name)
        if value not in (None, ""):
            return value
    return None
try:
    import pusher
    host, port, scheme = pick("PUSHER_HOST"), pick("PUSHER_PORT"), pick("PUSHER_SCHEME")
    options = dict(app_id=str(pick("PUSHER_APP_ID")), key=pick("PUSHER_KEY", "PUSHER_APP_KEY"),
                   secret=pick("PUSHER_SECRET", "PUSHER_APP_SECRET"), timeout=10)
    if host:
        options.update(host=host, port=int(port) if port else None, ssl=(scheme or "https") == "https")
    else:
        options.update(cluster=pick("PUSHER_CLUSTER", "PUSHER_APP_CLUSTER") or "mt1", ssl=True)
    client = pusher.Pusher(**options)
    print("{BROADCASTER} pusher " + getattr(pusher, "__version__", "?"), flush=True)
    for channel, event, data in json.loads(os.environ["{EVENTS_VARIABLE}"]):
        answer = client.trigger(channel, event, data)
        if isinstance(answer, dict) and answer.get("error"):
            print("{REFUSED} " + json.dumps(answer), flush=True)
            break
        print("{SENT} " + channel + " " + event, flush=True)
except Exception as error:
    print("{ERROR} " + type(error).__name__ + ": " + " ".join(str(error).split()), flush=True)
"""


@dataclass(frozen=True)
class Backend:
    """The app's backend: its kind and the command line that runs a snippet in its runtime."""

    kind: str  # "laravel" or "django"
    directory: Path
    command: tuple[str, ...]

    @property
    def label(self) -> str:
        return {"laravel": "php artisan tinker", "django": "python manage.py shell"}[self.kind]

    @property
    def boot_fix(self) -> Remediation:
        """How to see why this kind of backend does not boot, with its own framework's command."""
        command = {"laravel": "php artisan about", "django": "python manage.py check"}[self.kind]
        return Remediation(f"in {self.directory}, see what stops the app from booting and fix it ("
                           + {"laravel": "composer install, .env, the PHP extensions",
                              "django": "the virtualenv, DJANGO_SETTINGS_MODULE, the installed apps"}[self.kind] + ")",
                           (command,))


@dataclass(frozen=True)
class BackendSent:
    """What the backend's run said: the events it sent, its broadcaster or SDK, and how long it took."""

    sent: tuple[tuple[str, str], ...]
    broadcaster: str | None
    elapsed_ms: float


class BackendUnusable(ValueError):
    """DIR is no backend that can be run from here (usage error): the message names what is missing."""


def find_backend(directory: Path, which: Any = shutil.which) -> Backend:
    """The backend in `directory`: Laravel with `artisan` and `php` on PATH, Django with `manage.py` and
    the interpreter of its virtualenv (.venv, venv), else `python3` on PATH."""
    if not directory.is_dir():
        raise BackendUnusable(f"--via-backend {directory} is not a directory")
    if (directory / "artisan").is_file():
        php = which("php")
        if php is None:
            raise BackendUnusable("--via-backend: php is not on PATH, so the Laravel app cannot send the test message")
        return Backend("laravel", directory, (php, "artisan", "tinker", f"--execute={_PHP}"))
    if (directory / "manage.py").is_file():
        python = next((str(p) for p in (directory / ".venv/bin/python", directory / "venv/bin/python") if p.is_file()),
                      None) or which("python3") or which("python") or sys.executable
        return Backend("django", directory, (python, "manage.py", "shell", "-c", _PYTHON))
    raise BackendUnusable(f"--via-backend {directory} has neither artisan (Laravel) nor manage.py (Django)")


def send_through(backend: Backend, events: Sequence[tuple[str, str, Mapping[str, Any]]], seconds: float,
                 environ: Mapping[str, str] | None = None) -> BackendSent | Problem:
    """Runs the backend's snippet for `events`, bounded by `seconds` (its whole process group is ended
    then); what it sent, or the cause of its failure."""
    env = {**(os.environ if environ is None else environ), EVENTS_VARIABLE: json.dumps(list(events))}
    started = time.monotonic()
    try:
        process = subprocess.Popen(backend.command, cwd=backend.directory, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as error:
        return problem("backend-not-runnable", f"{backend.label} could not start: {error.strerror or error}",
                       backend.boot_fix)
    try:
        raw = _read_until_exit(process, started + max(seconds, 0.1))
    except subprocess.TimeoutExpired:
        return problem("timeout", f"{backend.label} did not finish within {seconds:.1f} s",
                       "run the same broadcast in the backend by hand and see where it hangs (a queue, a slow "
                       "host), or raise --timeout")
    finally:
        _end(process)
    output = raw.decode("utf-8", "replace")[-MAX_OUTPUT_CHARS:]
    return read_output(backend, output, process.returncode, (time.monotonic() - started) * 1000)


#: how long the pipe is still read once the backend's own process has exited: a child it left behind
#: (detached, in its own session) may hold the pipe open for as long as it lives
_AFTER_EXIT_S = 0.2


def _read_until_exit(process: subprocess.Popen[bytes], deadline: float) -> bytes:
    """The tail of the backend's output (at most what MAX_OUTPUT_CHARS can need), read until its process has
    exited and the pipe is drained or left to strays; TimeoutExpired past `deadline` (monotonic)."""
    assert process.stdout is not None
    descriptor, tail, exited_at = process.stdout.fileno(), bytearray(), None
    while True:
        now = time.monotonic()
        if exited_at is None and process.poll() is not None:
            exited_at = now
        if exited_at is not None and now - exited_at >= _AFTER_EXIT_S:
            return bytes(tail)
        if exited_at is None and now >= deadline:
            raise subprocess.TimeoutExpired(process.args, 0)
        # polled briefly: the process's exit is noticed even while a stray keeps the pipe silent and open
        if select.select([descriptor], [], [], 0.05)[0]:
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:  # every writer closed the pipe: only the exit is left to wait for
                process.wait(max(deadline - time.monotonic(), 0) if exited_at is None else None)
                return bytes(tail)
            tail += chunk
            # a UTF-8 character is at most 4 bytes: this many always hold the last MAX_OUTPUT_CHARS
            del tail[:-4 * MAX_OUTPUT_CHARS]


def _end(process: subprocess.Popen[bytes]) -> None:
    """Ends the backend's process group (tinker and Django may start children), reaps it, closes the pipe."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def read_output(backend: Backend, output: str, returncode: int, elapsed_ms: float) -> BackendSent | Problem:
    """The snippet's marker lines, or the cause of what went wrong (its error line, else the whole output)."""
    lines = output.splitlines()
    marked = (line.split(" ", 2) for line in lines if line.startswith(SENT + " "))
    sent = tuple((parts[1], parts[2]) for parts in marked if len(parts) == 3)
    broadcaster = next((line.split(" ", 1)[1].strip() for line in lines if line.startswith(BROADCASTER + " ")), None)
    error = next((line.split(" ", 1)[1].strip() for line in lines if line.startswith(ERROR + " ")), None)
    refused = next((line.split(" ", 1)[1].strip() for line in lines if line.startswith(REFUSED + " ")), None)
    if refused is not None and (answer := classify_rest_answer(200, refused)) is not None:
        return replace(answer, summary=f"{backend.label}: {answer.summary}")
    if error is not None:
        return classify_backend_error(backend.label, error)
    if broadcaster is None and not sent:
        # the snippet never ran: the framework could not boot, or the shell refused the code
        shown = _last_lines(output) or f"exit code {returncode}"
        return classify_backend_error(backend.label, shown, backend.boot_fix)
    return BackendSent(sent, broadcaster, elapsed_ms)


def _last_lines(output: str, count: int = 3) -> str:
    kept = [line.strip() for line in output.splitlines() if line.strip()]
    return " | ".join(kept[-count:])[:300]


_I = re.IGNORECASE
#: the SDKs' and HTTP clients' words for each cause, most telling first (cURL's error numbers for PHP,
#: requests' and the pusher library's exception names for Python)
_CAUSES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("backend-sdk-missing", re.compile(r'class "?\\?pusher\\pusher"? not found|no module named .?pusher', _I),
     "the Pusher SDK is not installed in the backend"),
    ("tls-error", re.compile(r"curl error 60|curl error 35|ssl certificate|certificate verify failed|sslerror|"
                             r"ssl routines|wrong version number", _I),
     "the TLS handshake failed in the backend's runtime (its CA bundle, or https to a plain-http server)"),
    ("unreachable", re.compile(r"curl error 6\b|curl error 7\b|could not resolve|connection refused|failed to "
                               r"connect|name or service not known|newconnectionerror|max retries exceeded", _I),
     "the backend cannot reach the Pusher server (host, port or scheme in its settings)"),
    ("timeout", re.compile(r"curl error 28|timed out|timeout", _I),
     "the Pusher server did not answer the backend in time"),
    ("key-not-found", re.compile(r"auth_key|app key", _I), "the server knows no app with the backend's key"),
    ("wrong-secret", re.compile(r"invalid signature|secret authentication failed|pusherbadauth|\b401\b", _I),
     "the server refused the backend's signature: its secret is not the app's"),
    ("app-not-found", re.compile(r"unknown app|app not found|could not find app|\b404\b", _I),
     "the server has no app with the backend's app id"),
)


def classify_backend_error(label: str, text: str, boot_fix: Remediation | None = None) -> Problem:
    """The cause of the error the backend's run reported: the snippet ran and caught it, or, with `boot_fix`
    (how to see why this backend does not boot), the backend never ran it."""
    shown = " ".join(text.split())[:300]
    for cause, pattern, meaning in _CAUSES:
        if pattern.search(text):
            return problem(cause, f"{label}: {meaning} ({shown})")
    if boot_fix is not None:
        return problem("backend-not-runnable", f"{label} did not run the test broadcast: {shown}", boot_fix)
    return problem("backend-trigger-failed", f"{label}: the broadcast raised {shown}")


#: what a running Laravel queue worker's command line holds
_WORKER = re.compile(r"artisan\x00(queue:work|queue:listen|horizon)\b")


def running_queue_workers(proc: Path = Path("/proc")) -> tuple[str, ...] | None:
    """The command lines of the Laravel queue workers running on this machine (`php artisan queue:work`,
    `queue:listen`, `horizon`), or None where processes cannot be listed (no /proc)."""
    if not proc.is_dir():
        return None
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            continue  # gone, or not ours to read
        if _WORKER.search(line):
            found.append(f"pid {entry.name}: {line.replace(chr(0), ' ').strip()[:120]}")
    return tuple(found)
