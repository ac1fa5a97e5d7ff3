"""The offline bundle verifier: check an export bundle with the log's public key alone.

Imports only ``athar.ledger``, pure ``athar.custody`` modules and
``athar.errors`` (a test pins this): no database, web or network code, so a
party that distrusts the investigators can run it anywhere.

Checks: the checkpoint's signature by ``--key``; every file is expected and in
canonical form; every entry's inclusion proof and signature; the identity
replay and ``actors.json``; each exhibit's hash chain and custody rules; blobs
against their registered hashes; disclosures against their commitments.
Run as ``athar verify case.zip --key VKEY`` or ``python -m athar.report.verify``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from athar.custody.commitments import Disclosure
from athar.custody.identity import actors_json
from athar.custody.models import Finding
from athar.custody.verify import ChainReport, ProvedEntry, verify_chain
from athar.errors import AtharError, VerificationError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.entry import canonical_json
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note

__all__ = ["BUNDLE_FORMAT", "format_verdict", "main", "verify_bundle", "verify_files",
           "write_zip"]

BUNDLE_FORMAT = "athar-bundle/1"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MAX_MEMBER = 64 << 20


_DATE = (2000, 1, 1, 0, 0, 0)


class _Sink:
    """An unseekable writer that hashes (and optionally forwards) what it is given."""

    def __init__(self, out: Any = None) -> None:
        self.h, self.n, self.out = hashlib.sha256(), 0, out

    def write(self, b: bytes) -> int:
        self.h.update(b)
        self.n += len(b)
        if self.out is not None:
            self.out.write(b)
        return len(b)

    def tell(self) -> int:
        return self.n

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()


def write_zip(out: Any, members: Iterable[tuple[str, Iterable[bytes]]]) -> str:
    """Write the bundle zip canonically (stored, fixed dates, streamed) to ``out``.

    Returns the SHA-256 of the zip bytes. The same members always give the same
    bytes, so the verifier can rebuild a bundle and detect any changed byte.
    """
    sink = _Sink(out)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as zf:  # type: ignore[call-overload]
        for name, chunks in members:
            info = zipfile.ZipInfo(name, _DATE)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as dst:
                for chunk in chunks:
                    dst.write(chunk)
    return sink.h.hexdigest()


def canonical_members(m: Mapping[str, Any], read: Any) -> Iterator[tuple[str, Iterable[bytes]]]:
    """The bundle's members in canonical order; ``read(name)`` gives a member's chunks."""
    for name in ("manifest.json", "checkpoint.txt", "actors.json"):
        yield name, read(name)
    for e in m["entries"]:
        yield f"entries/{e['index']}.json", read(f"entries/{e['index']}.json")
    for d in m["disclosures"]:
        name = f"disclosures/{d['leaf_hash']}.{d['field']}.json"
        yield name, read(name)
    for b in m["blobs"]:
        yield f"blobs/{b}", read(f"blobs/{b}")


class _Source:
    """A bundle's files: names, small files as bytes, blobs as chunk streams."""

    def __init__(self, files: Mapping[str, bytes] | None = None,
                 zf: zipfile.ZipFile | None = None) -> None:
        self.files, self.zf = files, zf
        self.cache: dict[str, bytes] = {}
        self.workers = 0
        self.manifest: dict[str, Any] | None = None

    def names(self) -> list[str]:
        return list(self.files) if self.files is not None else self.zf.namelist()  # type: ignore[union-attr]

    def read(self, name: str) -> bytes:
        if self.files is not None:
            return self.files[name]
        assert self.zf is not None
        if name not in self.cache:
            if self.zf.getinfo(name).file_size > _MAX_MEMBER:
                raise VerificationError(f"{name} is too large for a bundle file")
            self.cache[name] = self.zf.read(name)
        return self.cache[name]

    def chunks(self, name: str) -> Iterable[bytes]:
        if self.files is not None:
            return [self.files[name]]
        if not name.startswith("blobs/"):
            return [self.read(name)]
        return _ZipChunks(self.zf, name)  # type: ignore[arg-type]


class _ZipChunks:
    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        self.zf, self.name = zf, name

    def __iter__(self) -> Iterator[bytes]:
        with self.zf.open(self.name) as f:
            while chunk := f.read(1 << 20):
                yield chunk


def _fail(msg: str) -> VerificationError:
    return VerificationError(msg)


def _canonical(value: Any) -> bytes:
    """RFC 8785 bytes of a manifest (ints, strings, lists, objects: sorted-key compact JSON)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8") if text.isascii() else canonical_json(value)


def _manifest(src: _Source) -> dict[str, Any]:
    if src.manifest is not None:
        return src.manifest
    raw = src.read("manifest.json")
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _fail("manifest.json is not UTF-8 JSON") from None
    keys = {"format", "origin", "tree_size", "exhibits", "entries", "blobs", "disclosures"}
    if not isinstance(m, dict) or set(m) != keys or m["format"] != BUNDLE_FORMAT:
        raise _fail(f"manifest.json is not an {BUNDLE_FORMAT} manifest")
    if _canonical(m) != raw:
        raise _fail("manifest.json is not in canonical JSON form")
    lists_ok = all(isinstance(m[k], list) for k in ("exhibits", "entries", "blobs",
                                                    "disclosures"))
    if not lists_ok or not isinstance(m["tree_size"], int) or not isinstance(m["origin"], str):
        raise _fail("manifest.json fields have the wrong types")
    for e in m["entries"]:
        if not (isinstance(e, dict) and set(e) == {"index", "proof"}
                and isinstance(e["index"], int) and isinstance(e["proof"], list)
                and all(isinstance(h, str) and len(h) == 64 for h in e["proof"])):
            raise _fail("manifest entries must be {index, proof: [64 lowercase hex]}")
    idx = [e["index"] for e in m["entries"]]
    if idx != sorted(set(idx)):
        raise _fail("manifest entries must be sorted by index without repeats")
    for key in ("exhibits", "blobs"):
        if m[key] != sorted(set(m[key])) or not all(isinstance(x, str) for x in m[key]):
            raise _fail(f"manifest {key} must be sorted distinct strings")
    if not all(_HEX64.match(b) for b in m["blobs"]):
        raise _fail("manifest blobs must be SHA-256 digests")
    for d in m["disclosures"]:
        if not (isinstance(d, dict) and set(d) == {"leaf_hash", "field"}
                and isinstance(d["leaf_hash"], str) and _HEX64.match(d["leaf_hash"])
                and isinstance(d["field"], str) and re.fullmatch(r"[a-z_]{1,64}", d["field"])):
            raise _fail("manifest disclosures must be {leaf_hash, field}")
    pairs = [(d["leaf_hash"], d["field"]) for d in m["disclosures"]]
    if pairs != sorted(set(pairs)):
        raise _fail("manifest disclosures must be sorted without repeats")
    src.manifest = m
    return m


def _checkpoint(src: _Source, vkey: str, m: Mapping[str, Any]) -> Checkpoint:
    try:
        verifier = Verifier.from_vkey(vkey)
    except AtharError as exc:
        raise _fail(f"--key is not a verifier key: {exc.message}") from None
    raw = src.read("checkpoint.txt")
    opened = open_note(raw, [verifier])
    for line in raw.decode("utf-8").rsplit("\n\n", 1)[1].splitlines():
        b64 = line.rsplit(" ", 1)[-1]
        if base64.b64encode(base64.b64decode(b64)).decode() != b64:
            raise _fail("checkpoint signature is not canonically base64-encoded")
    cp = Checkpoint.from_text(opened.text)
    if cp.origin != m["origin"] or cp.size != m["tree_size"]:
        raise _fail("manifest origin/tree_size do not match the signed checkpoint")
    return cp


_HEX = re.compile(r"[0-9a-f]*")


def _hashes(items: list[str]) -> tuple[bytes, ...]:
    """32-byte hashes from strings of 64 lowercase hex digits; anything else is refused."""
    joined = "".join(items)
    if len(joined) != 64 * len(items) or not _HEX.fullmatch(joined):
        raise _fail("manifest proof hashes must be 64 lowercase hex digits")
    raw = bytes.fromhex(joined)
    return tuple(raw[i:i + 32] for i in range(0, len(raw), 32))


def _expected_names(m: Mapping[str, Any]) -> set[str]:
    names = {"manifest.json", "checkpoint.txt", "actors.json"}
    names |= {f"entries/{e['index']}.json" for e in m["entries"]}
    names |= {f"blobs/{b}" for b in m["blobs"]}
    names |= {f"disclosures/{d['leaf_hash']}.{d['field']}.json" for d in m["disclosures"]}
    return names


def _verify(src: _Source, vkey: str, max_gap: timedelta | None) -> ChainReport:
    m = _manifest(src)
    cp = _checkpoint(src, vkey, m)
    expected, present = _expected_names(m), src.names()
    if len(present) != len(set(present)) or set(present) != expected:
        odd = sorted(set(present) ^ expected)[:3]
        raise _fail(f"bundle files do not match the manifest (e.g. {', '.join(odd)})")
    entries = []
    for e in m["entries"]:
        proof = _hashes(e["proof"])
        entries.append(ProvedEntry(e["index"], src.read(f"entries/{e['index']}.json"), proof))
    disclosures = []
    for d in m["disclosures"]:
        disc = Disclosure.from_bytes(src.read(f"disclosures/{d['leaf_hash']}.{d['field']}.json"))
        if (disc.leaf_hash, disc.field) != (d["leaf_hash"], d["field"]):
            raise _fail(f"disclosure file of {d['field']} does not match its name")
        disclosures.append(disc)
    blobs = {b: src.chunks(f"blobs/{b}") for b in m["blobs"]}
    report = verify_chain(entries, cp, m["exhibits"], blobs=blobs, disclosures=disclosures,
                          max_gap=max_gap, workers=src.workers)
    extra: list[Finding] = []
    if report.intact:
        try:
            if actors_json((e.index, e.data) for e in entries) != src.read("actors.json"):
                extra.append(Finding("error", "actors_mismatch", "actors.json does not match "
                                     "the identity entries"))
        except AtharError as exc:
            extra.append(Finding("error", "actors_mismatch", exc.message))
        if sorted(report.states) != m["exhibits"]:
            extra.append(Finding("error", "exhibits_mismatch", "the manifest's exhibits are not "
                                 "exactly the exhibits whose entries the bundle holds"))
        registered = {t[0].body["blob"]["sha256"] for t in report.timelines.values()
                      if t and t[0].action == "registered" and "blob" in t[0].body}
        if not set(m["blobs"]) <= registered:
            extra.append(Finding("error", "blob_unexpected",
                                 "the bundle holds a blob no exhibit registered"))
    return ChainReport(report.findings + tuple(extra), report.states, report.timelines)


def verify_files(files: Mapping[str, bytes], vkey: str,
                 max_gap: timedelta | None = None) -> ChainReport:
    """Verify a bundle given as {name: bytes}; never raises for bad input."""
    try:
        return _verify(_Source(files=files), vkey, max_gap)
    except (AtharError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        msg = exc.message if isinstance(exc, AtharError) else f"unreadable bundle: {exc}"
        return ChainReport((Finding("error", "bundle_invalid", msg),))


def _file_digest(path: Path | str | BinaryIO) -> str:
    h = hashlib.sha256()
    if not isinstance(path, Path | str):
        path.seek(0)
        while chunk := path.read(1 << 20):
            h.update(chunk)
        return h.hexdigest()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def verify_bundle(path: Path | str | BinaryIO, vkey: str, max_gap: timedelta | None = None) -> ChainReport:
    """Verify the bundle zip at ``path`` against the log key ``vkey``; never raises for bad input.

    Besides the records, the zip itself must be byte-for-byte the canonical
    zip of its members, so no byte of the file escapes the check.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            src = _Source(zf=zf)
            src.workers = min((os.cpu_count() or 1) - 1, 7)
            report = _verify(src, vkey, max_gap)
            if report.intact:
                rebuilt = write_zip(None, canonical_members(_manifest(src), src.chunks))
                if rebuilt != _file_digest(path):
                    bad = Finding("error", "bundle_not_canonical", "the zip is not the canonical "
                                  "zip of its files: bytes outside the records were changed")
                    return ChainReport(report.findings + (bad,), report.states,
                                       report.timelines)
            return report
    except (AtharError, KeyError, ValueError, OSError, zipfile.BadZipFile, zlib.error,
            EOFError, RuntimeError, NotImplementedError) as exc:
        msg = exc.message if isinstance(exc, AtharError) else f"unreadable bundle: {exc}"
        return ChainReport((Finding("error", "bundle_invalid", msg),))


def _escape(text: str) -> str:
    return "".join(c if c.isprintable() and not 0x2000 <= ord(c) <= 0x206F
                   else f"\\u{ord(c):04x}" for c in text)


def format_verdict(report: ChainReport, name: str = "bundle") -> str:
    """A plain-text verdict: VERIFIED or FAILED, then one line per finding (escaped)."""
    entries = sum(len(t) for t in report.timelines.values())
    if report.intact:
        head = (f"VERIFIED {_escape(name)}: {len(report.states)} exhibit(s), "
                f"{entries} custody event record(s); every signature, proof and link holds")
    else:
        bad = sorted({f.index for f in report.findings if f.severity == "error"
                      and f.index is not None})
        which = f" (failing entries: {', '.join(map(str, bad))})" if bad else ""
        head = f"FAILED {_escape(name)}{which}"
    lines = [head]
    for f in report.findings:
        lines.append(f"  {f.severity.upper():7} {_escape(f.message)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m athar.report.verify BUNDLE --key VKEY``: exit 0 verified, 1 failed."""
    p = argparse.ArgumentParser(prog="athar-verify", description=__doc__.split("\n")[0])
    p.add_argument("bundle")
    p.add_argument("--key", required=True, help="the log's verifier key (name+id+base64)")
    p.add_argument("--max-gap-hours", type=float, default=None,
                   help="report custody gaps longer than this")
    args = p.parse_args(argv)
    gap = None if args.max_gap_hours is None else timedelta(hours=args.max_gap_hours)
    report = verify_bundle(args.bundle, args.key, gap)
    sys.stdout.write(format_verdict(report, Path(args.bundle).name) + "\n")
    return 0 if report.intact else 1


if __name__ == "__main__":
    sys.exit(main())
