"""Badge rendering speed and memory, beside a bare reportlab loop in the same run.

- single: one A6 badge, request (database read) to finished PDF bytes, repeated;
- batch: N A6 badges streamed into one PDF file (``render_batch``);
- baseline: a bare reportlab loop drawing the same text and QR code
  (qrcode matrix as one path) for the same people into one canvas;
- memory: peak traced Python memory of ``render_batch`` for N and 4 x N
  badges (flat memory: the peak should not grow with N).

    /work/venv/bin/python benchmarks/bench_badges.py [--batch 1000] [--singles 200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import fill_registrations, open_benchmark_db, summarize_ms

from checkin.badges.fonts import register_fonts
from checkin.badges.layouts import MM
from checkin.badges.service import BadgeSelection, BadgeService
from checkin.domain.models import Registration


def bare_reportlab(out: Path, people: list[tuple[str, str, str, str]]) -> None:
    """The least a badge needs: names, organisation and a QR path on A6 pages of one canvas."""
    fonts = register_fonts()
    canvas = Canvas(str(out), pagesize=(105 * MM, 148 * MM), initialFontName=fonts.regular)
    for code, first, last, organisation in people:
        canvas.setFont(fonts.bold, 30)
        canvas.drawString(20, 300, first)
        canvas.setFont(fonts.regular, 20)
        canvas.drawString(20, 270, last)
        canvas.setFont(fonts.bold, 11)
        canvas.drawString(20, 250, organisation)
        qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        qr.add_data(code)
        qr.make(fit=True)
        matrix = qr.get_matrix()
        module = 90 / len(matrix)
        path = canvas.beginPath()
        for row_index, row in enumerate(matrix):
            for col, dark in enumerate(row):
                if dark:
                    path.rect(180 + col * module, 150 - row_index * module, module, module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="batch/baseline alternations")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        db, event = open_benchmark_db(folder / "bench.db")
        try:
            fill_registrations(db, event, args.batch * 4)
            service = BadgeService(db, event, desk="bench")
            with db.session_factory() as session:
                rows = session.execute(
                    select(
                        Registration.id,
                        Registration.code,
                        Registration.first_name,
                        Registration.last_name,
                        Registration.organisation,
                    ).order_by(Registration.id)
                ).all()
            ids = [row.id for row in rows]

            service.render_badges([ids[0]])  # warm-up: font registration, imports
            rng = random.Random(3)
            singles = []
            for registration_id in rng.sample(ids, min(args.singles, len(ids))):
                started = time.perf_counter()
                pdf = service.render_badges([registration_id], layout="a6")
                singles.append(time.perf_counter() - started)
            assert pdf.startswith(b"%PDF")

            batch_ids = ids[: args.batch]
            codes = tuple(row.code for row in rows[: args.batch])
            selection = BadgeSelection(codes=codes)
            people = [(r.code, r.first_name, r.last_name, r.organisation) for r in rows[: args.batch]]
            # Alternate the two so both see the same machine load; keep the best of each
            # (wall clock and CPU time of this process, which other load disturbs less).
            batch_wall, batch_cpu, bare_wall, bare_cpu = [], [], [], []
            count = 0
            for _round in range(args.rounds):
                wall, cpu = time.perf_counter(), time.process_time()
                count = service.render_batch(folder / "batch.pdf", selection, layout="a6", record=False)
                batch_wall.append(time.perf_counter() - wall)
                batch_cpu.append(time.process_time() - cpu)
                wall, cpu = time.perf_counter(), time.process_time()
                bare_reportlab(folder / "bare.pdf", people)
                bare_wall.append(time.perf_counter() - wall)
                bare_cpu.append(time.process_time() - cpu)
            assert count == len(batch_ids)
            batch_size = (folder / "batch.pdf").stat().st_size
            batch_seconds, bare_seconds = min(batch_wall), min(bare_wall)

            memory = {}
            for label, n in (("n", args.batch), ("4n", args.batch * 4)):
                chosen = BadgeSelection(codes=tuple(row.code for row in rows[:n]))
                tracemalloc.start()
                service.render_batch(folder / f"mem-{label}.pdf", chosen, record=False)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                memory[f"peak_mb_{label}_{n}"] = round(peak / 1e6, 1)
            print(
                json.dumps(
                    {
                        "benchmark": "badges",
                        "single_a6_request_to_pdf": summarize_ms(singles),
                        "single_a6_target_median_ms": 50,
                        "batch_a6": {
                            "badges": count,
                            "seconds_best": round(batch_seconds, 3),
                            "seconds_all": [round(v, 3) for v in batch_wall],
                            "cpu_seconds_best": round(min(batch_cpu), 3),
                            "per_badge_ms": round(batch_seconds / count * 1000, 3),
                            "file_mb": round(batch_size / 1e6, 2),
                            "target_seconds": 8,
                        },
                        "baseline_bare_reportlab_loop": {
                            "badges": len(people),
                            "seconds_best": round(bare_seconds, 3),
                            "seconds_all": [round(v, 3) for v in bare_wall],
                            "cpu_seconds_best": round(min(bare_cpu), 3),
                            "ratio_batch_to_bare": round(batch_seconds / bare_seconds, 2),
                            "ratio_batch_to_bare_cpu": round(min(batch_cpu) / min(bare_cpu), 2),
                        },
                        "load_average_1min": round(os.getloadavg()[0], 2),
                        "memory_traced_peak": memory,
                    },
                    indent=2,
                )
            )
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
