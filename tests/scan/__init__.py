"""Tests of the frontend scan: per-rule cases under ``rules/``, the fixture trees end to end."""
