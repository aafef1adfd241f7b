"""Each check runs on its own against the session's real soketi, through a context like the runner's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pusher_doctor.checks.context import CheckContext
from pusher_doctor.sandbox import SandboxApp, SoketiServer
from tests.support.context import context_for
from tests.support.servers import HEALTHY


@pytest.fixture
def make_context(soketi: SoketiServer) -> Iterator[Callable[..., CheckContext]]:
    """Builds contexts for the session's soketi (HEALTHY app unless told); closes them after the test."""
    made: list[CheckContext] = []

    def make(app: SandboxApp = HEALTHY, **options: object) -> CheckContext:
        made.append(context_for(soketi, app, **options))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for context in made:
        context.close()
