"""Validate dossiers on a Dask cluster: a bag of dossiers in, a bag of reports out.

Needs the ``dask`` extra (``pip install "greentrade[dask]"``); importing `greentrade` never
imports Dask. Every worker builds one engine from the same plugins and configuration as the
engine you pass (its `EngineSpec`), the first time it gets work, and keeps it: the plugins
must be installed on the workers too (see docs/scale.md).

    import dask.bag as db
    from greentrade import Engine
    from greentrade.dask import validate_bag

    engine = Engine(config="greentrade.toml"); engine.load_entry_points()
    dossiers = db.from_sequence(sorted(Path("exports").glob("*.json")), npartitions=64)
    reports = validate_bag(dossiers, engine)          # a bag of report JSON texts, in order
    reports.to_textfiles("reports/*.jsonl")           # or .compute(), .map(json.loads), ...

Items of the bag are dossier JSON (``bytes``, or ``str`` such as the lines of
``db.read_text("*.jsonl")``), paths (`pathlib.Path`; read on the worker, so the files must be
reachable there), or JSON-compatible mappings. Each becomes the same report, byte for byte,
as `Engine.validate` gives for it in one process; an unreadable item gets a ``GT-ENGINE-007``
report instead of failing the computation, naming the item (its path, or "partition P, item I").
Items are read through the one reader: a path that names a FIFO or a device is refused, never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from greentrade.engine._batch import EngineSpec, Form, Item, _one, engine_spec

if TYPE_CHECKING:
    from greentrade.engine._engine import Engine

__all__ = ["validate_bag"]

_CACHE_ATTR = "_greentrade_engines"


def _engine_on_worker(spec: EngineSpec, key: str) -> Engine:
    """The worker's engine for `spec`, built once per worker process (kept on the Dask worker)."""
    try:
        from distributed import get_worker

        worker: Any = get_worker()
    except (ImportError, ValueError):  # not on a distributed worker: one engine per partition
        return spec.build()
    engines: dict[str, Engine] | None = getattr(worker, _CACHE_ATTR, None)
    if engines is None:
        engines = {}
        setattr(worker, _CACHE_ATTR, engines)
    if key not in engines:
        engines[key] = spec.build()
    return engines[key]


def _item(source: Any, label: str) -> Item:
    if isinstance(source, Item):
        return source
    if isinstance(source, os.PathLike):
        return Item(str(source), Path(source))
    if isinstance(source, str):
        return Item(label, source.rstrip("\r\n"))
    return Item(label, source)


def _partition(sources: Iterable[Any], number: Iterable[int], spec: EngineSpec, key: str,
               as_of: dt.date | None, form: Form) -> list[Any]:
    engine = _engine_on_worker(spec, key)
    (p,) = number
    return [_one(engine, i, _item(s, f"partition {p}, item {i}"), as_of, form).payload
            for i, s in enumerate(sources)]


def validate_bag(bag: Any, engine: Engine, *, as_of: dt.date | None = None, form: Form = "json") -> Any:
    """A `dask.bag.Bag` of reports for a bag of dossiers, in the same order.

    `form` is ``"json"`` (the default: each report's compact JSON text, one line, as
    `Report.to_json()`) or ``"report"`` (`Report` objects). Raises `BatchError` if a plugin
    of `engine` cannot be sent to workers (plugins must be modules or module-level objects).
    """
    import dask.bag

    if not isinstance(bag, dask.bag.Bag):
        raise TypeError(f"validate_bag needs a dask.bag.Bag, not {type(bag).__name__}")
    if form not in ("json", "report"):
        raise ValueError(f"form must be 'json' or 'report', not {form!r}")
    spec = engine_spec(engine)
    key = hashlib.sha256(pickle.dumps(spec)).hexdigest()
    # A bag of the partition numbers, partitioned alike: each report of an unreadable item says
    # where the item is ("partition 3, item 12").
    numbers = cast(Any, dask.bag).from_sequence(range(bag.npartitions), npartitions=bag.npartitions)
    return cast(Any, bag).map_partitions(_partition, numbers, spec, key, as_of, form)
