"""What a person reads (#23), through real processes: the text report (summary first, errors,
warnings, info on -v, each source once, width, colour), the date line of validate and assess,
progress lines in a log, schema errors in words."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from greentrade import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "zhejiang-solar-portfolio.json"
CONFIG = ROOT / "examples" / "greentrade.toml"
GOLDEN = ROOT / "tests" / "data" / "render"
DATA = Path(__file__).parent / "data" / "core-dossier.json"


def gt(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("GREENTRADE_CONFIG", "NO_COLOR", "COLUMNS")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "greentrade", *args], capture_output=True, text=True,
                          env=environ, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def example_text() -> str:
    proc = gt("--config", str(CONFIG), "validate", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_text_report_opens_with_the_date_and_the_summary(example_text: str) -> None:
    lines = example_text.splitlines()
    assert lines[0].endswith("as of each shipment's ship date")
    summary = next(i for i, line in enumerate(lines) if line.startswith("Summary: "))
    assert summary < 6 and "eligible" in lines[summary] and "not applicable" in lines[summary]
    assert lines[summary + 1].lstrip().startswith("cn-green-channel")
    order = [example_text.index(h) for h in ("Summary: ", "Warnings (5)", "Outcomes", "Sources")]
    assert order == sorted(order)


def test_lines_fit_100_columns_when_not_a_terminal(example_text: str) -> None:
    assert max(map(len, example_text.splitlines())) <= 100
    assert "\x1b[" not in example_text  # no colour into a pipe


def test_info_is_counted_and_shown_with_v(example_text: str) -> None:
    info = int(re.search(r"^Findings: .*, (\d+) info$", example_text, flags=re.M).group(1))
    assert info > 0 and f"{info} info finding(s) not shown (-v shows them)" in example_text
    assert "Info (" not in example_text
    verbose = gt("--config", str(CONFIG), "validate", str(EXAMPLE), "-v").stdout
    assert f"Info ({info})" in verbose and "not shown" not in verbose
    quiet = gt("--config", str(CONFIG), "validate", str(EXAMPLE), "-q").stdout
    assert "Warnings (" not in quiet and "5 warning(s) not shown" in quiet


def test_each_source_is_printed_once_and_numbered(example_text: str) -> None:
    sources = example_text[example_text.index("\nSources\n"):]
    numbers = re.findall(r"^  \[(\d+)\] ", sources, flags=re.M)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert example_text.count("The pilot applies at 12 key ports nationwide") == 1
    body = example_text[: example_text.index("\nSources\n")]
    assert set(re.findall(r" \[(\d+)\]$", body, flags=re.M)) == set(numbers)


def test_width_follows_columns_only_on_a_terminal_and_colour_is_chosen(tmp_path: Path) -> None:
    always = gt("--config", str(CONFIG), "validate", str(EXAMPLE), "--color", "always").stdout
    assert "\x1b[33m" in always and "\x1b[0m" in always
    assert re.sub(r"\x1b\[[0-9;]*m", "", always) == gt("--config", str(CONFIG), "validate", str(EXAMPLE)).stdout
    never = gt("--config", str(CONFIG), "validate", str(EXAMPLE), "--color", "never", env={"COLUMNS": "60"})
    assert "\x1b[" not in never.stdout and max(map(len, never.stdout.splitlines())) <= 100


def test_no_color_and_width_on_a_terminal() -> None:
    """Through a pseudo-terminal: colour by default, none with NO_COLOR; lines fit COLUMNS."""
    pty = pytest.importorskip("pty")
    import select

    def run(env: dict[str, str]) -> str:
        leader, follower = pty.openpty()
        environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GREENTRADE_CONFIG")}
        proc = subprocess.Popen([sys.executable, "-m", "greentrade", "--config", str(CONFIG), "validate",
                                 str(EXAMPLE)], stdout=follower, stderr=subprocess.DEVNULL, env={**environ, **env})
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=120)
        os.close(leader)
        return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")

    coloured = run({"COLUMNS": "72"})
    assert "\x1b[" in coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert max(len(line) for line in plain.splitlines() if not line.startswith("input sha256")) <= 72
    assert "\x1b[" not in run({"COLUMNS": "72", "NO_COLOR": "1"})


def test_report_1_dicts_render_with_their_citations_once() -> None:
    """report/1 (findings carry citation and remediation) renders the same way, for one release."""
    data = json.loads((GOLDEN / "cn-ningbo.report.json").read_text("utf-8"))
    expanded = render.expand_report(data)
    old = {k: v for k, v in expanded.items() if k not in ("rules", "sources", "lang")}
    old["report_format"] = "greentrade.report/1"
    assert render.report_text(old) == render.report_text(data)


def test_html_title_names_the_file_and_ids_do_not_wrap(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    proc = gt("--config", str(CONFIG), "validate", str(EXAMPLE), "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text("utf-8")
    assert f"<title>greentrade report: {EXAMPLE.name}</title>" in page
    assert page.index("Summary") < page.index("Warnings (5)") < page.index("Outcomes")
    assert ".id,code{white-space:nowrap}" in page and "@media print" in page
    assert '<span class="id">HG-2605-NGB-DE</span>' in page
    assert "`" not in re.sub(r"<style>.*?</style>", "", page, flags=re.S)  # Markdown code spans rendered


def test_assessment_html_has_the_cell_summary_and_text_fits(tmp_path: Path) -> None:
    out = tmp_path / "a.html"
    assert gt("--config", str(CONFIG), "assess", str(EXAMPLE), "--format", "html", "-o", str(out)).returncode == 0
    page = out.read_text("utf-8")
    assert f"<title>greentrade readiness: {EXAMPLE.name}</title>" in page
    assert page.index("Cells:") < page.index("Readiness matrix")
    text = gt("--config", str(CONFIG), "assess", str(EXAMPLE)).stdout
    assert max(map(len, text.splitlines())) <= 100


# -- one date for both ---------------------------------------------------------------------------------
def test_validate_and_assess_take_the_same_default_date(tmp_path: Path) -> None:
    dossier = json.loads(EXAMPLE.read_text("utf-8"))
    earliest = min(s["ship_date"] for s in dossier["shipments"])
    text = gt("--config", str(CONFIG), "assess", str(EXAMPLE)).stdout
    assert text.splitlines()[0].endswith(f"readiness as of {earliest}")
    (tmp_path / "greentrade.toml").write_text(
        CONFIG.read_text("utf-8").replace("[greentrade]\n", "[greentrade]\nas_of = 2026-07-01\n"))
    validated = gt("validate", str(EXAMPLE), cwd=tmp_path).stdout
    assessed = gt("assess", str(EXAMPLE), cwd=tmp_path).stdout
    assert validated.splitlines()[0].endswith("as of 2026-07-01")
    assert assessed.splitlines()[0].endswith("readiness as of 2026-07-01")


# -- progress ------------------------------------------------------------------------------------------
def test_batch_progress_lines_in_a_log_and_no_progress(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"d{i:02}.json").write_bytes(DATA.read_bytes())
    proc = gt("validate", str(tmp_path), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if re.match(r"greentrade: \d+/12 dossiers \(\d+%\), ", line)]
    assert lines and all("/s, about" in line and "s left" in line for line in lines)
    quiet = gt("validate", str(tmp_path), "--jobs", "1", "--no-progress")
    assert not re.search(r"dossiers \(\d+%\)", quiet.stderr)


def test_progress_reporter_every_ten_percent_or_ten_seconds() -> None:
    import io

    from greentrade._cli_progress import Progress

    now = [0.0]
    out = io.StringIO()
    p = Progress(100, "dossier", out, clock=lambda: now[0])
    for _ in range(35):
        now[0] += 0.01
        p.update()
    assert len(out.getvalue().splitlines()) == 3  # at 10, 20 and 30
    unknown = Progress(None, "dossier", out := io.StringIO(), clock=lambda: now[0])
    unknown.update()
    now[0] += 10.5
    unknown.update()
    assert out.getvalue() == "greentrade: 2 dossiers, 0/s\n"


# -- messages in words ---------------------------------------------------------------------------------
@pytest.mark.parametrize("pointer, value, words", [
    (("shipments", 0, "ship_date"), "30/06/2026", "expected a date written YYYY-MM-DD"),
    (("shipments", 0, "destination_country"), "KSA", "expected a two-letter ISO 3166 country code such as SA"),
])
def test_schema_errors_say_in_words_what_is_expected(pointer: tuple[str | int, ...], value: str, words: str) -> None:
    from greentrade import Engine

    data = json.loads(DATA.read_text("utf-8"))
    node = data
    for key in pointer[:-1]:
        node = node[key]
    node[pointer[-1]] = value
    report = Engine().validate(data)
    found = [f for f in report.findings if f.pointer == "/" + "/".join(map(str, pointer))]
    assert found and found[0].rule == "GT-SCHEMA-001", report.findings
    assert words in found[0].message and f"got {value!r}" in found[0].message
    assert "^" not in found[0].message and "[0-9]" not in found[0].message and "schema rule" not in found[0].message
