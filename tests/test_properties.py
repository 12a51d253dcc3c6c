"""Generated input: only the project's own error ever comes out, and whatever loads
prints the same words in DOCX and PDF."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import mammoth
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import SOURCES, TEMPLATES
from esafety_docs.building.pipeline import load
from esafety_docs.reading.diagnostics import SourceError
from esafety_docs.render import docx as docx_renderer
from esafety_docs.render import pdf as pdf_renderer

pytestmark = pytest.mark.slow  # hundreds of generated examples

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    shutil.copytree(SOURCES, root / "sources")
    shutil.copytree(TEMPLATES, root / "templates")
    return root


def _load_or_source_error(root: Path) -> None:
    try:
        load(root / "sources", root / "templates")
    except SourceError as error:
        assert error.diagnostics, "a SourceError always says what is wrong"


@SETTINGS
@given(
    name=st.sampled_from(["pack.yaml", "contacts.yaml", "contact-sheet.yaml"]),
    text=st.text(max_size=400),
)
def test_any_text_as_a_source_gives_only_source_errors(work: Path, name: str, text: str) -> None:
    original = (SOURCES / name).read_bytes()
    try:
        (work / "sources" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        _load_or_source_error(work)
    finally:
        (work / "sources" / name).write_bytes(original)


@SETTINGS
@given(
    name=st.sampled_from(["pack.yaml", "contacts.yaml", "contact-sheet.yaml", "brand.yaml"]),
    value=yaml_values,
)
def test_any_yaml_structure_gives_only_source_errors(work: Path, name: str, value: object) -> None:
    folder = "templates" if name == "brand.yaml" else "sources"
    path = work / folder / name
    original = path.read_bytes()
    try:
        path.write_text(yaml.safe_dump(value, allow_unicode=True), encoding="utf-8")
        _load_or_source_error(work)
    finally:
        path.write_bytes(original)


# Words of printable characters the PDF font has, Markdown and markup characters
# included; short enough that no word is split at a line end.
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Nd", "Po", "Ps", "Pe", "Sm", "Sc", "Pd"),
    max_codepoint=0x24F,
) | st.sampled_from(list("<>&*_[]()!\\#'\"\u2019\u2013\u20ac"))
_WORDS = st.lists(st.text(_ALPHABET, min_size=1, max_size=12), min_size=1, max_size=14)

START, END = "QQSTARTQQ", "QQENDQQ"


def _between_markers(text: str) -> list[str]:
    words = text.split()
    return words[words.index(START) + 1 : words.index(END)]


@pytest.fixture(scope="module")
def short_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sources with the contact sheet cut to its first section: the
    generated paragraph goes there, and the cards below it would only be rendered
    again for every example."""
    root = tmp_path_factory.mktemp("short-sheet")
    shutil.copytree(SOURCES, root / "sources")
    shutil.copytree(TEMPLATES, root / "templates")
    sheet = root / "sources" / "contact-sheet.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text[: text.index("  - title: Our designated safeguarding lead")])
    return root


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=_WORDS)
def test_text_that_loads_prints_the_same_words_in_docx_and_pdf(
    short_sheet: Path, words: list[str]
) -> None:
    work = short_sheet
    sheet = work / "sources" / "contact-sheet.yaml"
    original = sheet.read_bytes()
    paragraph = yaml.safe_dump(f"{START} {' '.join(words)} {END}", allow_unicode=True, width=10**6)
    try:
        text = original.decode("utf-8").replace(
            "- Call **999**.",
            "- " + paragraph.strip().removesuffix("...").strip(),
        )
        sheet.write_text(text, encoding="utf-8")
        try:
            loaded = load(work / "sources", work / "templates")
        except SourceError:
            assume(False)
            return
        document = loaded.pack.documents[-1]
        when = datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)
        docx_bytes = docx_renderer.render_document(document, loaded.pack, loaded.brand, when)
        pdf_bytes = pdf_renderer.render_document(document, loaded.pack, loaded.brand).data
    finally:
        sheet.write_bytes(original)
    (work / "out.docx").write_bytes(docx_bytes)
    (work / "out.pdf").write_bytes(pdf_bytes)
    with (work / "out.docx").open("rb") as handle:
        docx_text = mammoth.extract_raw_text(handle).value
    pdf_text = "\n".join(page.extract_text() or "" for page in PdfReader(work / "out.pdf").pages)
    docx_words = _between_markers(docx_text)
    assert docx_words == _between_markers(pdf_text)
    assert docx_words, "the paragraph printed nothing"
