"""CPU seconds of one failing engine property: Hypothesis' default settings against the
``greentrade-engine`` profile (no explain phase). docs/testing.md quotes the figures.

    python bench/bench_engine_profile.py [--rounds N]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


def one(which: str) -> float:
    from hypothesis import HealthCheck, given, settings

    import greentrade.testing.strategies as gts
    from greentrade.testing import engine_for

    engine = engine_for("cn-green-channel", config=gts.outcome_config("cn-green-channel", "eligible"))
    engine.validate(EXAMPLE.read_bytes())
    base = dict(database=None, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    chosen = settings(**base) if which == "default" else settings(gts.ENGINE_SETTINGS, **base)

    @chosen
    @given(gts.dossier_json(max_shipments=3))
    def prop(data: dict) -> None:  # fails on any dossier with 2 or more shipments
        assert len(data["shipments"]) < 2 or not engine.validate(data).outcomes

    start = time.process_time()
    with contextlib.suppress(AssertionError):
        prop()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", choices=("default", "profile"))
    args = parser.parse_args()
    if args.one:
        print(f"{one(args.one):.2f}")
        return
    for which in ("default", "profile"):
        figures = [float(subprocess.run([sys.executable, __file__, "--one", which], capture_output=True, text=True,
                                        check=True).stdout) for _ in range(args.rounds)]
        print(f"{which:8} CPU s of one failing property: {', '.join(f'{f:.2f}' for f in figures)}")


if __name__ == "__main__":
    main()
