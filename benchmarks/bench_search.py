"""Type-ahead search at 100,000 registrations: per keystroke, index build, index memory.

Every query is typed one character at a time ("m", "mu", "mue", ...), and each
prefix is one timed search, as the desk does. Baseline in the same run:
``rapidfuzz.process.extract`` (WRatio, limit 10) over the same "first last,
organisation" strings, per keystroke of the same queries.

    /work/venv/bin/python benchmarks/bench_search.py [--registrations 100000]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import process
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fill_registrations, open_benchmark_db, summarize_ms

from checkin.domain.models import Registration
from checkin.domain.search import SearchIndex

QUERIES = (
    "Müller",
    "mueller",
    "Schmidt",
    "Shcmidt",  # swapped letters
    "weber diakonie",
    "jobcenter offenbach",
    "Öztürk",
    "ozturk",
    "Groß",
    "gross",
    "Hoffman",  # one letter missing
    "anna lehmann",
    "Dr Krause",
    "caritas kassel",
    "Zimmermann",
    "Wisniewski",
    "Nguyen",
    "Jürgen",
    "schäfer koch",
    "Ludwigshafen",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db, event = open_benchmark_db(Path(folder) / "bench.db")
        try:
            codes = fill_registrations(db, event, args.registrations)
            gc.collect()
            tracemalloc.start()
            t0 = time.perf_counter()
            index = SearchIndex(db, event)
            build_seconds = time.perf_counter() - t0
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            # The build again without tracemalloc (which slows allocation down).
            gc.collect()
            t0 = time.perf_counter()
            index = SearchIndex(db, event)
            build_seconds_untraced = time.perf_counter() - t0

            with db.session_factory() as session:
                names = [
                    f"{first} {last}, {org}"
                    for first, last, org in session.execute(
                        select(Registration.first_name, Registration.last_name, Registration.organisation)
                    )
                ]
            queries = [*QUERIES, codes[0][:6], codes[1]]
            keystrokes = [q[:n] for q in queries for n in range(1, len(q) + 1)]
            ours, bare = [], []
            for _round in range(args.rounds):
                for text in keystrokes:
                    t0 = time.perf_counter()
                    index.search(text, limit=10)
                    ours.append(time.perf_counter() - t0)
            for text in keystrokes:
                t0 = time.perf_counter()
                process.extract(text, names, limit=10)
                bare.append(time.perf_counter() - t0)
            full_queries = {}
            for query in queries:
                t0 = time.perf_counter()
                hits = index.search(query, limit=3)
                elapsed = time.perf_counter() - t0
                full_queries[query] = {
                    "ms": round(elapsed * 1000, 3),
                    "top": [f"{h.person.display_name} ({h.person.organisation})" for h in hits],
                }
            result = {
                "benchmark": "search",
                "registrations": args.registrations,
                "index_build_seconds": round(build_seconds_untraced, 3),
                "index_build_seconds_under_tracemalloc": round(build_seconds, 3),
                "index_memory_mb": round(current / 1e6, 1),
                "index_memory_peak_during_build_mb": round(peak / 1e6, 1),
                "per_keystroke": summarize_ms(ours),
                "baseline_rapidfuzz_extract_per_keystroke": summarize_ms(bare),
                "targets": {"median_ms": 10, "p99_ms": 30, "build_seconds": 3, "memory_mb": 200},
                "queries": full_queries,
            }
            print(json.dumps(result, indent=2, ensure_ascii=False))
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
