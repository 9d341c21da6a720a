"""Batches: Engine.validate_many and ``greentrade validate`` with many inputs."""

from __future__ import annotations

import copy
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from greentrade import Citation, Engine, Hit, Period, Program, Rule, RuleContext, Severity, hookimpl
from greentrade.cli import main
from greentrade.engine import _batch

ROOT = Path(__file__).resolve().parent.parent
CORE = json.loads((ROOT / "tests" / "data" / "core-dossier.json").read_text())
_CITATION = Citation(authority="greentrade test suite", title="Batch faults (test fixture)", reference="tests")


def dossier(shipment_id: str) -> bytes:
    d = copy.deepcopy(CORE)
    d["shipments"][0]["id"] = shipment_id
    return json.dumps(d).encode()


def _faulty(ctx: RuleContext) -> Iterator[Hit]:
    assert ctx.shipment is not None
    if ctx.shipment.id == "CRASH":
        os._exit(3)  # a worker dies without a word, as on a segfault or the OOM killer
    if ctx.shipment.id == "SLOW":
        time.sleep(60)
    yield ctx.note(f"shipment {ctx.shipment.id} checked", ctx.shipment, severity=Severity.INFO)


class FaultyPlugin:
    """A made-up program whose rule crashes or hangs on some shipment ids."""

    @hookimpl
    def greentrade_programs(self) -> list[Program]:
        return [Program(id="toy-faulty", title="Faulty", authority="test fixture", effective=Period(),
                        citation=_CITATION)]

    @hookimpl
    def greentrade_rules(self) -> list[Rule]:
        return [Rule(id="TOYF-001", title="Crashes on purpose", severity=Severity.ERROR, check=_faulty,
                     citation=_CITATION, program="toy-faulty", basis="stated")]


def faulty_engine() -> Engine:
    engine = Engine()
    engine.register(FaultyPlugin(), name="faulty", version="1")
    return engine


def test_in_process_reports_come_in_order_and_unreadable_input_gets_a_report():
    engine = faulty_engine()
    sources = [dossier("A"), b"{not json", dossier("B"), b"[1]", ROOT / "no-such-file.json", CORE]
    reports = list(engine.validate_many(sources))
    assert len(reports) == len(sources)
    for i in (0, 2, 5):
        assert reports[i].to_json() == engine.validate(sources[i]).to_json()
    for i in (1, 3, 4):
        r = reports[i]
        assert not r.evaluated and not r.ok and not r.outcomes
        assert [f.rule for f in r.findings] == ["GT-ENGINE-007"]
    assert "item 1: not valid JSON" in reports[1].findings[0].message
    assert "no-such-file.json: cannot read" in reports[4].findings[0].message
    assert reports[1].input_sha256 == __import__("hashlib").sha256(b"{not json").hexdigest()


def test_input_is_read_lazily():
    pulled = []

    def sources() -> Iterator[bytes]:
        for i in range(1000):
            pulled.append(i)
            yield dossier(f"S{i}")

    engine = faulty_engine()
    it = engine.validate_many(sources())
    next(it)
    assert len(pulled) == 1
    it = engine.validate_many(sources(), jobs=2)
    pulled.clear()
    next(it)
    assert len(pulled) <= 2 * 4 + 1  # the in-flight window, not the stream
    it.close()


def test_workers_give_the_same_bytes_in_the_same_order():
    engine = faulty_engine()
    sources = [dossier(f"S{i}") for i in range(40)] + [b"nope", CORE]
    sequential = [r.to_json() for r in engine.validate_many(sources)]
    parallel = [r.to_json() for r in engine.validate_many(sources, jobs=2)]
    assert parallel == sequential


def test_large_dossiers_and_reports_do_not_block_the_pipes():
    big = copy.deepcopy(CORE)
    big["shipments"] = []
    for i in range(800):  # about 300 KB in, a report of similar size out: more than a pipe holds
        sh = copy.deepcopy(CORE["shipments"][0])
        sh["id"] = f"S{i:04d}"
        big["shipments"].append(sh)
    raw = json.dumps(big).encode()
    engine = faulty_engine()
    sources = [raw, dossier("A"), raw, raw, dossier("B")]
    expected = [engine.validate(s).to_json() for s in sources]
    assert len(raw) > 200_000 and len(expected[0]) > 200_000
    got = [r.payload for r in _batch.run(engine, sources, jobs=2, timeout=120, form="json")]
    assert got == expected


def test_a_crashed_or_late_worker_is_replaced_and_only_its_dossier_is_lost():
    engine = faulty_engine()
    names = ["A", "CRASH", "B", "SLOW", "C", "D", "CRASH", "E"]
    results = list(_batch.run(engine, [dossier(n) for n in names], jobs=2, timeout=1.5, form="json"))
    assert [r.index for r in results] == list(range(len(names)))
    for name, r in zip(names, results, strict=True):
        report = json.loads(r.payload)
        if name in ("CRASH", "SLOW"):
            assert r.problem == "fault" and not r.ok
            assert [f["rule"] for f in report["findings"]] == ["GT-ENGINE-008"]
            why = "ended unexpectedly (exit code 3)" if name == "CRASH" else "exceeded the time limit of 1.5 s"
            assert why in report["findings"][0]["message"]
        else:
            assert r.problem is None
            assert r.payload == engine.validate(dossier(name)).to_json()


def test_one_worker_takes_chunks_and_still_stops_the_late_dossier_inside_one(monkeypatch: Any):
    from greentrade.engine import _workers

    sent: list[int] = []
    send = _workers._Worker.send
    monkeypatch.setattr(_workers._Worker, "send", lambda self, chunk: (sent.append(len(chunk)), send(self, chunk)))
    # Dossiers go to a worker many at a time; the one that runs late (or crashes) in the middle
    # of a chunk is the only one lost, the others validated before it in the chunk (sent back or
    # not) and after it still get their own reports, in order.
    engine = faulty_engine()
    names = [f"A{i}" for i in range(12)] + ["SLOW"] + [f"B{i}" for i in range(12)] + ["CRASH", "C"]
    results = list(_batch.run(engine, [dossier(n) for n in names], jobs=1, timeout=1.5, form="json"))
    assert [r.index for r in results] == list(range(len(names)))
    for name, r in zip(names, results, strict=True):
        if name in ("SLOW", "CRASH"):
            assert r.problem == "fault"
            assert r.label == f"item {names.index(name)}"
        else:
            assert r.problem is None and r.payload == engine.validate(dossier(name)).to_json()
    assert max(sent) > 1 and sum(sent) >= len(names)  # more than one dossier per message


def test_spawned_workers_rebuild_the_engine_from_installed_plugins():
    engine = Engine(config=ROOT / "examples" / "greentrade.toml")
    engine.load_entry_points()
    example = (ROOT / "examples" / "zhejiang-solar-portfolio.json").read_bytes()
    sources = [example, b"{}", example]
    expected_json = [r.to_json() for r in engine.validate_many(sources)]
    got = [r.payload for r in _batch.run(engine, sources, jobs=2, form="json", start="spawn")]
    assert got == expected_json


def test_a_plugin_that_cannot_reach_workers_is_a_clear_error():
    class Local:
        @hookimpl
        def greentrade_programs(self) -> list[Program]:
            return []

    engine = Engine()
    engine.register(Local(), name="local")
    with pytest.raises(_batch.BatchError, match="plugin 'local' cannot be sent to worker processes"):
        _batch.engine_spec(engine)


def test_bad_arguments():
    engine = faulty_engine()
    with pytest.raises(ValueError, match="jobs"):
        engine.validate_many([CORE], jobs=0)
    with pytest.raises(ValueError, match="timeout"):
        engine.validate_many([CORE], timeout=0)


# -- the command line ------------------------------------------------------------------------------
@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "d" / "b").mkdir(parents=True)
    (tmp_path / "d" / "b" / "2.json").write_bytes(dossier("B2"))
    (tmp_path / "d" / "a.json").write_bytes(dossier("A"))
    (tmp_path / "d" / "c.json").write_bytes(b"{broken")
    (tmp_path / "d" / "notes.txt").write_text("not a dossier")
    return tmp_path


def test_cli_directory_recursive_sorted_jsonl_out(tree: Path, capsys: Any):
    rc = main(["validate", str(tree / "d"), "--jobs", "1", "--timeout", "0"])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 3
    engine = Engine()
    engine.load_entry_points()
    assert lines[0] + "\n" == engine.validate(dossier("A")).to_json()
    assert lines[1] + "\n" == engine.validate(dossier("B2")).to_json()
    assert json.loads(lines[2])["findings"][0]["rule"] == "GT-ENGINE-007"
    assert rc == 2  # one unreadable input
    assert "greentrade: 3 dossier(s) in" in err
    assert "2 without errors, 0 with errors, 1 unreadable, 0 not a dossier, 0 engine fault(s)" in err
    assert "failed: " + str(tree / "d" / "c.json") + ": not valid JSON" in err


def test_cli_jsonl_from_stdin_to_output_file(tree: Path, capsys: Any, monkeypatch: Any):
    bad = copy.deepcopy(CORE)
    bad["shipments"][0]["exporter"] = "NOBODY"
    text = dossier("A") + b"\n\n" + json.dumps(bad).encode() + b"\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    out_file = tree / "reports.jsonl"
    rc = main(["validate", "--jsonl", "-", "--output", str(out_file), "--jobs", "2"])
    out, err = capsys.readouterr()
    assert out == ""
    reports = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert len(reports) == 2
    assert "GT-REF-001" in [f["rule"] for f in reports[1]["findings"]]
    assert rc == 1
    assert "1 without errors, 1 with errors" in err and "failed: <stdin>:3: error findings" in err
    assert not [p for p in tree.iterdir() if p.name.endswith(".part")]


def test_cli_several_files_and_text_format_refused(tree: Path, capsys: Any):
    a, b = str(tree / "d" / "a.json"), str(tree / "d" / "b" / "2.json")
    assert main(["validate", a, b, "--jobs", "1", "--timeout", "0"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and "2 without errors" in err
    assert main(["validate", a, b, "--format", "text"]) == 2
    assert "leave out --format text" in capsys.readouterr().err


def test_cli_single_file_output_is_unchanged(tree: Path, capsys: Any):
    a = tree / "d" / "a.json"
    assert main(["validate", str(a)]) == 0
    out, err = capsys.readouterr()
    engine = Engine()
    engine.load_entry_points()
    assert out == engine.validate(a).to_text() and err == ""


def test_cli_batch_output_never_replaces_an_input(tree: Path, capsys: Any):
    a, b = tree / "d" / "a.json", tree / "d" / "b" / "2.json"
    before = a.read_bytes(), b.read_bytes()
    link = tree / "alias.json"
    link.symlink_to(b)
    for target in (a, link):
        assert main(["validate", str(a), str(b), "--jobs", "1", "--output", str(target)]) == 2
        assert "it is the input or configuration file" in capsys.readouterr().err
    assert (a.read_bytes(), b.read_bytes()) == before
    assert not [p for p in tree.rglob("*.part")]
