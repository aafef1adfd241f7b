"""Files with no Pusher code are kept without their tree, and what other files ask of them still works."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.deadline import Deadline
from pusher_doctor.scan import scan_frontend
from pusher_doctor.scan.engine import _Envs, _read_files
from pusher_doctor.scan.sources import DEFAULT_SKIP_DIRS, SlimSource

HOOK = """import { useEffect } from 'react';
import { pusher } from './pusher';
export function useChannelEvent(channelName, eventName, handler) {
  useEffect(() => {
    const channel = pusher.subscribe(channelName);
    channel.bind(eventName, handler);
    return () => channel.unbind(eventName, handler);
  }, [channelName, eventName]);
}
"""
#: no Pusher code of its own: only a call of the app's hook, with a stale state update
PAGE = """import { useState } from 'react';
import { useChannelEvent } from './useChannelEvent';
export function Orders() {
  const [orders, setOrders] = useState([]);
  useChannelEvent('orders', 'created', (order) => setOrders([...orders, order]));
  return orders.length;
}
"""


def _write(root: Path) -> None:
    (root / "pusher.js").write_text("import Pusher from 'pusher-js';\nexport const pusher = new Pusher('k', { cluster: 'eu' });\n")
    (root / "useChannelEvent.js").write_text(HOOK)
    (root / "Orders.jsx").write_text(PAGE)
    (root / "format.js").write_text("export const money = (n) => n.toFixed(2);\n")


def test_files_without_pusher_code_are_kept_without_their_tree(tmp_path: Path):
    _write(tmp_path)
    read = _read_files(tmp_path, _Envs(tmp_path, None), DEFAULT_SKIP_DIRS, 2.0, Deadline.after(60))
    slim = {facts.src.rel for facts in read.parsed if facts.slim}
    assert slim == {"Orders.jsx", "format.js"}
    assert all(isinstance(facts.src, SlimSource) and facts.resolver is None for facts in read.parsed if facts.slim)


def test_a_hook_called_from_a_file_kept_without_its_tree_is_still_followed(tmp_path: Path):
    _write(tmp_path)
    report = scan_frontend(tmp_path)
    assert [(f.rule, f.file, f.line) for f in report.findings] == [("stale-state", "Orders.jsx", 5)]


def test_a_comment_in_such_a_file_still_silences(tmp_path: Path):
    _write(tmp_path)
    page = PAGE.replace("  useChannelEvent(", "  // pusher-doctor-ignore stale-state -- a demo\n  useChannelEvent(")
    (tmp_path / "Orders.jsx").write_text(page)
    report = scan_frontend(tmp_path)
    assert report.findings == () and report.suppressed == 1
