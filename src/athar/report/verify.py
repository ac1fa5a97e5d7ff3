"""The offline bundle verifier: check an export bundle with the log's public key alone.

Imports only ``athar.ledger``, pure ``athar.custody`` modules and
``athar.errors`` (a test pins this): no database, web or network code, so a
party that distrusts the investigators can run it anywhere.

Checks: the zip is byte for byte the canonical zip ``athar export`` writes
(:mod:`athar.report.bundle_zip`, within :class:`Limits`, so a zip bomb is
refused before it is read); the checkpoint's signature by ``--key``; the
manifest is canonical and names exactly the bundle's files; every entry's
inclusion proof and signature; the identity replay and ``actors.json``; each
exhibit's hash chain and custody rules (the same code as the server's Verify);
completeness: every exhibit's events up to the checkpoint, against the
log's completeness index (:mod:`athar.report.completeness`);
blobs against their registered hashes; disclosures against their commitments.
It streams: memory holds the exhibits' states and a batch of entries, never
a whole member or the whole manifest.

Run as ``athar verify case.zip --key VKEY`` or ``python -m athar.report.verify``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

from athar.custody.commitments import Disclosure
from athar.custody.identity import IDENTITY_KINDS, actors_json
from athar.custody.models import Finding
from athar.custody.verify import DEFAULT_MAX_GAP, ChainReport, ChainVerifier, ProvedEntry
from athar.errors import AtharError, VerificationError
from athar.ledger.checkpoint import Checkpoint
from athar.ledger.hashing import leaf_hash
from athar.ledger.note import Verifier
from athar.ledger.note import open as open_note
from athar.report.bundle_reader import DictMembers, Members, ZipMembers
from athar.report.bundle_zip import BundleLimitExceeded, BundleTampered, CanonicalZip, Limits
from athar.report.completeness import Tally, check_completeness
from athar.report.manifest import BUNDLE_FORMAT, Header, iter_entries, scan
from athar.report.summary import SummaryBuilder, format_text, summary_json

__all__ = ["BUNDLE_FORMAT", "BundleLimitExceeded", "BundleResult", "BundleTampered", "Limits",
           "canonical_members", "check_bundle", "format_verdict", "main", "make_limits",
           "verify_bundle", "verify_files", "write_zip"]

_DATE = (2000, 1, 1, 0, 0, 0)
_IDENTITY_MARKS = tuple(f'"kind":"{k}"'.encode() for k in IDENTITY_KINDS)
_ENTRY_CODES = {"not_included", "entry_invalid", "event_invalid", "unknown_author",
                "rule_violation", "duplicate_index", "revoked_key"}


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
    bytes, so the verifier can check the layout and detect any changed byte.
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


@dataclass(frozen=True)
class BundleResult:
    """A verified (or failed) bundle: the findings, the custody summary and the checkpoint."""

    report: ChainReport
    summary: SummaryBuilder | None = None
    checkpoint: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, name: str = "bundle") -> dict[str, Any]:
        """The machine-readable result (``athar verify --json``)."""
        return summary_json(self.report, self.summary, name, self.checkpoint)

    def to_text(self, name: str = "bundle") -> str:
        """The readable verdict and custody summary (``athar verify``)."""
        return format_text(self.report, self.summary, name, self.checkpoint)


def _checkpoint(raw: bytes, vkey: str, header: Header) -> Checkpoint:
    try:
        verifier = Verifier.from_vkey(vkey)
    except AtharError as exc:
        raise VerificationError(f"--key is not a verifier key: {exc.message}") from None
    try:
        cp = Checkpoint.from_text(open_note(raw, [verifier]).text)
    except AtharError as exc:
        raise VerificationError(f"checkpoint.txt: {exc.message}") from None
    if cp.origin != header.origin or cp.size != header.tree_size:
        raise VerificationError("manifest.json: origin/tree_size do not match the signed "
                                "checkpoint in checkpoint.txt")
    return cp


def _name_findings(findings: Iterable[Finding], report: ChainReport) -> list[Finding]:
    """Prefix each entry or blob finding with the zip member it is about."""
    out = []
    for f in findings:
        msg = f.message
        if f.code in _ENTRY_CODES and f.index is not None:
            msg = f"entries/{f.index}.json: {msg}"
        elif f.code == "blob_mismatch" and f.exhibit_id is not None \
                and f.exhibit_id in report.registrations:
            blob = report.registrations[f.exhibit_id].body.get("blob") or {}
            msg = f"blobs/{blob.get('sha256')}: {msg}"
        out.append(Finding(f.severity, f.code, msg, f.exhibit_id, f.index))
    return out


def _kind(data: bytes) -> str | None:
    try:
        kind = json.loads(data).get("kind")
    except (ValueError, AttributeError, RecursionError):
        return None
    return kind if isinstance(kind, str) else None


def _verify(members: Members, vkey: str, max_gap: timedelta | None,
            workers: int, allow_unproven: bool = False) -> BundleResult:
    manifest = members.expect("manifest.json")
    header = scan(members.chunks(manifest))
    cp = _checkpoint(members.read(members.expect("checkpoint.txt")), vkey, header)
    actors_raw = members.read(members.expect("actors.json"))
    summary = SummaryBuilder()
    tally = Tally()

    def observe(ev: Any, changed: Any) -> None:
        summary(ev, changed)
        tally(ev, changed)

    verifier = ChainVerifier(cp, max_gap=max_gap, workers=workers, timelines=False,
                             keep={lh for lh, _ in header.disclosures}, observer=observe)
    identity: list[tuple[int, bytes]] = []
    snapshot: bytes | None = None
    for index, proof in iter_entries(members.chunks(manifest), header):
        data = members.read(members.expect(f"entries/{index}.json"))
        if any(mark in data for mark in _IDENTITY_MARKS) and _kind(data) in IDENTITY_KINDS:
            identity.append((index, data))
            tally.identity(index, leaf_hash(data).hex())
        if index == header.index_entry:
            snapshot = data
        verifier.add(ProvedEntry(index, data, proof))
    disclosures = []
    for (lh, fld), name in zip(header.disclosures, header.disclosure_names(), strict=True):
        disc = Disclosure.from_bytes(members.read(members.expect(name)))
        if (disc.leaf_hash, disc.field) != (lh, fld):
            raise VerificationError(f"{name}: the disclosure inside does not match its name")
        disclosures.append((name, disc))
    blobs = {b: members.lazy_chunks(members.expect(f"blobs/{b}")) for b in header.blobs}
    members.finish()
    report = verifier.finish(header.exhibits, blobs=blobs, disclosures=disclosures)
    extra: list[Finding] = []
    if report.intact:
        try:
            if actors_json(identity) != actors_raw:
                extra.append(Finding("error", "actors_mismatch", "actors.json does not match "
                                     "the identity entries"))
        except AtharError as exc:
            extra.append(Finding("error", "actors_mismatch", f"actors.json: {exc.message}"))
        if tuple(sorted(report.states)) != header.exhibits:
            extra.append(Finding("error", "exhibits_mismatch", "manifest.json: its exhibits "
                                 "are not exactly the exhibits whose entries the bundle holds"))
        registered = {r.body["blob"]["sha256"] for r in report.registrations.values()
                      if r.action == "registered" and "blob" in r.body}
        if not set(header.blobs) <= registered:
            extra.append(Finding("error", "blob_unexpected",
                                 "the bundle holds a blob no exhibit registered"))
    if not any(f.code == "not_included" for f in report.findings):
        extra += check_completeness(header, snapshot, vkey, tally, report.states,
                                    allow_legacy=allow_unproven)
    findings = _name_findings(report.findings, report) + extra
    final = ChainReport(tuple(findings), report.states, report.timelines, report.registrations,
                        report.events)
    return BundleResult(final, summary, {"origin": cp.origin, "size": cp.size,
                                         "root_hash": cp.root_hash.hex()})


def _failed(exc: BaseException) -> BundleResult:
    if isinstance(exc, AtharError):
        return BundleResult(ChainReport((Finding("error", exc.code if exc.code !=
                                                 "verification_failed" else "bundle_invalid",
                                                 exc.message),)))
    return BundleResult(ChainReport((Finding("error", "bundle_invalid",
                                             f"unreadable bundle: {exc}"),)))


def check_bundle(path: Path | str | BinaryIO, vkey: str,
                 max_gap: timedelta | None = DEFAULT_MAX_GAP, *,
                 limits: Limits | None = None, workers: int | None = None,
                 allow_unproven: bool = False) -> BundleResult:
    """Verify the bundle zip at ``path`` against the log key ``vkey``; never raises for bad input.

    Returns the report (findings; ``intact`` and ``clean``), the custody
    summary and the checkpoint. A zip over ``limits`` fails with a
    ``bundle_limit_exceeded`` finding before any member is decompressed; any
    changed byte fails, the finding naming the member (and entry) it is in.
    A bundle that does not prove it holds every event of its exhibits fails;
    a legacy ``athar-bundle/1`` bundle (no completeness index) fails too, or
    only warns with ``allow_unproven``.
    """
    if workers is None:
        workers = min((os.cpu_count() or 1) - 1, 7)
    try:
        z = CanonicalZip.open(path, limits)
    except (AtharError, OSError, ValueError) as exc:
        return _failed(exc)
    try:
        return _verify(ZipMembers(z), vkey, max_gap, workers, allow_unproven)
    except (AtharError, OSError, ValueError, RecursionError) as exc:
        return _failed(exc)
    finally:
        z.close()


def verify_bundle(path: Path | str | BinaryIO, vkey: str,
                  max_gap: timedelta | None = DEFAULT_MAX_GAP) -> ChainReport:
    """The report of :func:`check_bundle` (for callers that need only the findings)."""
    return check_bundle(path, vkey, max_gap).report


def verify_files(files: Mapping[str, bytes], vkey: str,
                 max_gap: timedelta | None = DEFAULT_MAX_GAP, *,
                 allow_unproven: bool = False) -> ChainReport:
    """Verify a bundle given as {name: bytes} (no zip); never raises for bad input."""
    try:
        return _verify(DictMembers(files), vkey, max_gap, 0, allow_unproven).report
    except (AtharError, ValueError, RecursionError) as exc:
        return _failed(exc).report


GiB = 1 << 30


def make_limits(max_members: int | None = None, max_blob_gib: float | None = None,
                max_total_gib: float | None = None) -> Limits:
    """:class:`Limits` with the command line's overrides (None keeps the default)."""
    d = Limits()
    return Limits(
        max_members=d.max_members if max_members is None else max_members,
        max_blob_bytes=d.max_blob_bytes if max_blob_gib is None else int(max_blob_gib * GiB),
        max_total_bytes=(d.max_total_bytes if max_total_gib is None
                         else int(max_total_gib * GiB)))


def format_verdict(report: ChainReport, name: str = "bundle") -> str:
    """A plain-text verdict (VERIFIED, VERIFIED WITH WARNINGS or FAILED), then each
    exhibit's state and findings; every message escaped."""
    return format_text(report, None, name)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m athar.report.verify BUNDLE --key VKEY``: exit 0 intact, 1 failed."""
    p = argparse.ArgumentParser(prog="athar-verify", description=__doc__.split("\n")[0])
    p.add_argument("bundle")
    p.add_argument("--key", required=True, help="the log's verifier key (name+id+base64)")
    p.add_argument("--max-gap-hours", type=float, default=DEFAULT_MAX_GAP.total_seconds() / 3600,
                   help="report custody gaps longer than this (default 48)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    d = Limits()
    p.add_argument("--max-members", type=int, default=d.max_members,
                   help="refuse a zip with more members than this")
    p.add_argument("--max-blob-gib", type=float, default=d.max_blob_bytes / GiB,
                   help="refuse a file (blob) larger than this many GiB")
    p.add_argument("--max-total-gib", type=float, default=d.max_total_bytes / GiB,
                   help="refuse a bundle whose members add up to more than this many GiB")
    p.add_argument("--allow-unproven-completeness", action="store_true",
                   help="verify a bundle written before completeness proofs (athar-bundle/1) "
                        "with a warning instead of failing it")
    args = p.parse_args(argv)
    limits = make_limits(args.max_members, args.max_blob_gib, args.max_total_gib)
    result = check_bundle(args.bundle, args.key, timedelta(hours=args.max_gap_hours),
                          limits=limits, allow_unproven=args.allow_unproven_completeness)
    name = Path(args.bundle).name
    out = (json.dumps(result.to_json(name), ensure_ascii=False, sort_keys=True) if args.json
           else result.to_text(name))
    sys.stdout.write(out + "\n")
    return 0 if result.report.intact else 1


if __name__ == "__main__":
    sys.exit(main())
