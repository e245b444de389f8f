"""Start-up time of the command line: ``checkin --help`` and a no-op command must stay under 0.5 s.

The no-op commands are ``checkin --version`` and ``checkin import --help`` (parse, print, exit).
``event list`` is measured for information: any command that opens the database pays for
importing SQLAlchemy and Alembic and for the migration check, which is far above 0.5 s here.

Prints JSON with the median of several runs each, and as a baseline the start-up of a bare
``python -c pass`` measured in the same run (what no Python program can beat).

    /work/venv/bin/python benchmarks/bench_cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _time(cmd: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    checkin = [sys.executable, "-m", "checkin"]
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "CHECKIN_DB": str(Path(folder) / "bench.db")}
        # the database exists and is migrated, as on a desk laptop
        subprocess.run([*checkin, "event", "list"], env=env, capture_output=True, check=True)
        result = {
            "runs": args.runs,
            "baseline_python_s": _time([sys.executable, "-c", "pass"], env, args.runs),
            "help_s": _time([*checkin, "--help"], env, args.runs),
            "import_help_s": _time([*checkin, "import", "--help"], env, args.runs),
            "version_s": _time([*checkin, "--version"], env, args.runs),
            # for information: a command that opens the database (SQLAlchemy, Alembic, migration check)
            "event_list_opens_db_s": _time([*checkin, "event", "list"], env, args.runs),
            "target_s": 0.5,
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
