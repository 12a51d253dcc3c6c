"""The download page and HTML editions in a real browser (headless Chromium).

Skipped only where Chromium is absent; .ci/run installs it. Screenshots go to
test-artifacts/ for people to look at.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from browser import SKIP_REASON, Guard, chromium_path, open_page, serve
from conftest import ROOT, Made, document_file, raw_yaml, run_cli

CHROMIUM = chromium_path()
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON), pytest.mark.slow]

PACK = raw_yaml("pack.yaml")
DOCUMENTS = PACK["documents"]
ARTIFACTS = ROOT / "test-artifacts"
PAGES = ["index.html", *(document_file(d, "html") for d in DOCUMENTS)]


@pytest.fixture(scope="module")
def release_folder(draft_release: Made) -> Path:
    """A draft release of the shipped sources, so the page shows release notes too."""
    return draft_release.folder


@pytest.fixture(scope="module")
def site(release_folder: Path) -> Iterator[str]:
    with serve(release_folder) as base:
        yield base


@pytest.fixture()
def guard() -> Guard:
    return Guard()


def _size_text(size: int) -> str:
    """The size as the page should state it, worked out independently."""
    return f"{round(size / 1024)} KB" if size < 1048576 else f"{size / 1048576:.1f} MB"


def test_every_link_on_the_download_page_is_a_file_of_the_stated_size(
    browser: Any, guard: Guard, site: str, release_folder: Path
) -> None:
    page = open_page(browser, guard, site + "index.html")
    targets = page.eval_on_selector_all(
        "a[href], img[src], link[href]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src'))",
    )
    assert targets
    embedded = [t for t in targets if t.startswith("data:image/")]  # the logo travels inline
    fragments = [t for t in targets if t.startswith("#")]  # the skip link
    for fragment in fragments:
        assert page.locator(fragment).count() == 1, fragment
    targets = [t for t in targets if t not in embedded and t not in fragments]
    for target in targets:
        assert not re.match(r"^([a-z]+:|/)", target), f"not a relative file link: {target}"
        response = page.request.get(site + target)
        assert response.ok, target
        assert response.body() == (release_folder / target).read_bytes(), target
    linked = {t for t in targets}
    for doc_id in DOCUMENTS:
        for ext in ("html", "pdf", "docx"):
            assert document_file(doc_id, ext) in linked
    combined = [n for n in linked if n.startswith("online-safety-pack-for-professionals")]
    assert sorted(Path(n).suffix for n in combined) == [".pdf", ".zip"]

    items = page.eval_on_selector_all(
        ".files li",
        "els => els.map(e => [e.querySelector('a').getAttribute('href'), e.innerText])",
    )
    assert len(items) == 3 * len(DOCUMENTS) + 2
    for name, shown in items:
        path = release_folder / name
        kind = {".html": "HTML", ".pdf": "PDF", ".docx": "DOCX", ".zip": "ZIP"}[path.suffix]
        parts = [kind]
        if path.suffix == ".pdf":
            parts.append(f"{len(PdfReader(path).pages)} pages")
        parts.append(_size_text(path.stat().st_size))
        assert f"({', '.join(parts)})" in shown, (name, shown)

    thumbnails = page.eval_on_selector_all(
        "img.thumbnail", "els => els.map(e => [e.alt, e.naturalWidth, e.complete])"
    )
    assert len(thumbnails) == len(DOCUMENTS)
    for alt, width, complete in thumbnails:
        assert alt.startswith("The first page of content of ") and width > 0 and complete

    page.click("summary")
    rows = page.eval_on_selector_all(
        "details tbody tr", "els => els.map(e => [...e.cells].map(c => c.innerText.trim()))"
    )
    for name, size, digest in rows:
        data = (release_folder / name).read_bytes()
        assert int(size) == len(data) and digest == hashlib.sha256(data).hexdigest()
    assert {name for name, _, _ in rows} >= linked
    assert guard.outside == []
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_axe_core_finds_no_violations(browser: Any, guard: Guard, site: str, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, guard, site + name)
    if name == "index.html":
        page.click("summary")  # check the folded checksum table too
    results = Axe().run(page)
    ARTIFACTS.mkdir(exist_ok=True)
    report = {
        "engine": results.response["testEngine"],
        "violations": results.response["violations"],
        "passes": [rule["id"] for rule in results.response["passes"]],
    }
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(report, indent=2))
    found = [
        (rule["id"], [node["target"] for node in rule["nodes"]])
        for rule in results.response["violations"]
    ]
    assert found == []
    assert guard.outside == []
    page.close()


@pytest.mark.parametrize("width", [320, 640, 1280])  # 640: 1280 at 200% zoom
@pytest.mark.parametrize("name", PAGES)
def test_pages_fit_the_width_without_sideways_scrolling(
    browser: Any, guard: Guard, site: str, name: str, width: int, request: pytest.FixtureRequest
) -> None:
    page = open_page(browser, guard, site + name, width=width)
    page.evaluate("document.fonts.ready")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    # A picture of the whole page costs more than the check: taken when a person will
    # want to look (the page does not fit), or when asked for with --screenshots.
    if scroll > client or request.config.getoption("screenshots"):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(name).stem}-{width}px.png"), full_page=True)
    assert scroll <= client, f"{name} is {scroll} px wide in a {client} px window"
    fonts = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert fonts, "the brand font did not load"
    page.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_each_picture_sits_inside_its_own_documents_block(
    browser: Any, guard: Guard, site: str, width: int
) -> None:
    """On the download page each thumbnail lies below its document's heading and
    above the next document's, at phone and desktop widths (it once sat above the
    next document's heading on a phone)."""
    page = open_page(browser, guard, site + "index.html", width=width)
    placed = page.eval_on_selector_all(
        ".document",
        """blocks => blocks.map(block => {
          const box = e => e.getBoundingClientRect();
          const img = block.querySelector('img.thumbnail');
          const heading = box(block.querySelector('h2'));
          return [block.querySelector('h2').textContent, heading.top, heading.bottom,
                  box(img).top, box(img).bottom, box(block).bottom];
        })""",
    )
    assert [title for title, *_ in placed] == [raw_yaml(f"{d}.yaml")["title"] for d in DOCUMENTS]
    next_tops = [*[p[1] for p in placed[1:]], float("inf")]  # where the next heading starts
    for (title, _, heading, top, bottom, block_bottom), later in zip(
        placed, next_tops, strict=True
    ):
        assert heading <= top and bottom <= block_bottom + 0.5, f"{width} px: {title}"
        assert bottom <= later, f"{width} px: the picture of {title} reaches the next heading"
    page.close()


def test_script_in_source_text_shows_as_text(
    browser: Any, guard: Guard, sources_copy: Path, tmp_path: Path
) -> None:
    name = "<script>window.injected = 1; alert('name')</script>Derbyshire Schools Net"
    hours = "<img src=x onerror=\"window.injected = 2; alert('hours')\"> Monday to Friday"
    contacts = sources_copy / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    text = text.replace("name: Derbyshire Schools Net", f"name: {json.dumps(name)}")
    text = text.replace("hours: Monday to Friday, 10am to 4pm", f"hours: {json.dumps(hours)}")
    contacts.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--sources", sources_copy, "--out", out, "--formats", "html")
    assert result.returncode == 0, result.stderr
    with serve(out / str(PACK["version"])) as base:
        page = open_page(browser, guard, base + document_file("contact-sheet", "html"))
        assert page.evaluate("window.injected") is None
        assert page.locator("script").count() == 0
        assert page.locator("[onerror]").count() == 0
        assert page.locator("img").count() == 1  # the logo only
        shown = page.inner_text("main")
        assert name in shown
        assert "Hours: " + hours in shown
        page.close()
