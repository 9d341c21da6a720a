"""Compiled templates kept between runs, the way Python keeps its bytecode (#22, #23).

Jinja2 compiles a template to Python code on its first use in a process: about 25 ms of CPU
for report.txt, a tenth of what ``greentrade validate`` costs. `TemplateCache` keeps the
compiled code in ``templates/__pycache__`` beside the templates, where the next process loads
it in well under a millisecond.

An entry is used only for the same template text (Jinja2 compares a checksum of the source),
the same Python (Jinja2's header) and the same Jinja2 version and environment options, which
are part of the file's name. Like Python, the cache writes nothing when
``sys.dont_write_bytecode`` is set (``PYTHONDONTWRITEBYTECODE``), writes under
``sys.pycache_prefix`` when that is set, and is silently unused where the folder cannot be
written (an installation the user cannot change): a template is then compiled as before.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

__all__ = ["TemplateCache", "default_folder"]


def default_folder(templates: Path) -> Path:
    """Where Python would put the bytecode of a module in `templates`."""
    if sys.pycache_prefix:
        resolved = templates.resolve()
        return Path(sys.pycache_prefix, *resolved.parts[1:])
    return templates / "__pycache__"


def _options(env: jinja2.Environment) -> str:
    """What decides the compiled code besides the template text."""
    finalize = env.finalize
    parts = (
        jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, sorted(env.extensions), env.optimized, env.is_async,
        None if finalize is None else f"{finalize.__module__}.{finalize.__qualname__}",
        getattr(env, "newstyle_gettext", None), env.policies.get("ext.i18n.trimmed"),
    )
    return repr(parts)


class TemplateCache(jinja2.BytecodeCache):
    """Jinja2's compiled templates in `folder` (``templates/__pycache__`` by default)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        autoescape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
        key = hashlib.sha256(f"{_options(environment)}\0{autoescape}\0{name}".encode()).hexdigest()[:32]
        bucket = Bucket(environment, f"{name}.{key}", self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.j2c"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._path(bucket), "rb") as f:
                bucket.load_bytecode(f)
        except FileNotFoundError:
            return
        except Exception:  # an unreadable or damaged entry: compile the template as without a cache
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if sys.dont_write_bytecode:
            return
        data: Any = bucket.bytecode_to_string()
        target = self._path(bucket)
        import tempfile

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".j2c")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, target)  # readers see the whole entry or none
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            return  # not writable here: the next process compiles the template again
