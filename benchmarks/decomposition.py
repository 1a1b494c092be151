"""Benchmark: decomposition vs monolithic on a fixed set of paper-grid instances.

Runs both methods through the batch runner (one HiGHS thread per worker process), then
joins the two results stores into one CSV and a Markdown table:

    python benchmarks/decomposition.py --scenario corner --workers 1 --mono-time-limit 600
    python benchmarks/decomposition.py --scenario block --workers 2 --skip-monolithic

Build seconds (Pyomo) and solve seconds (HiGHS) are reported separately.
"""
from __future__ import annotations

import argparse
import platform
from pathlib import Path

import pandas as pd

from platform_sc.batch import read_results, run_batch
from platform_sc.result import SolveOptions
from platform_sc.scenarios import load_grid

HERE = Path(__file__).resolve().parent
KEEP = ["id", "status", "objective", "lower_bound", "gap", "certificate", "build_seconds", "solve_seconds"]


def machine() -> str:
    import os
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", default=HERE / "block96.yaml")
    ap.add_argument("--scenario", default="block")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--gap", type=float, default=1e-4)
    ap.add_argument("--deco-time-limit", type=float, default=600)
    ap.add_argument("--mono-time-limit", type=float, default=600)
    ap.add_argument("--skip-monolithic", action="store_true")
    ap.add_argument("--out", default=HERE / "results")
    args = ap.parse_args()
    out = Path(args.out)
    points = load_grid(args.grid, args.scenario)
    runs = {"decomposition": args.deco_time_limit}
    if not args.skip_monolithic:
        runs["monolithic"] = args.mono_time_limit
    frames = {}
    for method, limit in runs.items():
        db = out / f"{args.scenario}_{method}.sqlite"
        run_batch(points, db, SolveOptions(method=method, gap=args.gap, time_limit=limit), workers=args.workers)
        frames[method] = read_results(db)[KEEP].set_index("id").add_prefix(f"{method[:4]}_")
    ids = [p["id"] for p in points]
    table = pd.concat(frames.values(), axis=1).loc[ids]
    table["deco_build_share"] = table["deco_build_seconds"] / (table["deco_build_seconds"] + table["deco_solve_seconds"])
    if "mono_objective" in table:
        table["speedup"] = ((table["mono_build_seconds"] + table["mono_solve_seconds"])
                            / (table["deco_build_seconds"] + table["deco_solve_seconds"]))
        table["rel_diff"] = (table["deco_objective"] - table["mono_objective"]).abs() / table["mono_objective"]
    table.to_csv(out / f"{args.scenario}.csv")
    cols = [c for c in ["deco_build_seconds", "deco_solve_seconds", "deco_objective", "deco_lower_bound", "deco_gap",
                        "mono_status", "mono_build_seconds", "mono_solve_seconds", "mono_objective", "mono_gap",
                        "speedup", "rel_diff"] if c in table]
    md = [f"Machine: {machine()}; HiGHS 1 thread per process, {args.workers} worker process(es); gap {args.gap}.",
          "", "| instance | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for pid, row in table[cols].iterrows():
        md.append(f"| {pid} | " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row) + " |")
    summary = table["deco_solve_seconds"].describe()
    md += ["", f"Decomposition solve seconds: median {summary['50%']:.2f}, max {summary['max']:.2f}, "
               f"mean {summary['mean']:.2f} over {len(table)} instances."]
    (out / f"{args.scenario}.md").write_text("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
