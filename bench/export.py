"""Export time and peak memory at 21, 1,000 and 10,000 responses. The workbook is timed
beside a raw xlsxwriter file (constant_memory mode) holding the same cell values,
written in the same run; the aim is at most 1.3 times raw and under 150 MB at 10,000.

    python bench/export.py [--sizes 21,1000,10000]
    python bench/export.py --pdf-only [--pdf-sizes 21,1000] [--receipt-sizes 21,1000]

The survey is a copy of the RUS 2018 questions with N synthetic responses (drafts
included in the export, so every response is a row), in a temporary SQLite database.
Each export runs in a fresh process so that its peak memory (ru_maxrss, the whole
process) is its own; "base MB" is that process just before the export (the app and its
libraries loaded). The reference process reads our workbook back first (untimed) and
then times xlsxwriter writing exactly those values, sheet by sheet: "raw" without formats
(dates aside), "raw+fmt" with one wrapped, quote-prefixed format on every cell as ours.
The ratios compare CPU time (process_time): on a shared machine wall time varies with
the load more than the exports differ.

The PDF figures (`pdf_figures`): the workshop handout of the submitted responses and the
zip of every submitted response's receipt, each in its own process, with wall time, the
process's CPU time (the wall time of a shared machine says little) and peak memory beside
the memory of the process just before the export (app and libraries loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
mode, database, survey_id, target, source = sys.argv[2:7]
if mode == "coordinator":
    from coordinator import create_app
    from coordinator.extensions import db
    from coordinator.models import Survey
    from coordinator.models.types import utcnow
    from coordinator.services.results.workbook import write_workbook
    app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        survey = db.session.get(Survey, int(survey_id))
        before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start, cpu = time.perf_counter(), time.process_time()
        with open(target, "wb") as out:
            write_workbook(survey, out, include_drafts=True, now=utcnow())
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
else:
    before_mb = 0
    import datetime
    import openpyxl
    import xlsxwriter
    book = openpyxl.load_workbook(source, read_only=True)
    sheets = [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]
    book.close()
    start, cpu = time.perf_counter(), time.process_time()
    out = xlsxwriter.Workbook(target, {"constant_memory": True})
    date = out.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    # "formats": every cell with a format as ours has (wrapped, text with a quote prefix).
    text = out.add_format({"text_wrap": True, "quote_prefix": True}) if mode == "formats" else None
    if mode == "formats":
        date.set_text_wrap()
    for title, rows in sheets:
        sheet = out.add_worksheet(title)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(i, j, value, text)
                elif isinstance(value, datetime.datetime):
                    sheet.write_datetime(i, j, value, date)
                else:
                    sheet.write_number(i, j, value, text)
    out.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "before_mb": before_mb, "peak_mb": peak_mb}))
"""


def run(mode: str, database: str, survey_id: str, target: str, source: str) -> dict[str, float]:
    out = (
        subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT), mode, database, survey_id, target, source],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return json.loads(out)


WORKBOOK_COLUMNS = (
    "workbook s",
    "CPU s",
    "CPU ms/resp",
    "base MB",
    "peak MB",
    "raw CPU s",
    "ratio",
    "raw+fmt CPU",
    "ratio",
    "file MB",
)


def bench_workbook(n: int, database: str, survey_id: str, tmp: str) -> list[str]:
    """Our workbook, then raw xlsxwriter writing the same cells, each in its own process."""
    ours_file = f"{tmp}/ours.xlsx"
    ours = run("coordinator", database, survey_id, ours_file, "")
    raw = run("xlsxwriter", database, survey_id, f"{tmp}/raw.xlsx", ours_file)
    formatted = run("formats", database, survey_id, f"{tmp}/formats.xlsx", ours_file)
    size = Path(ours_file).stat().st_size / 1e6
    return [
        f"{ours['seconds']:.2f}",
        f"{ours['cpu']:.2f}",
        f"{1000 * ours['cpu'] / n:.2f}",
        f"{ours['before_mb']:.0f}",
        f"{ours['peak_mb']:.0f}",
        f"{raw['cpu']:.2f}",
        f"{ours['cpu'] / raw['cpu']:.2f}",
        f"{formatted['cpu']:.2f}",
        f"{ours['cpu'] / formatted['cpu']:.2f}",
        f"{size:.1f}",
    ]


PDF_CHILD = r"""
import io, json, resource, sys, time
sys.path.insert(0, sys.argv[1])
mode, database, survey_id, target = sys.argv[2:6]
from coordinator import create_app
from coordinator.extensions import db
from coordinator.models import Survey
from coordinator.models.types import utcnow
from coordinator.services.results.handout import write_handout
from coordinator.services.results.pdf import write_pdf
from coordinator.services.results.receipts import write_receipts_zip
app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": database})
with app.app_context():
    survey = db.session.get(Survey, int(survey_id))
    write_pdf("<html lang=sv><title>x</title><p>x</p></html>", io.BytesIO())  # fonts, CSS
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    with open(target, "wb") as out:
        if mode == "handout":
            write_handout(survey, out, now=utcnow())
        else:
            write_receipts_zip(survey, out, now=utcnow())
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "before_mb": before_mb, "peak_mb": peak_mb}))
"""


def synthetic_survey(tmp: str, n: int) -> tuple[str, str]:
    """A SQLite database in `tmp` with the demo data and a synthetic survey of `n`
    responses; its URL and the survey's id."""
    database = f"sqlite:///{tmp}/bench.sqlite3"
    env = dict(os.environ, DATABASE_URL=database, DEMO_PASSWORD="bench password 1")
    flask = [sys.executable, "-m", "flask", "--app", "coordinator"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run(
        [*flask, "demo-data", "--responses", str(n)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return database, out.split("Synthetic survey ")[1].split(" ")[0]


def run_pdf(mode: str, database: str, survey_id: str, target: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PDF_CHILD, str(ROOT), mode, database, survey_id, target],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _sizes(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s]


def pdf_figures(handout_sizes: list[int], receipt_sizes: list[int]) -> None:
    """The handout and the zip of receipts, one synthetic survey per size."""
    columns = ("document", "responses", "wall s", "cpu s", "ms/resp", "base MB", "peak MB", "MB")
    print("{:>9} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7}".format(*columns))
    runs = [("handout", n) for n in handout_sizes] + [("receipts", n) for n in receipt_sizes]
    for mode, n in runs:
        with tempfile.TemporaryDirectory() as tmp:
            database, survey_id = synthetic_survey(tmp, n)
            target = f"{tmp}/{mode}.{'pdf' if mode == 'handout' else 'zip'}"
            result = run_pdf(mode, database, survey_id, target)
            size = Path(target).stat().st_size / 1e6
            print(
                f"{mode:>9} {n:>10} {result['seconds']:8.2f} {result['cpu']:8.2f} "
                f"{1000 * result['cpu'] / n:8.1f} {result['before_mb']:8.0f} "
                f"{result['peak_mb']:8.0f} {size:7.1f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="21,1000,10000")
    parser.add_argument("--pdf-only", action="store_true", help="Only the PDF figures.")
    parser.add_argument("--pdf-sizes", default="21,1000", help="Handout sizes.")
    parser.add_argument("--receipt-sizes", default="21,1000", help="Zip of receipts sizes.")
    args = parser.parse_args()
    if args.pdf_only:
        pdf_figures(_sizes(args.pdf_sizes), _sizes(args.receipt_sizes))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    columns = ("responses", *WORKBOOK_COLUMNS)
    print(" ".join(f"{c:>12}" for c in columns))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            database, survey_id = synthetic_survey(tmp, n)
            row = [str(n), *bench_workbook(n, database, survey_id, tmp)]
            print(" ".join(f"{c:>12}" for c in row), flush=True)
    print()
    pdf_figures(_sizes(args.pdf_sizes), _sizes(args.receipt_sizes))


if __name__ == "__main__":
    main()
