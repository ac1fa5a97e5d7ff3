"""Encrypted key files; EXIF, sensor summaries and safe names."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from athar.custody.keys import (
    generate_encrypted_key,
    load_encrypted_key,
    load_key_file,
    write_key_file,
)
from athar.custody.metadata import display_name, image_metadata, sensor_summary, sniff_media_type
from athar.errors import AuthError, ConfigError, IntakeError


def test_key_round_trip_and_wrong_passphrase(tmp_path: Path, monkeypatch) -> None:
    data = generate_encrypted_key("alice", "correct horse")
    assert b"PRIVATE+KEY" not in data and b"ENCRYPTED PRIVATE KEY" in data
    signer = load_encrypted_key(data, "correct horse")
    assert signer.name == "alice" and data.decode().splitlines()[1] == f"vkey: {signer.vkey}"
    with pytest.raises(AuthError, match="wrong passphrase"):
        load_encrypted_key(data, "wrong")
    with pytest.raises(ConfigError):
        load_encrypted_key(b"hello", "x")
    path = tmp_path / "alice.key"
    write_key_file(path, data)
    assert os.stat(path).st_mode & 0o777 == 0o600
    with pytest.raises(ConfigError, match="exists"):
        write_key_file(path, data)
    monkeypatch.setenv("ATHAR_KEY_PASSPHRASE", "correct horse")
    assert load_key_file(path).vkey == signer.vkey


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x0132] = "2024:05:01 10:00:00"
    gps = {1: "N", 2: (35.0, 7.0, 30.0), 3: "E", 4: (36.0, 30.0, 0.0)}
    exif[0x8825] = gps
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_exif_time_and_gps() -> None:
    data = _jpeg_with_exif()
    assert sniff_media_type(data[:16]) == "image/jpeg"
    meta = image_metadata(io.BytesIO(data))
    assert meta["captured_at"] == "2024:05:01 10:00:00"
    assert meta["gps"] == {"lat": 35.125, "lon": 36.5}
    assert image_metadata(io.BytesIO(b"not an image")) == {}


def test_sensor_csv_and_json() -> None:
    csv_data = (b"device,time,quantity,unit,value\n"
                b"d1,2024-05-01T10:00:00Z,Cl2,ppm,1.5\n"
                b"d2,2024-05-01T09:00:00Z,Cl2,ppm,4\n"
                b"d1,2024-05-01T11:00:00Z,T,C,21\n")
    chunks = [csv_data[i:i + 7] for i in range(0, len(csv_data), 7)]
    s = sensor_summary(chunks, "text/csv")
    assert s["readings"] == 3 and s["start"] == "2024-05-01T09:00:00Z"
    assert s["end"] == "2024-05-01T11:00:00Z" and s["devices"] == ["d1", "d2"]
    assert s["peaks"]["Cl2"]["value"] == 4.0 and s["peaks"]["Cl2"]["device"] == "d2"
    j = b'{"readings": [{"device": "x", "time": "t1", "quantity": "q", "unit": "u", "value": 2}]}'
    assert sensor_summary([j], "application/json")["readings"] == 1
    with pytest.raises(IntakeError, match="reading 2"):
        sensor_summary([b"device,time,quantity,unit,value\nd,t,q,u,high\n"], "text/csv")


def test_display_name_escapes_bidi_and_controls() -> None:
    assert display_name("a\u202eb\x07c\\") == "a\\u202eb\\u0007c\\\\"
    assert display_name("تقرير.pdf") == "تقرير.pdf"
