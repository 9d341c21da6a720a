"""Batches touch nothing outside their output, read every input through the one reader, say what
they did with each input, and end cleanly on SIGINT, SIGTERM, SIGHUP and even SIGKILL (#21).

Device nodes and FIFOs are private ones made in a temporary directory (never a real /dev entry);
inputs that would never end if read run in a child process with a memory limit and a time-out.
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from greentrade import cli

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "tests" / "data" / "core-dossier.json"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file kinds")
ROOT_ONLY = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mknod needs root")


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["--config", str(ROOT / "examples" / "greentrade.toml"), *argv])
    return code, out.getvalue(), err.getvalue()


def _limited() -> None:  # a child that would read /dev/zero whole runs out of memory, not the machine
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def _child(*argv: str, stdin: object = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "greentrade.cli", *argv], stdin=stdin, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limited)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.json").write_bytes(CORE.read_bytes())
    (d / "sub" / "b.json").write_bytes(CORE.read_bytes())
    return d


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- the output: one writer -----------------------------------------------------------------------
def test_batch_output_inside_an_input_directory_is_refused(inputs: Path) -> None:
    before = (inputs / "a.json").read_bytes()
    for target in (inputs / "a.json", inputs / "sub" / "b.json"):
        code, out, err = _cli("validate", str(inputs), "--jobs", "1", "--output", str(target))
        assert (code, out) == (2, "")
        assert f"cannot write {str(target)!r}: it is the input file" in err
    assert (inputs / "a.json").read_bytes() == before
    assert not list(inputs.rglob("*.part"))


def test_batch_output_through_a_symlink_replaces_its_target(inputs: Path, tmp_path: Path) -> None:
    real = tmp_path / "reports.jsonl"
    real.write_text("previous\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert _cli("validate", str(inputs), "--jobs", "1", "--output", str(link))[0] == 0
    assert link.is_symlink() and len(_lines(real)) == 2


@POSIX
def test_batch_output_to_a_fifo_is_written_in_place(inputs: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "reports.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code = _cli("validate", str(inputs), "--jobs", "1", "--output", str(fifo))[0]
    reader.join(60)
    assert code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert len(got[0].splitlines()) == 2


@POSIX
def test_batch_output_to_a_socket_is_written_in_place(inputs: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            got.append(b"".join(chunks))

    t = threading.Thread(target=serve)
    t.start()
    try:
        assert _cli("validate", str(inputs), "--jobs", "1", "--output", str(path))[0] == 0
        t.join(60)
    finally:
        server.close()
    assert stat.S_ISSOCK(path.lstat().st_mode) and len(got[0].splitlines()) == 2


@ROOT_ONLY
@pytest.mark.parametrize("command", ["batch", "single"])
def test_device_outputs_are_written_in_place_never_replaced(inputs: Path, tmp_path: Path, command: str) -> None:
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # private nodes with /dev/null's and /dev/full's numbers
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    source = [str(inputs)] if command == "batch" else [str(inputs / "a.json")]
    assert _cli("validate", *source, "--jobs", "1", "--output", str(null))[0] == 0
    code, _out, err = _cli("validate", *source, "--jobs", "1", "--output", str(full))
    assert code == 2 and f"cannot write {str(full)!r}" in err and "No space left" in err
    for node, minor in ((null, 3), (full, 7)):
        st = node.lstat()
        assert stat.S_ISCHR(st.st_mode) and os.minor(st.st_rdev) == minor
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "in", "null"]


@POSIX
def test_a_batch_write_failure_names_the_file(inputs: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports.jsonl"
    target.write_text("previous\n")
    script = (  # a file-size limit (ulimit -f) makes the write fail with EFBIG half way
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
        "from greentrade.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, "validate", str(inputs), "--jobs", "1",
                             "--output", str(target)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"greentrade: cannot write {str(target)!r}: File too large")
    assert "Traceback" not in result.stderr
    assert target.read_text() == "previous\n" and not list(tmp_path.glob(".*.part"))


# -- the inputs: one reader, and a word about each ----------------------------------------------------
@POSIX
def test_a_fifo_and_a_link_to_a_device_in_a_directory_are_refused_not_read(inputs: Path, tmp_path: Path) -> None:
    os.mkfifo(inputs / "pipe.json")
    (inputs / "zero.json").symlink_to("/dev/zero")  # only its kind is looked at: it is never opened for reading
    result = _child("validate", str(inputs), "--jobs", "2", "--timeout", "30", timeout=120)
    assert result.returncode == 2, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    messages = [f["message"] for line in lines for f in line["findings"] if f["rule"] == "GT-ENGINE-007"]
    assert any("pipe.json" in m and "FIFO" in m for m in messages)
    assert any("zero.json" in m and "character device" in m for m in messages)
    assert "2 unreadable" in result.stderr


@POSIX
def test_jsonl_from_a_device_on_stdin_is_refused() -> None:
    with open("/dev/zero", "rb") as zero:  # read-only use of a real device: refused before a byte is read
        result = _child("validate", "--jsonl", "-", stdin=zero, timeout=60)
    assert result.returncode == 2 and "standard input: it is a device" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_jsonl_line_over_the_limit_is_its_own_report(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[greentrade]\nplugins = []\nmax_input_bytes = 2000\n")
    text = CORE.read_text().replace("\n", "")
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(text + "\n" + "[" + " " * 5000 + "]\n" + text + "\n")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["--config", str(config), "validate", "--jsonl", str(jsonl), "--jobs", "1"])
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 2 and len(lines) == 3 and lines[0]["evaluated"] and lines[2]["evaluated"]
    assert "in.jsonl:2: the line is larger than the input limit" in lines[1]["findings"][0]["message"]


def test_unreadable_directories_are_reported_and_counted(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path: object) -> object:  # root reads any directory: refuse one the way the OS would
        if Path(str(path)).name == "sub":
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = _cli("validate", str(inputs), "--jobs", "1")
    lines = out.splitlines()
    assert code == 2 and len(lines) == 2
    assert "sub: cannot read the directory: Permission denied" in json.loads(lines[1])["findings"][0]["message"]
    assert "1 unreadable" in err


def test_an_empty_directory_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no dossier here")
    code, out, err = _cli("validate", str(tmp_path / "empty"))
    assert (code, out) == (2, "")
    assert f"no dossier found in {tmp_path / 'empty'} (looked for *.json)" in err


def test_a_report_in_an_input_directory_is_not_a_dossier(inputs: Path) -> None:
    code, out, _err = _cli("validate", str(inputs / "a.json"), "--format", "json")
    (inputs / "report.json").write_text(out)
    code, out, err = _cli("validate", str(inputs), "--jobs", "1")
    assert code == 2 and len(out.splitlines()) == 3
    assert "1 not a dossier" in err and "report.json: not a dossier: it is a greentrade report" in err


@POSIX
def test_symlinked_folders_are_followed_once(inputs: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.json").write_bytes(CORE.read_bytes())
    (inputs / "link").symlink_to(other)
    (other / "loop").symlink_to(inputs)
    code, out, err = _cli("validate", str(inputs), "--jobs", "1")
    assert code == 0 and len(out.splitlines()) == 3  # a, link/c, sub/b: each once
    assert "skipped: " in err and "already read (a loop" in err


# -- signals ---------------------------------------------------------------------------------------
_SLOW_HOST = '''
import sys, time
from greentrade import Citation, Engine, Period, Program, Rule, Severity, hookimpl
from greentrade import cli

C = Citation(authority="test", title="slow rule (test fixture)", reference="tests")

def slow(ctx):
    time.sleep(0.05)
    return ()

class Slow:
    @hookimpl
    def greentrade_programs(self):
        return [Program(id="slow", title="Slow", authority="test", effective=Period(), citation=C)]

    @hookimpl
    def greentrade_rules(self):
        return [Rule(id="SLOW-001", title="Slow", severity=Severity.ERROR, check=slow, citation=C, program="slow",
                     basis="stated")]

def engine(*_args):
    e = Engine()
    e.register(Slow(), name="slow")
    return e

cli._engine = engine
sys.exit(cli.main(sys.argv[1:]))
'''


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        pytest.skip("no /proc children list on this system")
    return [int(p) for p in text.split()]


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        alive = []
        for p in pids:
            try:
                state = Path(f"/proc/{p}/stat").read_text().split()[2]
            except OSError:
                continue
            if state != "Z":
                alive.append(p)
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _start(tmp_path: Path, *argv: str) -> subprocess.Popen[bytes]:
    host = tmp_path / "slow_host.py"
    host.write_text(_SLOW_HOST)
    line = json.dumps(json.loads(CORE.read_text())) + "\n"
    (tmp_path / "in.jsonl").write_text(line * 2000)
    return subprocess.Popen([sys.executable, str(host), "validate", "--jsonl", str(tmp_path / "in.jsonl"),
                             "--jobs", "2", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(check: object) -> None:
    deadline = time.monotonic() + 60
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "the batch did not start"
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_a_batch_to_a_file_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    target = tmp_path / "reports.jsonl"
    target.write_text("previous\n")
    proc = _start(tmp_path, "--output", str(target))
    _wait_for(lambda: any(p.stat().st_size > 0 for p in tmp_path.glob(".reports.jsonl.*.part")))
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert f"interrupted by {sig.name}" in err.decode() and "was left as it was" in err.decode()
    assert target.read_text() == "previous\n" and not list(tmp_path.glob(".*.part"))
    assert _gone(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and POSIX signals")
def test_sigterm_with_stdout_marks_the_output_incomplete(tmp_path: Path) -> None:
    proc = _start(tmp_path)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert json.loads(first)["report_format"]
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=60)
    lines = (first + rest).decode().split("\n")[:-1]
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert json.loads(lines[-1])["incomplete"] is True and "incomplete" in json.loads(lines[-1])["message"]
    assert all("report_format" in json.loads(line) for line in lines[:-1])
    assert _gone(workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and POSIX signals")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    proc = _start(tmp_path)
    assert proc.stdout is not None
    proc.stdout.readline()
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.kill()
    proc.communicate(timeout=60)
    assert _gone(workers)


# -- Dask ------------------------------------------------------------------------------------------
_DASK = '''
import sys
from pathlib import Path
import dask.bag as db
from greentrade import Engine
from greentrade.dask import validate_bag
items = [Path(sys.argv[1]), Path(sys.argv[2]), b"[1]", b"{}"]
for r in validate_bag(db.from_sequence(items, npartitions=2), Engine(), form="report").compute(scheduler="sync"):
    print(r.findings[-1].rule, r.findings[-1].message)
'''


@POSIX
def test_dask_items_are_read_through_the_one_reader_and_named(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")  # looked at, never read
    result = subprocess.run([sys.executable, "-c", _DASK, str(fifo), str(zero)], capture_output=True, text=True,
                            timeout=120, preexec_fn=_limited)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and all(line.startswith("GT-ENGINE-007 ") for line in lines)
    assert "pipe.json" in lines[0] and "FIFO" in lines[0] and "character device" in lines[1]
    assert "partition 1, item 0: not a dossier" in lines[2] and "partition 1, item 1: not a dossier" in lines[3]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="Linux /proc descriptors")
@pytest.mark.parametrize("batch", [False, True])
def test_output_through_a_descriptor_link_writes_to_the_callers_stream(tmp_path: Path, batch: bool) -> None:
    link = tmp_path / "stdout"  # what /dev/stdout is, made privately: a link to /proc/self/fd/1
    link.symlink_to("/proc/self/fd/1")
    args = [sys.executable, "-m", "greentrade.cli", "validate", str(CORE), *([str(CORE)] if batch else []),
            "--jobs", "1", "--output", str(link)]
    piped = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith('{"report_format"' if batch else "greentrade ")
    appended = tmp_path / "log.txt"
    appended.write_text("keep\n")
    with appended.open("a") as out:
        assert subprocess.run(args, stdout=out, stderr=subprocess.PIPE, timeout=120).returncode == 0
    text = appended.read_text()
    assert text.startswith("keep\n") and len(text) > 100 and link.is_symlink()
