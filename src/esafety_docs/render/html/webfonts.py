"""The brand's TTF faces as CSS @font-face rules with data: URIs.

Pages must fetch nothing from another site and must still work when opened from
a zip, so the fonts travel inside each page. The full DejaVu faces are 2.7 MB,
so each page carries only the glyphs it can show: fontTools' subsetter (a
well-kept library that understands every table of a TrueType font) cuts each
face down to a fixed Latin repertoire plus the page's own characters. Output is
deterministic: the font's timestamps are kept, never set to the current time.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
from pathlib import Path

from ...reading.brand import FontFiles

# Always present, so a reader's browser never falls back for ordinary text.
_BASE_REPERTOIRE = frozenset(
    [chr(code) for code in range(0x20, 0x7F)]
    + [chr(code) for code in range(0xA0, 0x100)]
    + list("\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00b7\u20ac")
)

# (weight, style, FontFiles attribute)
_FACES = (
    ("400", "normal", "regular"),
    ("700", "normal", "bold"),
    ("400", "italic", "italic"),
    ("700", "italic", "bold_italic"),
)


def font_face_css(font: FontFiles, family: str, text: str) -> str:
    """@font-face rules for all four faces, each subset to what `text` needs."""
    characters = "".join(sorted(_BASE_REPERTOIRE | set(text)))
    rules = []
    for weight, style, attribute in _FACES:
        data = _subset(getattr(font, attribute), characters)
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(
            f'@font-face{{font-family:"{family}";'
            f'src:url(data:font/ttf;base64,{encoded}) format("truetype");'
            f"font-weight:{weight};font-style:{style};font-display:swap}}"
        )
    return "\n".join(rules)


_SUBSETS: dict[tuple[Path, str], bytes] = {}


def known_subsets() -> dict[tuple[Path, str], bytes]:
    """The subsets made in this process, for another process to reuse."""
    return dict(_SUBSETS)


def reuse_subsets(subsets: dict[tuple[Path, str], bytes]) -> None:
    """Take subsets made by a worker process, so the download page need not redo them."""
    _SUBSETS.update(subsets)


def _subset(path: Path, characters: str) -> bytes:
    """One face cut down to `characters`; kept in memory and in the user's cache
    folder, because subsetting (and importing fontTools) costs about a second and
    the result depends only on the font file and the characters."""
    key = (path, characters)
    if key not in _SUBSETS:
        digest = hashlib.sha256(path.read_bytes() + b"\0" + characters.encode()).hexdigest()
        cached = _cache_folder() / f"{digest}.ttf"
        try:
            _SUBSETS[key] = cached.read_bytes()
        except OSError:
            _SUBSETS[key] = _make_subset(path, characters)
            _store(cached, _SUBSETS[key])
    return _SUBSETS[key]


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "esafety-docs" / "webfonts"


def _store(target: Path, data: bytes) -> None:
    """Write a cache entry by rename, so a reader never sees half of it; a cache that
    cannot be written is simply not used."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        pass


def _make_subset(path: Path, characters: str) -> bytes:
    from fontTools import subset  # imported only when the cache cannot help
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence names with the glyphs
    options.name_languages = ["*"]
    options.hinting = False  # screens and printers hint well without it
    options.notdef_outline = True
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM dropped" is noise
    face = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(face)
    buffer = io.BytesIO()
    face.save(buffer, reorderTables=True)
    return buffer.getvalue()
