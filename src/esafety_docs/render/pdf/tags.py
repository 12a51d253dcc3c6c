"""Tagged PDF (PDF/UA-1) and PDF/A-2b for reportlab output: every PDF internal lives here.

reportlab does not tag. While a page is drawn, this module wraps content in
marked-content sequences (`/P <</MCID 3>> BDC ... EMC`) owned by structure
elements built alongside the story, marks page furniture, table rules and
backgrounds and repeated header rows as artifacts, records link annotations
for their Link elements, and writes a space at each line end so extracted text
keeps its words apart. `finish` then adds the structure tree, parent tree,
XMP metadata, output intent and the catalog entries with pikepdf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from reportlab.pdfbase.pdfdoc import PDFObject, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, Paragraph, Table

from .addresses import ZERO_WIDTH_SPACE

ADDRESS_CALLBACK = "address"  # the paragraph callback that marks an address's span
ANNOTATION_KEYS = 1_000_000  # reportlab-time StructParent keys of annotations start here


@dataclass(eq=False)
class MarkedContent:
    """One marked-content sequence: page index and its MCID on that page."""

    page: int
    mcid: int


@dataclass(eq=False)
class AnnotationRef:
    """A link annotation, known by the StructParent key given when it was made."""

    key: int


@dataclass(eq=False)
class Node:
    """A structure element. `kids` holds nodes, marked content and annotations in
    reading order; `dynamic` ones are made while drawing and cleared each pass."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    scope: str | None = None  # for TH: "Column" or "Row"
    kids: list[Node | MarkedContent | AnnotationRef] = field(default_factory=list)
    dynamic: bool = False
    text: str = ""  # a Link's words, for its annotation's description
    numbering: str | None = None  # for L: "Decimal" or "Disc", read out by screen readers
    bbox: tuple[float, float, float, float] | None = None  # Figure, Table: on its first page

    def add(self, role: str, **attributes: Any) -> Node:
        child = Node(role, parent=self, **attributes)
        self.kids.append(child)
        return child


@dataclass(frozen=True)
class FillInField:
    """A text field for readers to fill in: its name, its tooltip (what a screen
    reader announces) and the Form element that owns it."""

    name: str
    tooltip: str
    node: Node


@dataclass(frozen=True)
class PlacedField:
    field: FillInField
    page: int
    rect: tuple[float, float, float, float]
    key: int  # the StructParent key reserved for its widget


class Tagger:
    """Hands out MCIDs per page and keeps the structure tree for one PDF."""

    def __init__(self, root_role: str = "Document") -> None:
        self.root = Node(root_role)
        self.page = 0
        self._next_mcid: dict[int, int] = {}
        self._annotations = 0
        self.this_pass = object()  # marks what was drawn in the current pass
        self.fields: list[PlacedField] = []  # made into widgets by `finish`

    def reset(self) -> None:
        """Forget everything drawn: reportlab draws the whole story again on each pass."""
        self._next_mcid.clear()
        self._annotations = 0
        self.this_pass = object()
        self.fields.clear()

        def clear(node: Node) -> None:
            node.kids = [k for k in node.kids if isinstance(k, Node) and not k.dynamic]
            for kid in node.kids:
                assert isinstance(kid, Node)
                clear(kid)

        clear(self.root)

    def open(self, node: Node, actual: str | None = None) -> str:
        """The operator that starts a new marked-content sequence owned by `node`,
        reading as `actual` if given (/ActualText)."""
        mcid = self._next_mcid.get(self.page, 0)
        self._next_mcid[self.page] = mcid + 1
        node.kids.append(MarkedContent(self.page, mcid))
        reads_as = "" if actual is None else f" /ActualText {_text_string(actual)}"
        return f"/{node.role} <</MCID {mcid}{reads_as}>> BDC"

    def release(self, content: MarkedContent) -> None:
        """Give back the MCID of a sequence that was opened and then dropped unused."""
        if self._next_mcid.get(content.page) == content.mcid + 1:
            self._next_mcid[content.page] = content.mcid

    def form_field(
        self, canvas: Canvas, field: FillInField, rect: tuple[float, float, float, float]
    ) -> None:
        """Place a fill-in field here (`rect` relative to what is being drawn)."""
        x0, y0 = canvas.absolutePosition(rect[0], rect[1])
        x1, y1 = canvas.absolutePosition(rect[2], rect[3])
        box = (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))
        self.fields.append(PlacedField(field, self.page, box, self.annotation(field.node)))

    def annotation(self, node: Node) -> int:
        key = ANNOTATION_KEYS + self._annotations
        self._annotations += 1
        node.kids.append(AnnotationRef(key))
        return key


ARTIFACT = "/Artifact BMC"
PAGINATION = "/Artifact <</Type /Pagination>> BDC"
END = "EMC"

# Each page's "Page X of Y" is a form XObject of its own, which the footer draws:
# a combined pack numbers its pages anew by swapping the forms, without laying
# out again the documents it holds.
NUMBER_FORM = "PageNumber"  # reportlab names the form of page 3 /FormXob.PageNumber3
NUMBER_ORIGIN = (400.0, 100.0)  # where `pages.page_numbers` draws each number


def renumber_pages(pdf: pikepdf.Pdf, numbers: bytes) -> None:
    """Page i's number form swapped for page i of `numbers` (a PDF whose pages each
    show one number, right-aligned at NUMBER_ORIGIN)."""
    x, y = NUMBER_ORIGIN
    prefix = f"/FormXob.{NUMBER_FORM}"
    with pikepdf.open(io.BytesIO(numbers)) as source:
        for page, number in zip(pdf.pages, source.pages, strict=True):
            form = number.as_form_xobject()
            form.Matrix = pikepdf.Array([1, 0, 0, 1, -x, -y])
            copied = pdf.copy_foreign(form)
            resources = page.obj.Resources
            # The page's own dictionary of forms: another page may share the old one.
            old: dict[str, Any] = dict(resources.get("/XObject", pikepdf.Dictionary()).items())
            (name,) = [key for key in old if key.startswith(prefix)]
            forms = pikepdf.Dictionary({**old, name: copied})
            resources.XObject = forms


# ------------------------------------------------------------------ drawing


class _TaggedText(PDFTextObject):  # type: ignore[misc]
    """A text object whose content belongs to the structure element being drawn.

    Link text inside it gets marked content of its own, owned by a Link element,
    and each line ends with a space so text extraction keeps words apart.
    """

    def __init__(self, canvas: TaggingCanvas, *args: Any, **kwargs: Any) -> None:
        super().__init__(canvas, *args, **kwargs)
        self._node: Node | None = canvas._tag_node
        self._tagger = canvas.tagger
        self._links = canvas._links  # shared by every text object of one paragraph
        self._open_link: Node | None = None
        self._whole_link: Node | None = None  # a Link holding all of this paragraph's text
        self._words: list[str] = []  # all text written, for a link that is the whole text
        self._last = ""  # the text written last, whose end decides a line's closing space
        self._open_at = -1  # index in _code of the sequence opened last
        self._written = 0  # texts written since then
        self._actual: str | None = None  # what the address about to be written reads as
        self._reads_as: str | None = None  # the open sequence's /ActualText: an address
        self._span: Node | None = None  # the address's Span element, while it is open
        self._ended_link: Node | None = None  # a link reportlab ended, not yet closed
        self._ended_at = 0  # where in _code the words after it start
        self._written_since_end = 0
        if self._node is not None:
            self._open(self._node)

    def _open(self, node: Node, actual: str | None = None) -> None:
        self._code.append(self._tagger.open(node, actual))
        self._open_at = len(self._code) - 1
        self._written = 0
        self._reads_as = actual

    def _owner(self) -> Node:
        """The element whose sequence is open now."""
        owner = self._span or self._open_link or self._node
        assert owner is not None
        return owner

    def _restart(self, actual: str | None) -> None:
        """End the sequence open now and start the next: an address (`actual`, what it
        reads as) in a Span element of its own, as PDF readers honour /ActualText on
        Span sequences; after it, its parent's words again."""
        if self._written == 0 and self._open_at == len(self._code) - 1:
            self._drop_open(self._owner())
        else:
            self._code.append(END)
        self._span = None
        if actual is None:
            self._open(self._owner())
        else:
            self._span = self._owner().add("Span")
            self._span.dynamic = True
            self._open(self._span, actual)

    def _drop_open(self, node: Node) -> None:
        """Remove the sequence opened last, which turned out to hold no text."""
        content = next(k for k in reversed(node.kids) if isinstance(k, MarkedContent))
        node.kids.remove(content)
        self._tagger.release(content)
        del self._code[self._open_at]

    def _textOut(self, text: str, TStar: int = 0) -> None:
        # Every line ends with a space, even one that ends just after a link (which
        # leaves nothing else on it to carry the space), so words never run together;
        # but not inside a web address broken after '/' or '-', which stays one word.
        text = text.replace(ZERO_WIDTH_SPACE, "")  # a place to wrap, never drawn
        if text and self._actual is not None and self._node is not None:
            self._settle()
            self._restart(self._actual)
            self._actual = None
        last = (text or self._last)[-1:]
        inside = self._reads_as is not None  # an address wraps with no space added
        if TStar and self._node is not None and not inside and last not in (" ", "/", "-"):
            text += " "
        if text:
            self._last = text
            self._written += 1
            self._written_since_end += 1
            self._words.append(text)
            link = self._open_link or self._whole_link
            if link is not None:
                link.text += text
        super()._textOut(text, TStar)

    def _linkRecord(self, link: Any, event: str) -> None:
        """Called by reportlab's paragraph code as a link's text starts and ends."""
        if self._node is None:
            return
        if event == "start":
            url = str(link[1]) if isinstance(link, tuple) else str(link)
            node = self._links.get(url)  # a link wrapped onto the next line stays one Link
            going_on = node is not None and node is self._ended_link
            if not (going_on and self._written_since_end == 1):  # only its own words since
                self._settle()
            if node is None:
                node = self._node.add("Link")
                node.dynamic = True
                self._links[url] = node
            node.text += self._words[-1] if self._words else ""
            self._open_link = node
            if self._ended_link is node:  # the same link, going on at the next line
                self._ended_link = None
                return
            if self._span is not None:  # the link's words are an address: its Span
                self._node.kids.remove(self._span)  # goes on, inside the Link
                node.kids.append(self._span)
                self._span.parent = node
                return
            # The link's first words were just written: its sequence starts before them.
            last = self._code.pop()
            if self._written == 1:
                self._drop_open(self._node)
            else:
                self._code.append(END)
            self._open(node)
            self._code.append(last)
            self._written = 1
        else:
            # Closed only once what follows is known: reportlab ends a link at each
            # line end and starts it again on the next line, and a link is one
            # sequence across its lines (an address in it reads whole).
            self._ended_link, self._ended_at = self._open_link, len(self._code)
            self._written_since_end = 0
            self._open_link = None

    def _settle(self) -> None:
        """Close the link reportlab ended, before the words that followed it."""
        if self._ended_link is None or self._node is None:
            return
        at, self._ended_link = self._ended_at, None
        self._code[at:at] = [END, self._tagger.open(self._node)]
        self._open_at, self._written = at + 1, self._written_since_end

    def link_node(self, target: str) -> Node | None:
        """The Link element for a link to `target`; the whole text if it is one link."""
        if self._node is None:
            return None
        if target in self._links:
            return self._links[target]
        # A paragraph that is one link throughout never reports start and end:
        # its own marked content moves under a Link element.
        node = Node("Link", parent=self._node, dynamic=True, text="".join(self._words))
        own = [k for k in self._node.kids if isinstance(k, MarkedContent)]
        if own:
            self._node.kids.remove(own[-1])
            node.kids.append(own[-1])
        self._node.kids.append(node)
        self._links[target] = node
        self._whole_link = node  # the lines still to come are its words too
        return node

    def address(self, kind: str, text: str | None) -> None:
        """An address starts (`text` is what it reads as) or ends. Its words are drawn
        with the break points that let it wrap taken out, and marked with the address
        as /ActualText, so what a reader copies or searches is exactly the address,
        even where it wraps after a hyphen (which readers would otherwise drop)."""
        if kind == "start":
            self._actual = text
        elif self._reads_as is not None:
            self._restart(None)
        else:
            self._actual = None

    def getCode(self) -> str:
        self._settle()
        if self._reads_as is not None:  # the address goes on in the next frame: this
            # part reads as what it shows
            self._code[self._open_at] = _READS_AS.sub("", self._code[self._open_at])
        if self._node is not None:
            if self._written == 0 and self._open_at == len(self._code) - 1:
                self._drop_open(self._owner())
            else:
                self._code.append(END)
        return str(super().getCode())


def address_mark(event: str, words: str = "") -> str:
    """Paragraph markup that tells the canvas an address starts (reading as `words`,
    without its break points) or ends: see `_TaggedText.address`."""
    label = escape(f"{event}:{words.replace(ZERO_WIDTH_SPACE, '')}", {'"': "&quot;"})
    return f'<onDraw name="{ADDRESS_CALLBACK}" label="{label}"/>'


_READS_AS = re.compile(r" /ActualText <[0-9A-F]*>")


def _text_string(text: str) -> str:
    """A PDF text string for a content stream: UTF-16BE, written in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _AnnotationWithStructure(PDFObject):  # type: ignore[misc]
    """A reportlab annotation with the entries PDF/UA and PDF/A ask for added."""

    def __init__(self, annotation: Any, extra: dict[str, Any]) -> None:
        self.annotation = annotation
        self.extra = extra

    def format(self, document: Any) -> bytes:
        dictionary = self.annotation.Dict() if hasattr(self.annotation, "Dict") else self.annotation
        dictionary.dict.update(self.extra)
        return bytes(dictionary.format(document))


class TaggingCanvas(Canvas):  # type: ignore[misc]
    """A canvas that knows which structure element is being drawn."""

    tagger: Tagger

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tag_node: Node | None = None
        self._last_text: _TaggedText | None = None
        self._link_target: str | None = None
        self._links: dict[str, Node] = {}  # Link elements of the paragraph being drawn
        self.link_owner: Node | None = None  # set to give the next annotation this Link
        self.setNamedCB(ADDRESS_CALLBACK, self._address)
        self.tagger.reset()

    def _address(self, canvas: Canvas, kind: str, label: str | None) -> None:
        """Called by a paragraph at `<onDraw name="address" label="start:...">`."""
        text = self._curr_tx_info["tx"]
        if isinstance(text, _TaggedText):
            event, _, words = (label or "").partition(":")
            text.address(event, words)

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        text = _TaggedText(self, x, y, direction=direction)
        if self._tag_node is not None:
            self._last_text = text
        return text

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """Lines drawn for a paragraph are underlines: decoration, so artifacts."""
        if self._tag_node is not None:
            self._code.append(ARTIFACT)
            super().line(x1, y1, x2, y2)
            self._code.append(END)
        else:
            super().line(x1, y1, x2, y2)

    def linkURL(self, url: str, rect: Any, relative: int = 0, **kwargs: Any) -> None:
        self._link_target = url
        super().linkURL(url, rect, relative=relative, **kwargs)

    def linkRect(self, contents: str, destination: str, *args: Any, **kwargs: Any) -> Any:
        self._link_target = "#" + destination
        return super().linkRect(contents, destination, *args, **kwargs)

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> Any:
        """Every link gets the print flag, a description, and a key for its Link element."""
        target, self._link_target = self._link_target, None
        text = self._last_text
        node = self.link_owner
        if node is None and target is not None and text is not None and self._tag_node:
            node = text.link_node(target)
        # A placeholder: `finish` describes the link by its whole text, which is only
        # known once a link that wraps onto another line has been drawn to its end.
        extra: dict[str, Any] = {"F": 4, "Contents": PDFString(f"Link to {target}")}
        if node is not None:
            extra["StructParent"] = self.tagger.annotation(node)
        wrapped = _AnnotationWithStructure(annotation, extra)
        return super()._addAnnotation(wrapped, name, addtopage)

    @contextmanager
    def marked(self, node: Node) -> Iterator[None]:
        """Marked content for drawing that is not text (an image)."""
        self._code.append(self.tagger.open(node))
        yield
        self._code.append(END)

    @contextmanager
    def artifact(self, kind: str = ARTIFACT) -> Iterator[None]:
        self._code.append(kind)
        yield
        self._code.append(END)


class TaggedParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph whose text belongs to `node`. Drawn a second time (a table
    header row repeated on a new page), it is an artifact instead."""

    node: Node

    def tagged(self, node: Node) -> TaggedParagraph:
        self.node = node
        return self

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = super().split(available_width, available_height)
        for part in parts:
            part.node = self.node
            if hasattr(self, "bookmark"):
                part.bookmark = self.bookmark
        return list(parts)

    def drawOn(self, canvas: TaggingCanvas, x: float, y: float, _sW: float = 0) -> None:
        tagger = canvas.tagger
        if getattr(self, "_drawn_in", None) is tagger.this_pass:
            with canvas.artifact():
                super().drawOn(canvas, x, y, _sW)
            return
        self._drawn_in = tagger.this_pass
        self.drawn_top = canvas.absolutePosition(x, y + self.height)[1]
        canvas._tag_node, canvas._last_text, canvas._links = self.node, None, {}
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            canvas._tag_node, canvas._last_text = None, None


class TaggedFigure(Flowable):  # type: ignore[misc]
    """An image as a Figure element with alternative text."""

    def __init__(self, image: Flowable, node: Node) -> None:
        super().__init__()
        self.image = image
        self.node = node
        self.hAlign = getattr(image, "hAlign", "LEFT")

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        width, height = self.image.wrap(available_width, available_height)
        self.width, self.height = width, height
        return width, height

    def draw(self) -> None:
        self.node.bbox = page_box(self.canv, self.width, self.height)
        with self.canv.marked(self.node):
            self.image.drawOn(self.canv, 0, 0)


def page_box(canvas: Canvas, width: float, height: float) -> tuple[float, float, float, float]:
    """The page rectangle of a flowable being drawn at the canvas's origin."""
    x0, y0 = canvas.absolutePosition(0, 0)
    x1, y1 = canvas.absolutePosition(width, height)
    return (
        round(min(x0, x1), 2),
        round(min(y0, y1), 2),
        round(max(x0, x1), 2),
        round(max(y0, y1), 2),
    )


class TableDecoration:
    """A table's render callback: backgrounds and rules are decoration, so artifacts;
    and the table's box on the page where it starts, for its structure element."""

    def __init__(self, node: Node | None = None) -> None:
        self.node = node

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        canvas = table.canv
        if event == "startTable" and self.node is not None and self.node.bbox is None:
            self.node.bbox = page_box(canvas, table._width, table._height)
        elif event in ("startBG", "startLines"):
            canvas._code.append(ARTIFACT)
        elif event in ("endBG", "endLines"):
            canvas._code.append(END)


table_render_callback = TableDecoration()


# ------------------------------------------------------------------ finishing


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    language: str


def finish(data: bytes, tagger: Tagger, meta: Metadata) -> bytes:
    """Add the structure tree, PDF/UA and PDF/A catalog entries and XMP to a reportlab PDF."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = list(pdf.pages)
        _add_form_fields(pdf, tagger.fields)
        annotations: dict[int, Any] = {}
        for index, page in enumerate(pages):
            page.obj.StructParents = index
            if "/Trans" in page.obj:  # an empty page transition reportlab always writes
                del page.obj["/Trans"]
            annots = page.obj.get("/Annots")
            if annots is not None and len(annots):
                page.obj.Tabs = pikepdf.Name.S
                for annot in annots:
                    key = annot.get("/StructParent")
                    if key is not None:
                        annotations[int(key)] = annot
                    annot.F = 4
                    annot.P = page.obj  # reportlab leaves out the page an annotation is on
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        parents: dict[int, dict[int, pikepdf.Object]] = {i: {} for i in range(len(pages))}
        annotation_parents: dict[int, pikepdf.Object] = {}
        root.K = _element(pdf, tagger.root, root, pages, parents, annotations, annotation_parents)
        numbers: list[Any] = []
        for index in range(len(pages)):
            owners = parents[index]
            numbers += [index, pikepdf.Array([owners[m] for m in sorted(owners)])]
        next_key = len(pages)
        for old_key in sorted(annotation_parents):
            annotations[old_key].StructParent = next_key
            numbers += [next_key, annotation_parents[old_key]]
            next_key += 1
        root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(numbers)))
        root.ParentTreeNextKey = next_key
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.Root.Lang = pikepdf.String(meta.language)
        preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        preferences.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = preferences
        _set_info_and_xmp(pdf, meta)
        pdf.Root.OutputIntents = pikepdf.Array([_srgb_intent(pdf)])
        tag_font_subsets(pdf)
        return save(pdf)


# PDF/A-2 is based on PDF 1.7, and /Tabs needs 1.5: say so in the header.
PDF_VERSION = "1.7"
FIELD_FONT_SIZE = 11


def save(pdf: pikepdf.Pdf) -> bytes:
    """The finished file: the same bytes for the same content, and its many small
    objects (the structure tree is most of them) packed into compressed object
    streams, which PDF 1.5 and later allow: a third smaller."""
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        min_version=PDF_VERSION,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return out.getvalue()


def _add_form_fields(pdf: pikepdf.Pdf, fields: list[PlacedField]) -> None:
    """Text-field widgets for fill-in lines, written here because reportlab's own
    form fields can only use the standard, unembedded fonts PDF/A forbids. Each has
    an empty appearance (so it prints as the line beneath it), a tooltip, and the
    StructParent its Form element was given."""
    if not fields:
        return
    font = next(
        f
        for f in pdf.objects
        if isinstance(f, pikepdf.Dictionary)
        and f.get("/Type") == "/Font"
        and "-" not in str(f.get("/BaseFont", "")).partition("+")[2]
    )
    appearance = f"/F1 {FIELD_FONT_SIZE} Tf 0 g"
    widgets = []
    for placed in fields:
        x0, y0, x1, y1 = placed.rect
        empty = pikepdf.Stream(pdf, b"/Tx BMC\nEMC\n")
        empty.Type, empty.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        empty.BBox = pikepdf.Array([0, 0, round(x1 - x0, 2), round(y1 - y0, 2)])
        empty.Resources = pikepdf.Dictionary()
        page = pdf.pages[placed.page].obj
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                T=pikepdf.String(placed.field.name),
                TU=pikepdf.String(placed.field.tooltip),
                Rect=pikepdf.Array(placed.rect),
                F=4,
                P=page,
                DA=pikepdf.String(appearance),
                AP=pikepdf.Dictionary(N=pdf.make_indirect(empty)),
                StructParent=placed.key,
            )
        )
        if "/Annots" not in page:
            page.Annots = pikepdf.Array()
        page.Annots.append(widget)
        widgets.append(widget)
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(widgets),
        DA=pikepdf.String(appearance),
        DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )


def tag_font_subsets(pdf: pikepdf.Pdf) -> None:
    """Give each font subset its own six-letter tag, made from its contents.

    reportlab tags subsets by their number alone, so the regular, bold and italic
    faces all became AAAAAA+; ISO 32000 asks for a different tag per subset.
    """
    used: set[str] = set()
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != "/Font":
            continue
        name = str(font.get("/BaseFont", ""))[1:]
        tag, plus, family = name.partition("+")
        descriptor = font.get("/FontDescriptor")
        if not plus or len(tag) != 6 or descriptor is None or "/FontFile2" not in descriptor:
            continue
        digest = hashlib.sha256(family.encode() + descriptor.FontFile2.read_raw_bytes())
        new_tag = _letters(digest.digest())
        while new_tag in used:
            digest.update(b"\0")
            new_tag = _letters(digest.digest())
        used.add(new_tag)
        font.BaseFont = pikepdf.Name(f"/{new_tag}+{family}")
        descriptor.FontName = pikepdf.Name(f"/{new_tag}+{family}")


def _letters(digest: bytes) -> str:
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _element(
    pdf: pikepdf.Pdf,
    node: Node,
    parent: pikepdf.Object,
    pages: list[pikepdf.Page],
    parents: dict[int, dict[int, pikepdf.Object]],
    annotations: dict[int, Any],
    annotation_parents: dict[int, pikepdf.Object],
) -> pikepdf.Object:
    element = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + node.role), P=parent)
    )
    if node.alt is not None:
        element.Alt = pikepdf.String(node.alt)
    attributes = _attributes(node)
    if attributes:
        element.A = attributes[0] if len(attributes) == 1 else pikepdf.Array(attributes)
    kids = []
    for kid in node.kids:
        if isinstance(kid, Node):
            kids.append(
                _element(pdf, kid, element, pages, parents, annotations, annotation_parents)
            )
        elif isinstance(kid, MarkedContent):
            page = pages[kid.page].obj
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=kid.mcid))
            parents[kid.page][kid.mcid] = element
        elif kid.key in annotations:
            annotation = annotations[kid.key]
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation, Pg=annotation.P))
            annotation_parents[kid.key] = element
            words = " ".join(node.text.split())
            if words:  # the link's whole text, however many lines it wrapped over
                annotation.Contents = pikepdf.String(words)
    element.K = pikepdf.Array(kids)
    return element


def _attributes(node: Node) -> list[pikepdf.Dictionary]:
    """The attribute objects a structure element carries (ISO 32000-1, 14.8.5)."""
    found = []
    if node.scope is not None:
        found.append(pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name("/" + node.scope)))
    if node.numbering is not None:
        found.append(
            pikepdf.Dictionary(
                O=pikepdf.Name.List, ListNumbering=pikepdf.Name("/" + node.numbering)
            )
        )
    if node.bbox is not None:
        found.append(pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=pikepdf.Array(node.bbox)))
    return found


def _pdf_date_to_iso(value: str) -> str:
    """D:20261128000000+00'00' -> 2026-11-28T00:00:00+00:00 (XMP must match the Info dates)."""
    digits = value.removeprefix("D:")
    stamp = dt.datetime.strptime(digits[:14], "%Y%m%d%H%M%S")
    zone = digits[14:].replace("'", "")
    if zone in ("", "Z"):
        return stamp.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    return stamp.strftime("%Y-%m-%dT%H:%M:%S") + f"{zone[0]}{zone[1:3]}:{zone[3:5] or '00'}"


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <pdfuaid:part>1</pdfuaid:part>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 conformed to</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _set_info_and_xmp(pdf: pikepdf.Pdf, meta: Metadata) -> None:
    """Info dictionary and XMP saying the same thing, as PDF/A requires."""
    info = pdf.docinfo
    info.Title = meta.title
    info.Author = meta.author
    info.Subject = meta.subject
    info.Keywords = meta.keywords
    created = str(info.get("/CreationDate", "D:20000101000000+00'00'"))
    modified = str(info.get("/ModDate", created))
    values = {
        "title": meta.title,
        "author": meta.author,
        "subject": meta.subject,
        "keywords": meta.keywords,
        "language": meta.language,
        "producer": str(info.get("/Producer", "")),
        "creator": str(info.get("/Creator", "")),
        "created": _pdf_date_to_iso(created),
        "modified": _pdf_date_to_iso(modified),
    }
    if "/Trapped" in info:
        del info["/Trapped"]
    xml = _XMP.format(**{k: escape(v) for k, v in values.items()})
    stream = pikepdf.Stream(pdf, xml.encode("utf-8"))
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)


_SRGB: bytes | None = None


def _srgb_intent(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """The sRGB output intent PDF/A needs, with an ICC profile made by littleCMS."""
    global _SRGB
    if _SRGB is None:
        from PIL import ImageCms

        icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
        # The header holds the moment it was made (bytes 24-35) and an optional MD5
        # of the profile (84-99); fix the first and clear the second for equal bytes.
        icc[24:36] = bytes([7, 208, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])  # 2000-01-01 00:00:00
        icc[84:100] = bytes(16)
        _SRGB = bytes(icc)
    profile = pikepdf.Stream(pdf, _SRGB)
    profile.N = 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=pdf.make_indirect(profile),
    )
