"""The one way the scan compares a value with the backend's secret: by digest, so it never holds it."""

from __future__ import annotations

import hashlib


def secret_digest(value: str) -> str:
    """SHA-256 (hex) of ``value`` without surrounding spaces, as the backend's secret is digested."""
    return hashlib.sha256(value.strip().encode("utf-8")).hexdigest()
