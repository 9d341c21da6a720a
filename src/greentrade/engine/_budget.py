"""Time budgets: how long each rule may take on one dossier.

Each rule has a budget per dossier (default 5 s, summed over all its calls). The time a
rule uses is always measured: a rule over budget becomes a ``GT-ENGINE-003`` fault and is
not run again on that dossier, and its program is ``undetermined``.

Where it can be done safely, a rule over budget is also *stopped*: in the main thread of a
process on a POSIX system whose host uses neither ``SIGALRM`` nor the real-time interval
timer, the engine arms ``signal.setitimer(ITIMER_REAL)`` for the validation and raises
`RuleTimeout` in the rule when its budget is spent. Elsewhere (another thread, Windows, a
host with its own alarm) the rule runs to its end and its result is then discarded.
"""

from __future__ import annotations

import contextlib
import contextvars
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType, TracebackType
from typing import Any

__all__ = ["DEFAULT_RULE_BUDGET", "MAX_RULE_BUDGET", "Budget", "Cancelled", "RuleTimeout", "cancel_check",
           "raise_if_cancelled"]

DEFAULT_RULE_BUDGET = 5.0
#: The largest budget that can be set (one day): beyond it timers overflow.
MAX_RULE_BUDGET = 86400.0


class RuleTimeout(BaseException):
    """Raised inside a rule whose time budget is spent (a BaseException, so that a rule's
    ``except Exception`` does not swallow it)."""


class Cancelled(BaseException):
    """The host cancelled the validation (`cancel_check`): it ends before the next rule call,
    with no report. A BaseException, so that the engine's fault isolation lets it through."""


_CANCELLED: contextvars.ContextVar[Callable[[], bool] | None] = contextvars.ContextVar(
    "greentrade_cancelled", default=None)


@contextlib.contextmanager
def cancel_check(cancelled: Callable[[], bool]) -> Iterator[None]:
    """Validations in this context (thread) end with `Cancelled` before the next rule call once
    `cancelled()` is true. The HTTP service uses it for a request whose client has gone or
    whose time is up; a rule that is running is not interrupted (its time budget bounds it)."""
    token = _CANCELLED.set(cancelled)
    try:
        yield
    finally:
        _CANCELLED.reset(token)


def raise_if_cancelled() -> None:
    check = _CANCELLED.get()
    if check is not None and check():
        raise Cancelled


class Budget:
    """The time budgets of one validation run (a context manager that arms the alarm)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.used: dict[str, float] = {}
        #: Rules that have used up their budget on this dossier.
        self.exhausted: set[str] = set()
        self._current: str | None = None
        self._started = 0.0
        self._raised = False
        self._old_handler: Any = None
        self.enforced = False

    def __enter__(self) -> Budget:
        if not self.seconds or not hasattr(signal, "setitimer"):
            return self
        if threading.current_thread() is not threading.main_thread():
            return self
        try:
            if signal.getitimer(signal.ITIMER_REAL)[0] != 0:
                return self  # the host's own timer runs: leave it alone
            if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
                return self  # the host handles SIGALRM itself
            self._old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        except (ValueError, OSError):  # pragma: no cover - e.g. an embedded interpreter
            return self
        interval = min(0.1, max(0.005, self.seconds / 10))
        signal.setitimer(signal.ITIMER_REAL, interval, interval)
        self.enforced = True
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.enforced:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler)
            self.enforced = False

    def spent(self, rule: str) -> bool:
        """True when `rule` has used up its budget on this dossier."""
        return rule in self.exhausted

    def start(self, rule: str) -> None:
        self._started = time.perf_counter()
        self._raised = False
        self._current = rule

    def stop(self) -> bool:
        """End the current rule's call; True when the rule is now over its budget."""
        rule = self._current
        if rule is None:
            return False
        self._current = None
        used = self.used[rule] = self.used.get(rule, 0.0) + time.perf_counter() - self._started
        if self.seconds and used > self.seconds:
            self.exhausted.add(rule)
            return True
        return False

    def _on_alarm(self, _signum: int, _frame: FrameType | None) -> None:
        # At most one RuleTimeout per call: the engine's own handling of it can then never be
        # interrupted by a second one. A rule that swallows it runs on, and its result is
        # discarded when it returns (`stop` reports it over budget).
        rule = self._current
        if rule is None or self._raised or self.seconds is None:
            return
        if self.used.get(rule, 0.0) + time.perf_counter() - self._started > self.seconds:
            self._raised = True
            raise RuleTimeout(rule)
