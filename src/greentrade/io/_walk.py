"""Input sets: the ``*.json`` files below a directory, and what could not be walked.

A walk says what it did: a directory that cannot be listed is an entry with its problem (the
batch gives it a ``GT-ENGINE-007`` report and counts it); a symbolic link to a folder is
followed, once: a folder reached a second time (a link loop, or a second link to the same
folder) is skipped with a note. A file found that is the batch's own output is refused
(`OutputError`) before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import attrs

from greentrade.errors import OutputError

__all__ = ["Found", "Walk"]


@attrs.frozen
class Found:
    """A file found by a walk, or (with `problem`) a directory that could not be listed."""

    path: Path
    problem: str = ""


class Walk:
    """``*.json`` files below directories, in sorted path order.

    `output` and `output_id` ((device, inode) of an existing output file): a file found that is
    the output raises `OutputError`. `notes` collects what was skipped, one line each.
    """

    def __init__(self, output: str | None = None, output_id: tuple[int, int] | None = None) -> None:
        self.output, self.output_id = output, output_id
        self._visited: set[tuple[int, int]] = set()
        self.notes: list[str] = []

    def files(self, root: Path) -> Iterator[Found]:
        try:
            st = root.stat()
        except OSError as exc:
            yield Found(root, f"cannot read the directory: {exc.strerror}")
            return
        self._visited.add((st.st_dev, st.st_ino))
        yield from self._below(root, root)

    def _below(self, directory: Path, root: Path) -> Iterator[Found]:
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield Found(directory, f"cannot read the directory: {exc.strerror}")
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    st = path.stat()
                except OSError as exc:
                    yield Found(path, f"cannot read the directory: {exc.strerror}")
                    continue
                key = (st.st_dev, st.st_ino)
                if key in self._visited:
                    self.notes.append(f"{path}: a symbolic link to a folder that was already read "
                                      "(a loop, or a second link to it); skipped")
                    continue
                self._visited.add(key)
                yield from self._below(path, root)
            elif entry.name.endswith(".json"):
                if self.output_id is not None and self._is_output(entry):
                    raise OutputError(f"cannot write {self.output!r}: it is the input file {str(path)!r} "
                                      f"(found in {str(root)!r})")
                yield Found(path)

    def _is_output(self, entry: os.DirEntry[str]) -> bool:
        assert self.output_id is not None
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self.output_id
