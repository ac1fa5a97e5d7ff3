"""Where the verifier gets a bundle's members: a canonical zip (streamed) or a dict.

Both give members in the bundle's canonical order and refuse any name the
manifest does not call for, so the verification code reads one way whatever
the bundle came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

from athar.report.bundle_zip import BundleTampered, CanonicalZip, Member

__all__ = ["DictMembers", "Members", "ZipMembers"]


def _mismatch(expected: str, found: str | None) -> BundleTampered:
    got = f"found {found!r}" if found is not None else "it is missing"
    return BundleTampered(f"bundle files do not match the manifest: expected {expected}, {got}",
                          member=expected)


class Members(Protocol):
    """A bundle's members, asked for in canonical order."""

    def expect(self, name: str) -> object:
        """The next member, which must be ``name``; raise BundleTampered otherwise."""

    def read(self, handle: object) -> bytes:
        """A (small) member's bytes."""

    def chunks(self, handle: object) -> Iterable[bytes]:
        """A member's bytes in chunks."""

    def lazy_chunks(self, handle: object) -> Iterable[bytes]:
        """A re-iterable of the member's chunks, read only when iterated."""

    def finish(self) -> None:
        """Raise BundleTampered if any member was not asked for, or the zip's end is wrong."""


class _Lazy:
    def __init__(self, z: CanonicalZip, m: Member) -> None:
        self.z, self.m = z, m

    def __iter__(self) -> Iterator[bytes]:
        return self.z.chunks(self.m)


class ZipMembers:
    """Members of a :class:`CanonicalZip`, each checked in turn against the layout."""

    def __init__(self, z: CanonicalZip) -> None:
        self.z = z
        self._it = z.members()

    def expect(self, name: str) -> Member:
        m = next(self._it, None)
        if m is None or m.name != name:
            raise _mismatch(name, m.name if m is not None else None)
        return m

    def read(self, handle: object) -> bytes:
        assert isinstance(handle, Member)
        return self.z.read(handle)

    def chunks(self, handle: object) -> Iterable[bytes]:
        assert isinstance(handle, Member)
        return self.z.chunks(handle)

    def lazy_chunks(self, handle: object) -> Iterable[bytes]:
        assert isinstance(handle, Member)
        return _Lazy(self.z, handle)

    def finish(self) -> None:
        extra = next(self._it, None)
        if extra is not None:
            raise BundleTampered(f"bundle files do not match the manifest: {extra.name!r} "
                                 "is not called for", member=extra.name)


class DictMembers:
    """Members given as ``{name: bytes}`` (a bundle already unpacked, or in tests)."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = files
        self.seen: set[str] = set()

    def expect(self, name: str) -> str:
        if name not in self.files or name in self.seen:
            raise _mismatch(name, None)
        self.seen.add(name)
        return name

    def read(self, handle: object) -> bytes:
        assert isinstance(handle, str)
        return self.files[handle]

    def chunks(self, handle: object) -> Iterable[bytes]:
        return [self.read(handle)]

    def lazy_chunks(self, handle: object) -> Iterable[bytes]:
        return [self.read(handle)]

    def finish(self) -> None:
        left = sorted(set(self.files) - self.seen)
        if left:
            raise BundleTampered(f"bundle files do not match the manifest: {left[0]!r} is "
                                 "not called for", member=left[0])
