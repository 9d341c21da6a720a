"""Rendering in a language against rendering in English (#25: at most 10% more).

For the bundled example with 200 shipments (about 1,400 findings) and the buyer-profiles
portfolio (its assessment), per language: the text and the HTML of the report rendered from its
stored JSON form (`render.report_text(d, lang)`, what `greentrade render` does: the texts are
translated from the message ids and arguments, then the page is rendered), the report's JSON
form in the language (`Report.to_json()` of an engine with `lang`), and the assessment's text
and HTML (`render.assessment_html(d, lang)`, in-process: its messages carry their ids).
The least CPU time (`time.process_time`) of interleaved repetitions: the machine is shared,
and the least disturbed run is the cost. Each language's catalogs and templates are loaded
once before timing (a process does that once).

    python bench/bench_i18n.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _gen import shipments  # noqa: E402

from greentrade import Engine, i18n, render  # noqa: E402
from greentrade.readiness import assess  # noqa: E402

LANGS = i18n.SHIPPED


def _median(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()  # CPU time of this process: other load on the machine counts less
        fn()
        times.append(time.process_time() - t)
    return min(times)  # the least disturbed run: the machine is shared


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    engine = Engine(config=ROOT / "examples" / "greentrade.toml")
    engine.load_entry_points()
    data = json.loads((ROOT / "examples" / "zhejiang-solar-portfolio.json").read_text("utf-8"))
    report = engine.validate(shipments(data, 200))
    stored = json.loads(report.to_json())
    portfolio = (ROOT / "plugins" / "buyer-profiles" / "examples" / "portfolio.json").read_bytes()
    assessed = assess(engine, portfolio).to_dict()
    print(f"report: {len(stored['findings'])} findings, {len(stored['outcomes'])} outcomes; "
          f"assessment: {len(assessed['products'])} products")
    jobs: dict[str, Callable[[str], Callable[[], Any]]] = {
        "report text (stored JSON)": lambda lang: lambda: render.report_text(stored, lang),
        "report HTML (stored JSON)": lambda lang: lambda: render.report_html(stored, lang),
        "report JSON in the language": lambda lang: lambda: attrs.evolve(report, lang=lang).to_json(),
        "assessment text": lambda lang: lambda: render.assessment_text(assessed, lang),
        "assessment HTML": lambda lang: lambda: render.assessment_html(assessed, lang),
    }
    for lang in LANGS:  # warm: catalogs and templates
        for job in jobs.values():
            job(lang)()
    worst = 0.0
    for name, job in jobs.items():
        per: dict[str, list[float]] = {lang: [] for lang in LANGS}
        for _ in range(3):  # interleaved rounds, so that load on the machine hits every language alike
            for lang in LANGS:
                per[lang].append(_median(job(lang), args.repeat))
        base = min(per["en"])
        cells = []
        for lang in LANGS:
            t = min(per[lang])
            over = t / base - 1
            if lang != "en":
                worst = max(worst, over)
            cells.append(f"{lang} {t * 1000:7.1f} ms ({over:+.0%})" if lang != "en" else f"en {t * 1000:7.1f} ms")
        print(f"{name:<28} " + "  ".join(cells))
    print(f"worst: {worst:+.1%} over English (target: at most +10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
