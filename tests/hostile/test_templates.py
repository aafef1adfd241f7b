"""Channel templates (issue #20, item 6): only plain `{hotel}`, `{room}` and `{conversation}` fields; a
format spec or conversion, which could build a name of any size, is a usage error at once."""

from __future__ import annotations

import time

import pytest

from pusher_doctor.hotel_chat import fill_template
from tests.support.cli import run_process
from tests.support.servers import closed_port

UNBOUNDED = ["{hotel:>100000000}", "{room!r:>9999}", "{hotel!s}", "x-{room:,}", "{hotel:{room}}"]


@pytest.mark.parametrize("template", UNBOUNDED)
def test_a_template_with_a_format_spec_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match="plain field"):
        fill_template(template, "hotel-paradise", "101", "45")


def test_plain_fields_fill_as_before() -> None:
    assert fill_template("private-{hotel}-room-{room}-chat", "h", "1", None) == "private-h-room-1-chat"


@pytest.mark.parametrize(("command", "option"), [("check", "--room-channel"), ("watch", "--conversation-channel")])
def test_the_cli_refuses_an_unbounded_template_in_one_line_exit_2(tmp_path, command: str, option: str) -> None:
    started = time.monotonic()
    done = run_process([command, "--hotel", "h", "--room", "1", "--app-id", "1", "--key", "k", "--secret", "s",
                        "--host", "127.0.0.1", "--port", str(closed_port()), "--scheme", "http",
                        option, "{hotel:>100000000}"], tmp_path, timeout=20)
    assert done.exit_code == 2, done.output[-500:]
    assert time.monotonic() - started < 10
    assert len(done.output) < 1000 and "plain field" in done.output
