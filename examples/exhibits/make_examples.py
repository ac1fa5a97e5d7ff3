"""Write the example exhibits of a fictional incident (Ariha, Idlib, 3 October 2019).

    python examples/exhibits/make_examples.py [OUTDIR]

* ``scene-photo.jpg``: a drawn picture, not a photograph, with the EXIF a camera
  would write: make and model, capture time 2019:10:03 07:42:10 and GPS
  35°48'45"N 36°36'30"E. Athar logs the capture time in clear and commits the GPS.
* ``detector-readings.csv``: a field detector's readings (``device,time,quantity,unit,value``);
  Athar registers it as ``sensor`` data and logs a summary (time range, peak).
* ``lab-result.csv``: a laboratory's result table for two portions of the soil sample.

Everything is invented for this project; the output is the same on every run.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

HERE = Path(__file__).parent
WIDTH, HEIGHT = 640, 427
CAPTURED = "2019:10:03 07:42:10"
LAT = ((35, 1), (48, 1), (45, 1))  # 35°48'45" N
LON = ((36, 1), (36, 1), (30, 1))  # 36°36'30" E


def _dms(parts: tuple[tuple[int, int], ...]) -> tuple[IFDRational, ...]:
    return tuple(IFDRational(n, d) for n, d in parts)


def photo() -> bytes:
    """A drawn scene (sky, a wall, a crater, a yellow cylinder) with camera EXIF."""
    img = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(img)
    for y in range(HEIGHT):  # sky, then dusty ground
        t = y / HEIGHT
        colour = (int(150 + 80 * t), int(180 + 40 * t), int(215 - 40 * t)) if y < 180 else (
            int(170 - 40 * t), int(150 - 40 * t), int(120 - 40 * t))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    draw.rectangle([0, 120, 250, 200], fill=(196, 184, 160), outline=(120, 110, 90))
    for x in range(10, 250, 40):
        draw.rectangle([x, 140, x + 18, 165], fill=(70, 70, 80))
    draw.ellipse([300, 250, 520, 330], fill=(90, 75, 60), outline=(60, 50, 40), width=3)
    draw.rounded_rectangle([370, 255, 470, 290], radius=14, fill=(214, 176, 40),
                           outline=(120, 95, 20), width=2)
    draw.rectangle([10, HEIGHT - 34, 360, HEIGHT - 10], fill=(255, 255, 255))
    draw.text((18, HEIGHT - 30), "FICTIONAL EXAMPLE - Athar test exhibit", fill=(180, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "Field Model 1"  # Model
    exif[0x0132] = CAPTURED  # DateTime
    exif.get_ifd(0x8769)[0x9003] = CAPTURED  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[0] = b"\x02\x03\x00\x00"  # GPSVersionID
    gps[1], gps[2] = "N", _dms(LAT)
    gps[3], gps[4] = "E", _dms(LON)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def readings() -> str:
    """Two detectors near the site, one reading a minute for an hour."""
    rows = []
    for minute in range(60):
        t = f"2019-10-03T07:{minute:02d}:00Z"
        near = 0.2 if minute < 12 else round(18.0 * (0.92 ** (minute - 12)) + 0.2, 2)
        far = 0.1 if minute < 20 else round(4.5 * (0.95 ** (minute - 20)) + 0.1, 2)
        rows.append(("det-near-01", t, "chlorine", "ppm", near))
        rows.append(("det-far-02", t, "chlorine", "ppm", far))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("device", "time", "quantity", "unit", "value"))
    w.writerows(rows)
    return buf.getvalue()


def lab_result() -> str:
    """A laboratory's results for two portions of the soil sample."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("portion", "laboratory", "method", "analyte", "result", "value", "unit",
                "analysed_at"))
    w.writerow(("S-ARIHA-01.1", "Example Lab A", "GC-MS", "2,4,6-trichlorophenol", "detected",
                "0.8", "mg/kg", "2019-10-21"))
    w.writerow(("S-ARIHA-01.1", "Example Lab A", "GC-MS", "sarin degradation products",
                "not detected", "", "", "2019-10-21"))
    w.writerow(("S-ARIHA-01.2", "Example Lab A", "IC", "chloride", "elevated", "412", "mg/kg",
                "2019-10-22"))
    return buf.getvalue()


def main(outdir: Path = HERE) -> None:
    """Write the three files into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "scene-photo.jpg").write_bytes(photo())
    (outdir / "detector-readings.csv").write_text(readings())
    (outdir / "lab-result.csv").write_text(lab_result())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
