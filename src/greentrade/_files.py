"""The one reader and the one writer of every file greentrade reads or writes.

Reading (`read_bytes`, `open_input`, `read_lines`): a regular file (never a FIFO, a device, a
socket or a directory; refused at once, never read) or a binary stream such as standard input
(a pipe, a file or a terminal; a device such as ``/dev/zero`` is refused), at most a size cap,
read in chunks so that nothing is allocated before it arrives.

Writing (`Output`, `write_atomic`): a regular file is replaced atomically (a temporary file in
the same directory, fsynced, ``os.replace``, the directory fsynced); a symbolic link is followed
(its target is written); a device, FIFO or socket is written in place, never replaced. The output
may never be a file that was read (`refuse_overwrite`; `Output.identity` for files found later,
such as those of a directory walk).

`escape_controls` makes text safe for a terminal.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO

from greentrade.errors import InputError, OutputError

if TYPE_CHECKING:  # socket and tempfile are imported by the writer that needs them (#23: start-up)
    import socket

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "MAX_INPUT_BYTES_LIMIT", "InputError", "Output", "OutputError",
           "check_max_bytes", "check_stream", "escape_controls", "file_id", "open_input", "read_bytes", "read_lines",
           "refuse_overwrite", "same_file", "write_atomic"]

DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024
#: The largest input limit that can be configured (1 TiB): beyond it, sizes overflow.
MAX_INPUT_BYTES_LIMIT = 1 << 40
_CHUNK = 1 << 20


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def check_max_bytes(value: object, what: str = "max_input_bytes") -> int:
    """`value` as an input limit; `ValueError` with a one-line message unless 1 <= value <= 1 TiB."""
    if type(value) is not int or not 1 <= value <= MAX_INPUT_BYTES_LIMIT:
        raise ValueError(f"{what} must be a whole number of bytes from 1 to {MAX_INPUT_BYTES_LIMIT} (1 TiB), "
                         f"not {str(value)[:40]}")
    return value


# -- reading --------------------------------------------------------------------------------------
def open_input(path: str | Path) -> BinaryIO:
    """A regular file opened for reading; `InputError` for anything else (never blocks on a FIFO)."""
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer must not hang; it is refused below.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(f"cannot read {name!r}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"cannot read {name!r}: {_kind(mode)}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str:
    for test, what in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return f"it is {what}"
    return "it is not a file"  # pragma: no cover - door, whiteout


def check_stream(stream: BinaryIO, name: str = "standard input") -> None:
    """Refuse a stream that is a device other than a terminal (``< /dev/zero``): it never ends."""
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError, AttributeError):  # io.BytesIO and other streams without a descriptor
        return
    if (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and not os.isatty(fd):
        raise InputError(f"cannot read {name}: it is a device, not a file, a pipe or a terminal")
    if stat.S_ISDIR(mode):
        raise InputError(f"cannot read {name}: it is a directory")


def read_bytes(source: str | Path | BinaryIO, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """All bytes of a regular file or a binary stream, at most `max_bytes` of them."""
    if isinstance(source, str | Path):
        name = str(source)
        with open_input(name) as stream:
            try:
                size = os.fstat(stream.fileno()).st_size
                return _read_capped(stream, max_bytes, repr(name), size)
            except OSError as exc:
                raise InputError(f"cannot read {name!r}: {exc.strerror}") from None
    check_stream(source)
    try:
        return _read_capped(source, max_bytes, "standard input", None)
    except OSError as exc:
        raise InputError(f"cannot read standard input: {exc.strerror}") from None


def _too_large(name: str, max_bytes: int) -> InputError:
    return InputError(f"{name} is larger than the input limit of {_size(max_bytes)} "
                      "(raise it with [greentrade] max_input_bytes)")


def _read_capped(stream: BinaryIO, max_bytes: int, name: str, size: int | None) -> bytes:
    """Read in chunks (a regular file in one read of its size): nothing beyond the cap is kept."""
    if size is not None and size > max_bytes:
        raise _too_large(name, max_bytes)
    chunks: list[bytes] = []
    total = 0
    first = min(size + 1, max_bytes + 1) if size is not None else min(_CHUNK, max_bytes + 1)
    want = first
    while True:
        chunk = stream.read(want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(name, max_bytes)
        want = min(_CHUNK, max_bytes + 1 - total)
    return b"".join(chunks)


def read_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | InputError]]:
    """(line number, line without its end) of a JSON Lines stream, blank lines left out; a line
    longer than `max_bytes` is an `InputError` in its place (and skipped, in bounded memory)."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 2)
        if not line:
            return
        number += 1
        if len(line) > max_bytes + 1 or (len(line) == max_bytes + 1 and not line.endswith(b"\n")):
            while line and not line.endswith(b"\n"):  # the rest of the line, chunk by chunk
                line = stream.readline(_CHUNK)
            yield number, InputError(f"the line is larger than the input limit of {_size(max_bytes)} "
                                     "(raise it with [greentrade] max_input_bytes)")
            continue
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield number, line


# -- writing --------------------------------------------------------------------------------------
def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths exist and name the same file."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def file_id(path: str | Path) -> tuple[int, int] | None:
    """(device, inode) of the file `path` names (links followed), or None when there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def refuse_overwrite(output: str | Path, protect: Iterable[str | Path | None]) -> None:
    """`OutputError` when `output` is one of the files in `protect` (inputs, configuration):
    writing there would replace what was read. ``None`` and ``"-"`` (standard input) are skipped."""
    for other in protect:
        if other and other != "-" and same_file(output, other):
            raise OutputError(f"cannot write {str(output)!r}: it is the input or configuration file {str(other)!r}")


class Output:
    """A file being written: ``with Output(path) as out: out.write(data)`` writes it as a whole
    (or, on an exception, leaves it as it was and removes the temporary file).

    `protect` names files that must not be written (the inputs and the configuration).
    `identity` is (device, inode) of the existing file the output replaces, so that a caller that
    finds more inputs later (walking a directory) can refuse to read its own output as input.
    """

    def __init__(self, path: str | Path, *, protect: Iterable[str | Path | None] = ()) -> None:
        self.name = str(path)
        refuse_overwrite(path, protect)
        self.identity = file_id(path)
        self._tmp: str | None = None
        self._stream: BinaryIO | None = None
        self._sock: socket.socket | None = None
        self._done = False
        try:
            st: os.stat_result | None = os.stat(path)  # links followed: the kind of what is written
        except FileNotFoundError:
            st = None
        except (OSError, ValueError) as exc:
            raise self._error(exc) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"cannot write {self.name!r}: it is a directory")
        linked = os.path.islink(path)
        target = Path(os.path.realpath(path)) if linked else Path(path)
        # /dev/stdout and other descriptors behind /proc/self/fd are written in place whatever
        # they are: the caller's redirection is the target, not a file to replace.
        descriptor = linked and _through_descriptor(str(path))
        self.in_place = (st is not None and not stat.S_ISREG(st.st_mode)) or descriptor
        try:
            if self.in_place:
                self._open_in_place(Path(path), st, append=descriptor)
            else:
                self._open_temporary(target, st)
        except OSError as exc:
            self._cleanup()
            raise self._error(exc) from None

    def _error(self, exc: BaseException) -> OutputError:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return OutputError(f"cannot write {self.name!r}: {reason}")

    def _open_in_place(self, target: Path, st: os.stat_result | None, *, append: bool = False) -> None:
        # A device, FIFO or socket (/dev/stdout, /dev/null, a named pipe): written in place, never
        # replaced. A FIFO waits for its reader, as for any program that writes to it. A descriptor
        # (/dev/stdout redirected to a file) is appended to, never truncated: `>>` keeps what it had.
        assert st is not None
        if append:
            self._stream = open(target, "ab")  # noqa: SIM115 - closed by commit or abort
            return
        if stat.S_ISSOCK(st.st_mode):
            import socket

            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._sock = sock
            sock.connect(str(target))
            self._stream = sock.makefile("wb")
            return
        self._stream = open(target, "wb")  # noqa: SIM115 - closed by commit or abort

    def _open_temporary(self, target: Path, st: os.stat_result | None) -> None:
        import tempfile

        fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        self._stream = os.fdopen(fd, "wb")
        self._target = target
        if st is not None:
            with contextlib.suppress(OSError):
                os.chmod(self._tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and hasattr(os, "geteuid") and os.geteuid() == 0:
                with contextlib.suppress(OSError):  # root keeps the file's owner
                    os.chown(self._tmp, st.st_uid, st.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)

    @property
    def temporary(self) -> str | None:
        """The temporary file being written (None when written in place)."""
        return self._tmp

    def write(self, data: bytes) -> None:
        assert self._stream is not None and not self._done
        try:
            self._stream.write(data)
        except (OSError, MemoryError, ValueError) as exc:
            self.abort()
            raise self._error(exc) from None

    def commit(self) -> None:
        """Make the output final: flush, fsync, replace, fsync the directory."""
        if self._done:
            return
        stream = self._stream
        assert stream is not None
        try:
            stream.flush()
            if self._tmp is not None:
                os.fsync(stream.fileno())
                stream.close()
                os.replace(self._tmp, self._target)
                self._tmp = None
                _sync_directory(self._target.parent)
            else:
                stream.close()
        except OSError as exc:
            self.abort()
            raise self._error(exc) from None
        finally:
            if self._sock is not None:
                self._sock.close()
        self._done = True

    def abort(self) -> None:
        """Leave the target as it was; remove the temporary file."""
        self._done = True
        self._cleanup()

    def _cleanup(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):
                self._stream.close()
        if self._sock is not None:
            self._sock.close()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._tmp)
            self._tmp = None

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _through_descriptor(path: str) -> bool:
    """Whether the symbolic links from `path` pass through /proc/*/fd or /dev/fd (/dev/stdout)."""
    for _ in range(40):
        if path.startswith(("/proc/", "/dev/fd/")):
            return True
        try:
            link = os.readlink(path)
        except OSError:
            return False
        path = os.path.join(os.path.dirname(path), link)
    return False  # pragma: no cover - a link loop


def _sync_directory(directory: Path) -> None:
    """fsync a directory, so that a rename in it survives a power loss (where the OS allows it)."""
    if sys.platform == "win32":  # pragma: no cover - no directory descriptors
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - a directory we could write into but not open
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on directories
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str | Path, data: bytes, *, protect: Iterable[str | Path | None] = ()) -> None:
    """Write `data` to `path` as one whole (see `Output`); `OutputError` (and `path` untouched)
    on failure, and for a `path` that is one of the files in `protect`."""
    with Output(path, protect=protect) as out:
        out.write(data)


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
