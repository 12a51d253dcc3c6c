"""What a review copy remembers about itself, stored inside the DOCX as custom XML.

Each paragraph of the body carries a hidden bookmark; the manifest says, for each
bookmark, the words it held when exported and where they came from: a source
file and the path in it, or, for text the pack makes itself (contact details,
document control), what makes it and where to change that. It also names the
pack, its version and a digest of each source file, so an import can tell
whether the sources have moved on since.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

NAMESPACE = "urn:esafety-docs:review:1"
# The custom XML part's fixed item id: the same sources make the same file.
ITEM_ID = "{5D1B6C2E-7A43-4F0B-9C1E-3E0F2A6B8D47}"
MARK_PREFIX = "_esd_"  # hidden bookmarks (Word hides names that start with `_`)
# Written as the default namespace. (ElementTree's `default_namespace=` refuses the
# manifest's plain attribute names, so the prefix is registered, once.)
ET.register_namespace("", NAMESPACE)


@dataclass(frozen=True)
class Entry:
    """One bookmarked paragraph: its words as exported, and where they came from."""

    mark: str
    text: str
    file: str = ""  # the source file, for words read from one
    path: str = ""  # e.g. sections[1].body[0]
    markup: str = ""  # the source's text as written, inline Markdown and all
    made_from: str = ""  # for text the pack makes: where to change it instead


@dataclass(frozen=True)
class Manifest:
    pack: str
    version: str
    document: str  # the document's id
    file: str  # the document's source file
    digests: dict[str, str]  # source file -> SHA-256 of its bytes when exported
    entries: tuple[Entry, ...]
    furniture: dict[str, str] = field(default_factory=dict)  # header/footer -> its words


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def to_xml(manifest: Manifest) -> bytes:
    root = ET.Element(
        _tag("review"),
        pack=manifest.pack,
        version=manifest.version,
        document=manifest.document,
        file=manifest.file,
    )
    for name, digest in sorted(manifest.digests.items()):
        ET.SubElement(root, _tag("source"), name=name, sha256=digest)
    for part, text in sorted(manifest.furniture.items()):
        ET.SubElement(root, _tag("furniture"), part=part).text = text
    for entry in manifest.entries:
        attributes = {"mark": entry.mark}
        if entry.file:
            attributes.update(file=entry.file, path=entry.path, markup=entry.markup)
        else:
            attributes["made-from"] = entry.made_from
        ET.SubElement(root, _tag("p"), attributes).text = entry.text
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def from_xml(data: bytes) -> Manifest | None:
    """The manifest in a custom XML part, or None if the part is someone else's."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    if root.tag != _tag("review"):
        return None
    entries = tuple(
        Entry(
            mark=p.get("mark", ""),
            text=p.text or "",
            file=p.get("file", ""),
            path=p.get("path", ""),
            markup=p.get("markup", ""),
            made_from=p.get("made-from", ""),
        )
        for p in root.iter(_tag("p"))
    )
    return Manifest(
        pack=root.get("pack", ""),
        version=root.get("version", ""),
        document=root.get("document", ""),
        file=root.get("file", ""),
        digests={s.get("name", ""): s.get("sha256", "") for s in root.iter(_tag("source"))},
        entries=entries,
        furniture={f.get("part", ""): f.text or "" for f in root.iter(_tag("furniture"))},
    )
