"""read_report: text, HTML, PDF and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from athar.errors import IntakeError
from athar.intake import read_report


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF with a Helvetica text layer (offsets computed, not typed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_plain_text_utf8(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_text("قال المصدر إن القصف استمر.\r\n", encoding="utf-8")
    r = read_report(p)
    assert r.media_type == "text/plain"
    assert r.text.startswith("قال المصدر")
    assert r.metadata["filename"] == "r.txt"


def test_html_main_text_and_title() -> None:
    html = ("<html><head><title>Chlorine report</title></head><body><nav>Home | About</nav>"
            "<article><h1>Chlorine report</h1><p>The Syrian Observatory said two helicopters "
            "dropped barrels on the town of Saraqib on Thursday, injuring eleven people.</p>"
            "<p>Activists said the smell of chlorine filled the streets for hours afterwards.</p>"
            "</article><script>var x = 1;</script></body></html>")
    r = read_report(html.encode(), filename="a.html")
    assert r.media_type == "text/html"
    assert "two helicopters" in r.text and "var x" not in r.text
    assert r.title == "Chlorine report"


def test_malformed_html_falls_back() -> None:
    r = read_report(b"<html><body><p>Shelling hit Douma <b>on Monday<p>witnesses said",
                    media_type="text/html")
    assert "Shelling hit Douma" in r.text and "<" not in r.text


def test_pdf_text_layer() -> None:
    r = read_report(_pdf("Activists said chlorine was used in Saraqib."))
    assert r.media_type == "application/pdf"
    assert "chlorine was used in Saraqib" in r.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\xff\xfe\xfa not utf8", "UTF-8"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"%PDF-1.4 garbage", "PDF"),
        (b"a" * 1_000_001, "line"),
    ],
)
def test_bad_input_raises_intake_error(data: bytes, message: str) -> None:
    with pytest.raises(IntakeError, match=message):
        read_report(data)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IntakeError, match="cannot read"):
        read_report(tmp_path / "nope.txt")
