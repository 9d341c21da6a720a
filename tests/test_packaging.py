"""The schemas and data files load from a built wheel, not only from the source tree."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "greentrade" / "schemas"


def test_wheel_ships_schemas_and_data_and_works(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("greentrade-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for schema in SCHEMAS.iterdir():
        assert f"greentrade/schemas/{schema.name}" in names
    for data in ("hs2022.csv", "codes.json", "categories.json", "LICENSE-hs2022.txt"):
        assert f"greentrade/data/{data}" in names
    for template in ("report.txt", "report.html", "assessment.txt", "assessment.html", "page.css"):
        assert f"greentrade/render/templates/{template}" in names
    for lang in ("zh_CN", "es", "pt_BR", "ar"):  # the compiled catalogs (#25)
        assert f"greentrade/locale/{lang}/LC_MESSAGES/greentrade.mo" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import greentrade, json, sys;"
        f"assert greentrade.__file__.startswith({str(site)!r}), greentrade.__file__;"
        "r = greentrade.Engine().validate(open(sys.argv[1], 'rb').read());"
        "assert r.ok and r.evaluated, r.to_text();"
        "assert r.to_text().startswith('greentrade ');"
        "assert '结果' in r.to_text(lang='zh-CN') or '概要' in r.to_text(lang='zh-CN');"
        "from greentrade.io._schemas import schema_names; print(len(schema_names()))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "tests" / "data" / "core-dossier.json")],
        capture_output=True, text=True, env={"PYTHONPATH": str(site), "PATH": ""}, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) == len(list(SCHEMAS.iterdir()))


def test_every_first_party_plugin_is_typed() -> None:
    """PEP 561: each plugin package ships py.typed (hatchling puts every file of the package in the wheel)."""
    packages = sorted((ROOT / "plugins").glob("*/src/greentrade_*"))
    assert len(packages) >= 3
    assert [p.name for p in packages if not (p / "py.typed").is_file()] == []
