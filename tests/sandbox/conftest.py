"""Session fixtures of the sandbox tests: the wheel is built and installed once (a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sandbox.support import build_wheel, install_wheel


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh virtualenv holding the wheel (and no clone on its path)."""
    return install_wheel(wheel, tmp_path_factory.mktemp("venv") / "venv")
