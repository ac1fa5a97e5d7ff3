"""Reading a bundle zip in bounded memory: limits first, then the canonical layout, streamed.

A bundle is the canonical zip :func:`athar.report.verify.write_zip` writes:
every member stored (no compression), zip64 sizes after the data (a data
descriptor), fixed dates and attributes, members in a fixed order and the
central directory right after them. This module checks that layout byte for
byte while it streams, so nothing outside the members escapes the check and
nothing is held in memory but the member being read.

:meth:`CanonicalZip.open` first scans the central directory against
:class:`Limits` (member count, each member's and the total uncompressed
size, compression ratio) and refuses a zip bomb with
:class:`BundleLimitExceeded` before a byte of it is decompressed. Damage is
:class:`BundleTampered`, naming the member.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from athar.errors import VerificationError

__all__ = ["BundleLimitExceeded", "BundleTampered", "CanonicalZip", "Limits", "Member",
           "central_record", "end_records", "local_header"]

_LH = struct.Struct("<4s2B4HL2L2H")
_CD = struct.Struct("<4s4B4HL2L5H2L")
_DD = struct.Struct("<LLQQ")
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_LOC64 = struct.Struct("<4sLQL")
_Z64_LIMIT = (1 << 31) - 1
_DOSDATE = (2000 - 1980) << 9 | 1 << 5 | 1
_ATTR = 0o644 << 16
_STORED, _DEFLATED = 0, 8
MiB = 1 << 20


class BundleLimitExceeded(VerificationError):
    """The bundle is larger than the verifier's limits allow (a zip bomb, or a bundle too big)."""

    code = "bundle_limit_exceeded"


class BundleTampered(VerificationError):
    """The zip's bytes are not the canonical zip ``athar export`` writes."""

    code = "bundle_not_canonical"


@dataclass(frozen=True)
class Limits:
    """What the verifier accepts before reading a member (``None``: no limit).

    Sizes are uncompressed bytes. ``max_ratio`` bounds uncompressed/compressed
    size of any compressed member (athar's own bundles are stored, ratio 1).
    """

    max_members: int = 2_000_000
    max_entry_bytes: int = 1 * MiB + 4096
    max_manifest_bytes: int = 1024 * MiB
    max_small_bytes: int = 64 * MiB
    max_blob_bytes: int = 64 * 1024 * MiB
    max_total_bytes: int = 256 * 1024 * MiB
    max_ratio: int = 100

    def member_limit(self, name: str) -> int:
        """The largest uncompressed size allowed for member ``name``."""
        if name.startswith("entries/") or name.startswith("disclosures/"):
            return self.max_entry_bytes
        if name == "manifest.json":
            return self.max_manifest_bytes
        if name.startswith("blobs/"):
            return self.max_blob_bytes
        return self.max_small_bytes


@dataclass(frozen=True)
class Member:
    """One member of the zip: its name, where its data starts, its size and CRC-32."""

    name: str
    offset: int
    size: int
    crc: int


class _File:
    """Positioned reads (``pread``) of a path or a seekable binary file."""

    def __init__(self, source: Path | str | BinaryIO) -> None:
        self._fd: int | None = None
        self._f: BinaryIO | None = None
        if isinstance(source, Path | str):
            self._fd = os.open(source, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            self.size = os.fstat(self._fd).st_size
        else:
            self._f = source
            self.size = source.seek(0, os.SEEK_END)

    def pread(self, n: int, offset: int) -> bytes:
        if self._fd is not None:
            return os.pread(self._fd, n, offset)
        assert self._f is not None
        self._f.seek(offset)
        return self._f.read(n)

    def exact(self, n: int, offset: int, what: str) -> bytes:
        data = self.pread(n, offset) if 0 <= offset <= self.size else b""
        if len(data) != n:
            raise BundleTampered(f"the zip ends inside {what}: it is truncated or damaged; "
                                 "export the bundle again")
        return data

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def local_header(name: bytes) -> bytes:
    """The canonical local header of member ``name`` (sizes follow the data)."""
    return _LH.pack(b"PK\x03\x04", 45, 0, 0x08, _STORED, 0, _DOSDATE, 0, 0xFFFFFFFF,
                    0xFFFFFFFF, len(name), 20) + name + struct.pack("<HHQQ", 1, 16, 0, 0)


def central_record(name: bytes, crc: int, size: int, offset: int) -> bytes:
    """The canonical central-directory record of a member written at ``offset``."""
    extra: list[int] = []
    fsize = size
    if size > _Z64_LIMIT:
        extra += [size, size]
        fsize = 0xFFFFFFFF
    foff = offset
    if offset > _Z64_LIMIT:
        extra.append(offset)
        foff = 0xFFFFFFFF
    ex = struct.pack("<HH" + "Q" * len(extra), 1, 8 * len(extra), *extra) if extra else b""
    return _CD.pack(b"PK\x01\x02", 45, 3, 45, 0, 0x08, _STORED, 0, _DOSDATE, crc, fsize,
                    fsize, len(name), len(ex), 0, 0, 0, _ATTR, foff) + name + ex


def end_records(count: int, cd_offset: int, cd_size: int) -> bytes:
    """The canonical end-of-central-directory record(s)."""
    out = b""
    if count > 0xFFFF or cd_offset > _Z64_LIMIT or cd_size > _Z64_LIMIT:
        out = _EOCD64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, cd_size, cd_offset)
        out += _LOC64.pack(b"PK\x06\x07", 0, cd_offset + cd_size, 1)
        count, cd_size, cd_offset = (min(count, 0xFFFF), min(cd_size, 0xFFFFFFFF),
                                     min(cd_offset, 0xFFFFFFFF))
    return out + _EOCD.pack(b"PK\x05\x06", 0, 0, count, count, cd_size, cd_offset, 0)


@dataclass(frozen=True)
class _Record:
    name: str
    method: int
    crc: int
    csize: int
    usize: int
    offset: int
    raw: bytes


class CanonicalZip:
    """A bundle zip opened for streaming verification; use :meth:`open`, then iterate
    :meth:`members` (any number of times) and read with :meth:`chunks`."""

    def __init__(self, f: _File, limits: Limits, cd_offset: int, cd_size: int,
                 count: int) -> None:
        self._f, self.limits = f, limits
        self.cd_offset, self.cd_size, self.count = cd_offset, cd_size, count

    @classmethod
    def open(cls, source: Path | str | BinaryIO, limits: Limits | None = None) -> CanonicalZip:
        """Open and pre-scan the central directory against ``limits``.

        Raises :class:`BundleLimitExceeded` (too many members, a member or the
        total too large, a compression ratio above the limit) or
        :class:`BundleTampered` (not a zip, or not laid out canonically).
        """
        limits = limits or Limits()
        f = _File(source)
        try:
            cd_offset, cd_size, count = _end_of_directory(f)
            if count > limits.max_members:
                raise BundleLimitExceeded(
                    f"the bundle has {count:,} members, over the limit of "
                    f"{limits.max_members:,}; if you expect a bundle this large, raise "
                    "--max-members",
                    members=count, limit=limits.max_members)
            z = cls(f, limits, cd_offset, cd_size, count)
            z._prescan()
            return z
        except BaseException:
            f.close()
            raise

    def close(self) -> None:
        """Release the file."""
        self._f.close()

    def _records(self) -> Iterator[_Record]:
        pos, end = self.cd_offset, self.cd_offset + self.cd_size
        buf, buf_at = b"", pos
        for i in range(self.count):
            if pos + 46 > buf_at + len(buf):
                buf, buf_at = self._f.pread(1 * MiB + 70_000, pos), pos
            head = buf[pos - buf_at: pos - buf_at + 46]
            if len(head) != 46 or head[:4] != b"PK\x01\x02":
                raise BundleTampered(f"central directory record {i} is damaged; "
                                     "export the bundle again")
            fields = _CD.unpack(head)
            n, m, k = fields[12], fields[13], fields[14]
            total = 46 + n + m + k
            if pos + total > buf_at + len(buf):
                buf, buf_at = self._f.pread(1 * MiB + 70_000 + total, pos), pos
            raw = buf[pos - buf_at: pos - buf_at + total]
            if len(raw) != total or pos + total > end:
                raise BundleTampered("the central directory is truncated")
            name_b = raw[46:46 + n]
            csize, usize, offset = fields[10], fields[11], fields[18]
            z64 = raw[46 + n: 46 + n + m]
            if z64[:2] == b"\x01\x00":
                vals = [int.from_bytes(z64[4 + 8 * j: 12 + 8 * j], "little")
                        for j in range((len(z64) - 4) // 8)]
                if usize == 0xFFFFFFFF and vals:
                    usize = vals.pop(0)
                if csize == 0xFFFFFFFF and vals:
                    csize = vals.pop(0)
                if offset == 0xFFFFFFFF and vals:
                    offset = vals.pop(0)
            name = name_b.decode("utf-8", "replace")
            yield _Record(name, fields[6], fields[9], csize, usize, offset, raw)
            pos += total

    def _prescan(self) -> None:
        total = 0
        lim = self.limits
        for r in self._records():
            if r.usize > lim.member_limit(r.name):
                hint = ("if you expect a file this large, raise --max-blob-gib"
                        if r.name.startswith("blobs/") else
                        "no genuine member of this kind is that large")
                raise BundleLimitExceeded(
                    f"{_show(r.name)} would be {r.usize:,} bytes uncompressed, over the "
                    f"{lim.member_limit(r.name):,}-byte limit for such a member; refused "
                    f"before reading it ({hint})", member=r.name, size=r.usize)
            if r.method not in (_STORED, _DEFLATED):
                raise BundleTampered(f"{_show(r.name)} uses compression method {r.method}; "
                                     "bundle members are stored")
            if r.method == _DEFLATED and r.usize > lim.max_ratio * max(r.csize, 1):
                raise BundleLimitExceeded(
                    f"{_show(r.name)} expands {r.usize / max(r.csize, 1):,.0f}-fold "
                    f"({r.csize:,} to {r.usize:,} bytes), over the {lim.max_ratio}-fold "
                    "limit: a zip bomb; refused before decompressing it", member=r.name)
            total += r.usize
            if total > lim.max_total_bytes:
                raise BundleLimitExceeded(
                    f"the bundle's members add up to more than {lim.max_total_bytes:,} bytes "
                    "uncompressed; refused (if you expect a bundle this large, raise "
                    "--max-total-gib)", limit=lim.max_total_bytes)

    def members(self) -> Iterator[Member]:
        """Every member in zip order, each checked against the canonical layout.

        Raises :class:`BundleTampered` naming the first member whose headers,
        place or data descriptor differ from what ``write_zip`` writes, and
        checks the end records once the last member is through.
        """
        expect_offset = 0
        for r in self._records():
            shown = _show(r.name)
            try:
                name = r.name.encode("ascii")
            except UnicodeEncodeError:
                raise BundleTampered(f"{shown}: member names are ASCII in a bundle") from None
            lh = local_header(name)
            if r.offset != expect_offset or r.method != _STORED or r.csize != r.usize:
                raise BundleTampered(f"{shown}: not stored in place (offset {r.offset}, "
                                     f"method {r.method}); export the bundle again",
                                     member=r.name)
            if r.raw != central_record(name, r.crc, r.usize, r.offset):
                raise BundleTampered(f"{shown}: its central directory record was changed",
                                     member=r.name)
            if self._f.exact(len(lh), r.offset, shown) != lh:
                raise BundleTampered(f"{shown}: its local header was changed", member=r.name)
            data_at = r.offset + len(lh)
            dd = self._f.exact(_DD.size, data_at + r.usize, shown)
            if dd != _DD.pack(0x08074B50, r.crc, r.usize, r.usize):
                raise BundleTampered(f"{shown}: its data descriptor was changed",
                                     member=r.name)
            expect_offset = data_at + r.usize + _DD.size
            yield Member(r.name, data_at, r.usize, r.crc)
        if expect_offset != self.cd_offset:
            raise BundleTampered("bytes were inserted between the members and the "
                                 "central directory")
        tail = end_records(self.count, self.cd_offset, self.cd_size)
        if self._f.pread(len(tail) + 1, self.cd_offset + self.cd_size) != tail:
            raise BundleTampered("the zip's end records were changed or bytes appended")

    def chunks(self, m: Member, size: int = 1 * MiB) -> Iterator[bytes]:
        """The member's bytes in chunks; raise BundleTampered at the end if the CRC fails."""
        crc, pos, end = 0, m.offset, m.offset + m.size
        while pos < end:
            chunk = self._f.exact(min(size, end - pos), pos, _show(m.name))
            crc = zlib.crc32(chunk, crc)
            pos += len(chunk)
            yield chunk
        if crc != m.crc:
            raise BundleTampered(f"{_show(m.name)}: its bytes were changed (CRC-32 mismatch)",
                                 member=m.name)

    def read(self, m: Member) -> bytes:
        """The member's bytes (callers keep this to small members), CRC checked."""
        return b"".join(self.chunks(m, size=max(m.size, 1)))


def _show(name: str) -> str:
    if name.isascii() and name.isprintable() and 0 < len(name) <= 120:
        return name
    safe = "".join(c if c.isprintable() else "?" for c in name[:120])
    return safe or "(unnamed member)"


def _end_of_directory(f: _File) -> tuple[int, int, int]:
    if f.size < _EOCD.size:
        raise BundleTampered("not a zip file: too short to hold a bundle")
    eocd = f.exact(_EOCD.size, f.size - _EOCD.size, "the end record")
    if eocd[:4] != b"PK\x05\x06":
        raise BundleTampered("not a canonical bundle zip: no end record at the end of the "
                             "file (a comment or appended bytes?)")
    _, _, _, _, count, cd_size, cd_offset, _ = _EOCD.unpack(eocd)
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF or (
            f.size >= _EOCD.size + _LOC64.size
            and f.pread(4, f.size - _EOCD.size - _LOC64.size) == b"PK\x06\x07"):
        loc = f.exact(_LOC64.size, f.size - _EOCD.size - _LOC64.size, "the zip64 locator")
        sig, _, end64, _ = _LOC64.unpack(loc)
        if sig != b"PK\x06\x07":
            raise BundleTampered("the zip64 end records are missing")
        rec = f.exact(_EOCD64.size, f.size - _EOCD.size - _LOC64.size - _EOCD64.size,
                      "the zip64 end record")
        fields = _EOCD64.unpack(rec)
        if fields[0] != b"PK\x06\x06":
            raise BundleTampered("the zip64 end record is damaged")
        count, cd_size, cd_offset = fields[7], fields[8], fields[9]
    if cd_offset + cd_size > f.size:
        raise BundleTampered("the central directory lies outside the file")
    return cd_offset, cd_size, count
