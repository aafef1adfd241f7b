"""docs/causes.md, the page each cause id links to, is generated from the cause table and kept equal to it."""

from __future__ import annotations

from pathlib import Path

from pusher_doctor.results import CAUSES
from pusher_doctor.results.causes import causes_document, docs_link

DOCS = Path(__file__).resolve().parent.parent / "docs" / "causes.md"


def test_the_causes_page_is_the_cause_table() -> None:
    assert DOCS.read_text(encoding="utf-8") == causes_document(), (
        "regenerate it: python -m pusher_doctor.results.causes > docs/causes.md")


def test_every_cause_links_to_an_anchor_on_that_page() -> None:
    page = DOCS.read_text(encoding="utf-8")
    for cause in CAUSES:
        path, anchor = docs_link(cause.id).split("#")
        assert path == "docs/causes.md" and f'<a id="{anchor}"></a>\n## `{cause.id}`' in page
