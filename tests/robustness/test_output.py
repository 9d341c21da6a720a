"""Output never loses data: no overwriting the input, atomic writes, clear errors, safe text."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from greentrade import Engine, cli
from greentrade._files import OutputError, escape_controls, write_atomic

CORE = Path(__file__).parents[1] / "data" / "core-dossier.json"


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main([*argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def dossier(tmp_path):
    path = tmp_path / "dossier.json"
    path.write_bytes(CORE.read_bytes())
    return path


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "greentrade.toml"
    path.write_text("[greentrade]\nplugins = []\n")
    return path


# -- never over the input or the configuration ---------------------------------------------------
def test_output_over_the_input_is_refused(dossier, tmp_path):
    before = dossier.read_bytes()
    for spelling in (str(dossier), str(tmp_path / "." / "dossier.json")):
        code, out, err = _cli("validate", str(dossier), "--output", spelling)
        assert code == 2 and out == ""
        assert err.startswith("greentrade: cannot write") and "input or configuration file" in err
    link = tmp_path / "hardlink.json"
    os.link(dossier, link)
    assert _cli("validate", str(dossier), "--output", str(link))[0] == 2
    assert dossier.read_bytes() == before


def test_output_over_the_configuration_is_refused(dossier, config):
    before = config.read_bytes()
    for args in (["--config", str(config), "validate"], ["validate", "--config", str(config)]):
        code, _out, err = _cli(*args[:-1], args[-1], str(dossier), "--output", str(config)) if args[0] == "--config" \
            else _cli("validate", str(dossier), "--config", str(config), "--output", str(config))
        assert code == 2 and "cannot write" in err
    code, _out, _err = _cli("--config", str(config), "assess", str(dossier), "--output", str(config))
    assert code == 2
    assert config.read_bytes() == before


# -- atomic writes --------------------------------------------------------------------------------
def test_a_killed_write_leaves_the_previous_report_byte_identical(dossier, tmp_path):
    report = tmp_path / "report.json"
    assert _cli("validate", str(dossier), "--format", "json", "--output", str(report))[0] == 0
    previous = report.read_bytes()
    assert len(previous) > 2000
    # The next write is killed by a file-size limit (ulimit -f) half way through the report.
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({len(previous) // 2}, {len(previous) // 2}))\n"
        "from greentrade.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "validate", str(dossier), "--format", "json", "--output", str(report)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"greentrade: cannot write {str(report)!r}")
    assert "Traceback" not in result.stderr
    assert report.read_bytes() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.json", "report.json"]  # no temporary left


def test_a_failed_fsync_leaves_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_bytes(b"previous")

    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match=r"cannot write .*No space left on device"):
        write_atomic(target, b"new report")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_write_replaces_the_file_a_symlink_points_to(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


# -- unwritable targets -----------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["missing/dir/report.json", "dossier.json/report.json", "."])
def test_unwritable_targets_give_a_clear_exit_2(dossier, tmp_path, where):
    target = tmp_path / where
    code, out, err = _cli("validate", str(dossier), "--output", str(target))
    assert (code, out) == (2, "")
    assert err.startswith(f"greentrade: cannot write {str(target)!r}") and "Traceback" not in err


def test_a_full_device_gives_a_clear_exit_2(dossier):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    code, _out, err = _cli("validate", str(dossier), "--output", "/dev/full")
    assert code == 2 and err.startswith("greentrade: cannot write '/dev/full'") and "No space left" in err
    assert Path("/dev/full").is_char_device()  # written in place, never replaced


def test_a_read_only_target_gives_a_clear_exit_2(dossier, tmp_path, monkeypatch):
    import tempfile

    def denied(*_a, **_kw):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    code, _out, err = _cli("validate", str(dossier), "--output", str(tmp_path / "report.json"))
    assert code == 2 and "cannot write" in err and "Permission denied" in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write into a read-only directory")
def test_a_read_only_directory_gives_a_clear_exit_2(dossier, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "report.json").write_bytes(b"previous")
    locked.chmod(0o500)
    try:
        code, _out, err = _cli("validate", str(dossier), "--output", str(locked / "report.json"))
    finally:
        locked.chmod(0o700)
    assert code == 2 and "cannot write" in err
    assert (locked / "report.json").read_bytes() == b"previous"


# -- control characters ------------------------------------------------------------------------------
def test_text_output_escapes_control_characters_and_json_stays_exact(tmp_path):
    evil = "SL-60\x1b[2J\x1b[HFAKE: all eligible\x9b31m\u202e"
    data = json.loads(CORE.read_text())
    data["documents"][0]["products"][0]["model"] = evil  # echoed raw in a cn-green-channel message
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    _code, text, _err = _cli("validate", str(path))
    assert "FAKE" in text
    assert not any(c in text for c in "\x1b\x9b\u202e")
    assert "SL-60\\x1b[2J\\x1b[HFAKE: all eligible\\x9b31m\\u202e" in text
    _code, out, _err = _cli("validate", str(path), "--format", "json")
    assert any(evil in f["message"] for f in json.loads(out)["findings"])  # JSON stays exact


def test_a_newline_in_a_value_cannot_fake_a_line_of_the_text_report():
    assert escape_controls("a\nb\tc\x00", keep_newlines=False) == "a\\x0ab\\x09c\\x00"
    assert escape_controls("a\nb") == "a\nb"
    report = Engine().validate(json.loads(CORE.read_text()))
    assert report.to_text() == escape_controls(report.to_text())  # nothing to escape in a clean report


def test_assess_text_escapes_control_characters(tmp_path):
    data = json.loads(CORE.read_text())
    data["products"][0]["name"] = "Light \x1b]0;owned\x07"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    code, text, _err = _cli("assess", str(path), "--market", "AE")
    assert code == 0 and "Light \\x1b]0;owned\\x07" in text


def test_listings_escape_control_characters(monkeypatch):
    import types

    from greentrade import Category, hookimpl

    ns = types.SimpleNamespace(greentrade_categories=hookimpl(
        lambda: [Category(id="evil-gadget", title="Gadget \x1b[2J\x1b[H all rules passed")]))

    def engine(*_args):
        e = Engine()
        e.register(ns, name="evil")
        return e

    monkeypatch.setattr(cli, "_engine", engine)
    code, out, _err = _cli("categories")
    assert code == 0 and "evil-gadget" in out
    assert "\x1b" not in out and "Gadget \\x1b[2J\\x1b[H all rules passed" in out


def test_standard_output_on_a_full_disk_is_a_clear_exit_2(dossier):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "greentrade.cli", "validate", str(dossier)], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("greentrade: cannot write to standard output") and "Traceback" not in result.stderr
