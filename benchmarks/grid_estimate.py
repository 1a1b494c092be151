"""Benchmark: estimate the wall time of a whole scenario grid from a random sample of it.

    python benchmarks/grid_estimate.py --grid scenarios/paper_grid.yaml --sample 48 --workers 2

Runs the sample through the batch runner and extrapolates: full-grid wall ≈ mean scenario
seconds × grid size / workers (the runner's scheduling overhead is below 1 %). Writes
``results/<grid>_sample<N>.csv`` and prints the estimate with a 95 % interval of the mean.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

from platform_sc.batch import read_results, run_batch
from platform_sc.result import SolveOptions
from platform_sc.scenarios import load_grid

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", default=HERE.parent / "scenarios" / "paper_grid.yaml")
    ap.add_argument("--sample", type=int, default=48)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=HERE / "results")
    args = ap.parse_args()
    points = load_grid(args.grid)
    sample = random.Random(args.seed).sample(points, args.sample)
    name = f"{Path(args.grid).stem}_sample{args.sample}"
    db = Path(args.out) / f"{name}.sqlite"
    summary = run_batch(sample, db, SolveOptions(), workers=args.workers)
    table = read_results(db)
    table.to_csv(Path(args.out) / f"{name}.csv", index=False)
    secs = table["build_seconds"] + table["solve_seconds"]
    mean, half = secs.mean(), 1.96 * secs.std() / len(secs) ** 0.5
    per_worker = len(points) / args.workers / 60
    print(f"{len(table)} of {len(points)} scenarios, {(table['status'] == 'optimal').sum()} proven optimal; "
          f"sample wall {summary.wall_seconds:.0f} s on {args.workers} workers")
    print(f"mean {mean:.2f} s per scenario (median {secs.median():.2f}, max {secs.max():.1f}); "
          f"full grid ≈ {mean * per_worker:.0f} min wall (95 % interval of the mean "
          f"{(mean - half) * per_worker:.0f}–{(mean + half) * per_worker:.0f} min)")
    print(table.groupby("price_breaks")["solve_seconds"].mean().round(1).to_string())


if __name__ == "__main__":
    main()
