"""What Athar records about a file: media type, embedded image metadata, sensor summaries.

* :func:`sniff_media_type` guesses from the first bytes, then the name.
* :func:`image_metadata` reads EXIF capture time and GPS with Pillow (headers
  only; the pixels are never decoded).
* :func:`sensor_summary` parses detector readings (CSV with a header, or JSON)
  row by row and summarises them: count, time range, devices, peak per quantity.
* :func:`display_name` shows a file name safely: control and bidirectional
  formatting characters are escaped, never interpreted.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import mimetypes
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from athar.errors import IntakeError

__all__ = [
    "SensorSummary",
    "display_name",
    "image_metadata",
    "sensor_summary",
    "sniff_media_type",
]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MAX_JSON_BYTES = 64 << 20


def display_name(name: str) -> str:
    """``name`` with control, bidi-formatting and other format characters shown as ``\\uXXXX``.

    The result contains no character that could reorder or hide text in a terminal.
    """
    out = []
    for ch in name:
        cat = unicodedata.category(ch)
        if ch in _BIDI or cat in ("Cc", "Cf", "Zl", "Zp") or ch == "\\":
            out.append("\\\\" if ch == "\\" else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def sniff_media_type(head: bytes, name: str | None = None) -> str:
    """A media type from magic bytes, else from the name's extension, else octet-stream."""
    for magic, mt in _MAGIC:
        if head.startswith(magic):
            return mt
    if name:
        guess, _ = mimetypes.guess_type(Path(name.replace("\\", "/")).name)
        if guess:
            return guess
    return "application/octet-stream"


def _rational(v: Any) -> float:
    return float(v)


def _gps_decimal(dms: Any, ref: Any) -> float | None:
    try:
        d, m, s = (_rational(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return round(-value if str(ref).upper() in ("S", "W") else value, 7)


def image_metadata(fp: BinaryIO) -> dict[str, Any]:
    """EXIF capture time (``captured_at``, as written by the camera) and ``gps`` {lat, lon}.

    Returns an empty dict for non-images or images without EXIF; never raises
    for a malformed file.
    """
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a dependency
        return {}
    out: dict[str, Any] = {}
    try:
        with Image.open(fp) as img:
            exif = img.getexif()
            sub = exif.get_ifd(0x8769)
            when = sub.get(0x9003) or exif.get(0x0132)
            if isinstance(when, str) and when.strip():
                out["captured_at"] = when.strip().rstrip("\x00")
            gps = exif.get_ifd(0x8825)
            if gps and 2 in gps and 4 in gps:
                lat = _gps_decimal(gps[2], gps.get(1, "N"))
                lon = _gps_decimal(gps[4], gps.get(3, "E"))
                if lat is not None and lon is not None:
                    out["gps"] = {"lat": lat, "lon": lon}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, KeyError, TypeError):
        return {}
    return out


@dataclass
class SensorSummary:
    """A running summary of detector readings."""

    count: int = 0
    start: str | None = None
    end: str | None = None
    devices: set[str] = field(default_factory=set)
    peaks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, row: dict[str, Any], line: int) -> None:
        """Fold one reading {device, time, quantity, unit, value} into the summary."""
        try:
            device, time = str(row["device"]), str(row["time"])
            quantity, unit = str(row["quantity"]), str(row["unit"])
            value = float(row["value"])
        except (KeyError, TypeError, ValueError):
            raise IntakeError(
                f"sensor reading {line}: needs device, time, quantity, unit and a numeric "
                "value") from None
        self.count += 1
        self.devices.add(device)
        self.start = time if self.start is None or time < self.start else self.start
        self.end = time if self.end is None or time > self.end else self.end
        peak = self.peaks.get(quantity)
        if peak is None or value > peak["value"]:
            self.peaks[quantity] = {"value": value, "unit": unit, "time": time,
                                    "device": device}

    def to_json(self) -> dict[str, Any]:
        """The summary as a JSON object (all public: readings, not people or places)."""
        return {"readings": self.count, "start": self.start, "end": self.end,
                "devices": sorted(self.devices),
                "peaks": {k: self.peaks[k] for k in sorted(self.peaks)}}


def _text_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    dec = codecs.getincrementaldecoder("utf-8-sig")()
    buf = ""
    for chunk in chunks:
        buf += dec.decode(chunk)
        *lines, buf = buf.split("\n")
        yield from (line + "\n" for line in lines)
    buf += dec.decode(b"", final=True)
    if buf:
        yield buf


def sensor_summary(chunks: Iterable[bytes], media_type: str) -> dict[str, Any]:
    """Parse CSV (header row) or JSON (a list, or {"readings": [...]}) readings; summarise.

    CSV is streamed row by row (constant memory); JSON is limited to 64 MiB.
    Raises IntakeError naming the first bad reading.
    """
    summary = SensorSummary()
    try:
        if "json" in media_type:
            buf = io.BytesIO()
            for chunk in chunks:
                buf.write(chunk)
                if buf.tell() > _MAX_JSON_BYTES:
                    raise IntakeError("JSON sensor data over 64 MiB: send it as CSV")
            data = json.loads(buf.getvalue().decode("utf-8-sig"))
            rows = data.get("readings") if isinstance(data, dict) else data
            if not isinstance(rows, list):
                raise IntakeError("JSON sensor data must be a list of readings")
            for i, row in enumerate(rows, 1):
                summary.add(row if isinstance(row, dict) else {}, i)
        else:
            for i, row in enumerate(csv.DictReader(_text_lines(chunks)), 2):
                summary.add(dict(row), i)
    except (UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise IntakeError(f"sensor data cannot be read: {exc}") from None
    if not summary.count:
        raise IntakeError("sensor data has no readings")
    return summary.to_json()
