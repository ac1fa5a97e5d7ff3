"""Intake benchmark: extraction quality on the development set, and throughput.

    .venv/bin/python benchmarks/intake.py [--quick] [--verbose] [--only ID ...]

Quality: runs ``athar.intake.extract`` on every report of
``tests/assets/intake/`` (passing its published date and outlet) and scores the
result against the gold annotation, micro-averaged per field and per language:

* claims: a gold claim is found when a predicted claim has the same speaker
  (``speaker_normalized`` compared case-insensitively, else the speaker as
  written after Arabic normalisation, one containing the other) and a span whose
  token Jaccard with the gold span is >= 0.5; matching is one-to-one, best
  overlap first;
* places by normalized name (case, "al-", hyphens, spaces and apostrophes
  ignored), dates by ISO value, agents by normalized name, casualties by
  (figure, kind), alleged perpetrators by normalized name, loaded language by
  normalised wording; each as a set per report.

Throughput: ``reports_per_s`` of ``extract`` on >= 300 synthetic reports of
about 5 KB each (dev-set texts of one language concatenated), single process,
beside a baseline measured in the same run (the same texts through one
``re.findall(r"\\w+")`` pass).

A missing extractor, or one that raises on a report, is reported and scored as
finding nothing. The LAST stdout line is one JSON object (see ``final_json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import traceback
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    ROOT,
    ensure_src_on_path,
    figure,
    final_json,
    heading,
    peak_rss_mb,
    rate,
)

ensure_src_on_path()

ASSETS = ROOT / "tests" / "assets" / "intake"
FIELDS = (
    "claims",
    "places",
    "dates",
    "agents",
    "casualties",
    "alleged_perpetrators",
    "loaded_language",
)
SHORT = {"alleged_perpetrators": "perpetrators", "loaded_language": "loaded"}
JACCARD_MIN = 0.5
SYNTH_BYTES = 5 * 1024

# --------------------------------------------------------------------------- normalisation

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TOKEN = re.compile(r"\w+")
_AL = re.compile(
    r"(?:(?<=[\s'])|^)(?:(?:al|el)[\s-]+|(?:ad|ar|as|ash|at|az|an|ath)-)", re.IGNORECASE
)
_AR_AL = re.compile(r"(?:(?<=\s)|^)ال(?=\w{2,})")


def ar_norm(s: str | None) -> str:
    """Fold Arabic spelling variants, strip diacritics and tatweel, casefold, squash spaces."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = _INVISIBLE.sub("", _AR_DIACRITICS.sub("", s)).translate(_AR_FOLD).casefold()
    s = re.sub(r"[\"'«»“”‘’(),.:;،؛]", " ", s)
    return " ".join(s.split())


def place_key(name: str | None) -> str:
    """Key for comparing place names: case, accents, 'al-', hyphens, spaces ignored."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().strip()
    s = _AL.sub("", s)
    s = _AR_AL.sub("", ar_norm(s))
    return re.sub(r"[\W_]+", "", s)


def name_key(name: str | None) -> str:
    return " ".join(ar_norm(name).replace("-", " ").split())


# --------------------------------------------------------------------------- scoring


class Counts:
    __slots__ = ("tp", "fp", "fn")

    def __init__(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp, self.fp, self.fn = tp, fp, fn

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _token_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _tokens_in(spans: list[tuple[int, int]], start: int, end: int) -> frozenset[int]:
    return frozenset(i for i, (s, e) in enumerate(spans) if s < end and e > start)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def speaker_match(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    gn, pn = name_key(gold.get("speaker_normalized")), name_key(pred.get("speaker_normalized"))
    if gn and gn == pn:
        return True
    gw, pw = ar_norm(gold.get("speaker")), ar_norm(pred.get("speaker"))
    if gw and pw and (gw == pw or (min(len(gw), len(pw)) >= 3 and (gw in pw or pw in gw))):
        return True
    return False


def match_claims(
    text: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[Counts, list[dict[str, Any]], list[dict[str, Any]]]:
    """One-to-one matching, best Jaccard first. Returns counts, missed gold, false preds."""
    spans = _token_spans(text)
    gtok = [_tokens_in(spans, g["start"], g["end"]) for g in gold]
    ptok = []
    for p in pred:
        try:
            ptok.append(_tokens_in(spans, int(p["start"]), int(p["end"])))
        except (KeyError, TypeError, ValueError):
            ptok.append(frozenset())
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if not (gtok[i] & ptok[j]):
                continue
            jac = jaccard(gtok[i], ptok[j])
            if jac >= JACCARD_MIN and speaker_match(g, p):
                pairs.append((jac, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
    missed = [g for i, g in enumerate(gold) if i not in used_g]
    false = [p for j, p in enumerate(pred) if j not in used_p]
    return Counts(len(used_g), len(false), len(missed)), missed, false


def _set_keys(field: str, items: Iterable[dict[str, Any]]) -> dict[Any, str]:
    """Map comparison key -> a readable label, for one field of one report."""
    out: dict[Any, str] = {}
    for it in items:
        try:
            if field == "places":
                key: Any = place_key(it.get("normalized"))
                label = f"{it.get('normalized')} ({it.get('as_written')})"
            elif field == "dates":
                key = it.get("iso")
                label = f"{key} ({it.get('as_written')})"
            elif field == "agents":
                key = (it.get("normalized") or "").casefold().strip()
                label = f"{key} ({it.get('as_written')})"
            elif field == "casualties":
                key = (int(it["figure"]), str(it.get("kind")))
                label = f"{key[0]} {key[1]} ({it.get('as_written')})"
            elif field == "alleged_perpetrators":
                key = name_key(it.get("normalized"))
                label = f"{it.get('normalized')} ({it.get('as_written')})"
            elif field == "loaded_language":
                key = ar_norm(it.get("as_written"))
                label = str(it.get("as_written"))
            else:  # pragma: no cover
                raise ValueError(field)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if key:
            out.setdefault(key, label)
    return out


def match_sets(
    field: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[Counts, list[str], list[str]]:
    g, p = _set_keys(field, gold), _set_keys(field, pred)
    tp = len(g.keys() & p.keys())
    missed = [g[k] for k in g if k not in p]
    false = [p[k] for k in p if k not in g]
    return Counts(tp, len(false), len(missed)), missed, false


# --------------------------------------------------------------------------- data


def load_devset(only: list[str] | None = None) -> list[tuple[dict[str, Any], str]]:
    out = []
    for path in sorted(ASSETS.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if only and gold["id"] not in only:
            continue
        text = path.with_name(path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        out.append((gold, text))
    return out


def load_extractor() -> tuple[Callable[..., Any] | None, str, str | None]:
    """Return (extract, version, error)."""
    try:
        from athar import intake  # noqa: PLC0415
    except Exception as e:  # noqa: BLE001 - any import failure means "no extractor"
        return None, "missing", f"cannot import athar.intake: {type(e).__name__}: {e}"
    fn = getattr(intake, "extract", None)
    if fn is None:
        return None, "missing", "athar.intake has no extract() yet"
    return fn, str(getattr(intake, "EXTRACTOR_VERSION", "unknown")), None


def run_one(
    extract: Callable[..., Any] | None, text: str, published: dt.date | None, source: str | None
) -> tuple[dict[str, Any], str | None]:
    """Extract and return (output dict, error message or None)."""
    empty: dict[str, Any] = {f: [] for f in FIELDS}
    if extract is None:
        return empty, "extractor missing"
    try:
        result = extract(text, published=published, source=source)
        out = result.to_json() if hasattr(result, "to_json") else result
        if not isinstance(out, dict):
            return empty, f"extract returned {type(out).__name__}, not an Extraction"
        for f in FIELDS:
            if not isinstance(out.get(f), list):
                out[f] = []
        return out, None
    except Exception as e:  # noqa: BLE001 - a failing report is counted as missed
        tb = traceback.extract_tb(e.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        return empty, f"{type(e).__name__}: {e}{where}"


# --------------------------------------------------------------------------- quality


def quality(
    devset: list[tuple[dict[str, Any], str]], extract: Callable[..., Any] | None, verbose: bool
) -> dict[str, Any]:
    total = {f: Counts() for f in FIELDS}
    by_lang: dict[str, dict[str, Counts]] = defaultdict(lambda: {f: Counts() for f in FIELDS})
    per_report: dict[str, list[tuple[str, Counts]]] = {f: [] for f in FIELDS}
    failures: list[tuple[str, str]] = []
    speaker_type_ok = speaker_type_n = 0
    details: list[str] = []

    for gold, text in devset:
        published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
        pred, err = run_one(extract, text, published, gold.get("source"))
        if err:
            failures.append((gold["id"], err))
        lines: list[str] = []
        for f in FIELDS:
            if f == "claims":
                c, missed_c, false_c = match_claims(text, gold["claims"], pred["claims"])
                missed = [_claim_label(x) for x in missed_c]
                false = [_claim_label(x) for x in false_c]
                matched_ok, matched_n = _speaker_types(text, gold["claims"], pred["claims"])
                speaker_type_ok += matched_ok
                speaker_type_n += matched_n
            else:
                c, missed, false = match_sets(f, gold[f], pred[f])
            total[f].add(c)
            by_lang[gold["language"]][f].add(c)
            per_report[f].append((gold["id"], c))
            if verbose and (missed or false):
                lines.append(f"  {f}: tp={c.tp} fp={c.fp} fn={c.fn}")
                lines += [f"    MISS {m}" for m in missed]
                lines += [f"    FP   {x}" for x in false]
        if verbose and (lines or err):
            details.append(f"[{gold['id']}] {gold['style']}" + (f"  ERROR {err}" if err else ""))
            details += lines

    heading(f"Quality on {len(devset)} dev-set reports")
    for f in FIELDS:
        p, r, f1 = total[f].prf()
        c = total[f]
        print(f"  {f:<22} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}   (tp {c.tp}, fp {c.fp}, fn {c.fn})")
    for lang in sorted(by_lang):
        heading(f"Quality, language {lang}")
        for f in FIELDS:
            p, r, f1 = by_lang[lang][f].prf()
            print(f"  {f:<22} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    if speaker_type_n:
        figure("speaker_type accuracy (matched)", speaker_type_ok / speaker_type_n)

    heading("Worst 5 reports per field (by errors, then F1)")
    for f in FIELDS:
        worst = sorted(per_report[f], key=lambda t: (-(t[1].fp + t[1].fn), t[1].prf()[2], t[0]))
        worst = [w for w in worst if w[1].fp + w[1].fn][:5]
        shown = ", ".join(f"{i} (fn {c.fn}, fp {c.fp})" for i, c in worst) or "none"
        print(f"  {f:<22} {shown}")

    if failures:
        heading(f"Reports the extractor failed on: {len(failures)}")
        for rid, err in failures[:20]:
            print(f"  {rid}: {err}")
        if len(failures) > 20:
            print(f"  ... and {len(failures) - 20} more")
    if verbose and details:
        heading("Misses (MISS) and false positives (FP)")
        print("\n".join(details))

    result: dict[str, Any] = {}
    for f in FIELDS:
        p, r, f1 = total[f].prf()
        key = SHORT.get(f, f)
        result[f"{key}_precision"] = round(p, 4)
        result[f"{key}_recall"] = round(r, 4)
        result[f"{key}_f1"] = round(f1, 4)
    result["by_language"] = {
        lang: {SHORT.get(f, f) + "_f1": round(by_lang[lang][f].prf()[2], 4) for f in FIELDS}
        for lang in sorted(by_lang)
    }
    result["failed_reports"] = len(failures)
    result["speaker_type_accuracy"] = (
        round(speaker_type_ok / speaker_type_n, 4) if speaker_type_n else None
    )
    return result


def _claim_label(c: dict[str, Any]) -> str:
    claim = str(c.get("claim", ""))
    if len(claim) > 90:
        claim = claim[:60] + " ... " + claim[-25:]
    return (
        f"{c.get('speaker_normalized')!r} [{c.get('speaker_type')}] "
        f"{c.get('verb')!r} {c.get('start')}-{c.get('end')}: {claim}"
    )


def _speaker_types(text: str, gold: list[dict], pred: list[dict]) -> tuple[int, int]:
    """Among matched claims, how many have the gold speaker_type."""
    spans = _token_spans(text)
    ok = n = 0
    for g in gold:
        gt = _tokens_in(spans, g["start"], g["end"])
        best, best_j = None, 0.0
        for p in pred:
            try:
                pt = _tokens_in(spans, int(p["start"]), int(p["end"]))
            except (KeyError, TypeError, ValueError):
                continue
            j = jaccard(gt, pt)
            if j >= JACCARD_MIN and j > best_j and speaker_match(g, p):
                best, best_j = p, j
        if best is not None:
            n += 1
            ok += best.get("speaker_type") == g["speaker_type"]
    return ok, n


# --------------------------------------------------------------------------- throughput


def synthetic_reports(devset: list[tuple[dict[str, Any], str]], count: int) -> list[tuple[str, str]]:
    """``count`` reports of about 5 KB (UTF-8), each of dev-set texts of one language."""
    by_lang: dict[str, list[str]] = defaultdict(list)
    for gold, text in devset:
        by_lang[gold["language"]].append(text)
    langs = sorted(by_lang)
    out = []
    for k in range(count):
        lang = langs[k % len(langs)]
        texts = by_lang[lang]
        parts, size, i = [], 0, k // len(langs)
        while size < SYNTH_BYTES:
            t = texts[i % len(texts)]
            parts.append(t)
            size += len(t.encode("utf-8")) + 2
            i += 1
        out.append((lang, "\n\n".join(parts)))
    return out


def throughput(
    devset: list[tuple[dict[str, Any], str]],
    extract: Callable[..., Any] | None,
    count: int,
    budget_s: float,
    rounds: int,
) -> dict[str, Any]:
    docs = synthetic_reports(devset, count)
    mean_kb = sum(len(t.encode("utf-8")) for _, t in docs) / len(docs) / 1024
    published = dt.date(2019, 1, 1)

    def baseline_pass() -> float:
        t0 = time.perf_counter()
        n = 0
        for _, text in docs:
            n += len(re.findall(r"\w+", text))
        assert n > 0
        return time.perf_counter() - t0

    base = min(baseline_pass() for _ in range(3))
    base_rate = rate(len(docs), base)

    heading(f"Throughput on {len(docs)} synthetic reports (mean {mean_kb:.1f} KB), 1 process")
    figure("baseline re.findall(\\w+)", base_rate, "reports/s")
    result: dict[str, Any] = {
        "baseline_reports_per_s": round(base_rate, 1),
        "synthetic_reports": len(docs),
        "synthetic_mean_kb": round(mean_kb, 2),
    }
    if extract is None:
        figure("extractor", "missing")
        result.update(reports_per_s=0.0, throughput_ratio=0.0)
        return result

    best = None
    errors = 0
    for _ in range(rounds):
        done = ok = 0
        t0 = time.perf_counter()
        for _, text in docs:
            try:
                extract(text, published=published, source="Benchmark")
                ok += 1
            except Exception:  # noqa: BLE001 - counted, never fatal
                errors += 1
            done += 1
            if time.perf_counter() - t0 > budget_s:
                break
        elapsed = time.perf_counter() - t0
        # Only successful extractions count: a report that raised was not processed.
        r = rate(ok, elapsed) if ok else 0.0
        best = r if best is None else max(best, r)
        if done < len(docs):
            figure("(time budget hit after)", done, "reports")
            break
    assert best is not None
    figure("extract", best, "reports/s")
    figure("ratio extract / baseline", best / base_rate if base_rate else 0.0)
    if errors:
        figure("extract errors during timing", errors)
    result.update(
        reports_per_s=round(best, 1),
        throughput_ratio=round(best / base_rate, 6) if base_rate else 0.0,
        throughput_errors=errors,
    )
    return result


# --------------------------------------------------------------------------- main


def _oracle(devset: list[tuple[dict[str, Any], str]]) -> Callable[..., Any]:
    """An 'extractor' that returns the gold annotation (checks the scorer itself)."""
    by_text = {text: gold for gold, text in devset}

    def extract(text: str, *, published: Any = None, source: Any = None) -> dict[str, Any]:
        gold = by_text.get(text)
        return {f: list(gold[f]) for f in FIELDS} if gold else {f: [] for f in FIELDS}

    return extract


# The keys of the final JSON line (docs/performance.md cites them; see _common.final_json);
# the quality keys are FIELDS' names (SHORT where given) with _precision, _recall, _f1.
JSON_KEYS = (
    "claims_precision", "claims_recall", "claims_f1", "places_precision", "places_recall",
    "places_f1", "dates_precision", "dates_recall", "dates_f1", "agents_precision",
    "agents_recall", "agents_f1", "casualties_precision", "casualties_recall", "casualties_f1",
    "perpetrators_precision", "perpetrators_recall", "perpetrators_f1", "loaded_precision",
    "loaded_recall", "loaded_f1", "by_language", "failed_reports", "speaker_type_accuracy",
    "baseline_reports_per_s", "synthetic_reports", "synthetic_mean_kb", "reports_per_s",
    "throughput_ratio", "throughput_errors", "benchmark", "extractor_version",
    "extractor_available", "reports", "quick", "peak_rss_mb",
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Intake extraction quality and throughput.")
    ap.add_argument("--quick", action="store_true", help="one timing round, finishes in < 1 min")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and false positives")
    ap.add_argument("--only", nargs="+", metavar="ID", help="score only these report ids")
    ap.add_argument("--synthetic", type=int, default=None, help="synthetic reports (>= 300)")
    ap.add_argument("--no-throughput", action="store_true", help="skip the timing part")
    ap.add_argument("--oracle", action="store_true", help="score gold against itself (self-test)")
    args = ap.parse_args(argv)

    devset = load_devset(args.only)
    if not devset:
        print("no dev-set reports found under", ASSETS, file=sys.stderr)
        return 2
    extract, version, err = load_extractor()
    if args.oracle:
        extract, version, err = _oracle(devset), "oracle", None
    heading("Intake benchmark")
    figure("extractor version", version)
    langs = defaultdict(int)
    for g, _ in devset:
        langs[g["language"]] += 1
    figure("dev-set reports", ", ".join(f"{n} {lang}" for lang, n in sorted(langs.items())))
    if err:
        print(f"  WARNING: {err}; every report is scored as missed")

    t0 = time.perf_counter()
    result = quality(devset, extract, args.verbose)
    figure("quality pass", time.perf_counter() - t0, "s")

    if not args.no_throughput:
        count = max(300, args.synthetic or (300 if args.quick else 1000))
        full = load_devset() if args.only else devset
        result.update(
            throughput(
                full,
                extract,
                count,
                budget_s=25.0 if args.quick else 240.0,
                rounds=1 if args.quick else 3,
            )
        )
    else:
        result.update(reports_per_s=None)

    figure("peak RSS", peak_rss_mb(), "MiB")
    result.update(
        benchmark="intake",
        extractor_version=version,
        extractor_available=extract is not None,
        reports=len(devset),
        quick=bool(args.quick),
        peak_rss_mb=peak_rss_mb(),
    )
    final_json(result, JSON_KEYS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
