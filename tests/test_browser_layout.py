"""The HTML editions as a real Chromium lays them out, read back from where it draws
each character: web addresses wrap only after '/', '.' or '-', never inside a word
(on screen at phone and desktop widths, and in print), and no heading stands empty
on screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import SKIP_REASON, Guard, chromium_path, serve
from conftest import document_file, raw_yaml

CHROMIUM = chromium_path()
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason=SKIP_REASON), pytest.mark.slow]

EDITIONS = [document_file(d, "html") for d in raw_yaml("pack.yaml")["documents"]]

# Every line break inside an address, as [address, character before, character after],
# from the boxes Chromium lays each character out in.
LINE_BREAKS_IN_ADDRESSES = """() => {
  const found = [];
  for (const element of document.querySelectorAll('a[href^="http"], .address')) {
    const chars = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (box) chars.push([node.data[i], box.top]);
      }
    }
    for (let i = 1; i < chars.length; i++) {
      if (chars[i][1] > chars[i - 1][1] + 2) {
        found.push([element.textContent, chars[i - 1][0], chars[i][0]]);
      }
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def site(pack_folder: Path) -> Iterator[str]:
    with serve(pack_folder) as base:
        yield base


@pytest.mark.parametrize(
    ("media", "width"), [("screen", 320), ("screen", 375), ("screen", 1280), ("print", 794)]
)
def test_addresses_wrap_only_after_a_slash_dot_or_hyphen(
    browser: Any, site: str, media: str, width: int
) -> None:
    faults, breaks = [], 0
    for name in EDITIONS:
        guard = Guard()
        page = browser.new_page(viewport={"width": width, "height": 900})
        guard.attach(page)
        page.emulate_media(media=media)
        page.goto(site + name)
        for address, before, after in page.evaluate(LINE_BREAKS_IN_ADDRESSES):
            breaks += 1
            if not (before in "/.-" or before.isspace() or after.isspace()):
                faults.append(
                    f"{name}: {address.strip()!r} breaks between {before!r} and {after!r}"
                )
        page.close()
        assert not guard.outside
    assert not faults, "\n".join(faults)
    if width <= 375 or media == "print":
        assert breaks, "no address wrapped at all: the check would see nothing"


# Headings with nothing visible under them before the next heading of their level or
# above, as [heading text, level], read from what Chromium lays out.
EMPTY_HEADINGS = """() => {
  const found = [];
  const all = [...document.body.querySelectorAll('*')];
  const level = (element) => /^H[1-6]$/.test(element.tagName) ? +element.tagName[1] : 0;
  all.forEach((element, index) => {
    const own = level(element);
    if (!own || !element.getBoundingClientRect().height) return;
    for (const next of all.slice(index + 1)) {
      const theirs = level(next);
      if (theirs) {
        if (theirs <= own) found.push([element.textContent.trim(), own]);
        return;
      }
      if (!next.children.length && next.getBoundingClientRect().height > 0) return;
    }
  });
  return found;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_heading_stands_empty_on_screen(browser: Any, site: str, width: int) -> None:
    """A print-only part (the sheet's lines to write on) must not leave its heading
    alone on screen."""
    empty = []
    for name in EDITIONS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        Guard().attach(page)
        page.goto(site + name)
        empty += [f"{name}: h{level} {text!r}" for text, level in page.evaluate(EMPTY_HEADINGS)]
        page.close()
    assert not empty, "\n".join(empty)
