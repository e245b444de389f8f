"""Import speed and memory: a 100,000-row and a 600-row German Excel-style CSV.

Prints JSON. Each measurement runs in its own process (so peak RSS belongs to
that measurement alone). Baselines are measured in the same run on the same
file: parsing it with the csv module alone, and inserting the same number of
rows with raw sqlite3 executemany into a bare table.

Targets (issue 2): 100,000 rows < 15 s with peak memory < 500 MB; 600 rows < 1 s.

    /work/venv/bin/python benchmarks/bench_import.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ("Anna", "Jürgen", "Łukasz", "Ayşe", "Ольга", "Thị Minh Anh", "Hans-Peter", "Dörte", "Søren", "Zoë")
LAST = (
    "Müller",
    "Weiß",
    "Wiśniewski",
    "Yılmaz",
    "Иванова",
    "Nguyễn",
    "Großmann-Weißenböck",
    "Schöb",
    "O'Brien",
)
ORGS = (
    "Jobcenter Landkreis Osnabrück – MaßArbeit kAöR",
    "Kommunales Jobcenter Hamm",
    "Kommunales Jobcenter Landkreis Oberspreewald-Lausitz – Eigenbetrieb des Landkreises für Grundsicherung",
    "Bundesministerium für Arbeit und Soziales",
)
WORKSHOPS = ("Zukunftswerkstatt 1", "IT-Sicherheit", "zw-bass", "Interkommunale Zusammenarbeit", "", "")
CATEGORIES = ("Teilnehmer", "Teilnehmer", "Teilnehmer", "Referent", "Presse", "")


def write_csv(path: Path, rows: int, seed: int = 1, changed_every: int = 0) -> None:
    """A German Excel CSV: UTF-8 with BOM, ';', CRLF, title row, yes/no per day, workshop column."""
    rng = random.Random(seed)
    header = (
        "Anrede;Titel;Vorname;Nachname;Behörde;Funktion;E-Mail;Buchungsnummer;Kategorie;"
        "Teilnahme 19.09.2024;Teilnahme 20.09.2024;Zukunftswerkstatt;Bemerkung"
    )
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("Anmeldeliste;;;;;;;;;;;;\r\n" + header + "\r\n")
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            org = rng.choice(ORGS)
            if changed_every and n % changed_every == 0:
                org = org + " (neu)"
            handle.write(
                f"{rng.choice(('Herr', 'Frau'))};{rng.choice(('', '', 'Dr.'))};{first};{last};{org};"
                f"Sachbearbeitung;{n}@example.org;B{n:07d};{rng.choice(CATEGORIES)};ja;"
                f"{rng.choice(('ja', 'nein', 'x'))};{rng.choice(WORKSHOPS)};\r\n"
            )


def _measure_import(paths: list[Path], db_file: Path, trace: bool) -> dict:
    import resource
    import tracemalloc

    from checkin.domain.db import open_database
    from checkin.domain.eventfile import load_event_file
    from checkin.domain.events import EventService
    from checkin.i18n import set_language
    from checkin.io.importing import ImportService
    from checkin.io.importing import report as words
    from checkin.resources import demo_event_file

    set_language("en")
    db = open_database(db_file)
    event = EventService(db).load_definition(load_event_file(demo_event_file()))
    results = []
    if trace:
        tracemalloc.start()
    for path in paths:
        service = ImportService(db, event)
        start = time.perf_counter()
        preview = service.read(path)
        read_s = time.perf_counter() - start
        report = service.apply(preview)
        total_s = time.perf_counter() - start
        del preview
        results.append(
            {
                "file": path.name,
                "read_s": round(read_s, 3),
                "total_s": round(total_s, 3),
                "summary": words.summary(report),
            }
        )
    out = {"runs": results, "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if trace:
        out["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    db.dispose()
    return out


def _baseline(path: Path, db_file: Path) -> dict:
    import csv
    import sqlite3

    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [tuple(r) for r in csv.reader(handle, delimiter=";")]
    parse_s = time.perf_counter() - start
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"CREATE TABLE t ({', '.join(f'c{i} TEXT' for i in range(13))}, UNIQUE(c7))")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        f"INSERT INTO t VALUES ({', '.join('?' * 13)})", (r[:13] for r in rows[2:] if len(r) >= 13)
    )
    conn.execute("COMMIT")
    insert_s = time.perf_counter() - start
    conn.close()
    return {"csv_parse_s": round(parse_s, 3), "sqlite_executemany_insert_s": round(insert_s, 3)}


def _child(args: argparse.Namespace) -> None:
    paths = [Path(p) for p in args.paths]
    if args.child == "baseline":
        print(json.dumps(_baseline(paths[0], Path(args.db))))
    else:
        print(json.dumps(_measure_import(paths, Path(args.db), trace=args.child == "trace")))


def _run_child(kind: str, paths: list[Path], db: Path, *, fresh: bool = True) -> dict:
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--child", kind, "--db", str(db), *map(str, paths)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=600)
    parser.add_argument("--child")
    parser.add_argument("--db")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        big, changed, small = tmp / "big.csv", tmp / "big-changed.csv", tmp / "small.csv"
        write_csv(big, args.rows)
        write_csv(changed, args.rows, changed_every=10)
        write_csv(small, args.small)
        db = tmp / "bench.db"
        result = {
            "rows": args.rows,
            "file_mb": round(big.stat().st_size / 2**20, 1),
            "baseline": _run_child("baseline", [big], tmp / "baseline.db"),
            # one process each: a new import, the same file again (all unchanged, the existing
            # registrations are loaded too: the most memory), then 10 % of the rows changed
            "import_new": _run_child("time", [big], db),
            "import_again_unchanged": _run_child("time", [big], db, fresh=False),
            "import_10pct_changed": _run_child("time", [changed], db, fresh=False),
            "import_again_tracemalloc": _run_child("trace", [big], db, fresh=False),
            "small": _run_child("time", [small], db),
            "targets": {"rows_100k_s": 15, "peak_mb": 500, "rows_600_s": 1},
        }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
