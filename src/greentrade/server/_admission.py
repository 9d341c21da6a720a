"""Admission: the evaluation slots of a worker and the bounded queue in front of them.

A request takes a slot only once its whole body has been read (a slow upload holds a
connection, never a slot). When every slot is taken it waits in a FIFO queue of at most
``max_queue`` requests, at most ``queue_timeout`` seconds; beyond either it is answered 503
with ``Retry-After``. A slot is given back when the evaluation has really ended (the thread
pool's done callback), and handed straight to the first request waiting.

The slots are shared by every event loop that uses the service (the tests run each request in
a loop of its own), hence a lock and ``call_soon_threadsafe`` rather than an asyncio primitive.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque

__all__ = ["Admission", "QueueFull", "QueueTimeout"]


class QueueFull(Exception):
    """Every slot is taken and the queue is full."""


class QueueTimeout(Exception):
    """The request waited in the queue for longer than it may."""


class Admission:
    def __init__(self, slots: int, max_queue: int, queue_timeout: float) -> None:
        self.size, self.max_queue, self.queue_timeout = slots, max_queue, queue_timeout
        self.used = 0
        self._lock = threading.Lock()
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = deque()

    @property
    def queued(self) -> int:
        return len(self._waiters)

    def try_acquire(self) -> bool:
        """Take a free slot at once if there is one and nobody is waiting."""
        with self._lock:
            if self.used < self.size and not self._waiters:
                self.used += 1
                return True
            return False

    async def acquire(self, wait: float | None = None, *, overflow: bool = False) -> None:
        """Take a slot, waiting at most `wait` seconds (default: the queue timeout).

        Raises `QueueFull` (the queue is full; `overflow` lets a batch's next line wait all the
        same) or `QueueTimeout`. A cancelled wait leaves the queue and holds no slot.
        """
        loop = asyncio.get_running_loop()
        with self._lock:
            if self.used < self.size and not self._waiters:
                self.used += 1
                return
            if len(self._waiters) >= self.max_queue and not overflow:
                raise QueueFull
            entry = (loop, loop.create_future())
            self._waiters.append(entry)
        future = entry[1]
        try:
            async with asyncio.timeout(self.queue_timeout if wait is None else max(0.0, wait)):
                await future
        except BaseException as exc:
            with self._lock:
                waiting = entry in self._waiters
                if waiting:
                    self._waiters.remove(entry)
            if not waiting and future.done() and not future.cancelled():
                self.release()  # the slot was handed over just as the wait ended: pass it on
            if isinstance(exc, TimeoutError):
                raise QueueTimeout from None
            raise

    def release(self) -> None:
        """Give a slot back (from any thread): to the first request waiting, or free."""
        with self._lock:
            while self._waiters:
                loop, future = self._waiters.popleft()
                try:
                    loop.call_soon_threadsafe(self._wake, future)
                except RuntimeError:  # that loop has closed
                    continue
                return
            self.used -= 1

    def _wake(self, future: asyncio.Future[None]) -> None:
        if future.done():  # its wait ended (timed out, cancelled) before the slot arrived
            self.release()
        else:
            future.set_result(None)
