"""Every address the sources point to, with each place it is written.

Walks the composed YAML of every source file, so a place is the exact
file:line:column where the address is typed, even inside a folded paragraph.
Links and bare addresses are found in any text (a contact's `web` and `source`
are text too); a contact's `email` and `phone` become the mailto: and tel: links
the documents print. The pack's `linkcheck_ignore` patterns are read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..reading.diagnostics import Reporter, display_path
from ..reading.markup import parse_inline
from ..reading.model import Inline, Link, Text
from ..reading.reader import ReadContext, YamlReader
from ..reading.source_reader import PACK_FILE

IGNORE_KEY = "linkcheck_ignore"

# A bare address runs to the next space or character that cannot be part of one.
_BARE = re.compile(r"https?://[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?*_~"


@dataclass(frozen=True, order=True)
class Place:
    """Where an address is written. Line and column are 1-based."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass
class Found:
    """The addresses in the sources (each with every place, in order) and what to skip."""

    places: dict[str, list[Place]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)


def find_addresses(sources: Path, reporter: Reporter) -> Found:
    """Read every `*.yaml` in `sources`; unreadable files are reported, not fatal."""
    places: dict[str, set[Place]] = {}
    found = Found()
    for path in sorted(sources.glob("*.yaml")):
        reader = YamlReader(path, reporter, ReadContext())
        root = reader.compose()
        if root is None:
            continue
        skip = None
        if path.name == PACK_FILE:
            skip = _value_of(root, IGNORE_KEY)
            if skip is not None:
                found.ignore = _patterns(reader, skip)
        for address, place in _addresses(reader, root, skip):
            places.setdefault(address, set()).add(place)
    ordered = sorted(places.items(), key=lambda item: min(item[1]))
    found.places = {address: sorted(where) for address, where in ordered}
    return found


def ignored_by(address: str, patterns: list[str]) -> str | None:
    """The first pattern the address begins with (`*` standing for any characters)."""
    for pattern in patterns:
        regex = ".*".join(re.escape(part) for part in pattern.split("*"))
        if re.match(regex, address):
            return pattern
    return None


def _value_of(root: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                found: yaml.Node = value_node
                return found
    return None


def _patterns(reader: YamlReader, node: yaml.Node) -> list[str]:
    return [
        text
        for item in reader.sequence(node, IGNORE_KEY)
        if (text := reader.text(item, IGNORE_KEY))
    ]


def _addresses(
    reader: YamlReader, root: yaml.Node, skip: yaml.Node | None
) -> Iterator[tuple[str, Place]]:
    for key, node in _scalars(root, skip):
        value = " ".join(node.value.split())
        if value and key == "email":
            yield f"mailto:{value}", _place(reader, node.start_mark.index)
        elif value and key == "phone":
            yield "tel:" + value.replace(" ", ""), _place(reader, node.start_mark.index)
        else:
            for address in _in_text(node.value):
                for index in _occurrences(reader, node, address) or [node.start_mark.index]:
                    yield address, _place(reader, index)


def _scalars(
    root: yaml.Node, skip: yaml.Node | None
) -> Iterator[tuple[str | None, yaml.ScalarNode]]:
    """Every scalar value, with the key it belongs to (None for list items)."""
    pending: list[tuple[str | None, yaml.Node]] = [(None, root)]
    while pending:
        key, node = pending.pop()
        if node is skip:
            continue
        if isinstance(node, yaml.ScalarNode):
            yield key, node
        elif isinstance(node, yaml.SequenceNode):
            pending.extend((None, item) for item in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                pending.append((name, value_node))


def _in_text(text: str) -> list[str]:
    """Link targets and bare addresses in one value, in order, each once."""
    inlines, _problems = parse_inline(text)  # problems are `check`'s business
    found: list[str] = []
    pending: list[Inline] = list(inlines)
    while pending:
        inline = pending.pop(0)
        if isinstance(inline, Link):
            found.append(inline.url)
        if isinstance(inline, Text):
            found += [_trim(match.group()) for match in _BARE.finditer(inline.text)]
        else:
            pending[:0] = inline.children
    return list(dict.fromkeys(address for address in found if address))


def _trim(address: str) -> str:
    """Drop sentence punctuation, and a closing bracket the address did not open."""
    while address and (
        address[-1] in _TRAILING or (address[-1] == ")" and address.count("(") < address.count(")"))
    ):
        address = address[:-1]
    return address


def _occurrences(reader: YamlReader, node: yaml.ScalarNode, address: str) -> list[int]:
    """Where the address is typed within the node's source text (character offsets)."""
    text = reader.composed_text
    ends_here = r"(?=[.,;:!?*_~]*(?:[\s)\]>\"'*_]|\Z))"
    pattern = re.compile(re.escape(address) + ends_here)
    start, end = node.start_mark.index, node.end_mark.index
    return [match.start() for match in pattern.finditer(text, start, end)]


def _place(reader: YamlReader, offset: int) -> Place:
    text = reader.composed_text
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Place(display_path(reader.path), line, column)
