"""The engine every harness in ``fuzz/`` shares: atheris when installed, a seeded
mutation fuzzer when not.

A harness module defines ``test_one_input(data: bytes)`` (the atheris entry
point) and, for the ledger families, ``TARGETS`` (one ``bytes -> None``
callable per parser, each of which must raise nothing but ``AtharError``) and
``SEEDS`` (valid inputs to mutate). :func:`main` runs a harness from the
command line; :func:`fuzz_target` is what the runner and the CI test call.

Without atheris, :data:`shim` stands in for the ``atheris`` module (a
pure-Python ``FuzzedDataProvider``; ``instrument_imports`` does nothing), so a
harness written for atheris alone (``fuzz/intake_extract.py``) runs too.
"""

from __future__ import annotations

import contextlib
import random
import struct
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# Inputs that broke, or could break, a parser: non-ASCII digits accepted by
# str.isdigit, lone surrogates (as UTF-8 and as JSON escapes), NULs, huge numbers,
# the note syntax's own separators.
TOKENS: tuple[bytes, ...] = (
    "²".encode(), "٣".encode(), "１".encode(), "\u00bd".encode(), "\u2167".encode(),
    b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\\ud800", b"\\udfff", b"\\u0000", b"\x00", b"\xff",
    b"9" * 4301, b"1" * 25, b"18446744073709551616", b"-1", b"+1", b"0_1", b" 1", b"1e309",
    b"\n", b"\n\n", "\u2014 ".encode(), b"+", b"=", b"==", b"/", b"x", b".p/", b"..",
    b"\r", b"\t", "\u202e".encode(), "\U0001f600".encode(), b"[" * 50, b"{\"", b"\"",
    b"\xc0\x80", b"\xf4\x90\x80\x80", b"NaN", b"Infinity", b"true", b"null",
)


def as_text(data: bytes) -> str:
    """Bytes as text the way a parser may be handed them: UTF-8 where valid, lone
    surrogates (surrogateescape/surrogatepass) where not."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape")


def mutate(rng: random.Random, seed: bytes, tokens: Sequence[bytes] = TOKENS) -> bytes:
    """A few random edits of ``seed``: flips, insertions of tokens, deletions, splices."""
    b = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(b))
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos:pos] = rng.choice(tokens)
        elif op == 2 and b:
            end = min(len(b), pos + rng.randint(1, 16))
            del b[pos:end]
        elif op == 3 and b:
            end = min(len(b), pos + rng.randint(1, 4))
            b[pos:end] = rng.choice(tokens)
        elif op == 4:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 5 and b:
            i = rng.randrange(len(b))
            b[pos:pos] = b[i:i + rng.randint(1, 32)]
        elif op == 6:
            del b[pos:]
    return bytes(b)


def generate(rng: random.Random, seeds: Sequence[bytes]) -> bytes:
    """One input: mostly mutated seeds, sometimes random bytes or token soup."""
    r = rng.random()
    if seeds and r < 0.75:
        return mutate(rng, rng.choice(seeds))
    if r < 0.9:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))
    return b"".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 6)))


@dataclass
class Result:
    """What fuzzing one target found: how many inputs ran and which raised."""

    target: str
    inputs: int = 0
    failures: int = 0
    seconds: float = 0.0
    examples: list[tuple[bytes, str]] = field(default_factory=list)


def fuzz_target(name: str, fn: Callable[[bytes], None], seeds: Sequence[bytes], count: int,
                seed: int = 0, keep: int = 5) -> Result:
    """Run ``fn`` on ``count`` generated inputs (deterministic for a given ``seed``).

    Every exception ``fn`` lets through is a failure: targets catch ``AtharError``
    themselves, so anything escaping is a bug. The first ``keep`` failing inputs
    are kept with their tracebacks' last line.
    """
    rng = random.Random(f"{name}:{seed}")
    out = Result(name)
    inputs = [*seeds, *TOKENS]
    t0 = time.perf_counter()
    for i in range(count):
        data = inputs[i] if i < len(inputs) else generate(rng, seeds)
        try:
            fn(data)
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
            out.failures += 1
            if len(out.examples) < keep:
                last = traceback.format_exception_only(type(exc), exc)[-1].strip()
                out.examples.append((data, last))
        out.inputs += 1
    out.seconds = time.perf_counter() - t0
    return out


def one_input_of(targets: dict[str, Callable[[bytes], None]]) -> Callable[[bytes], None]:
    """An atheris entry point that sends each input to one target, chosen by its first byte."""
    names = sorted(targets)

    def test_one_input(data: bytes) -> None:
        if not data:
            return
        targets[names[data[0] % len(names)]](data[1:])

    return test_one_input


def main(harness: Any, argv: Sequence[str] | None = None) -> None:
    """Fuzz ``harness`` with atheris if installed, else with the seeded mutation fuzzer.

    Fallback options: ``--count N`` inputs per target (default 100,000), ``--seed S``.
    """
    argv = list(sys.argv if argv is None else argv)
    install_shim()
    import atheris

    if atheris is not shim and "--no-atheris" not in argv:
        atheris.Setup(argv, harness.test_one_input)
        atheris.Fuzz()
        return
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 100_000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    targets = getattr(harness, "TARGETS", None) or {"test_one_input": harness.test_one_input}
    bad = 0
    for name, fn in targets.items():
        r = fuzz_target(name, fn, getattr(harness, "SEEDS", ()), count, seed)
        bad += r.failures
        print(f"{name}: {r.inputs} inputs, {r.failures} non-AtharError exceptions, "
              f"{r.seconds:.1f} s")
        for data, msg in r.examples:
            print(f"  {data[:80]!r}: {msg}")
    sys.exit(1 if bad else 0)


# -- a pure-Python stand-in for the atheris module ---------------------------


class FuzzedDataProvider:
    """The subset of ``atheris.FuzzedDataProvider`` the harnesses use, in pure Python.

    Consumes bytes from the front of the input; when they run out, gives
    zeros and empty values, as atheris does.
    """

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(bytes(data))
        self._pos = 0

    def remaining_bytes(self) -> int:
        return len(self._data) - self._pos

    def _take(self, n: int) -> bytes:
        n = max(0, min(n, self.remaining_bytes()))
        out = bytes(self._data[self._pos:self._pos + n])
        self._pos += n
        return out

    def ConsumeBytes(self, count: int) -> bytes:  # noqa: N802 - atheris's names
        return self._take(count)

    def ConsumeRemainingBytes(self) -> bytes:  # noqa: N802
        return self._take(self.remaining_bytes())

    def ConsumeInt(self, byte_count: int) -> int:  # noqa: N802
        raw = self._take(byte_count).ljust(byte_count, b"\0")
        return int.from_bytes(raw, "little", signed=True)

    def ConsumeUInt(self, byte_count: int) -> int:  # noqa: N802
        return int.from_bytes(self._take(byte_count).ljust(byte_count, b"\0"), "little")

    def ConsumeIntInRange(self, lo: int, hi: int) -> int:  # noqa: N802
        span = hi - lo
        if span <= 0:
            return lo
        nbytes = (span.bit_length() + 7) // 8
        return lo + self.ConsumeUInt(nbytes) % (span + 1)

    def ConsumeBool(self) -> bool:  # noqa: N802
        return bool(self.ConsumeUInt(1) & 1)

    def ConsumeFloat(self) -> float:  # noqa: N802
        return float(struct.unpack("<d", self._take(8).ljust(8, b"\0"))[0])

    def PickValueInList(self, values: Sequence[Any]) -> Any:  # noqa: N802
        return values[self.ConsumeIntInRange(0, len(values) - 1)]

    def _unicode(self, count: int, surrogates: bool) -> str:
        mode = self.ConsumeUInt(1)
        if mode & 1 == 0:  # ASCII, as atheris does for half the inputs
            return bytes(b & 0x7F for b in self._take(count)).decode("ascii")
        width = 2 if mode & 2 == 0 else 4
        raw = self._take(count * width)
        cps = [int.from_bytes(raw[i:i + width], "little") for i in range(0, len(raw) - width + 1,
                                                                           width)]
        chars = []
        for cp in cps:
            cp %= 0x110000
            if not surrogates and 0xD800 <= cp <= 0xDFFF:
                cp -= 0xD800 - 0xE000 + 0x800
            chars.append(chr(cp))
        return "".join(chars)

    def ConsumeUnicode(self, count: int) -> str:  # noqa: N802
        return self._unicode(count, surrogates=True)

    def ConsumeUnicodeNoSurrogates(self, count: int) -> str:  # noqa: N802
        return self._unicode(count, surrogates=False)

    def ConsumeString(self, count: int) -> str:  # noqa: N802
        return self._unicode(count, surrogates=True)


@contextlib.contextmanager
def _instrument_imports(*_: Any, **__: Any) -> Iterator[None]:
    yield


def _setup(argv: Sequence[str], fn: Callable[[bytes], None], **_: Any) -> list[str]:
    _shim_state["fn"] = fn
    return list(argv)


def _fuzz() -> None:
    fn = _shim_state["fn"]
    r = fuzz_target("test_one_input", fn, (), 100_000)
    print(f"{r.inputs} inputs, {r.failures} exceptions")


_shim_state: dict[str, Any] = {}
shim = types.ModuleType("atheris")
shim.__doc__ = "A pure-Python stand-in for atheris (fuzz/_fuzzlib.py): no coverage guidance."
shim.FuzzedDataProvider = FuzzedDataProvider  # type: ignore[attr-defined]
shim.instrument_imports = _instrument_imports  # type: ignore[attr-defined]
shim.instrument_all = lambda: None  # type: ignore[attr-defined]
shim.Setup = _setup  # type: ignore[attr-defined]
shim.Fuzz = _fuzz  # type: ignore[attr-defined]


def install_shim() -> bool:
    """Make ``import atheris`` work: the real one if installed, else :data:`shim`.

    Returns True when the shim was installed.
    """
    try:
        import atheris  # noqa: F401
    except ImportError:
        sys.modules["atheris"] = shim
        return True
    return False
