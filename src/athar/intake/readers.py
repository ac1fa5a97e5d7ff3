"""Reading a report file: plain text (UTF-8), HTML (main text) or PDF (text layer)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from athar.errors import IntakeError

__all__ = ["MAX_BYTES", "ReportText", "read_report"]

MAX_BYTES = 20 * 1024 * 1024
MAX_LINE = 1_000_000


@dataclass(frozen=True, slots=True)
class ReportText:
    """The text of a report, its media type, title (if any) and metadata."""

    text: str
    media_type: str
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _kind(data: bytes, filename: str | None, media_type: str | None) -> str:
    mt = (media_type or "").split(";")[0].strip().lower()
    name = (filename or "").lower()
    if mt == "application/pdf" or name.endswith(".pdf") or data[:5] == b"%PDF-":
        return "application/pdf"
    if mt in ("text/html", "application/xhtml+xml") or name.endswith((".html", ".htm", ".xhtml")):
        return "text/html"
    head = data[:2048].lstrip().lower()
    if not mt and head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return "text/plain"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise IntakeError("the file looks binary (NUL bytes); give a UTF-8 text, HTML or PDF file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IntakeError(f"the file is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from exc
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > 8:
        raise IntakeError("the file looks binary (control characters); give a text, HTML or PDF file")
    return text


def _check(text: str) -> str:
    if not text.strip():
        raise IntakeError("the report is empty: no text to extract")
    longest = max((len(line) for line in text.splitlines()), default=0)
    if longest > MAX_LINE:
        raise IntakeError(f"the report has a line of {longest} characters (limit {MAX_LINE}); "
                          "is it really a text report?")
    return text


def _html(data: bytes) -> tuple[str, str | None]:
    raw = _decode(data)
    try:
        import trafilatura

        text = trafilatura.extract(raw, include_comments=False, include_tables=True,
                                   favor_recall=True)
        meta = trafilatura.extract_metadata(raw)
        title = getattr(meta, "title", None) if meta is not None else None
    except Exception:  # malformed markup: fall back to stripping tags
        text, title = None, None
    if not text:
        m = re.search(r"<title[^>]*>(.*?)</title>", raw, re.I | re.S)
        title = title or (m.group(1).strip() if m else None)
        body = re.sub(r"(?is)<(script|style|noscript)[^>]*>.*?</\1>", " ", raw)
        body = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>", "\n", body)
        body = re.sub(r"<[^>]*>", " ", body)
        import html as _h

        text = "\n".join(" ".join(line.split()) for line in _h.unescape(body).splitlines())
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, title


def _pdf(data: bytes) -> tuple[str, str | None]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except Exception as exc:
        raise IntakeError(f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IntakeError("the PDF has no text layer; run OCR first")
    return text, str(title) if title else None


def read_report(path_or_bytes: str | Path | bytes, *, filename: str | None = None,
                media_type: str | None = None) -> ReportText:
    """Read a report from a path or bytes and return its text.

    Guarantees: the text is non-empty, valid Unicode and has no enormous line;
    any problem (missing, binary, invalid UTF-8, unreadable PDF, too large)
    raises :class:`~athar.errors.IntakeError` with a message saying what to do.
    """
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
    else:
        path = Path(path_or_bytes)
        filename = filename or path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise IntakeError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            data = path.read_bytes()
        except OSError as exc:
            raise IntakeError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise IntakeError(f"the report is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if not data.strip():
        raise IntakeError("the report is empty: no text to extract")
    kind = _kind(data, filename, media_type)
    title: str | None = None
    if kind == "application/pdf":
        text, title = _pdf(data)
    elif kind == "text/html":
        text, title = _html(data)
    else:
        text = _decode(data).replace("\r\n", "\n")
    return ReportText(_check(text), kind, title, {"filename": filename} if filename else {})
