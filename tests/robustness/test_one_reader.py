"""Every entry point reads through the one reader (#21): regular files and standard input only,
the size cap, strict UTF-8, no lone surrogates, no huge integers, no NaN, duplicate keys refused,
each error one line that names the file and the position.

Here: ``greentrade import`` (all five formats), ``migrate``, ``--into``, ``assess``, configuration
files, and the Python API's message for data that is not JSON.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from greentrade import Engine, cli
from greentrade.errors import ConfigError, DossierReadError

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "interop"
CORE = ROOT / "tests" / "data" / "core-dossier.json"
FORMATS = {
    "pact": FIX / "pact" / "pact-v3-synthetic.json",
    "catenax": FIX / "catenax-pcf" / "Pcf-9.0.0.json",
    "openepd": FIX / "openepd" / "epd.json",
    "ilcd": FIX / "ilcd-epd" / "ilcd-epd-0e85f255.json",
    "batterypass": FIX / "batterypass" / "CarbonFootprintForBatteries-payload.json",
}


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


# Each probe: (replacement of the first '{' of a valid file, what the one-line error says)
PROBES = {
    "huge integer": ('{"x": ' + "9" * 5000 + ", ", "line 1, column 7: an integer with 5000 digits is too large"),
    "lone surrogate": ('{"x": "\\ud800", ', "at /x: a lone surrogate"),
    "NaN": ('{"x": NaN, ', "line 1, column 7: NaN is not a JSON number"),
    "duplicate key": ('{"x": {"status": "Deprecated", "status": "Active"}, ',
                      "at /x: key 'status' is given more than once"),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("probe", sorted(PROBES))
def test_import_refuses_what_validate_refuses(tmp_path: Path, fmt: str, probe: str) -> None:
    source = FORMATS[fmt]
    if source is None:
        pytest.skip(f"no {fmt} fixture")
    raw = source.read_bytes()
    text = raw.decode("utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else raw.decode("utf-8-sig")
    text = text.lstrip()
    if not text.startswith("{"):
        pytest.skip("the fixture is not a JSON object")
    replacement, message = PROBES[probe]
    bad = tmp_path / "bad.json"
    bad.write_text(replacement + text[1:], "utf-8")
    code, out, err = _cli("import", fmt, str(bad))
    assert (code, out) == (2, ""), err
    assert err.startswith(f"greentrade: {bad}: ") and message in err and err.count("\n") == 1, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_import_refuses_fifos_devices_and_oversized_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")  # looked at, never read

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    for path, why in ((fifo, "FIFO"), (zero, "character device")):
        result = subprocess.run([sys.executable, "-m", "greentrade.cli", "import", "pact", str(path)],
                                capture_output=True, text=True, timeout=60, preexec_fn=limited)
        assert result.returncode == 2 and why in result.stderr and "Traceback" not in result.stderr
    config = tmp_path / "c.toml"
    config.write_text("[greentrade]\nplugins = []\nmax_input_bytes = 1000\n")
    code, _out, err = _cli("--config", str(config), "import", "catenax", str(FORMATS["catenax"]))
    assert code == 2 and "larger than the input limit of 1000 bytes" in err


def test_import_output_is_never_a_source(tmp_path: Path) -> None:
    source = tmp_path / "pcf.json"
    source.write_bytes(FORMATS["catenax"].read_bytes())  # type: ignore[union-attr]
    before = source.read_bytes()
    code, _out, err = _cli("import", "catenax", str(source), "--hs-code", "854143", "--output", str(source))
    assert code == 2 and f"cannot write {str(source)!r}: it is the input" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("command", ["migrate", "assess", "validate"])
def test_other_commands_name_the_file_and_refuse_duplicates(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "dup.json"
    bad.write_text('{"format": "greentrade.dossier/1", "format": "greentrade.dossier/2"}')
    code, _out, err = _cli(command, str(bad))
    assert code in (1, 2) and "given more than once" in (err + _out)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ')
    code, _out, err = _cli(command, str(broken))
    assert code == 2 and err.startswith(f"greentrade: {broken}: not valid JSON: line 1, column 12")


def test_import_into_refuses_duplicate_keys(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(CORE.read_text().replace('"format":', '"format": "x", "format":', 1))
    code, _out, err = _cli("import", "catenax", str(FORMATS["catenax"]), "--into", str(base))
    assert code == 2 and str(base) in err and "given more than once" in err


def test_a_configuration_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    config = tmp_path / "greentrade.toml"
    config.write_bytes("\ufeff[greentrade]\nplugins = []\nstrict = true\n".encode())
    assert Engine(config=config).strict is True


def test_the_api_says_where_data_is_not_json() -> None:
    with pytest.raises(DossierReadError, match=r"at /parties/0: the key 1 is a int; JSON keys are strings"):
        Engine().validate({"format": "greentrade.dossier/1", "parties": [{1: "x", "id": "y"}]})
    with pytest.raises(DossierReadError, match=r"at /x: a object is not a JSON value|at /x: a set is not"):
        Engine().validate({"format": "greentrade.dossier/1", "x": {1, 2}})


@pytest.mark.parametrize("setting", ["max_input_bytes = 9223372036854775807", "max_input_bytes = 0",
                                     "rule_time_budget = 1e308", "rule_time_budget = inf", "rule_time_budget = nan"])
def test_out_of_range_settings_are_one_line_errors(tmp_path: Path, setting: str) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f"[greentrade]\n{setting}\n")
    with pytest.raises(ConfigError) as caught:
        Engine(config=config)
    assert "\n" not in str(caught.value)
    code, _out, err = _cli("--config", str(config), "validate", str(CORE))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("option", [["--jobs", "100000"], ["--jobs", "0"], ["--timeout", "inf"],
                                    ["--timeout", "1e308"], ["--timeout", "nan"]])
def test_out_of_range_batch_options_are_usage_errors(option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["validate", str(CORE), str(CORE), *option])
    assert caught.value.code != 0 and "Traceback" not in capsys.readouterr().err


def test_config_messages_name_the_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(b"[greentrade\n")
    with pytest.raises(ConfigError, match=str(config)):
        Engine(config=config)
    config.write_bytes(b"\xff[greentrade]\n")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        Engine(config=config)


def test_json_reports_of_refused_dossiers_stay_json(tmp_path: Path) -> None:
    # a refused dossier's single-file error is one line on stderr; nothing half-written on stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "greentrade.dossier/1", "x": NaN}')
    code, out, err = _cli("validate", str(bad), "--format", "json")
    assert (code, out) == (2, "") and "NaN is not a JSON number" in err and json.dumps(str(bad))[1:-1] in err
