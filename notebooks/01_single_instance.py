# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---

# %% [markdown]
# # One instance, end to end
#
# Generate a small instance of the paper's experiment, solve it, read the solution tables,
# change a parameter, re-solve and draw the supply network. Open with Jupyter + jupytext, or
# run as a plain script: `python notebooks/01_single_instance.py` (about 10 s).

# %%
import logging

from platform_sc.measures import configurations
from platform_sc.network import draw_network
from platform_sc.pipeline import run
from platform_sc.scenarios import generate

logging.basicConfig(level=logging.WARNING)

# %% [markdown]
# ## Load
# An LG network (one plant per region, suppliers may ship to any plant), 6 customer segments
# (2 per region), 300,000 cars worldwide, 2 price breaks. `data/tiny` or any instance folder
# works the same way: `run("data/tiny")`.

# %%
inst = generate("LG", segments=6, volume=300_000, capability="high", dev_cost="medium",
                price_breaks=2, seed=0)
print(inst.name)
inst["segments"]

# %%
inst["thresholds"].pivot(index="segment", columns="module", values="min_level")

# %% [markdown]
# ## Solve
# `run` = validate → build → solve → extract → measure; the result keeps the tables.

# %%
result = run(inst)
print(result.status, f"total cost {result.objective:,.0f}")
result.cost_breakdown

# %%
result.metrics

# %% [markdown]
# ## Inspect the solution tables

# %%
sol = result.solution
configurations(sol)  # option offered to each segment, per module

# %%
sol.developed

# %%
sol.procurement.groupby(["supplier", "plant"])["units"].sum().unstack(fill_value=0)

# %%
sol.assembly

# %% [markdown]
# ## Change a parameter and re-solve
# Triple every option's development cost: developing variants gets dearer, so the platform
# should consolidate (fewer options, customers get more than their threshold).

# %%
options = inst["options"].copy()
options["development_cost"] = options["development_cost"].astype(float) * 3
dear = inst.replace(options=options)
result_dear = run(dear)
for label, r in (("base", result), ("3× development cost", result_dear)):
    m = r.metrics
    print(f"{label:<20} cost {r.objective:>16,.0f}  options {m['n_options_developed']:>2}  "
          f"configurations {m['n_product_configurations']}  platformability {m['platformability_index']:.3f}")

# %%
configurations(result_dear.solution)

# %% [markdown]
# ## Draw the supply network
# Suppliers → plants → segments by region; arc width ∝ units; each segment shows its
# configuration id and option levels; the side panel lists the options developed.

# %%
fig = draw_network(inst, result.solution, title="LG, 6 segments — base")
fig.savefig("network_base.png", dpi=120)
fig

# %%
fig_dear = draw_network(dear, result_dear.solution, title="LG, 6 segments — 3× development cost")
fig_dear.savefig("network_dear_development.png", dpi=120)
fig_dear
