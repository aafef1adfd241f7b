"""Hostile or odd input: the scan stays bounded in time and depth, and says what it could not read."""

from __future__ import annotations

import time
from pathlib import Path

from pusher_doctor.scan.engine import scan_frontend
from pusher_doctor.scan.model import SkippedFile
from tests.scan.support import positions

WRONG_SUBSCRIBE = "pusher.subscribe(`${hotel}-rooms-${room}-chat`);\n"


def _timed_scan(root: Path, **kwargs):
    started = time.monotonic()
    report = scan_frontend(root, **kwargs)
    return report, time.monotonic() - started


def test_many_unclosed_script_tags_are_read_in_linear_time(tmp_path: Path):
    # the old single-regex extraction rescanned the rest of the file from each unclosed tag: minutes
    (tmp_path / "Unclosed.vue").write_text("<script>\n" * 100_000)
    (tmp_path / "NoBracket.vue").write_text("<script\n" * 100_000)
    report, elapsed = _timed_scan(tmp_path)
    assert report.skipped == (
        SkippedFile("NoBracket.vue", "no <script> block"),
        SkippedFile("Unclosed.vue", "no <script> block"),
    )
    assert elapsed < 2


def test_a_closed_block_after_stray_closing_tags_is_still_found(tmp_path: Path):
    (tmp_path / "Chat.vue").write_text("</script>\n<template/>\n<script setup>\n" + WRONG_SUBSCRIBE + "</script>\n")
    report = scan_frontend(tmp_path)
    assert positions(report) == [("wrong-channel", "Chat.vue", 4, 18)]
