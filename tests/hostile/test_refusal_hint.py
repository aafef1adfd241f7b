"""A refused private or presence channel (here presence-x, signed by latency without a user) gets a fix
about its auth signature, never "public room channels need no auth" (the fix of a refused public channel)."""

from __future__ import annotations

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options
from tests.support.hostile import assert_clean
from tests.support.servers import HEALTHY


def test_a_refused_presence_channel_is_not_told_it_needs_no_auth(cli, soketi: SoketiServer) -> None:
    result = cli(["latency", "--channel", "presence-x", "--count", "1", "--yes", "--json",
                  *app_options(soketi, HEALTHY)])
    assert result.exit_code == 1, result.output
    assert_clean(result.output, json_output=False)
    assert "refused" in result.output, result.output
    assert "public room channels need no auth" not in result.output
    assert "needs a valid auth signature" in result.output
