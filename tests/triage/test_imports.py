"""The triage results and their renderers load no network stack: a renderer takes data only."""

from __future__ import annotations

import subprocess
import sys

import pytest

NETWORK_STACK = {"pysher", "pusher", "requests", "websocket"}


@pytest.mark.parametrize("module", ["pusher_doctor.triage.model", "pusher_doctor.near_miss",
                                    "pusher_doctor.render.rooms", "pusher_doctor.render.watch",
                                    "pusher_doctor.render.trigger", "pusher_doctor.render.logs",
                                    "pusher_doctor.render.latency", "pusher_doctor.render.triage_text",
                                    "pusher_doctor.triage.logs"])
def test_loads_no_network_stack(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert not {name.split(".")[0] for name in loaded} & NETWORK_STACK, module


def test_json_renderers_do_not_load_rich() -> None:
    code = ("import sys, pusher_doctor.render.rooms, pusher_doctor.render.watch, pusher_doctor.render.logs, "
            "pusher_doctor.render.triage_text; print('rich' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip() \
        == "False"
