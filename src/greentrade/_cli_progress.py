"""Progress of a long command on standard error: the tqdm bar on a terminal, elsewhere a line
every 10 seconds or every 10 % (count, rate, ETA), so that a CI log shows that work goes on."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

__all__ = ["Progress", "progress"]


class Progress:
    """Plain lines for logs: ``greentrade: 300/3000 dossiers (10%), 88/s, about 31 s left``."""

    EVERY_SECONDS = 10.0
    EVERY_FRACTION = 0.1

    def __init__(self, total: int | None, unit: str, stream: IO[str], *, clock: Any = time.monotonic) -> None:
        self.total, self.unit, self.stream, self.clock = total, unit, stream, clock
        self.count = 0
        self.start = self.last_time = clock()
        self.last_count = 0

    def update(self, n: int = 1) -> None:
        self.count += n
        now = self.clock()
        step = self.total * self.EVERY_FRACTION if self.total else None
        if now - self.last_time >= self.EVERY_SECONDS or (step and self.count - self.last_count >= step):
            self._line(now)

    def _line(self, now: float) -> None:
        self.last_time, self.last_count = now, self.count
        elapsed = max(now - self.start, 1e-9)
        rate = self.count / elapsed
        if self.total:
            left = (self.total - self.count) / rate if rate > 0 else 0.0
            text = (f"greentrade: {self.count}/{self.total} {self.unit}s ({100 * self.count // self.total}%), "
                    f"{rate:.0f}/s, about {left:.0f} s left")
        else:
            text = f"greentrade: {self.count} {self.unit}s, {rate:.0f}/s"
        try:
            self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # pragma: no cover - a closed standard error stops nothing
            pass

    def close(self) -> None:
        pass


def progress(total: int | None, unit: str, *, enabled: bool, stream: IO[str] | None = None) -> Any:
    """A progress reporter with ``update()`` and ``close()``, or None when disabled."""
    if not enabled:
        return None
    stream = stream or sys.stderr
    if stream.isatty():
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency; a stripped install goes without
            return Progress(total, unit, stream)
        return tqdm(total=total, unit=unit, file=stream, mininterval=0.5, dynamic_ncols=True)
    return Progress(total, unit, stream)
