"""The reference page for comms staff says exactly what the loader checks."""

from __future__ import annotations

from conftest import ROOT
from esafety_docs.reading import schema


def test_reference_page_matches_the_schema() -> None:
    page = (ROOT / "docs" / "source-format.md").read_text(encoding="utf-8")
    assert page == schema.reference(), (
        "docs/source-format.md is out of date: run `python3 -m nox -s docs`"
    )


def test_every_field_of_every_table_is_documented() -> None:
    page = schema.reference()
    for spec in (schema.PACK, schema.CONTACT, schema.DOCUMENT, schema.SECTION, schema.BLOCKS):
        for name, field in spec.items():
            assert f"| `{name}` |" in page
            assert field.doc in page
