"""greentrade.dask on a real (local, two-process) Dask cluster: the same bytes as one process."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import dask.bag as dask_bag  # the dask extra is part of greentrade[dev]: CI has it
import distributed
import pytest

from greentrade import Engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"


def _sources(tmp_path: Path) -> list[object]:
    data = json.loads(EXAMPLE.read_bytes())
    out: list[object] = []
    for i, sh in enumerate(data["shipments"]):
        one = copy.deepcopy(data)
        one["shipments"] = [sh]
        out.append(json.dumps(one).encode())
        if i % 2:
            broken = copy.deepcopy(one)
            broken["shipments"][0]["exporter"] = "NOBODY"  # a reference error: not evaluated
            out.append(json.dumps(broken))  # str: JSON text, as from db.read_text
    path = tmp_path / "example.json"
    path.write_bytes(EXAMPLE.read_bytes())
    out.append(path)
    return out


def test_reports_on_a_local_cluster_are_byte_identical_to_the_sequential_run(tmp_path: Path):
    from greentrade.dask import validate_bag

    engine = Engine(config=ROOT / "examples" / "greentrade.toml")
    engine.load_entry_points()
    sources = _sources(tmp_path)
    sequential = [r.to_json() for r in engine.validate_many(sources)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        bag = dask_bag.from_sequence(sources, npartitions=4)
        reports = validate_bag(bag, engine).compute()
        # One engine per worker process, built once, kept for later partitions.
        built = client.run(lambda dask_worker: len(getattr(dask_worker, "_greentrade_engines", {})))
    assert reports == sequential
    assert set(built.values()) <= {0, 1} and sum(built.values()) >= 1
    evaluated = [json.loads(r)["evaluated"] for r in reports]
    assert False in evaluated and True in evaluated


def test_without_a_cluster_and_the_report_form():
    from greentrade.dask import validate_bag

    engine = Engine()
    bag = dask_bag.from_sequence([EXAMPLE.read_bytes(), b"[]"], npartitions=2)
    reports = validate_bag(bag, engine, form="report").compute(scheduler="sync")
    assert reports[0].to_json() == engine.validate(EXAMPLE).to_json()
    assert reports[1].findings[-1].rule == "GT-ENGINE-007"
    with pytest.raises(TypeError, match=r"dask\.bag\.Bag"):
        validate_bag([b"{}"], engine)
