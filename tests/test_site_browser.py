"""The site for schools in a real browser: a draft published first, then an approved
version, from a git repository of their own; each page of the site's own checked
with axe-core and for sideways scrolling at phone and desktop widths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from browser import SKIP_REASON, Guard, chromium_path, open_page, serve
from conftest import ROOT, SOURCES, TEMPLATES, git, raw_yaml, run_cli

CHROMIUM = chromium_path()
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON), pytest.mark.slow]
ARTIFACTS = ROOT / "test-artifacts"
DOCUMENTS = raw_yaml("pack.yaml")["documents"]
PAGES = ["index.html", "latest/index.html"]


def release(work: Path, tag: str) -> None:
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", tag)
    git(work, "tag", tag)
    made = run_cli("publish", "--push", "--sources", work / "sources", cwd=work)
    assert made.returncode == 0, made.stderr


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site after a draft 0.1.0 (nothing approved), then after an approved 0.2.0."""
    work = tmp_path_factory.mktemp("site") / "work"
    git(work.parent, "init", "--quiet", "-b", "main", str(work))
    shutil.copytree(SOURCES, work / "sources")
    shutil.copytree(TEMPLATES, work / "templates")
    release(work, "v0.1.0")
    found = {"draft": work.parent / "draft-site"}
    shutil.copytree(work / "dist" / "site", found["draft"])
    sources = work / "sources"
    for name in [*(f"{d}.yaml" for d in DOCUMENTS), "pack.yaml"]:
        text = (sources / name).read_text(encoding="utf-8")
        approval = "status: approved\napproved_by: Partnership board\napproved_on: 2026-12-01"
        (sources / name).write_text(text.replace("status: draft", approval, 1), encoding="utf-8")
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text().replace("version: 0.1.0", "version: 0.2.0"))
    release(work, "v0.2.0")
    found["approved"] = work / "dist" / "site"
    return found


def _open(browser: Any, url: str, width: int) -> tuple[Any, Guard]:
    guard = Guard()
    page = open_page(browser, guard, url, width)
    page.evaluate("document.fonts.ready")
    return page, guard


def test_latest_shows_the_newest_approved_release_and_never_a_draft(
    browser: Any, sites: dict[str, Path]
) -> None:
    with serve(sites["draft"]) as base:
        page, _ = _open(browser, base + "latest/", 1280)
        assert "no approved version yet" in page.inner_text("h1")
        home, _ = _open(browser, base, 1280)
        assert "No version has been approved yet" in home.inner_text("main")
    with serve(sites["approved"]) as base:
        page, _ = _open(browser, base + "latest/", 1280)
        assert "version 0.2.0" in page.title()
        assert "DRAFT" not in page.inner_text("main")
        home, _ = _open(browser, base, 1280)
        items = home.eval_on_selector_all("main li", "els => els.map(e => e.innerText)")
        assert items[0].startswith("Version 0.2.0: approved")
        assert items[1].startswith("Version 0.1.0: a draft, for review only")
        with home.expect_navigation(wait_until="load"):
            home.click("text=Version 0.1.0")
        assert "version 0.1.0" in home.title() and "DRAFT" in home.title()


@pytest.mark.parametrize("state", ["draft", "approved"])
@pytest.mark.parametrize("name", PAGES)
def test_the_sites_own_pages_pass_axe(
    browser: Any, sites: dict[str, Path], state: str, name: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    with serve(sites[state]) as base:
        page, guard = _open(browser, base + name, 1280)
        results = Axe().run(page)
        ARTIFACTS.mkdir(exist_ok=True)
        report = ARTIFACTS / f"axe-site-{state}-{name.replace('/', '-')}.json"
        report.write_text(json.dumps(results.response["violations"], indent=2))
        found = [
            (rule["id"], rule["nodes"][0]["target"]) for rule in results.response["violations"]
        ]
        assert found == []
        assert guard.outside == []


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("state", ["draft", "approved"])
def test_the_home_page_fits_the_width(
    browser: Any, sites: dict[str, Path], state: str, width: int
) -> None:
    with serve(sites[state]) as base:
        page, _ = _open(browser, base, width)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"site-{state}-{width}px.png"), full_page=True)
        assert scroll <= client, f"the home page is {scroll} px wide in a {client} px window"
