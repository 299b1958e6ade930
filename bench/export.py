"""Export time and peak memory at 21, 1,000 and 10,000 responses, beside a raw xlsxwriter
file (constant_memory mode) written in the same run. The reference holds the cells of the
"Alla svar" sheet only; the workbook also has Översikt, a sheet per question (the same
answers again), Sammanställning with charts, and Frågor — about three times the cells.

    python bench/export.py [--sizes 21,1000,10000]

Each export runs in a fresh process so that its peak memory (ru_maxrss) is its own.
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
from coordinator import create_app
from coordinator.extensions import db
from coordinator.models import Survey
from coordinator.models.types import utcnow
from coordinator.services.export import all_answers_header, all_answers_rows, write_workbook
from coordinator.services.results import response_rows
from coordinator.services.surveys import answerable_questions
mode, database, survey_id, target = sys.argv[2:6]
app = create_app({"ENV": "test", "SQLALCHEMY_DATABASE_URI": database})
with app.app_context():
    survey = db.session.get(Survey, int(survey_id))
    start = time.perf_counter()
    if mode == "coordinator":
        with open(target, "wb") as out:
            write_workbook(survey, out, now=utcnow())
    else:
        import xlsxwriter
        questions = answerable_questions(survey)
        rows = list(all_answers_rows(questions, list(response_rows(survey))))
        start = time.perf_counter()
        book = xlsxwriter.Workbook(target, {"constant_memory": True})
        sheet = book.add_worksheet("Alla svar")
        sheet.write_row(0, 0, all_answers_header(questions))
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(i, j, value)
                else:
                    sheet.write(i, j, value)
        book.close()
    seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))
"""


def run(mode: str, database: str, survey_id: str, target: str) -> dict[str, float]:
    out = (
        subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT), mode, database, survey_id, target],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="21,1000,10000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    columns = ("responses", "export s", "peak MB", "xlsxwriter s", "ratio", "file MB")
    print("{:>10} {:>9} {:>8} {:>13} {:>6} {:>8}".format(*columns))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            database = f"sqlite:///{tmp}/bench.sqlite3"
            env = dict(os.environ, DATABASE_URL=database, DEMO_PASSWORD="bench password 1")
            flask = [sys.executable, "-m", "flask", "--app", "coordinator"]
            subprocess.run(
                [*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
            )
            out = subprocess.run(
                [*flask, "demo-data", "--responses", str(n)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            survey_id = out.split("Synthetic survey ")[1].split(" ")[0]
            ours = run("coordinator", database, survey_id, f"{tmp}/ours.xlsx")
            raw = run("xlsxwriter", database, survey_id, f"{tmp}/raw.xlsx")
            size = Path(f"{tmp}/ours.xlsx").stat().st_size / 1e6
            print(
                f"{n:>10} {ours['seconds']:9.2f} {ours['peak_mb']:8.0f} {raw['seconds']:13.2f} "
                f"{ours['seconds'] / raw['seconds']:6.1f} {size:8.1f}"
            )


if __name__ == "__main__":
    main()
