"""Release notes for schools: what changed since the previous release, in plain English.

After the dates, a draft release says what is not yet approved, and contacts
left out until their details are confirmed are named. Then, grouped by
document: first what the editors wrote in `change_history`, newest first;
then what comparing the two releases found: sections added, removed,
moved, renamed or reworded (with the sentence before and after), and changes of
status, approval and review date. Then contact details that changed, each
naming the documents that show it, and changes to the pack as a whole. Every
date is written out ("28 November 2027"); the day of the release and the pack's
edition date are both given and labelled.

The notes are generic blocks, so the combined PDF, the download page,
RELEASE-NOTES.md and the feed all print the same words.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..reading.model import Block, BulletList, Heading, Paragraph, Strong, Text
from ..render.common import long_date, web_text
from .history import Previous, version_key
from .snapshot import CONTACT_FIELDS, Snapshot, content_digest

# How many changed sentences of one section are quoted before the rest are counted.
QUOTED_PER_SECTION = 3
# A quoted sentence longer than this is cut down around the words that changed.
SHORT_QUOTE = 100


@dataclass(frozen=True)
class Notes:
    """One release's notes, as blocks every format can print."""

    version: str
    blocks: tuple[Block, ...]

    def markdown(self) -> str:
        """RELEASE-NOTES.md: the same blocks as Markdown."""
        from ..render.markdown import block

        return "\n\n".join(block(item) for item in self.blocks) + "\n"


def notes_for(new: Snapshot, previous: Previous | None, released_on: dt.date) -> Notes:
    """The notes of a release made on `released_on` from the sources in `new`."""
    pack = new["pack"]
    old = previous.snapshot if previous else None
    blocks: list[Block] = [
        Heading(1, f"What changed in version {pack['version']}"),
        BulletList(tuple(_facts(pack, previous, released_on))),
    ]
    drafts = _drafts(new)
    if drafts:
        blocks.append(
            Paragraph(
                (
                    Strong((Text("This is a draft release."),)),
                    Text(" It was published before everything in it was approved. "),
                    Text(f"Not yet approved: {_and(drafts)}."),
                )
            )
        )
    awaiting = pack.get("awaiting_confirmation")
    if awaiting:
        blocks.append(
            Paragraph(
                (
                    Strong((Text("Not listed in this release, until the details are confirmed:"),)),
                    Text(f" {_and(awaiting)}."),
                )
            )
        )
    if previous is None:
        blocks.append(Paragraph((Text("This is the first release of the pack."),)))
    elif old is None:
        blocks.append(
            Paragraph(
                (
                    Text(
                        f"{previous.label[:1].upper()}{previous.label[1:]} was made by an "
                        "earlier version of "
                        "this tool, so what changed since then cannot be listed."
                    ),
                )
            )
        )
    groups = _groups(old, new, first=previous is None)
    for title, items in groups:
        blocks += [Heading(2, title), BulletList(tuple((Text(item),) for item in items))]
    if old is not None and previous is not None:
        if not groups:
            blocks.append(
                Paragraph((Text(f"Nothing in the pack has changed since {previous.label}."),))
            )
        elif not _reworded(old, new):
            blocks.append(Paragraph((Text("No section has been reworded."),)))
    return Notes(pack["version"], tuple(blocks))


def _facts(
    pack: dict[str, Any], previous: Previous | None, released_on: dt.date
) -> Iterable[tuple[Strong | Text, ...]]:
    def fact(label: str, value: str) -> tuple[Strong | Text, ...]:
        return (Strong((Text(f"{label}: "),)), Text(value))

    yield fact("Released on", long_date(released_on))
    yield fact("Edition date", f"{_date(pack['date'])} (the date the pack's pages carry)")
    if previous is not None:
        when = f", released on {long_date(previous.released_on)}" if previous.released_on else ""
        yield fact("Compared with", f"{previous.label}{when}")


def _drafts(new: Snapshot) -> list[str]:
    drafts = ["the pack as a whole"] if new["pack"]["status"] == "draft" else []
    for doc_id in new["pack"]["documents"]:
        document = new["documents"][doc_id]
        if document["status"] == "draft":
            drafts.append(f'"{document["title"]}"')
    return drafts


# ------------------------------------------------------------------ groups


def _groups(old: Snapshot | None, new: Snapshot, first: bool) -> list[tuple[str, list[str]]]:
    """(heading, notes) for each document that changed, then contacts, then the pack.
    The `first` release lists no editors' lines: schools never had the drafts they
    describe ("First draft written from ..."), so nothing has changed for them."""
    groups: list[tuple[str, list[str]]] = []
    old_documents = old["documents"] if old else {}
    for doc_id in new["pack"]["documents"]:
        after = new["documents"][doc_id]
        before = old_documents.get(doc_id)
        items = [] if first else _editors(before, after)
        if old is not None and before is not None:
            items += _document_notes(before, after, old, new)
        if items:
            groups.append((after["title"], items))
    if old is not None:
        contacts = _contact_notes(old, new)
        if contacts:
            groups.append(("Contacts", contacts))
        whole = _pack_notes(old, new)
        if whole:
            groups.append(("The whole pack", whole))
    return groups


def _editors(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """The editors' own change lines that are new since the previous release, newest first."""
    seen = [] if before is None else before["changes"]
    fresh = [c for c in after["changes"] if c not in seen]
    fresh.sort(key=lambda c: (c["date"], version_key(c["version"])), reverse=True)
    return [_sentence(c["change"]) for c in fresh]


def _document_notes(
    before: dict[str, Any], after: dict[str, Any], old: Snapshot, new: Snapshot
) -> list[str]:
    items: list[str] = []
    if before["title"] != after["title"]:
        items.append(f'Now called "{after["title"]}" (it was "{before["title"]}").')
    for key, what in (("subtitle", "subtitle"), ("summary", "summary on the download page")):
        if before[key] != after[key]:
            items.append(f'The {what} now reads "{_short(after[key])}".')
    items += _section_notes(before["sections"], after["sections"], old, new)
    items += _control_notes(before, after)
    return items


def _reworded(old: Snapshot, new: Snapshot) -> bool:
    """Whether any document's own words changed (not its contacts' details)."""
    for doc_id, after in new["documents"].items():
        before = old["documents"].get(doc_id)
        if before is None or content_digest(before) != content_digest(after):
            return True
    return False


def _control_notes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Status, approval and review date, for a document or the pack."""
    items: list[str] = []
    was_approved = before["status"] == "approved"
    if after["status"] == "approved":
        by, on = after["approved_by"], _date(after["approved_on"])
        if not was_approved:
            items.append(f"Approved by {by} on {on}.")
        elif (before["approved_by"], before["approved_on"]) != (by, after["approved_on"]):
            items.append(
                f"Approved again, by {by} on {on} "
                f"(it was approved on {_date(before['approved_on'])})."
            )
    elif was_approved:
        items.append(
            "Now a draft again: it was approved on "
            f"{_date(before['approved_on'])}, and this version is not yet approved."
        )
    if before["review_due"] != after["review_due"]:
        items.append(
            f"Next review due {_date(after['review_due'])} (it was {_date(before['review_due'])})."
        )
    return items


def _pack_notes(old: Snapshot, new: Snapshot) -> list[str]:
    before, after = old["pack"], new["pack"]
    items: list[str] = []
    if before["title"] != after["title"]:
        items.append(f'The pack is now called "{after["title"]}" (it was "{before["title"]}").')
    old_ids, new_ids = before["documents"], after["documents"]
    for doc_id in new_ids:
        if doc_id not in old_ids:
            items.append(f'New document: "{new["documents"][doc_id]["title"]}".')
    for doc_id in old_ids:
        if doc_id not in new_ids:
            items.append(f'"{old["documents"][doc_id]["title"]}" is no longer in the pack.')
    titles = {i: d["title"] for i, d in new["documents"].items()}
    items += _moves([i for i in old_ids if i in new_ids], new_ids, titles, " in the pack")
    items += _control_notes(before, after)
    return items


# ------------------------------------------------------------------ sections


def _section_notes(
    old_sections: list[dict[str, Any]],
    new_sections: list[dict[str, Any]],
    old: Snapshot,
    new: Snapshot,
) -> list[str]:
    """Sections added, removed, renamed, moved or reworded, in the new reading order."""
    old_by = {tuple(s["path"]): s for s in old_sections}
    new_by = {tuple(s["path"]): s for s in new_sections}
    gone = [p for p in old_by if p not in new_by]
    matched: dict[tuple[str, ...], tuple[str, ...]] = {p: p for p in new_by if p in old_by}
    for path in (p for p in new_by if p not in old_by):
        # The same title under another parent has moved; the same words under another
        # title have been renamed.
        candidates = [q for q in gone if q not in matched.values()]
        same = [q for q in candidates if q[-1] == path[-1]] or [
            q
            for q in candidates
            if new_by[path]["words"] and old_by[q]["words"] == new_by[path]["words"]
        ]
        if same:
            matched[path] = same[0]
    items: list[str] = []
    for path, section in new_by.items():
        title = path[-1]
        if path not in matched:
            where = f' in "{path[-2]}"' if len(path) > 1 else ""
            items.append(f'New section "{title}"{where}.')
            continue
        before = old_by[matched[path]]
        if matched[path][-1] != title:
            items.append(f'The section "{matched[path][-1]}" is now called "{title}".')
        if matched[path][:-1] != path[:-1]:
            items.append(
                f'The section "{title}" has moved from {_place(matched[path])} to {_place(path)}.'
            )
        items += _word_notes(title, before["words"], section["words"])
        items += _list_notes(title, before, section, old, new)
    for path in gone:
        if path not in matched.values():
            items.append(f'The section "{path[-1]}" has been removed.')
    items += _section_moves(old_sections, new_sections, matched)
    return items


def _place(path: tuple[str, ...]) -> str:
    return f'"{path[-2]}"' if len(path) > 1 else "the top level"


def _section_moves(
    old_sections: list[dict[str, Any]],
    new_sections: list[dict[str, Any]],
    matched: dict[tuple[str, ...], tuple[str, ...]],
) -> list[str]:
    """Sections that now come in a different order among the same neighbours."""
    back = {was: now for now, was in matched.items()}
    items: list[str] = []
    parents = {tuple(s["path"][:-1]) for s in new_sections}
    for parent in sorted(parents, key=len):
        siblings = [tuple(s["path"]) for s in new_sections if tuple(s["path"][:-1]) == parent]
        earlier = [back[tuple(s["path"])] for s in old_sections if tuple(s["path"]) in back]
        stayed = [p for p in earlier if p in siblings and matched[p][:-1] == parent]
        where = f' in "{parent[-1]}"' if parent else ""
        items += _moves(stayed, siblings, {p: p[-1] for p in siblings}, where)
    return items


def _moves(before: list[Any], after: list[Any], names: dict[Any, str], where: str) -> list[str]:
    """'"X" now comes after "Y".' for the fewest items whose moving explains the new order.

    `before` is the old order of the items that were there before; `after` is the
    whole new order, newcomers included (they are named as neighbours only).
    """
    kept = [item for item in after if item in before]
    matcher = difflib.SequenceMatcher(None, before, kept, autojunk=False)
    moved = {
        item
        for tag, _, _, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
        for item in kept[j1:j2]
    }
    items = []
    for position, item in enumerate(after):
        if item not in moved:
            continue
        if position == 0:
            items.append(f'"{names[item]}" now comes first{where}.')
        else:
            items.append(f'"{names[item]}" now comes after "{names[after[position - 1]]}"{where}.')
    return items


def _word_notes(title: str, before: list[str], after: list[str]) -> list[str]:
    """Each changed sentence of a section, quoted before and after."""
    changes: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        for index in range(max(len(olds), len(news))):
            was = olds[index] if index < len(olds) else ""
            now = news[index] if index < len(news) else ""
            changes += _sentence_changes(was, now)
    items = []
    for was, now in changes[:QUOTED_PER_SECTION]:
        if was and now:
            was, now = _excerpt(was, now)
            items.append(f'"{title}" reworded: it said "{was}" and now says "{now}"')
        elif now:
            items.append(f'"{title}" now also says "{_short(now)}"')
        else:
            items.append(f'"{title}" no longer says "{_short(was)}"')
    items = [_close(item) for item in items]
    rest = len(changes) - QUOTED_PER_SECTION
    if rest > 0:
        items.append(f'"{title}" has {rest} more change{"" if rest == 1 else "s"} of wording.')
    return items


_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


def _sentence_changes(before: str, after: str) -> list[tuple[str, str]]:
    """The runs of sentences that differ between two versions of one paragraph."""
    olds = [s for s in _SENTENCE_END.split(before) if s]
    news = [s for s in _SENTENCE_END.split(after) if s]
    matcher = difflib.SequenceMatcher(None, olds, news, autojunk=False)
    return [
        (" ".join(olds[i1:i2]), " ".join(news[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _list_notes(
    title: str, before: dict[str, Any], after: dict[str, Any], old: Snapshot, new: Snapshot
) -> list[str]:
    """Contacts a section names itself (not a whole-directory table)."""
    items = []
    added = [i for i in after["lists"] if i not in before["lists"]]
    removed = [i for i in before["lists"] if i not in after["lists"]]
    if added:
        items.append(f'"{title}" now also lists {_and(_names(added, new))}.')
    if removed:
        items.append(f'"{title}" no longer lists {_and(_names(removed, old))}.')
    if after["directory"] and not before["directory"]:
        items.append(f'"{title}" now lists every organisation in the directory.')
    return items


def _names(ids: list[str], snapshot: Snapshot) -> list[str]:
    return [snapshot["contacts"][i]["name"] for i in ids if i in snapshot["contacts"]]


# ------------------------------------------------------------------ contacts

_FIELD_WORDS = {
    "helps_with": ("description", "is"),
    "phone": ("phone number", "is"),
    "email": ("email address", "is"),
    "web": ("web address", "is"),
    "hours": ("opening hours", "are"),
    "notes": ("note", "is"),
}


def _contact_notes(old: Snapshot, new: Snapshot) -> list[str]:
    """Contacts added, removed or changed field by field, with the documents showing them."""
    old_contacts, new_contacts = old["contacts"], new["contacts"]
    shown_before, shown_now = _shown_in(old), _shown_in(new)
    items: list[str] = []
    for contact_id, after in new_contacts.items():
        where = shown_now.get(contact_id)
        if not where:
            continue  # printed nowhere, so nothing a reader sees has changed
        before = old_contacts.get(contact_id)
        if before is None:
            details = [_shown(field, after[field]) for field in ("phone", "email", "web")]
            listed = ", ".join(d for d in details if d)
            listed = f" ({listed})" if listed else ""
            items.append(f"New contact: {after['name']}{listed}: in {_and(where)}.")
            continue
        name = before["name"]
        if after["name"] != name:
            items.append(f"{name} is now called {after['name']}: in {_and(where)}.")
        for field in CONTACT_FIELDS[1:]:
            was, now = before.get(field), after.get(field)
            if was != now:
                items.append(f"{_field_change(after['name'], field, was, now)}: in {_and(where)}.")
    for contact_id, before in old_contacts.items():
        if contact_id not in new_contacts and shown_before.get(contact_id):
            items.append(
                f"{before['name']} has been removed: it was in {_and(shown_before[contact_id])}."
            )
    return items


def _shown_in(snapshot: Snapshot) -> dict[str, list[str]]:
    """Each contact id and the quoted titles of the documents that print it, in pack order."""
    shown: dict[str, list[str]] = {}
    for doc_id in snapshot["pack"]["documents"]:
        document = snapshot["documents"][doc_id]
        for contact_id in document["shows"]:
            shown.setdefault(contact_id, []).append(f'"{document["title"]}"')
    return shown


def _field_change(name: str, field: str, was: str | None, now: str | None) -> str:
    word, verb = _FIELD_WORDS[field]
    if was is None:
        return f"{name}'s {word} {verb} now listed: {_shown(field, now)}"
    if now is None:
        return f"{name}'s {word} {verb} no longer listed (it was {_shown(field, was)})"
    if field in ("helps_with", "notes"):
        was, now = _excerpt(was, now)
        return f'{name}\'s {word} {verb} now "{now}" (it was "{was}")'
    return f"{name}'s {word} {verb} now {_shown(field, now)} (it was {_shown(field, was)})"


def _shown(field: str, value: str | None) -> str:
    if value is None:
        return ""
    return web_text(value) if field == "web" else value


# ------------------------------------------------------------------ wording


def _date(iso: str) -> str:
    return long_date(dt.date.fromisoformat(iso))


def _and(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _close(text: str) -> str:
    """A full stop at the end, unless a quoted sentence already ends there."""
    return text if text.endswith(('."', '?"', '!"', '…"')) else text + "."


def _short(text: str) -> str:
    """A quote cut to about SHORT_QUOTE characters, at a word boundary."""
    if len(text) <= SHORT_QUOTE:
        return text
    cut = text[:SHORT_QUOTE].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _excerpt(before: str, after: str) -> tuple[str, str]:
    """Two versions of a long sentence cut down to the words around what changed."""
    if len(before) <= SHORT_QUOTE and len(after) <= SHORT_QUOTE:
        return before, after
    old, new = before.split(" "), after.split(" ")
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    context = 4
    lead = max(0, start - context)
    tail = max(0, end - context)

    def cut(words: list[str]) -> str:
        middle = " ".join(words[lead : len(words) - tail])
        return ("… " if lead else "") + _short(middle) + (" …" if tail else "")

    return cut(old), cut(new)
