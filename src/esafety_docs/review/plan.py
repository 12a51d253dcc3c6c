"""What a reviewed copy asks for, worked out before anything is written: the
changes that map onto source text, the comments and where they belong, and
everything that must be done by hand, each with what to do."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .manifest import Entry
from .reviewed import Accept, Comment, Piece, ReadParagraph, Reviewed, view, words
from .revise import reads_as, revise, same, styled
from .sourcefile import SourceFile


@dataclass(frozen=True)
class Change:
    entry: Entry
    line: int
    before: str
    after: str
    markup: str  # the new source text
    authors: tuple[str, ...]  # who tracked it; empty for an edit made without tracking


@dataclass(frozen=True)
class ByHand:
    where: str  # file:line, or the part of the document
    what: str
    todo: str


@dataclass(frozen=True)
class Note:
    comment: Comment
    where: str
    entry: Entry | None  # the source text it is about, if it is about source text


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    by_hand: list[ByHand] = field(default_factory=list)
    conflicts: list[ByHand] = field(default_factory=list)
    skipped_authors: set[str] = field(default_factory=set)


def plan(reviewed: Reviewed, source: SourceFile, accept: Accept, stale: bool) -> Plan:
    """`stale`: the source has changed since export, so each change is applied only
    where the source still holds the words the review copy was made from."""
    result = Plan()
    manifest = reviewed.manifest
    by_mark = {entry.mark: entry for entry in manifest.entries}
    where = _Locator(source)
    holders: dict[str, list[int]] = {}
    anchors: dict[str, ReadParagraph] = {}  # comment id -> the paragraph it is on
    for index, paragraph in enumerate(reviewed.paragraphs):
        for mark in paragraph.marks:
            holders.setdefault(mark, []).append(index)
        for comment_id in paragraph.comments:
            anchors.setdefault(comment_id, paragraph)
        for piece in paragraph.pieces:
            if piece.change and not accept(piece):
                result.skipped_authors.add(piece.author or "(no name)")
    previous: Entry | None = None
    for paragraph in reviewed.paragraphs:
        entries = [by_mark[m] for m in paragraph.marks if m in by_mark]
        if not entries:
            added = words(view(paragraph.pieces, accept))
            if added:
                result.by_hand.append(
                    ByHand(
                        where.of(previous) if previous else "the start of the document",
                        f'a new paragraph was added after this: "{added}"',
                        "add it to the source by hand, as a new `- ` item where it belongs",
                    )
                )
            continue
        previous = entries[-1]
    for entry in manifest.entries:
        held = holders.get(entry.mark, [])
        if not held:
            result.by_hand.append(
                ByHand(
                    where.of(entry),
                    f'this paragraph was deleted: "{entry.text}"',
                    "delete it from the source by hand if it should go"
                    if entry.file
                    else f"it is made by the pack from {entry.made_from}: change that instead",
                )
            )
            continue
        paragraphs = [reviewed.paragraphs[i] for i in held]
        if len(paragraphs) == 1 and entry.mark in paragraphs[0].marks[1:]:
            continue  # joined with the paragraph before: reported once, for the first
        shape = _shape_problem(paragraphs, accept)
        if shape:
            result.by_hand.append(
                ByHand(where.of(entry), shape, _split_todo(entry, paragraphs, accept))
            )
            continue
        _compare(entry, paragraphs[0], accept, where, stale, source, result)
    for comment in reviewed.comments:
        anchor = anchors.get(comment.id)
        about = next((by_mark[m] for m in (anchor.marks if anchor else []) if m in by_mark), None)
        source_text = about if about and about.file else None
        if source_text and stale and _changed_since(source_text, source):
            result.conflicts.append(
                ByHand(
                    where.of(source_text),
                    f"a comment by {comment.author or '(no name)'} is about words that have "
                    f'changed since the review copy was made: "{comment.text}"',
                    "read it against the source as it is now; it is not written into the file",
                )
            )
            source_text = None
        result.notes.append(
            Note(
                comment,
                where.of(about)
                if about
                else "a paragraph the reviewer added"
                if anchor
                else "no paragraph (the comment is not attached to any words)",
                source_text,
            )
        )
    _furniture(reviewed, accept, result)
    return result


def _shape_problem(paragraphs: list[ReadParagraph], accept: Accept) -> str:
    """Why a paragraph no longer maps onto one piece of source text, or ""."""
    if len(paragraphs) > 1:
        return f"this paragraph was split into {len(paragraphs)} paragraphs"
    (paragraph,) = paragraphs
    if len(paragraph.marks) > 1:
        return f"this paragraph was joined with the {len(paragraph.marks) - 1} after it"
    joined = paragraph.mark_change == "del" and accept(
        Piece("", change="del", author=paragraph.mark_author)
    )
    if joined and words(view(paragraph.pieces, accept)):
        return "this paragraph was joined with the one after it (a tracked change)"
    return ""


def _split_todo(entry: Entry, paragraphs: list[ReadParagraph], accept: Accept) -> str:
    parts = [words(view(p.pieces, accept)) for p in paragraphs]
    shown = " | ".join(f'"{part}"' for part in parts if part)
    if not entry.file:
        return f"it is made by the pack from {entry.made_from}; the reviewer wrote: {shown}"
    return (
        f"a source item holds one paragraph: edit it by hand, making one `- ` item per "
        f"paragraph. The reviewer's paragraphs: {shown}"
    )


def _compare(
    entry: Entry,
    paragraph: ReadParagraph,
    accept: Accept,
    where: _Locator,
    stale: bool,
    source: SourceFile,
    result: Plan,
) -> None:
    accepted = view(paragraph.pieces, accept)
    after = words(accepted)
    if not entry.file:
        if after != entry.text:
            result.by_hand.append(
                ByHand(
                    where.of(entry),
                    f'text the pack makes was changed: "{entry.text}" became "{after}"',
                    f"change it where it comes from: {entry.made_from}",
                )
            )
        return
    if any(p.generated and p.change and accept(p) for p in paragraph.pieces):
        result.by_hand.append(
            ByHand(
                where.of(entry),
                "a printed web address was changed",
                "the address printed after a link is the link's own: change the link's address "
                "in the source by hand",
            )
        )
    target = styled(accepted)
    if same(reads_as(entry.markup), target):
        if paragraph.formatting_changed:
            result.by_hand.append(
                ByHand(
                    where.of(entry),
                    "formatting the sources do not hold was changed (such as the font, size "
                    "or colour)",
                    "the pack's styles set these for every document: nothing to do here, or "
                    "ask for a change to templates/brand.yaml",
                )
            )
        return
    if not after:
        result.by_hand.append(
            ByHand(
                where.of(entry),
                f'all of this text was deleted: "{entry.text}"',
                "delete the item from the source by hand if it should go",
            )
        )
        return
    if stale and _changed_since(entry, source):
        result.conflicts.append(
            ByHand(
                where.of(entry),
                f"the source has changed here since the review copy was made; "
                f'the reviewer wrote "{after}"',
                "compare the two and edit the source by hand",
            )
        )
        return
    markup = revise(entry.markup, target)
    if markup is None:
        result.by_hand.append(
            ByHand(
                where.of(entry),
                f'the new text could not be written as source text: "{after}"',
                "edit the source by hand",
            )
        )
        return
    authors = tuple(
        sorted({p.author or "(no name)" for p in paragraph.pieces if p.change and accept(p)})
    )
    result.changes.append(Change(entry, where.line(entry), entry.text, after, markup, authors))


def _changed_since(entry: Entry, source: SourceFile) -> bool:
    """The source no longer holds, at the entry's place, the text it was exported with."""
    return source.text_at(entry.path) != entry.markup


_DIGITS = re.compile(r"\d+")


def _furniture(reviewed: Reviewed, accept: Accept, result: Plan) -> None:
    """Headers and footers are made by the pack: any change there is done by hand."""
    known = {_DIGITS.sub("#", text) for text in reviewed.manifest.furniture.values()}
    for part, pieces in reviewed.furniture.items():
        kind = "header" if "header" in part else "footer"
        text = words(view(pieces, accept))
        if any(p.change for p in pieces) or (text and _DIGITS.sub("#", text) not in known):
            result.by_hand.append(
                ByHand(
                    f"the page {kind}",
                    f'the {kind} was changed: "{text}"',
                    "headers and footers are made by the pack: the title comes from `title:` in "
                    "the document's source, the version and date from pack.yaml",
                )
            )


class _Locator:
    """file:line for source text (lines as the file is now), or what makes the text."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source

    def line(self, entry: Entry) -> int:
        return self.source.line(entry.path)

    def of(self, entry: Entry) -> str:
        if not entry.file:
            return entry.made_from
        line = self.line(entry)
        return f"{entry.file}:{line}" if line else f"{entry.file} ({entry.path})"
