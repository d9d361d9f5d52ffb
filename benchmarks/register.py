"""The shared register (PostgreSQL) at scale.

    python benchmarks/register.py [--records 100000] [--consultants 20]

Measures, in this run:
- the register with N records: the first page of `intake list` and `intake due
  --within 30d` (p50/p95 of 50 runs each): the store's query on an open
  register, and the whole command in-process (`main([...])`: it connects,
  checks the schema, queries and prints, as a consultant's `intake list` does);
  floors measured in the same run: the page's 50 rows fetched without parsing
  (for list) and one `SELECT 1` (for due), both on an open register;
- C consultants at once: C processes each answering intakes against one
  register, released together once all are connected; p50/p95 of a save (one
  answer, saved in one transaction), and afterwards each process checks that
  every record it made holds exactly its own answers (zero lost or crossed);
  the floor is one consultant alone doing the same, measured in the same run.
  Twice: as consultants work (``--think``: each waits 0.5-1.5 times that many
  seconds before an answer, as a person reads and types; default 1 s), and as
  a stress test with no pause at all (20 processes then compete for 2 cores, so
  a save waits mostly for a core, not for the register).
The folder store at 100 / 1,000 / 10,000 records: benchmarks/folder_store.py.
Needs the local server (127.0.0.1:5432, database test); uses a schema of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

ADMIN = os.environ.get("INTAKE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def url_for(schema: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def fill(url: str, count: int) -> None:
    """Insert count complete records quickly (COPY), each a real record made by the engine once and varied."""
    from intake_tui.engine.intake import Intake
    from intake_tui.engine.register import Register
    from intake_tui.i18n import language

    register = Register(url)
    intake = Intake.start("liemers", language("nl"), None, autosave=False)
    intake.answer_value(False)
    template = json.loads(intake.record().model_dump_json())
    register.open()
    today = dt.date.today()
    with register.pool.connection() as connection, connection.cursor() as cursor:
        with cursor.copy("COPY intake_records (id, swv, region, ruleset_version, status, pupil_ref, created, updated, "
                         "revision, next_due, record) FROM STDIN") as copy:
            for number in range(count):
                record = dict(template, id=f"20250101-{number:010d}", pupil_ref=f"P-{number}")
                when = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=number)
                record["created"] = record["updated"] = when.isoformat()
                due = today + dt.timedelta(days=number % 365)
                copy.write_row((record["id"], record["swv"], "liemers", record["ruleset_version"], "complete",
                                record["pupil_ref"], when, when, 1, due, json.dumps(record)))
        with cursor.copy("COPY intake_followups (record_id, swv, due, what) FROM STDIN") as copy:
            for number in range(count):
                copy.write_row((f"20250101-{number:010d}", template["swv"], today + dt.timedelta(days=number % 365),
                                "The arrangement ends."))
        cursor.execute("ANALYZE intake_records; ANALYZE intake_followups")
    register.close()


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def summary(name: str, times: list[float], floor_p95: float | None = None) -> dict:
    found = {f"{name}_p50_ms": round(1000 * statistics.median(times), 2), f"{name}_p95_ms": round(1000 * percentile(times, 95), 2)}
    if floor_p95:
        found[f"{name}_p95_ratio_to_floor"] = round(percentile(times, 95) / floor_p95, 1)
    return found


def bench_listing(url: str, runs: int = 50) -> dict:
    import contextlib
    import io

    from intake_tui.cli.main import main
    from intake_tui.engine.register import Register

    register = Register(url)
    register.open()
    today = dt.date.today()

    def select_one():
        with register.pool.connection() as connection:
            connection.execute("SELECT 1").fetchone()

    def command(*argv: str):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert main(["--store", url, *argv]) == 0
        assert out.getvalue()

    def raw_page():  # the floor of a first page: its 50 rows fetched, nothing parsed
        with register.pool.connection() as connection:
            connection.execute("SELECT id, record FROM intake_records ORDER BY updated DESC, id DESC LIMIT 50").fetchall()

    rows = len(register.listing(limit=50))
    floor, page = timed(select_one, runs), timed(raw_page, runs)
    floor_p95, page_p95 = percentile(floor, 95), percentile(page, 95)
    results = {"first_page_rows": rows, **summary("floor_select_1", floor), **summary("floor_raw_page", page),
               **summary("list_query", timed(lambda: register.listing(limit=50), runs), page_p95),
               **summary("due_query", timed(lambda: register.due(today + dt.timedelta(days=30), today), runs), floor_p95),
               **summary("list_command", timed(lambda: command("list", "--limit", "50"), runs), page_p95),
               **summary("due_command", timed(lambda: command("due", "--within", "30d"), runs), floor_p95)}
    results["due_items_30d"] = len(register.due(today + dt.timedelta(days=30), today))
    register.close()
    return results


CONSULTANT = """
import json, sys, time
from intake_tui.i18n import language
from intake_tui.engine.intake import Intake
from intake_tui.engine.register import Register
import random
url, number, intakes, think = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
pause = random.Random(number)
register = Register(url)
register.open()
print("ready", flush=True)
sys.stdin.readline()  # all consultants start together
saves, made = [], {}
for n in range(intakes):
    intake = Intake.start("liemers", language("nl"), register, pupil_ref=f"C{number}-{n}")
    given = {}
    while intake.session.question_id is not None:
        fact = intake.session.question_id
        question = intake.dialog.questions[fact]
        value = {"bool": True, "int": 6 + number % 50, "number": 1 + (number % 3)}[question.type]
        time.sleep(think * pause.uniform(0.5, 1.5))  # reading the question, typing the answer
        start = time.perf_counter()
        intake.answer_value(value)
        saves.append(time.perf_counter() - start)
        given[fact] = value
    made[intake.save().id] = given
    intake.close()
bad = [i for i, answers in made.items() if register.load(i).answers != answers]
for n, record_id in enumerate(made):  # each reference finds exactly its own record: none lost, none crossed
    if [e.id for e in register.listing(pupil_ref=f"C{number}-{n}")] != [record_id]:
        bad.append(record_id)
print(json.dumps({"saves": saves, "bad": bad, "made": len(made)}))
"""


def bench_consultants(url: str, consultants: int, intakes: int, think: float, first: int = 0) -> dict:
    """``first``: the number of the first consultant (their pupil references are C<number>-<n>)."""
    processes = [subprocess.Popen([sys.executable, "-c", CONSULTANT, url, str(n), str(intakes), str(think)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True) for n in range(first, first + consultants)]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    for process in processes:  # go
        process.stdin.write("\n")
        process.stdin.flush()
    saves, bad, made = [], [], 0
    for process in processes:
        out, _ = process.communicate()
        data = json.loads(out.strip().splitlines()[-1])
        saves += data["saves"]
        bad += data["bad"]
        made += data["made"]
    return {"consultants": consultants, "think_s": think, "records": made, "expected": consultants * intakes, "saves": len(saves),
            **summary("save", saves), "lost_or_crossed": len(bad) + consultants * intakes - made}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--consultants", type=int, default=20)
    parser.add_argument("--intakes", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a consultant takes for an answer (mean)")
    args = parser.parse_args()
    import psycopg

    schema = "intake_bench_" + uuid.uuid4().hex[:8]
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    results: dict = {}
    try:
        url = url_for(schema)
        start = time.perf_counter()
        fill(url, args.records)
        results["fill_s"] = time.perf_counter() - start
        results["register"] = {"records": args.records, **bench_listing(url)}
        # The floor: one consultant with the register to itself, the same work, in the same run.
        alone = bench_consultants(url, 1, args.intakes * 3, args.think, first=1000)
        together = bench_consultants(url, args.consultants, args.intakes, args.think, first=2000)
        together["save_p95_ratio_to_one_alone"] = round(together["save_p95_ms"] / alone["save_p95_ms"], 1)
        stress = bench_consultants(url, args.consultants, args.intakes, 0.0, first=3000)
        stress["save_p95_ratio_to_one_alone"] = round(stress["save_p95_ms"] / alone["save_p95_ms"], 1)
        results["one_consultant_alone"], results["consultants"], results["consultants_no_pause"] = alone, together, stress
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
