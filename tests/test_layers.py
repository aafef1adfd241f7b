"""The house's shape holds: no layer imports a layer above it, and the lower layers load no network stack.

Layers, lowest first: results -> config, hotel_chat -> protocol -> checks -> runner -> cli. render sits
at the side and takes results only; scan is its own engine beside the checks.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pusher_doctor"

#: for each layer, the layers of the package it may import (every layer may import itself)
ALLOWED: dict[str, set[str]] = {
    "results": set(),
    "config": {"results"},
    "hotel_chat": {"contract"},
    # the app contract: channels, events, auth endpoint and env file; pure, below every command's engine
    "contract": set(),
    # `init`'s engine and the contract's scan rules: the app's code through scan/, judged by the contract
    "infer": {"results", "contract", "scan", "backend"},
    # the live-guest guard, asked by `check` and by the triage commands that send
    "guard": set(),
    # one time budget: check's run and a scan's walk and files
    "deadline": set(),
    # modules the libraries import at load time, imported on first use instead (the CLI's and the clients')
    "lazy": set(),
    "protocol": {"lazy", "results", "config", "hotel_chat", "contract"},
    # the guest page in a browser (`check --page`): at the protocol level
    "page": {"deadline", "results", "config", "hotel_chat", "contract", "protocol"},
    # near_miss is pure and shared by `check`'s live-guest step and the triage engines
    "near_miss": {"results", "hotel_chat", "contract"},
    "checks": {"deadline", "results", "config", "hotel_chat", "contract", "guard", "near_miss", "protocol", "page"},
    "runner": {"deadline", "results", "config", "hotel_chat", "contract", "protocol", "page", "checks"},
    "render": {"results", "config.secret", "scan.model", "triage.model"},
    # the triage commands' engines sit beside the checks: they talk to servers through protocol/
    "triage": {"deadline", "results", "config", "hotel_chat", "contract", "near_miss", "protocol"},
    "scan": {"deadline", "results", "config.settings", "hotel_chat", "contract"},
    # scan-backend: its own engine beside scan-frontend's, whose public names it uses (one finding model),
    # and the contract's rules for channel prefixes and Echo's event names; its .env read as every env file is
    "backend": {"deadline", "results", "scan", "contract", "config.settings"},
    "sandbox": set(),
}
NETWORK_STACK = ("pysher", "pusher", "requests", "websocket", "tree_sitter", "playwright")


def _layer(module: str) -> str:
    return module.split(".")[1]


def _package_imports(path: Path) -> set[str]:
    """Every pusher_doctor module this file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.ImportFrom) and node.level:
            names = [f"pusher_doctor.{_layer_of_file(path)}.{node.module or ''}".rstrip(".")]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.startswith("pusher_doctor."))
    return found


def _layer_of_file(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if _layer_of_file(path) in ALLOWED)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    layer = _layer_of_file(path)
    for imported in _package_imports(path):
        target = imported.removeprefix("pusher_doctor.")
        allowed = ALLOWED[layer] | {layer}
        assert any(target == a or target.startswith(a + ".") for a in allowed), \
            f"{path.relative_to(PACKAGE)} ({layer}) imports {imported}"


def _loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in out.split()}


@pytest.mark.parametrize("module", ["pusher_doctor.results", "pusher_doctor.render.terminal",
                                    "pusher_doctor.render.json", "pusher_doctor.config.settings",
                                    "pusher_doctor.scan.model", "pusher_doctor.cli", "pusher_doctor.cli.output",
                                    "pusher_doctor.backend"])
def test_lower_layers_and_the_cli_itself_load_no_network_stack_or_parser(module: str) -> None:
    loaded = _loaded_by(f"import {module}")
    assert not loaded & set(NETWORK_STACK), f"{module} loads {sorted(loaded & set(NETWORK_STACK))}"


def test_the_check_context_and_the_registry_load_no_browser_driver() -> None:
    # Only `check --page` may pay for Playwright; the context merely holds what checks drive.
    assert "playwright" not in _loaded_by("import pusher_doctor.runner.session")


def test_the_network_layer_loads_no_http_library_it_does_not_use() -> None:
    # REST goes through the standard library; pysher's own `import requests` is deferred to first use.
    loaded = _loaded_by("import pusher_doctor.protocol.guest, pusher_doctor.protocol.rest")
    assert not loaded & {"urllib3", "charset_normalizer", "idna"}


def test_json_output_does_not_load_the_terminal_renderer() -> None:
    assert "rich" not in _loaded_by("import pusher_doctor.render.json, pusher_doctor.runner.session")


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    # The rule must be able to fail: a results module importing the protocol layer is caught.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from pusher_doctor.protocol.rest import RestClient\n")
    assert _package_imports(bad) == {"pusher_doctor.protocol.rest"}


def test_the_deferred_http_library_imports_once_under_concurrent_first_use() -> None:
    code = ("import threading, pusher_doctor.protocol.guest, requests\n"
            "seen = []\n"
            "threads = [threading.Thread(target=lambda: seen.append(requests.Session)) for _ in range(8)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]\n"
            "import sys; assert len(seen) == 8 and all(s is sys.modules['requests'].Session for s in seen)\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
