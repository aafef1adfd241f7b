"""Commands that must end within their bound, or refuse at once, whatever feeds or reads them (hostile review
round 3): a watch whose reader left, a latency run longer than its --timeout, trigger's piped DATA, init on a
large app, scan-logs on a device, and the demo's soketi writing into HOME."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pusher
import pytest

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.contract import load_contract
from pusher_doctor.protocol.rest import RestClient
from pusher_doctor.results import Problem
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, app_options, run_process
from tests.support.relay import relay
from tests.support.servers import HEALTHY


def _pipeline(command: str, cwd: Path) -> subprocess.Popen[str]:
    """A shell pipeline as a user types it, exiting with the pusher-doctor side's code (bounded by `timeout`
    so that a watch that never ends fails the test instead of hanging it)."""
    return subprocess.Popen(["bash", "-c", f"{command}; exit ${{PIPESTATUS[0]}}"], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})


def _watch(server: SoketiServer, channel: str, *extra: str) -> str:
    options = " ".join(app_options(server, HEALTHY))
    return f"timeout 20 {sys.executable} -m pusher_doctor watch --channel {channel} {options} {' '.join(extra)}"


@pytest.mark.parametrize("json_mode", [False, True])
def test_watch_ends_when_its_reader_leaves_though_nothing_more_is_written(tmp_path, soketi, json_mode) -> None:
    started = time.monotonic()
    watch = _pipeline(_watch(soketi, "bounds-room-1-chat", "--json" if json_mode else "") + " | head -1", tmp_path)
    out, err = watch.communicate(timeout=30)
    took = time.monotonic() - started
    assert watch.returncode == 0, err  # the watch's own code: nothing failed (124 would be timeout's)
    assert "connected to" in out and err == ""
    assert took < 8, f"took {took:.1f} s"


def test_watch_piped_to_grep_m1_returns_once_the_event_came(tmp_path, soketi) -> None:
    client = pusher.Pusher(app_id=HEALTHY.id, key=HEALTHY.key, secret=HEALTHY.secret, host=soketi.HOST,
                           port=soketi.port, ssl=False)
    watch = _pipeline(_watch(soketi, "bounds-room-2-chat") + " | grep -m1 new-staff-message", tmp_path)
    started = time.monotonic()
    while watch.poll() is None and time.monotonic() - started < 25:
        client.trigger("bounds-room-2-chat", "new-staff-message", {"id": 1, "message": "hi"})
        time.sleep(0.3)
    out, err = watch.communicate(timeout=10)
    assert watch.returncode == 0, err
    assert "new-staff-message" in out
    assert time.monotonic() - started < 15


def test_latency_refuses_a_run_that_would_send_for_days_before_connecting(cli) -> None:
    result = cli(["latency", "--hotel", "h", "--count", "100000", "--rate", "0.1", "--app-id", "1", "--key", "k",
                  "--secret", "s", "--host", "127.0.0.1", "--port", "9", "--scheme", "http"])
    assert result.exit_code == 2, result.output
    assert "error: -n 100000 at --rate 0.1 would send for 11.6 days; a latency run sends for at most an hour" \
        in result.stderr
    assert "fix: raise --rate or lower -n (at most 360 at --rate 0.1)" in result.stderr


def _slow_rest(delay_s: float) -> Callable[[bytes], None]:
    """Holds each REST call after the first for `delay_s`: a server that answers, slowly."""
    calls = [0]

    def on_request(chunk: bytes) -> None:
        if chunk.startswith(b"POST "):
            calls[0] += 1
            if calls[0] > 1:
                time.sleep(delay_s)

    return on_request


def test_latency_keeps_to_its_plan_when_each_rest_call_is_slow(tmp_path, soketi) -> None:
    # 50 probes at 50/s is a second of sending; at 0.8 s a call they would take 40 s.
    with relay(soketi.port, _slow_rest(0.8)) as slow:
        started = time.monotonic()
        done = run_process(["latency", "--hotel", "bounds", "-n", "50", "--rate", "50", "--timeout", "1", "--json",
                            *app_options(soketi, HEALTHY, port=str(slow.port))], tmp_path, timeout=60)
        took = time.monotonic() - started
    assert done.exit_code == 1, done.output
    document = done.json()
    assert document["unsent"] > 0 and document["sent"] + document["unsent"] + document["refused"] == 50
    assert took < 10, f"took {took:.1f} s"


CLOSED_PORT = ["--app-id", "1", "--key", "k", "--secret", "s", "--host", "127.0.0.1", "--port", "9", "--scheme", "http"]


def test_trigger_reading_data_from_a_pipe_that_never_ends_keeps_to_timeout(tmp_path) -> None:
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "pusher_doctor", "trigger", "ch", "ev", "-", "--yes",
                                *CLOSED_PORT, "--timeout", "1"], cwd=tmp_path, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})
    process.stdin.write('{"id": 1')  # a writer that never closes its end
    process.stdin.flush()
    try:
        ended = process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        ended = None
    took = time.monotonic() - started
    process.kill()
    process.stdin.close()
    err = process.stderr.read()
    assert ended == 2, err
    assert "error: DATA is - but stdin did not end within --timeout 1 s" in err
    assert took < 6, f"took {took:.1f} s"


@pytest.mark.parametrize(("data", "stdin", "said"), [("-", "", "DATA is empty (nothing came on stdin)"),
                                                     ("-", "\n", "DATA is empty (nothing came on stdin)"),
                                                     ("", None, "DATA is empty")])
def test_trigger_with_empty_data_is_a_usage_error_before_anything_is_sent(tmp_path, soketi, data, stdin,
                                                                          said) -> None:
    done = subprocess.run([sys.executable, "-m", "pusher_doctor", "trigger", "bounds-empty", "ev", data, "--yes",
                           "--json", *app_options(soketi, HEALTHY)], cwd=tmp_path, input=stdin, text=True,
                          capture_output=True, timeout=30, stdin=None if stdin is not None else subprocess.DEVNULL,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    error = json.loads(done.stdout)["error"]
    assert (error["cause"], error["message"]) == ("usage-error", said)


MASTER_KEY = base64.b64encode(b"k" * 32).decode()


@pytest.mark.parametrize("given", ["option", "environment"])
def test_trigger_sends_on_an_encrypted_channel_with_the_master_key_as_check_takes_it(cli, soketi, given) -> None:
    option = ["--encryption-master-key", MASTER_KEY] if given == "option" else []
    env = {"PUSHER_ENCRYPTION_MASTER_KEY_BASE64": MASTER_KEY} if given == "environment" else None
    result = cli(["trigger", "private-encrypted-bounds", "ev", '{"id": 1}', "--yes", "--json", *option,
                  *app_options(soketi, HEALTHY)], env=env)
    assert result.exit_code == 0, result.output
    assert result.json()["ok"] is True
    assert MASTER_KEY not in result.output


@pytest.mark.parametrize(("key", "said"), [
    (None, "the channels are encrypted but PUSHER_ENCRYPTION_MASTER_KEY_BASE64 is not set"),
    ("abcd", "PUSHER_ENCRYPTION_MASTER_KEY_BASE64 decodes to 3 bytes; it must be 32")])
def test_trigger_on_an_encrypted_channel_without_a_usable_key_is_a_usage_error(cli, soketi, key, said) -> None:
    option = ["--encryption-master-key", key] if key else []
    result = cli(["trigger", "private-encrypted-bounds", "ev", "{}", "--yes", *option, *app_options(soketi, HEALTHY)])
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "[encryption-key-mismatch]" in result.stderr
    assert "fix: give the backend's master key: --encryption-master-key BASE64 or " \
           "PUSHER_ENCRYPTION_MASTER_KEY_BASE64" in result.stderr


def test_the_librarys_refusal_for_want_of_a_master_key_names_that_cause() -> None:
    rest = RestClient(Endpoint("127.0.0.1", 9, secure=False), "1", "k", Secret("s"))
    refused = rest.trigger("private-encrypted-x", "ev", {}, 1.0)
    assert isinstance(refused, Problem)
    assert refused.cause == "encryption-key-mismatch", refused.summary


def _frontend(root: Path, lines: list[str]) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.js").write_text("\n".join(["const p = new Pusher('k', {cluster: 'eu'});", *lines]) + "\n")
    return root


def test_init_on_an_app_with_more_channels_than_a_contract_holds_keeps_the_most_seen(cli, tmp_path) -> None:
    # chan1 is used in three places, the others once: chan1 is kept, and of the 33 one is left out, said so.
    app = _frontend(tmp_path / "app", ["p.subscribe('chan1').bind('ev1', f);", "p.subscribe('chan1').bind('ev1', g);",
                                       *(f"p.subscribe('chan{i}').bind('ev{i}', f);" for i in range(1, 34))])
    result = cli(["init", "--dry-run", str(app)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("[channels.") == 32
    assert "# left out: 1 more channel (chan33): a contract holds at most 32" in result.stdout
    assert 'template = "chan1"' in result.stdout and 'template = "chan33"' not in result.stdout


def test_init_written_with_too_many_channels_reads_back_for_every_command(cli, tmp_path) -> None:
    app = _frontend(tmp_path / "app", [f"p.subscribe('chan{i}').bind('ev{i}', f);" for i in range(40)])
    assert cli(["init", str(app)]).exit_code == 0
    assert len(load_contract(app / "pusher-doctor.toml").channels) == 32


def test_init_on_a_channel_binding_more_events_than_a_contract_holds(cli, tmp_path) -> None:
    app = _frontend(tmp_path / "app", ["const c = p.subscribe('chan');", *(f"c.bind('ev{i}', f);" for i in range(70))])
    result = cli(["init", "--dry-run", str(app)])
    assert result.exit_code == 0, result.output
    assert "# left out: 6 more events (ev64, ev65, ev66, ev67, ev68 and 1 more): a channel holds at most 64" \
        in result.stdout


def test_init_dry_run_on_this_repository_with_its_many_fixture_apps(cli) -> None:
    result = cli(["init", "--dry-run", str(REPO)])
    assert result.exit_code == 0, result.output
    assert "cannot read back" not in result.output


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("given", ["path", "stdin"])
def test_scan_logs_refuses_a_device_that_never_ends(tmp_path, device, given) -> None:
    name = device if given == "path" else "-"
    with open(device, "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "pusher_doctor", "scan-logs", name], cwd=tmp_path, text=True,
                              stdin=stdin if given == "stdin" else subprocess.DEVNULL, capture_output=True,
                              timeout=20, env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}, check=False)
    assert done.returncode == 2, done.stderr
    shown = device if given == "path" else "- (stdin)"
    assert f"error: log file {shown} is a character device, not a log file: a device may never end" in done.stderr


@pytest.mark.parametrize("given", ["/dev/null", "pipe"])
def test_scan_logs_still_reads_dev_null_and_a_pipe(tmp_path, given) -> None:
    command = f"{sys.executable} -m pusher_doctor scan-logs " + ("/dev/null" if given == "/dev/null"
                                                                 else "<(printf 'a line\\n')")
    done = subprocess.run(["bash", "-c", command], cwd=tmp_path, text=True, capture_output=True, timeout=20,
                          env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}, check=False)
    assert done.returncode == 1 and "no message of the backend's was found" in done.stdout, done.stderr


def test_demo_writes_nothing_into_home_even_one_that_does_not_exist(tmp_path) -> None:
    home, scratch = tmp_path / "nohome", tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-m", "pusher_doctor", "demo", "--json"], cwd=tmp_path, text=True,
                          capture_output=True, timeout=90, stdin=subprocess.DEVNULL, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO), "HOME": str(home), "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert not home.exists(), sorted(str(p.relative_to(home)) for p in home.rglob("*"))[:10]
    assert list(scratch.iterdir()) == []  # soketi's own HOME went with its folder
