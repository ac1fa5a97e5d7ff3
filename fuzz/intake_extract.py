"""Atheris harness: ``extract`` and ``read_report`` raise only AtharError; spans are exact;
a given publication date (any string) is never reported as inferred.

    pip install atheris && python fuzz/intake_extract.py -max_total_time=300
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from athar.errors import AtharError
    from athar.intake import extract, read_report


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    raw = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 4096))
    try:
        text = read_report(raw).text
    except AtharError:
        text = fdp.ConsumeUnicodeNoSurrogates(4096)
    published = fdp.ConsumeUnicodeNoSurrogates(12) if fdp.ConsumeBool() else None
    try:
        x = extract(text, published=published, vague_figures=fdp.ConsumeBool())
    except AtharError:
        return
    assert x.published_precision in ("day", "month", "year")
    assert not (x.published_inferred and published)
    for c in x.claims:
        assert text[c.start : c.end] == c.claim
    for item in [*x.places, *x.dates, *x.agents, *x.casualties, *x.alleged_perpetrators,
                 *x.loaded_language]:
        assert text[item.start : item.end] == item.as_written


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
