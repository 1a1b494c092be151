# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # Exploring a batch
#
# Run a tiny scenario grid into a results store, load the results frame, regenerate the
# paper's four graphs and slice by factor. For a real batch, skip the run cell and point
# `DB` at the store written by `platform-sc batch scenarios/smoke.yaml --db smoke.db`.
# Runs in about 20 s as a plain script: `python notebooks/02_explore_batch.py`.

# %%
import logging
from pathlib import Path

from platform_sc import plots
from platform_sc.batch import run_batch, read_results
from platform_sc.report import means_by_configuration, write_report
from platform_sc.scenarios import expand

logging.basicConfig(level=logging.WARNING)

# %% [markdown]
# ## A tiny grid
# Same format as `scenarios/*.yaml` (here as a dict): three configurations, 3 and 6 segments,
# with and without quantity discount (price_breaks 1 vs none).

# %%
spec = {
    "base": {"config": ["LL", "CC", "CG"], "capability": ["high"], "volume": [300_000],
             "segments": [3, 6], "dev_cost": ["medium"], "price_breaks": ["none"], "seed": [0]},
    "overrides": {"discount": {"price_breaks": [1], "segments": [3]}},
    "scenarios": {"list_prices": ["base"], "discount": ["base", "discount"]},
}
points = expand(spec)
print(len(points), "grid points, e.g.", points[0]["id"])

# %%
WORK = Path("tiny_batch")  # results store, images and report go here (relative to the working dir)
WORK.mkdir(exist_ok=True)
DB = WORK / "tiny_batch.db"
summary = run_batch(points, DB, workers=1, progress=False)  # a second run skips finished scenarios
summary

# %% [markdown]
# ## The results frame
# One row per scenario: factors, status, objective, bound, gap, platform measures, timings,
# cost terms. Re-running `run_batch` on the same DB skips finished scenarios.

# %%
df = read_results(DB)
df[["config", "segments", "price_breaks", "status", "objective", "platformability_index",
    "n_product_configurations", "solve_seconds"]]

# %% [markdown]
# ## The paper's four graphs

# %%
figures = plots.paper_graphs(df)
for name, fig in figures.items():
    plots.save(fig, WORK / name, ("png",))
figures["graph1_platformability_index"]

# %%
figures["graph4_total_cost"]

# %% [markdown]
# ## Slicing by factor
# Plain pandas on the frame, and `factor_plot` for any measure against any factor.

# %%
df[df["price_breaks"].astype(str) == "none"].groupby(["config", "segments"])["objective"].mean().unstack()

# %%
means_by_configuration(df)

# %%
plots.factor_plot(df, "platformability_index", "segments", by="config")

# %%
fig = plots.factor_plot(df, "cost_procurement", "config", by="price_breaks")
plots.save(fig, WORK / "procurement_by_config", ("png",))
fig

# %% [markdown]
# ## The HTML report (the same as `platform-sc report DB --out DIR`)

# %%
report = write_report(df, WORK, title="Tiny batch")
print(report, report.stat().st_size, "bytes")
