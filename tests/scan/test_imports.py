"""What importing the scan costs and pulls in, checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import pusher_doctor.scan",
        "import pusher_doctor.scan.model",
        "from pusher_doctor.scan import BackendPusherSettings, ScanInputError, ScanReport, SkippedFile",
    ],
)
def test_package_and_result_types_do_not_load_tree_sitter(statement: str):
    assert not {name for name in _modules_after(statement) if name.startswith("tree_sitter")}


def test_the_engine_never_loads_network_libraries():
    loaded = _modules_after("import pusher_doctor.scan.engine, pusher_doctor.scan.docs")
    assert "tree_sitter" in loaded
    assert not {name.partition(".")[0] for name in loaded} & {"pysher", "pusher", "requests", "websocket"}


def test_lazy_names_resolve_to_the_engine_and_registry():
    from pusher_doctor import scan
    from pusher_doctor.scan.engine import scan_frontend
    from pusher_doctor.scan.rules import RULES, Rule

    assert scan.scan_frontend is scan_frontend
    assert scan.RULES is RULES
    assert scan.Rule is Rule
    with pytest.raises(AttributeError):
        scan.no_such_name  # noqa: B018
