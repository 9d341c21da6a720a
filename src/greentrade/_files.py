"""Reading input within bounds and writing output without losing data.

- `read_bytes` reads a regular file (never a FIFO, a device or a directory) or a binary
  stream such as standard input, and refuses more than a size cap.
- `write_atomic` writes a file through a temporary file in the same directory (flushed and
  fsynced), then `os.replace`: the target holds either its old bytes or the new ones.
- `escape_controls` makes text safe for a terminal.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from greentrade.errors import InputError, OutputError

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "InputError", "OutputError", "escape_controls", "read_bytes",
           "refuse_overwrite", "same_file", "write_atomic"]

DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def read_bytes(source: str | Path | BinaryIO, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """All bytes of a regular file or a binary stream, at most `max_bytes` of them."""
    if isinstance(source, str | Path):
        name = str(source)
        try:
            # O_NONBLOCK: opening a FIFO without a writer must not hang; it is refused below.
            fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise InputError(f"cannot read {name!r}: {exc.strerror}") from None
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise InputError(f"cannot read {name!r}: not a regular file")
            with os.fdopen(fd, "rb", closefd=False) as stream:
                return _read_capped(stream, max_bytes, repr(name))
        except OSError as exc:
            raise InputError(f"cannot read {name!r}: {exc.strerror}") from None
        finally:
            os.close(fd)
    return _read_capped(source, max_bytes, "standard input")


def _read_capped(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name} is larger than the input limit of {_size(max_bytes)} "
                         "(raise it with [greentrade] max_input_bytes)")
    return data


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths exist and name the same file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwrite(output: str | Path, protect: Iterable[str | Path | None]) -> None:
    """`OutputError` when `output` is one of the files in `protect` (inputs, configuration):
    writing there would replace what was read. ``None`` and ``"-"`` (standard input) are skipped."""
    for other in protect:
        if other and other != "-" and same_file(output, other):
            raise OutputError(f"cannot write {str(output)!r}: it is the input or configuration file {str(other)!r}")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; `OutputError` (and `path` untouched) on failure."""
    target = Path(path)
    if target.is_symlink():  # replace the file the link points to, not the link
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise OutputError(f"cannot write {str(path)!r}: it is a directory")
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/stdout, /dev/null): written in place, never replaced.
        try:
            with open(target, "wb") as out:
                out.write(data)
                out.flush()
        except OSError as exc:
            raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
        return
    directory = target.parent
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# C0 controls except newline, DEL, C1 controls, and the Unicode line/paragraph separators
# and bidirectional overrides that can make a terminal line show something else.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def escape_controls(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with control characters written as ``\\x1b``-style escapes (newlines kept
    when `keep_newlines`)."""
    escaped = _CONTROLS.sub(_escape, text)
    return escaped if keep_newlines else escaped.replace("\n", "\\x0a")
