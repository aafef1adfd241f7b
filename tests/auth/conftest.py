"""Fixtures for private, presence and encrypted channels: the test auth endpoint for the session's soketi,
and a soketi of our own whose app relays client events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.auth_server import AuthServer, ChattyApp, SigninApp, auth_server
from tests.support.servers import HEALTHY

CHATTY = ChattyApp("2001", "chatty-key", "chatty-secret-4c2e")
SIGNIN = SigninApp("2002", "signin-key", "signin-secret-7d1a")


@pytest.fixture(scope="session")
def endpoint(soketi: SoketiServer) -> Iterator[AuthServer]:
    """The auth endpoint of the session soketi's HEALTHY app."""
    with auth_server(HEALTHY) as server:
        yield server


@pytest.fixture(scope="session")
def chatty_soketi(soketi: SoketiServer) -> Iterator[SoketiServer]:
    """A soketi whose only app relays client events (the session's apps do not)."""
    with SoketiServer([CHATTY]) as server:
        yield server


@pytest.fixture(scope="session")
def chatty_endpoint(chatty_soketi: SoketiServer) -> Iterator[AuthServer]:
    with auth_server(CHATTY) as server:
        yield server


@pytest.fixture(scope="session")
def signin_soketi(soketi: SoketiServer) -> Iterator[SoketiServer]:
    """A soketi whose only app requires user authentication."""
    with SoketiServer([SIGNIN]) as server:
        yield server


@pytest.fixture(scope="session")
def signin_endpoint(signin_soketi: SoketiServer) -> Iterator[AuthServer]:
    with auth_server(SIGNIN) as server:
        yield server
