"""Python's cyclic garbage collector paused while a dossier is validated.

A validation builds many objects that live until its report is made (the parsed input, the
entities, hits, findings, messages). The collector's full passes, which start each time the
objects that survived grow by a quarter, then scan all of them again and again: on a dossier
of 1,000 shipments they took a third of the validation and made its time grow faster than
the dossier (#22). Reference counting still frees everything that is not in a cycle at once;
what a validation leaves in cycles is collected after it, by the collector's next pass.

The pause is process-wide (the collector is): it starts with the first validation in
progress and ends with the last one. A collector that the host disabled stays disabled. When
validations overlap in threads without a gap, the pause ends after `MAX_PAUSE` seconds and
the collector runs as usual until no validation is in progress.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterator

__all__ = ["MAX_PAUSE", "paused"]

#: The longest pause (seconds) while validations overlap without a gap.
MAX_PAUSE = 1.0

_lock = threading.Lock()
_running = 0  # validations in progress
_paused_at: float | None = None  # when this module disabled the collector (None: it did not)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    global _running, _paused_at
    with _lock:
        if _running == 0:
            if gc.isenabled():
                gc.disable()
                _paused_at = time.monotonic()
        elif _paused_at is not None and time.monotonic() - _paused_at > MAX_PAUSE:
            gc.enable()  # the overlapping validations run with the collector from now on
            _paused_at = None
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _paused_at is not None:
                _paused_at = None
                gc.enable()
