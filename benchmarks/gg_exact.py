"""Benchmark: how often the paper's pre-processed manufacturing configuration is suboptimal
on GG, and what the exact method proves.

    python benchmarks/gg_exact.py --grid benchmarks/gg_sample.yaml --workers 2 --time-limit 60
    python benchmarks/gg_exact.py --grid scenarios/paper_grid_gg.yaml --sample 16 --workers 2 --time-limit 60
    python benchmarks/gg_exact.py --grid scenarios/paper_grid_gg.yaml --ids IDS.txt --name misses \
        --module-workers 2 --time-limit 60

For each scenario: the decomposed objective with the pre-processed configuration (the
paper's method), the lower bounds, what proved optimality, and the exact method's objective,
bound and status. ``--sample N`` draws N points of the grid at random (``--seed``); ``--ids``
keeps the points listed in a file (one id per line). ``--workers`` solves that many scenarios
at once; ``--module-workers`` gives each scenario that many processes for its module problems.
``--table-only`` tabulates what the results store already holds (e.g. of a stopped run).
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

import pandas as pd

from platform_sc.batch import ResultsStore, read_results, run_batch
from platform_sc.result import SolveOptions
from platform_sc.scenarios import load_grid, point_id

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", default=HERE / "gg_sample.yaml")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--module-workers", type=int, default=1)
    ap.add_argument("--ids", default=None, help="file of scenario ids to keep")
    ap.add_argument("--name", default=None, help="results file stem (default: the grid's)")
    ap.add_argument("--time-limit", type=float, default=300)
    ap.add_argument("--sample", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=HERE / "results")
    ap.add_argument("--table-only", action="store_true", help="no solving: tabulate the store as it is")
    args = ap.parse_args()
    points = load_grid(args.grid)
    name = args.name or Path(args.grid).stem
    if args.ids:
        keep = set(Path(args.ids).read_text().split())
        points = [p for p in points if point_id(p) in keep]
        if not points:
            raise SystemExit(f"{args.ids}: no id of {args.grid} in this file")
    if args.sample:
        points = random.Random(args.seed).sample(points, args.sample)
        name += f"_sample{args.sample}"
    db = Path(args.out) / f"{name}_exact.sqlite"
    if not args.table_only:
        run_batch(points, db, SolveOptions(method="exact", time_limit=args.time_limit, workers=args.module_workers),
                  workers=args.workers)
    table = read_results(db).set_index("id")
    with ResultsStore(db) as store:
        details = {i: store.details(i) for i in table.index}
    deco = pd.DataFrame({i: d.get("decomposition", {}) for i, d in details.items()}).T
    bounds = pd.DataFrame({i: d.get("bounds", {}) for i, d in details.items()}).T
    table = table.join(deco.add_prefix("paper_")).join(bounds.add_prefix("bound_"))
    table["proof"] = ["cutoff MILP" if "monolithic" in details[i] else "bounds" for i in table.index]
    table["paper_excess"] = (table["paper_objective"] - table["objective"]) / table["objective"]
    cols = ["status", "objective", "lower_bound", "gap", "paper_objective", "paper_lower_bound", "paper_excess",
            "bound_freight_exchange", "bound_theorem_2_1", "proof", "solve_seconds"]
    table[cols].to_csv(Path(args.out) / f"{name}_exact.csv")
    worse = (table["paper_excess"] > 1e-6).sum()
    lines = [f"| instance | {' | '.join(cols)} |", "|---" * (len(cols) + 1) + "|"]
    lines += [f"| {i} | " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r) + " |"
              for i, r in table[cols].iterrows()]
    lines += ["", f"Pre-processed configuration strictly worse than the best found in {worse} of {len(table)}; "
                  f"max excess {table['paper_excess'].max():.2e}; proven optimal {(table['status'] == 'optimal').sum()}; "
                  f"{len(table)} of the {len(points)} points solved."]
    (Path(args.out) / f"{name}_exact.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
