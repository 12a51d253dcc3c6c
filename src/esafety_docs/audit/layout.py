"""Layout: what a reader sees on the printed or rendered page, read back from the
PDF's drawing (glyph boxes, sizes, colours, filled shapes), not from what a
renderer meant to draw. The rules work on any PDF: ours, LibreOffice's export
of a DOCX, a browser's print of an HTML page.

Page furniture (running headers and footers) is what a tagged PDF marks as an
artifact; in a PDF without artifact marks, the lines in the top and bottom
margins that come back at the same height on other pages. Watermarks (rotated
text, or huge faint text) are left out.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from itertools import pairwise

from ..reading.colours import contrast_ratio
from .pdf_drawing import (
    RGB,
    Box,
    DrawnPage,
    Glyph,
    Line,
    Run,
    blend,
    hex_colour,
    line_of,
    reading_stream,
)
from .pdf_reading import HEADING_ROLES, PdfFile
from .pdf_tree import Element
from .rules import rule

FAMILY = "layout"

BOTTOM_QUARTER = 0.25
LINES_AFTER_HEADING = 2
LEAST_FILLED = 0.2  # a page less full than this, with more to come, is a gap
LARGER_THAN_BODY = 1.15  # a line this much larger than body text reads as a heading
PRINTER_MARGIN = 5 / 25.4 * 72  # 5 mm, in points: the edge most printers leave blank
WRAPPED_SLACK = 0.15  # a line that wrapped ends this close to the text's right edge
SPACE_ABOVE = 0.6  # of the size: a gap above a line wider than between lines of a paragraph
TITLE_SIZE = 1.8  # a heading this much larger than body text is a document's title
OVERLAP_SHARE = 0.2  # of the smaller glyph's box, before two glyphs clash
RUNS_MAY_CLASH = 0.02  # runs overlapping this much have their glyphs compared
SENTENCE_END = ".!?:;"
# A word that is a web or email address (www.x, https://, a.b/c, name@host.).
ADDRESS = re.compile(r"\(?(https?://|www\.|[\w-]+(\.[\w-]+)+/|[\w.+-]+@[\w-]+\.)")
INLINE_ROLES = {"Span", "Link", "Reference", "Quote", "Code", "Note", "BibEntry", "Annot"}


@rule("pdf-text-overlap", "house rule: no text drawn over other text", family=FAMILY)
def text_overlap(file: PdfFile) -> list[str]:
    """Glyphs of different words drawn over each other (a watermark aside). Runs
    whose boxes overlap are found first; only their characters are compared."""
    drawing = file.drawing
    problems = []
    for page in drawing.pages:
        pairs = _overlapping_runs(page)
        if not pairs:
            continue
        glyphs = drawing.glyphs(page, list({id(r): r for pair in pairs for r in pair}.values()))
        words: dict[int, str] = {}
        by_run: dict[int, list[Glyph]] = {}
        for glyph in glyphs:
            words[glyph.word] = words.get(glyph.word, "") + glyph.char
            by_run.setdefault(id(glyph.run), []).append(glyph)
        clashes: dict[tuple[int, int], None] = {}
        for one, two in pairs:
            for a in by_run.get(id(one), []):
                for b in by_run.get(id(two), []):
                    smaller = min(a.box.area(), b.box.area())
                    if a.word != b.word and a.box.overlap(b.box) > OVERLAP_SHARE * smaller:
                        clashes[(min(a.word, b.word), max(a.word, b.word))] = None
        if clashes:
            named = ", ".join(f'"{words[a]}" and "{words[b]}"' for a, b in clashes)
            problems.append(f"page {page.number}: words drawn over each other: {named}")
    return problems


@rule("pdf-text-contrast", "WCAG 2.2 1.4.3", family=FAMILY)
def text_contrast(file: PdfFile) -> list[str]:
    """Text against the filled shapes drawn under it (or white paper): at least
    4.5:1, or 3:1 for large text (18 pt, or 14 pt bold)."""
    problems = []
    for page in file.drawing.pages:
        found: dict[tuple[str, str], tuple[float, float, int, str]] = {}
        for run in page.runs:
            if run.watermark or not run.text.strip():
                continue
            background = _background(page, run)
            if background is None:
                continue  # text on a picture: a person has to judge it
            pair = (hex_colour(blend(run.colour, background)), hex_colour(background))
            ratio = contrast_ratio(*pair)
            large = run.size >= 18 or (run.size >= 14 and run.bold)
            needed = 3.0 if large else 4.5
            if ratio < needed:
                _, _, count, example = found.get(pair, (ratio, needed, 0, run.text.strip()))
                found[pair] = (ratio, needed, count + 1, example)
        problems += [
            f"page {page.number}: text {text} on {back} is {ratio:.2f}:1, needs {needed:g}:1 "
            f'({count} piece{"s" if count > 1 else ""}, e.g. "{example[:40]}")'
            for (text, back), (ratio, needed, count, example) in found.items()
        ]
    return problems


@rule(
    "pdf-heading-kept-with-text",
    "house rule (typesetting's keep-with-next): a heading keeps two lines after it",
    family=FAMILY,
)
def heading_kept_with_text(file: PdfFile) -> list[str]:
    """A heading in the bottom quarter of a page with fewer than two lines after it
    there, when the document goes on over the page. Headings one after another
    count as one, and a table's header row is a label, not a line of what follows.
    A short section that ends on the page (the next page opens with a heading of
    its level or above) is whole, not stranded; one whose first sub-section opens
    the next page has only its introduction left behind."""
    pages = file.drawing.pages
    problems = []
    for index, page in enumerate(pages):
        following = [later for later in pages[index + 1 :] if later.lines]
        if not following:
            break
        next_opens_with_heading = _is_heading(file, following[0], 0)
        limit = page.box.bottom + BOTTOM_QUARTER * (page.box.top - page.box.bottom)
        labels = _labels(file, page)
        start = 0
        while start < len(page.lines):
            if not labels[start]:
                start += 1
                continue
            end = start
            while end + 1 < len(page.lines) and labels[end + 1]:
                end += 1
            heading = page.lines[start : end + 1]
            after = labels[end + 1 :].count(False)
            last = not any(labels[end + 1 :])  # no other heading below it on this page
            whole = (
                last
                and next_opens_with_heading
                and not _deeper(file, (following[0], 0), (page, end))
            )
            if heading[-1].box.bottom < limit and after < LINES_AFTER_HEADING and not whole:
                title = " / ".join(line.text for line in heading)
                problems.append(
                    f'page {page.number}: "{title}" is at the foot of the page with '
                    f"{after} line{'' if after == 1 else 's'} after it"
                )
            start = end + 1
    return problems


@rule(
    "pdf-page-filled",
    "house rule: no page less than a fifth full before more content",
    family=FAMILY,
)
def page_filled(file: PdfFile) -> list[str]:
    """A page whose content ends in the top fifth of the text area while more
    follows on later pages (a new document's title page aside)."""
    pages = file.drawing.pages
    boxes = [page.content_box() for page in pages]
    used = [box for box in boxes if box is not None]
    if not used:
        return []
    top, bottom = max(b.top for b in used), min(b.bottom for b in used)
    problems = []
    for index, (page, box) in enumerate(zip(pages, boxes, strict=True)):
        following = [p for p in pages[index + 1 :] if p.content_box() is not None]
        if not following:
            break
        filled = 0.0 if box is None else (top - box.bottom) / max(top - bottom, 1.0)
        if filled < LEAST_FILLED and not _opens_a_document(file, following[0]):
            problems.append(
                f"page {page.number} is {filled:.0%} full and more follows on page "
                f"{following[0].number}"
            )
    return problems


@rule(
    "pdf-address-unbroken",
    "house rule: a web address breaks only after / . or -",
    family=FAMILY,
)
def address_unbroken(file: PdfFile) -> list[str]:
    """A web or email address split between two letters or digits at a line end."""
    known = _addresses(file)
    problems = []
    for (page, one), (_, two) in pairwise(reading_stream(file.drawing.pages)):
        before, after = line_of(one).text.split(), line_of(two).text.split()
        if not before or not after:
            continue
        left, right = before[-1].lstrip("(<[\"'"), after[0].rstrip(")>]\"'.,;:")
        if not (left[-1:].isalnum() and right[:1].isalnum()):
            continue
        joined = _normal(left + right)
        if re.search(r"[./@]", joined) and any(joined in address for address in known):
            problems.append(f'page {page}: "{left}" / "{right}" breaks an address inside a word')
    return problems


@rule(
    "pdf-no-widow-word",
    "house rule (typesetting's widows): no page opens with one word ending a paragraph",
    family=FAMILY,
)
def no_widow_word(file: PdfFile) -> list[str]:
    """A page whose text opens with one word ending a paragraph from the page before."""
    problems = []
    for before, page in pairwise(file.drawing.pages):
        if not page.lines or not before.lines:
            continue
        first = page.lines[0]
        if len(first.words) != 1 or _is_heading(file, page, 0):
            continue
        if _continues(file, before, page, first):
            problems.append(
                f'page {page.number} opens with the single word "{first.words[0]}" '
                f"from a paragraph on page {before.number}"
            )
    return problems


@rule(
    "pdf-text-on-paper",
    "house rule: text lies on the page, 5 mm or more inside its edges",
    family=FAMILY,
)
def text_on_paper(file: PdfFile) -> list[str]:
    """Text drawn off the page, or so near its edge that most printers cannot
    print it (a watermark aside)."""
    problems = []
    for page in file.drawing.pages:
        inner = Box(
            page.box.left + PRINTER_MARGIN,
            page.box.bottom + PRINTER_MARGIN,
            page.box.right - PRINTER_MARGIN,
            page.box.top - PRINTER_MARGIN,
        )
        outside = [
            run.text.strip()
            for run in page.runs
            if run.text.strip()
            and not run.watermark
            and inner.overlap(run.box) < run.box.area() - 0.01
        ]
        if outside:
            shown = ", ".join(f'"{text[:30]}"' for text in outside[:5])
            more = f" and {len(outside) - 5} more" if len(outside) > 5 else ""
            problems.append(f"page {page.number}: off the paper or at its very edge: {shown}{more}")
    return problems


# ------------------------------------------------------------------ shared


def _overlapping_runs(page: DrawnPage) -> list[tuple[Run, Run]]:
    """Pairs of runs (watermarks aside) whose boxes overlap enough that their
    glyphs might."""
    runs = sorted((r for r in page.runs if not r.watermark and r.text.strip()), key=_bottom)
    pairs = []
    for i, one in enumerate(runs):
        for two in runs[i + 1 :]:  # lines are bands: only runs near one's line
            if two.box.bottom >= one.box.top:
                break
            if one.box.overlap(two.box) > RUNS_MAY_CLASH * min(one.box.area(), two.box.area()):
                pairs.append((one, two))
    return pairs


def _bottom(run: Run) -> float:
    return run.box.bottom


def _background(page: DrawnPage, run: Run) -> RGB | None:
    """The colour under the middle of a run: white paper, with each filled shape
    drawn before it blended on top; None where a picture is under it."""
    x, y = (run.box.left + run.box.right) / 2, (run.box.bottom + run.box.top) / 2
    colour: RGB = (255.0, 255.0, 255.0)
    last = -1
    for fill in page.fills:
        if fill.order < run.order and fill.box.contains(x, y):
            colour = blend(fill.colour, colour)
            last = fill.order
    if any(last < p.order < run.order and p.box.contains(x, y) for p in page.pictures):
        return None
    return colour


def _labels(file: PdfFile, page: DrawnPage) -> list[bool]:
    """For each line, whether it is a heading or a table's header row: a label
    for what follows rather than a line of it. Tagged: every cell a column
    header. Otherwise: a short bold line straight after a heading."""
    tagged = _owners(file, page) is not None
    labels: list[bool] = []
    for index, line in enumerate(page.lines):
        if _is_heading(file, page, index):
            labels.append(True)
        elif tagged:
            owners = _owners(file, page, line) or []
            labels.append(bool(owners) and all(owner.header_cell for owner in owners))
        else:
            labels.append(index > 0 and labels[-1] and _bold_phrase(line))
    return labels


def _is_heading(file: PdfFile, page: DrawnPage, index: int) -> bool:
    """Tagged: the line's text belongs to H1-H6. Otherwise: clearly larger than
    the body text, or a short bold line, at least body size, that starts a block
    (space above it, as a table cell's next line has not); never a line showing a
    web or email address, or the rest of one, as contact details set large to read
    from afar do."""
    line = page.lines[index]
    owners = _owners(file, page, line)
    if owners is not None:
        return any(owner.role in HEADING_ROLES for owner in owners)
    if any(ADDRESS.match(word) for word in line.text.split()):
        return False
    previous = page.lines[index - 1].text.split() if index else []
    if previous and ADDRESS.match(previous[-1]) and previous[-1][-1] in "/.-":
        return False  # the rest of an address broken at the line above
    body = file.drawing.body_size
    if line.size >= LARGER_THAN_BODY * body:
        return True
    above = page.lines[index - 1].box.bottom - line.box.top if index else line.size
    return line.size >= body - 0.1 and above >= SPACE_ABOVE * line.size and _bold_phrase(line)


def _deeper(file: PdfFile, one: tuple[DrawnPage, int], other: tuple[DrawnPage, int]) -> bool:
    """Whether heading `one` is a level below heading `other` (a sub-section of it):
    by their tags' numbers (H3 under H2) where both have one, else by size."""
    levels = [_tagged_level(file, page, index) for page, index in (one, other)]
    if levels[0] is not None and levels[1] is not None:
        return levels[0] > levels[1]
    return one[0].lines[one[1]].size < other[0].lines[other[1]].size - 0.5


def _tagged_level(file: PdfFile, page: DrawnPage, index: int) -> int | None:
    owners = _owners(file, page, page.lines[index]) or []
    numbers = [int(o.role[1:]) for o in owners if o.role in HEADING_ROLES and o.role != "H"]
    return min(numbers) if numbers else None


def _bold_phrase(line: Line) -> bool:
    """A short line all in bold that does not end like a sentence."""
    return line.bold and len(line.words) <= 12 and line.text.rstrip()[-1:] not in SENTENCE_END + ","


def _opens_a_document(file: PdfFile, page: DrawnPage) -> bool:
    """A page that starts with a title (a heading at least TITLE_SIZE times the
    body text): starting a new document on a new page is deliberate."""
    if not page.lines:
        return False
    first = page.lines[0]
    return first.size >= TITLE_SIZE * file.drawing.body_size and _is_heading(file, page, 0)


def _continues(file: PdfFile, before: DrawnPage, page: DrawnPage, first: Line) -> bool:
    """Whether the page's first line ends a paragraph begun on the page before.
    Tagged: the same structure element has text on both pages. Otherwise: the
    page before ends mid-sentence with a line as wide as the text, as a line
    does that had to wrap, in the same size of type."""
    owners = _owners(file, page, first)
    if owners is not None:
        earlier = _owners(file, before, *before.lines) or []
        return bool({o.element for o in owners} & {o.element for o in earlier})
    last = before.lines[-1]
    left = min(line.box.left for line in before.lines)
    right = max(line.box.right for line in before.lines)
    return (
        last.text.rstrip()[-1:] not in SENTENCE_END
        and abs(last.size - first.size) < 0.5
        and last.box.right >= right - WRAPPED_SLACK * (right - left)
    )


@dataclass(frozen=True)
class Owner:
    """The paragraph-level structure element some marked content belongs to (an
    inline element's nearest block ancestor), its standard role, and whether it
    is inside a column's header cell (a TH not scoped to its row, or in a THead)."""

    element: tuple[int, int]
    role: str
    header_cell: bool


_OWNERS: weakref.WeakKeyDictionary[PdfFile, dict[tuple[int, int], Owner] | None] = (
    weakref.WeakKeyDictionary()
)


def _owners(file: PdfFile, page: DrawnPage, *lines: Line) -> list[Owner] | None:
    """The owners of the lines' text; None for a PDF without a structure tree."""
    if file not in _OWNERS:
        _OWNERS[file] = _read_owners(file)
    found = _OWNERS[file]
    if found is None:
        return None
    keys = ((page.number - 1, run.mcid) for line in lines for run in line.runs)
    return [found[key] for key in keys if key in found]


def _read_owners(file: PdfFile) -> dict[tuple[int, int], Owner] | None:
    """(page index, MCID) -> its Owner, read once per file from the structure tree."""
    if not file.tree.present:
        return None
    found: dict[tuple[int, int], Owner] = {}

    def walk(element: Element, above: Owner | None) -> None:
        name = file.standard_role(element)
        header = (
            name == "THead"
            or (name == "TH" and _scope(element) != "/Row")
            or (above is not None and above.header_cell)
        )
        if name in INLINE_ROLES and above is not None:
            owner = above
        else:
            owner = Owner(element.objgen, name, header)
        for key in element.contents:
            found[key] = owner
        for kid in element.elements:
            walk(kid, owner)

    for element in file.tree.top:
        walk(element, None)
    return found


def _scope(element: Element) -> str | None:
    """A table cell's /Scope, from its attribute object or any of a list of them."""
    for item in element.attributes():
        if "/Scope" in item:
            return str(item.Scope)
    return None


def _addresses(file: PdfFile) -> set[str]:
    """Every address the PDF links to, and every address its text shows whole."""
    found = set()
    for _, _, annotation in file.annotations():
        uri = annotation.get("/A", {}).get("/URI")
        if uri is not None:
            found.add(_normal(str(uri)))
    for page in file.drawing.pages:
        for line in page.lines:
            for token in line.text.split():
                if ADDRESS.match(token):
                    found.add(_normal(token.strip("()<>[]\"'.,;:")))
    return found


def _normal(address: str) -> str:
    address = re.sub(r"^(https?://|mailto:)", "", address.strip(), flags=re.IGNORECASE)
    return address.rstrip("/").lower()
