"""Zip files whose bytes depend only on their contents and a given time.

Used for the pack's zip and to re-pack python-docx's output, which otherwise
stamps every entry with the moment it was saved.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterable


def build_time() -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), otherwise now; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _stamp(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    when = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))  # the zip format's epoch
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)


def write_zip(entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A deflated zip of (name, data) in the order given, every entry stamped `when`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_stamp(when))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever system built it
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def restamp_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same zip (entries in the same order) with every timestamp set to `when`."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    return write_zip(entries, when)
