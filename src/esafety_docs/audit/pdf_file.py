"""PDF/A file and metadata: what an archive validator and a viewer read before any
page (ISO 19005-2, PDF/A-2b; ISO 14289-1 for language, title and identification).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.etree import ElementTree

import pikepdf

from .pdf_reading import PdfFile
from .rules import rule

FAMILY = "PDF/A file and metadata"

PDFA_ID = "{http://www.aiim.org/pdfa/ns/id/}"
PDFUA_ID = "{http://www.aiim.org/pdfua/ns/id/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
SCHEMA = "{http://www.aiim.org/pdfa/ns/schema#}"
PROPERTY = "{http://www.aiim.org/pdfa/ns/property#}"
EXTENSION = "{http://www.aiim.org/pdfa/ns/extension/}"
TYPE = "{http://www.aiim.org/pdfa/ns/type#}"
# Keys that first appeared after PDF 1.4, with the version that brought them.
_NEWER_KEYS = {"/Tabs": "1.5", "/OutputIntents": "1.4", "/Lang": "1.4"}


@rule("pdf-version", "ISO 19005-2 6.1.2; ISO 32000-1 7.5.2", family=FAMILY)
def version(file: PdfFile) -> list[str]:
    """The header declares the version the content needs, and no more than PDF/A-2 allows."""
    declared = file.pdf.pdf_version
    problems = []
    if declared > "1.7":
        problems.append(f"the header says PDF {declared}; PDF/A-2 allows at most 1.7")
    if file.xmp.get(f"{PDFA_ID}part") == "2" and declared < "1.7":
        problems.append(f"the header says PDF {declared} but PDF/A-2 is based on PDF 1.7")
    for number, page in enumerate(file.pdf.pages, start=1):
        for key, needs in _NEWER_KEYS.items():
            if key in page.obj and declared < needs:
                problems.append(f"page {number} uses {key} (PDF {needs}) in a PDF {declared} file")
                return problems
    return problems


@rule(
    "pdf-pdfa-identification", "ISO 19005-2 6.6.4, 6.2.3, 6.3.3 (annotations print)", family=FAMILY
)
def pdfa_identification(file: PdfFile) -> list[str]:
    problems = []
    if file.xmp.get(f"{PDFA_ID}part") != "2":
        problems.append("XMP has no pdfaid:part = 2")
    if not len(file.pdf.Root.get("/OutputIntents", [])):
        problems.append("no output intent")
    for number, _, annotation in file.annotations():
        if int(annotation.get("/F", 0)) & 4 == 0:
            problems.append(f"page {number}: an annotation is not printable")
    return problems


@rule("pdf-xmp-title-pdfua", "ISO 14289-1 7.1; Matterhorn 06-002, 06-003", family=FAMILY)
def xmp_title_pdfua(file: PdfFile) -> list[str]:
    problems = []
    if not file.xmp.get("{http://purl.org/dc/elements/1.1/}title"):
        problems.append("XMP has no dc:title")
    if file.xmp.get(f"{PDFUA_ID}part") != "1":
        problems.append("XMP has no pdfuaid:part = 1")
    return problems


@rule("pdf-info-matches-xmp", "ISO 19005-2 6.6.3", family=FAMILY)
def info_matches_xmp(file: PdfFile) -> list[str]:
    """The document information dictionary and the XMP say the same thing."""
    info = file.pdf.docinfo
    pairs = {
        "/Title": "{http://purl.org/dc/elements/1.1/}title",
        "/Author": "{http://purl.org/dc/elements/1.1/}creator",
        "/Subject": "{http://purl.org/dc/elements/1.1/}description",
        "/Keywords": "{http://ns.adobe.com/pdf/1.3/}Keywords",
        "/Producer": "{http://ns.adobe.com/pdf/1.3/}Producer",
        "/Creator": "{http://ns.adobe.com/xap/1.0/}CreatorTool",
    }
    problems = []
    for key, name in pairs.items():
        if key not in info:
            continue
        said = file.xmp.get(name, "")
        if str(info[key]) != said:
            problems.append(f"Info {key[1:]} {str(info[key])[:40]!r} but XMP says {said[:40]!r}")
    for key, name in (
        ("/CreationDate", "{http://ns.adobe.com/xap/1.0/}CreateDate"),
        ("/ModDate", "{http://ns.adobe.com/xap/1.0/}ModifyDate"),
    ):
        if key in info and _info_date(str(info[key])) != _xmp_date(file.xmp.get(name, "")):
            problems.append(f"Info {key[1:]} and XMP {name.split('}')[1]} differ")
    return problems


@rule("pdf-xmp-extension-schema", "ISO 19005-2 6.6.2.3.1, 6.6.2.3.2", family=FAMILY)
def xmp_extension_schema(file: PdfFile) -> list[str]:
    """pdfuaid is not a predefined PDF/A schema: it must be described, completely,
    by an extension schema in the XMP itself, under the prefix the XMP writes it
    with, each property with a value type XMP defines or the file describes."""
    metadata = file.pdf.Root.get("/Metadata")
    if metadata is None:
        return ["no XMP metadata"]
    xml = metadata.read_bytes()
    try:
        tree = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"the XMP is not well-formed: {error}"]
    declared = _declared_prefixes(xml)
    known_types = _XMP_TYPES | {(t.text or "").strip() for t in tree.iter(f"{TYPE}type")}
    described: dict[str, set[str]] = {}
    problems = []
    for schema in tree.iter(f"{RDF}li"):
        uri = schema.find(f"{SCHEMA}namespaceURI")
        if uri is None:
            continue
        for needed in ("schema", "prefix"):
            if schema.find(f"{SCHEMA}{needed}") is None:
                problems.append(f"the extension schema for {uri.text} has no {needed}")
        prefix = (schema.findtext(f"{SCHEMA}prefix") or "").strip()
        used = declared.get(uri.text or "", set())
        if prefix and used and prefix not in used:
            problems.append(
                f"the extension schema gives {uri.text} the prefix {prefix!r}, "
                f"but the XMP writes it as {', '.join(sorted(used))}"
            )
        names = set()
        for prop in schema.iter(f"{RDF}li"):
            fields = {child.tag.replace(PROPERTY, ""): (child.text or "") for child in prop}
            if "name" not in fields:
                continue
            missing = [f for f in ("valueType", "category", "description") if not fields.get(f)]
            if missing:
                problems.append(f"property {fields['name']} lacks {', '.join(missing)}")
            elif fields["category"] not in ("internal", "external"):
                problems.append(f"property {fields['name']} has category {fields['category']!r}")
            elif _base_type(fields["valueType"]) not in known_types:
                problems.append(
                    f"property {fields['name']} has the value type {fields['valueType']!r}, "
                    "which is neither an XMP type nor described in the file"
                )
            names.add(fields["name"])
        described[uri.text or ""] = names
    used = {key for key in file.xmp if key.startswith(PDFUA_ID)}
    for key in sorted(used):
        if key.removeprefix(PDFUA_ID) not in described.get(PDFUA_ID[1:-1], set()):
            problems.append(f"pdfuaid:{key.removeprefix(PDFUA_ID)} is not described by a schema")
    return problems


# The value types XMP itself defines (XMP Specification Part 1 and Part 2), which an
# extension schema may name without describing them (ISO 19005-2 6.6.2.3.3).
_XMP_TYPES = frozenset(
    [
        "Boolean",
        "Date",
        "Integer",
        "Real",
        "Text",
        "AgentName",
        "Choice",
        "GUID",
        "Lang Alt",
        "Locale",
        "MIMEType",
        "ProperName",
        "Rational",
        "RenditionClass",
        "ResourceEvent",
        "ResourceRef",
        "URI",
        "URL",
        "Version",
        "XPath",
        "Dimensions",
        "Font",
        "Colorant",
        "Job",
        "Thumbnail",
        "Part",
        "FrameCount",
    ]
)


def _base_type(value_type: str) -> str:
    """'Seq Text' -> 'Text', 'open Choice of Text' -> 'Text': the type an array or a
    choice is made of."""
    value = value_type.strip()
    for container in ("bag ", "seq ", "alt ", "open choice of ", "closed choice of "):
        if value.lower().startswith(container):  # the XMP spec writes "Closed Choice of"
            return value[len(container) :].strip()
    return value


def _declared_prefixes(xml: bytes) -> dict[str, set[str]]:
    """Each namespace URI the XMP declares -> the prefixes it is declared with."""
    found: dict[str, set[str]] = {}
    for prefix, uri in re.findall(rb"""xmlns:([\w.-]+)\s*=\s*["']([^"']*)["']""", xml):
        found.setdefault(uri.decode("utf-8", "replace"), set()).add(prefix.decode("ascii"))
    return found


@rule("pdf-colour-spaces", "ISO 19005-2 6.2.4.3", family=FAMILY)
def colour_spaces(file: PdfFile) -> list[str]:
    """Device colours must match the output intent: no CMYK with an RGB (sRGB) intent."""
    components = {
        int(intent.DestOutputProfile.get("/N", 0))
        for intent in file.pdf.Root.get("/OutputIntents", [])
        if "/DestOutputProfile" in intent
    }
    if 4 in components:
        return []
    problems = []
    for number, instructions in enumerate(file.content_streams, start=1):
        for instruction in instructions:
            name = str(instruction.operator)
            operands: Any = instruction.operands
            if name in ("k", "K") or (
                name in ("cs", "CS") and operands and str(operands[0]) == "/DeviceCMYK"
            ):
                problems.append(f"page {number}: a DeviceCMYK colour with an RGB output intent")
                break
    for image in file.pdf.objects:
        if isinstance(image, pikepdf.Stream) and image.get("/ColorSpace") == "/DeviceCMYK":
            problems.append("a DeviceCMYK image with an RGB output intent")
    return problems


@rule("pdf-language", "ISO 14289-1 7.2; Matterhorn 11-006", family=FAMILY)
def language(file: PdfFile) -> list[str]:
    return [] if str(file.pdf.Root.get("/Lang", "")).strip() else ["catalog has no /Lang"]


@rule("pdf-display-title", "ISO 14289-1 7.1; Matterhorn 07-001, 07-002", family=FAMILY)
def display_title(file: PdfFile) -> list[str]:
    preferences: Any = file.pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
    shown = bool(preferences.get("/DisplayDocTitle", False))
    return [] if shown else ["ViewerPreferences /DisplayDocTitle is not true"]


def _info_date(value: str) -> dt.datetime | None:
    match = re.match(r"D:(\d{14})(Z|[+-]\d\d'?\d\d'?)?", value)
    if not match:
        return None
    stamp = dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
    zone = (match.group(2) or "Z").replace("'", "")
    offset = dt.timedelta(0) if zone == "Z" else _offset(zone)
    return stamp.replace(tzinfo=dt.timezone(offset))


def _xmp_date(value: str) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def _offset(zone: str) -> dt.timedelta:
    sign = -1 if zone[0] == "-" else 1
    return sign * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5] or 0))
