"""A file without Pusher words is read for less (``read_facts``): what it keeps is what reading all of it
and letting its tree go (``slimmed(extract(...))``) keeps, file by file and report by report."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.frontend_tree import write_app_tree, write_tree
from pusher_doctor.scan import ScanReport, scan_frontend, sources
from pusher_doctor.scan.facts import FileFacts, extract, may_hold_pusher, read_facts, slimmed
from tests.scan.support import BACKEND, FIXTURES

BACKEND_FIXTURES = Path(__file__).parent.parent / "backend" / "fixtures"

#: files made to hit what the light read must still find: imports and requires, env reads, directives,
#: the app shell (mounts, registrations, JSX and template renders), and what keeps a file whole
CASES = {
    "main.js": "import { createApp } from 'vue';\nimport App from './App.vue';\nconst api = require('./api');\n"
    "createApp(App).mount('#app');\nconsole.log(process.env.VITE_API_URL, import.meta.env.VITE_KEY);\n",
    "index.jsx": "'use client';\nimport ReactDOM from 'react-dom';\nimport { Shell } from './Shell';\n"
    "ReactDOM.render(<Shell />, document.getElementById('root'));\n",
    "Shell.jsx": "import { Header } from './Header';\nimport { Route } from 'react-router-dom';\n"
    "export const Shell = () => <main><Header /><Route path='/' />{ok && <Header />}</main>;\n",
    "legacy.js": "import Vue from 'vue';\nimport Inbox from './Inbox.vue';\nVue.component('inbox', Inbox);\n"
    "new Vue({ el: '#app', components: { Inbox } });\n",
    "Inbox.vue": "<template><div><Row v-for='r in rows' /><Footer /></div></template>\n"
    "<script>\nimport Footer from './Footer.vue';\nexport default { components: { Footer } };\n</script>\n",
    "factory.js": "import { useEffect } from 'react';\nimport { makeClient } from './client';\n"
    "export function Live() { useEffect(() => { makeClient(); }, []); return null; }\n",
    "server.js": "import dotenv from 'dotenv';\ndotenv.config();\n",
    "socket.js": "export const open = (s) => s.connect();\n",
    "actions.ts": "'use server';\nexport async function save(x: number) { return x; }\n",
}

#: files whose only Pusher word is one of those the light read looks for: each has a Pusher fact
WORD_CASES = {
    "follow.js": "export function follow(channel, onMessage) {\n  channel.bind('new-message', onMessage);\n"
    "  return () => channel.unbind('new-message', onMessage);\n}\n",
    "rooms.js": "export const enter = (echo, room) => echo.join(`rooms.${room}`).listen('.sent', console.log);\n",
    "live.js": "export const live = (client) => client.subscribe('orders');\n",
    "client.js": "import Pusher from 'pusher-js';\nexport const make = () => new Pusher('k', { cluster: 'eu' });\n",
}


def _kept(facts: FileFacts) -> tuple:
    """What a file's facts hold for the rules, comparable across the two ways of reading it."""
    if not facts.slim:
        return ("whole", facts.src.rel)
    return (
        facts.src.rel,
        facts.package,
        facts.staff,
        [(found.source, found.node.text, found.node.start_point) for found in facts.imports],
        [(name, node.text, node.start_point) for name, node in facts.env_reads],
        facts.use_client,
        facts.use_server,
        facts.shell,
        facts.called,
    )


def _source_files(*roots: Path) -> list[Path]:
    return [path for root in roots for path in sorted(root.rglob("*")) if path.suffix in sources.LANGUAGE_BY_SUFFIX]


def _compare(paths: list[Path], root: Path) -> int:
    """Asserts both ways keep the same of each file; returns how many took the light way."""
    light = 0
    for path in paths:
        loaded = sources.load(path, sources.relative_name(path, root))
        if not isinstance(loaded, sources.SourceFile):
            continue
        env = {"VITE_KEY": "k"}
        reference = _kept(slimmed(extract(loaded, env, package="app")))
        assert _kept(read_facts(loaded, env, package="app")) == reference, path
        light += not may_hold_pusher(loaded.parsed)
    return light


def test_each_fixture_file_keeps_the_same_facts_read_either_way():
    assert _compare(_source_files(FIXTURES, BACKEND_FIXTURES), FIXTURES) > 5


def test_the_hand_made_cases_keep_the_same_facts_read_either_way(tmp_path: Path):
    for name, code in CASES.items():
        (tmp_path / name).write_text(code)
    assert _compare(_source_files(tmp_path), tmp_path) == len(CASES)


def test_a_file_whose_only_pusher_word_is_one_of_the_four_is_read_whole(tmp_path: Path):
    for name, code in WORD_CASES.items():
        (tmp_path / name).write_text(code)
    assert _compare(_source_files(tmp_path), tmp_path) == 0
    for path in _source_files(tmp_path):
        loaded = sources.load(path, path.name)
        assert not read_facts(loaded, {}).slim, path  # each has a subscription, a bind or a client


@pytest.mark.parametrize("write", [write_app_tree, write_tree])
def test_generated_files_keep_the_same_facts_read_either_way(tmp_path: Path, write):
    write(tmp_path, 200)
    assert _compare(_source_files(tmp_path), tmp_path) > 50


def _reference(monkeypatch: pytest.MonkeyPatch, root: Path) -> ScanReport:
    from pusher_doctor.scan import engine

    with monkeypatch.context() as patched:
        patched.setattr(engine.facts_module, "read_facts", lambda src, env, deadline, package: slimmed(
            extract(src, env, deadline, package)))
        return scan_frontend(root, backend_settings=BACKEND, jobs=1)


@pytest.mark.parametrize("tree", ["projects", "wrong", "correct", "apps", "credentials"])
def test_a_fixture_tree_gets_the_same_report_read_either_way(monkeypatch: pytest.MonkeyPatch, tree: str):
    assert scan_frontend(FIXTURES / tree, backend_settings=BACKEND, jobs=1) == _reference(monkeypatch, FIXTURES / tree)


@pytest.mark.parametrize(("write", "count"), [(write_app_tree, 150), (write_app_tree, 480), (write_tree, 300)])
def test_a_generated_tree_gets_the_same_report_read_either_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, write, count: int
):
    write(tmp_path, count)
    (tmp_path / "src").mkdir(exist_ok=True)
    for name, code in {**CASES, **WORD_CASES}.items():
        (tmp_path / "src" / name).write_text(code)
    light = scan_frontend(tmp_path, backend_settings=BACKEND)
    assert light.findings and light == _reference(monkeypatch, tmp_path)
