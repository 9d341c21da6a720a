"""`greentrade import` and `greentrade migrate` on the command line (issue #13)."""

import json
from pathlib import Path

from greentrade.cli import main
from greentrade.io._migrate import migrate_text

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "interop"


def test_import_command_writes_a_valid_dossier(tmp_path, capsys):
    out = tmp_path / "pcf.json"
    code = main(["import", "catenax", str(FIX / "catenax-pcf" / "Pcf-9.0.0.json"), "--hs-code", "854143",
                 "--category", "pv-module", "--country", "DE", "--issuer", "TÜV-X", "--output", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "GT-IMPORT-001 Pcf-9.0.0.json#/general" in err and "source field(s) without a home" in err
    data = json.loads(out.read_text("utf-8"))
    assert data["products"][0]["hs_code"] == "854143" and data["documents"][0]["issuer"] == "party-t-v-x"
    assert main(["validate", str(out)]) == 0


def test_import_into_an_existing_dossier(tmp_path, capsys):
    out = tmp_path / "merged.json"
    base = ROOT / "examples" / "zhejiang-solar-portfolio.json"
    code = main(["import", "pact", str(FIX / "pact" / "pact-v2-synthetic.json"), "--into", str(base),
                 "--hs-code", "940541", "--category", "solar-street-light", "--output", str(out)])
    assert code == 0, capsys.readouterr().err
    merged = json.loads(out.read_text("utf-8"))
    original = json.loads(base.read_text("utf-8"))
    assert merged["format"] == "greentrade.dossier/2"
    assert len(merged["documents"]) == len(original["documents"]) + 1
    assert merged["shipments"] == original["shipments"]


def test_import_command_refuses_bad_options_and_files(tmp_path, capsys):
    pact = str(FIX / "pact" / "pact-v3-synthetic.json")
    assert main(["import", "pact", pact, "--category", "teapot"]) == 2
    assert "not in the vocabulary" in capsys.readouterr().err
    assert main(["import", "pact", pact, "--hs-code", "9405.41"]) == 2
    assert main(["import", "pact", pact, "--country", "XX"]) == 2
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    out = tmp_path / "out.json"
    assert main(["import", "pact", str(bad), "--output", str(out)]) == 1
    assert "nothing written" in capsys.readouterr().err and not out.exists()


def test_import_command_on_the_readme_example(capsys):
    assert main(["import", "batterypass", str(FIX / "batterypass" / "CarbonFootprintForBatteries-payload.json"),
                 str(FIX / "batterypass" / "GeneralProductInformation-payload.json")]) == 0
    captured = capsys.readouterr()
    assert "GT-IMPORT-002" in captured.err
    assert json.loads(captured.out)["documents"][0]["methods"] == [{"id": "eu-battery-art7"}]


def test_migrate_command(tmp_path, capsys):
    src = ROOT / "tests" / "data" / "core-dossier.json"
    out = tmp_path / "out.json"
    assert main(["migrate", str(src), "--output", str(out)]) == 0
    assert out.read_text("utf-8") == migrate_text(src)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "greentrade.dossier/1", "parties": [{"id": "x"}]}')
    assert main(["migrate", str(bad)]) == 1
    assert "/parties/0" in capsys.readouterr().err
    bad.write_text("[1")
    assert main(["migrate", str(bad)]) == 2


def test_migrate_and_import_write_atomically_and_report_unwritable_targets(tmp_path, capsys):
    source = ROOT / "examples" / "zhejiang-solar-portfolio.json"
    assert main(["migrate", str(source), "--output", str(tmp_path / "missing" / "x.json")]) == 2
    assert "greentrade: cannot write" in capsys.readouterr().err  # was a FileNotFoundError traceback
    inplace = tmp_path / "dossier.json"
    inplace.write_bytes(source.read_bytes())
    assert main(["migrate", str(inplace), "--output", str(inplace)]) == 0  # the input may be the output
    assert json.loads(inplace.read_text("utf-8"))["format"] == "greentrade.dossier/2"
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.json"]  # no temporary file left behind


def test_the_documented_path_import_attach_validate(tmp_path, capsys):
    """docs/import.md: import, attach the documents to a shipment, validate (#20 item 9)."""
    imported = tmp_path / "imported.json"
    assert main(["import", "pact", str(FIX / "pact" / "pact-v2-synthetic.json"), "--hs-code", "940541",
                 "--category", "solar-street-light", "--country", "CN", "-o", str(imported)]) == 0
    capsys.readouterr()
    main(["validate", str(imported), "--format", "json"])
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["GT-ENGINE-010"]
    d = json.loads(imported.read_text("utf-8"))  # the snippet of docs/import.md, step 2
    d.setdefault("parties", []).append({"id": "EXP-1", "name": "Example Exporter", "country": "CN",
                                        "roles": ["exporter"]})
    d["shipments"] = [{"id": "SH-1", "exporter": "EXP-1", "port_of_export": "CNNGB",
                       "destination_country": "AE", "ship_date": "2026-07-10",
                       "documents": [doc["id"] for doc in d["documents"]],
                       "lines": [{"id": "L1", "product": d["products"][0]["id"], "quantity": 200,
                                  "unit": "pcs", "hs_code": "9405410000"}]}]
    shipment = tmp_path / "shipment.json"
    shipment.write_text(json.dumps(d), "utf-8")
    main(["validate", str(shipment), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert report["outcomes"] and all(o["subject"] == "SH-1" for o in report["outcomes"])
    assert "GT-ENGINE-010" not in {f["rule"] for f in report["findings"]}
