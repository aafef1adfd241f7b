"""`trigger` against real soketi and a real pusher-js guest: the staff message arrives as the backend
sends it, a live guest is never messaged without consent, the general form reads DATA from stdin."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

from tests.support.cli import REPO, app_options
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY, TINY_PAYLOAD


def _hotel() -> str:
    return "trig-" + secrets.token_hex(4)


def _guest_saw(guest: subprocess.Popen) -> dict:
    assert guest.stdout is not None
    return json.loads(guest.stdout.readline())


def test_the_staff_message_reaches_a_pusher_js_guest_with_yes(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-room-101-chat", "new-staff-message", 5000) as guest:
        result = cli(["trigger", "--hotel", hotel, "--room", "101", "--message", "Towels are on the way", "--yes",
                      "--json", *app_options(soketi, HEALTHY)])
        seen = _guest_saw(guest)
    document = result.json()
    assert result.exit_code == 0 and document["subscribers"] == 1
    assert [(s["channel"], s["event"]) for s in document["sent"]] == [(f"{hotel}-room-101-chat", "new-staff-message")]
    assert seen["type"] == "event"
    assert seen["data"]["message"] == "Towels are on the way" and seen["data"]["sender_type"] == "staff"
    assert seen["data"]["pusher_doctor_probe"] == document["probe"]


def test_a_live_guest_is_not_messaged_without_consent(cli, soketi) -> None:
    hotel = _hotel()
    with pusher_js_guest(soketi, f"{hotel}-room-5-chat", "new-staff-message", 1500) as guest:
        result = cli(["trigger", "--hotel", hotel, "--room", "5", *app_options(soketi, HEALTHY)])
        seen = _guest_saw(guest)
    assert result.exit_code == 1
    assert f"not sent: 1 connection(s) are subscribed to {hotel}-room-5-chat and would see it" in result.stdout
    assert "pass --yes" in result.stdout
    assert seen == {"type": "timeout"}


def test_with_a_conversation_all_three_events_are_sent_to_an_empty_room(cli, soketi) -> None:
    hotel = _hotel()
    result = cli(["trigger", "--hotel", hotel, "--room", "7", "--conversation", "45", *app_options(soketi, HEALTHY)])
    assert result.exit_code == 0, result.output
    for line in (f"new-staff-message on {hotel}-room-7-chat", f"new-message on {hotel}-conversation-45-chat",
                 f"message-delivered on {hotel}-conversation-45-chat"):
        assert line in result.stdout


def test_the_general_form_reads_data_from_stdin(soketi) -> None:
    channel = _hotel() + "-room-1-chat"
    with pusher_js_guest(soketi, channel, "custom-event", 5000) as guest:
        done = subprocess.run([sys.executable, "-m", "pusher_doctor", "trigger", channel, "custom-event", "-", "--yes",
                               *app_options(soketi, HEALTHY)], input='{"id": 42, "message": "from stdin"}',
                              capture_output=True, text=True, cwd=REPO, timeout=30, check=False)
        seen = _guest_saw(guest)
    assert done.returncode == 0, done.stderr
    assert seen["data"] == {"id": 42, "message": "from stdin"}


def test_a_refused_event_names_its_cause_and_fix(cli, soketi) -> None:
    channel = _hotel() + "-room-1-chat"
    result = cli(["trigger", channel, "big", "x" * 3000, *app_options(soketi, TINY_PAYLOAD)])
    assert result.exit_code == 1
    assert "cause: payload-too-large" in result.stdout and "fix: " in result.stdout


def test_bad_input_is_a_usage_error_without_traceback(cli, soketi) -> None:
    options = app_options(soketi, HEALTHY)
    for args in (["only-a-channel"], ["c", "e", "d", "extra"], ["bad channel", "e"], ["c", ""],
                 ["c", "e", "--hotel", "h", "--room", "1"], []):
        result = cli(["trigger", *args, *options])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    no_secret = options[:options.index("--secret")] + options[options.index("--secret") + 2:]
    result = cli(["trigger", "--hotel", "h", "--room", "1", *no_secret])
    assert result.exit_code == 2 and "triggering is a signed REST call" in result.stderr


def test_an_app_contract_names_the_channel_and_events_a_guest_receives(cli, soketi, tmp_path) -> None:
    order = "o" + secrets.token_hex(4)
    (tmp_path / "pusher-doctor.toml").write_text(
        '[channels.orders]\ntemplate = "orders.{order}"\nevents = ["order.shipped"]\n'
        '[channels.orders.payload]\n"order.shipped" = ["id", "status", "message"]\n')
    with pusher_js_guest(soketi, f"orders.{order}", "order.shipped", 5000) as guest:
        result = cli(["trigger", "--field", f"order={order}", "--message", "on its way", "--yes", "--json",
                      *app_options(soketi, HEALTHY)])  # the contract is found in the working directory
        seen = _guest_saw(guest)
    document = result.json()
    assert result.exit_code == 0, result.output
    assert [(s["channel"], s["event"]) for s in document["sent"]] == [(f"orders.{order}", "order.shipped")]
    assert seen["data"]["message"] == "on its way" and set(seen["data"]) >= {"id", "status", "pusher_doctor_probe"}
    missing = cli(["trigger", "--json", *app_options(soketi, HEALTHY), "--field", "order="])
    assert missing.exit_code == 2 and "NAME=VALUE" in missing.json()["error"]["message"]
