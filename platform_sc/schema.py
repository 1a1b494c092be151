"""The instance format as data: one table per entity, its columns, key and references.

Each entry of :data:`SCHEMA` describes one CSV file (or Excel sheet, or DataFrame):

* ``columns`` – required column -> kind (``"str"``, ``"float"`` non-negative number,
  ``"int"`` non-negative integer, ``"share"`` number in [0, 1]);
* ``key`` – columns that must be unique together;
* ``refs`` – column -> (table, column) it must refer to;
* ``units`` – human-readable units, used by the README and error messages.

Extra columns are allowed and kept untouched.
"""
from __future__ import annotations

SCHEMA: dict[str, dict] = {
    "segments": {
        "columns": {"segment": "str", "region": "str", "demand": "float"},
        "key": ["segment"],
        "refs": {},
        "units": {"demand": "lifetime units (DV_m)"},
    },
    "modules": {
        "columns": {"module": "str", "value_weight": "float"},
        "key": ["module"],
        "refs": {},
        "units": {"value_weight": "share of product value (v_j)"},
    },
    "options": {
        "columns": {"module": "str", "option": "str", "level": "int", "development_cost": "float"},
        "key": ["option"],
        "refs": {"module": ("modules", "module")},
        "units": {"level": "performance order, 1 = lowest", "development_cost": "currency (DC_k)"},
    },
    "thresholds": {
        "columns": {"segment": "str", "module": "str", "min_level": "int"},
        "key": ["segment", "module"],
        "refs": {"segment": ("segments", "segment"), "module": ("modules", "module")},
        "units": {"min_level": "lowest acceptable option level"},
    },
    "plants": {
        "columns": {"plant": "str", "region": "str", "capacity": "float", "setup_cost": "float"},
        "key": ["plant"],
        "refs": {},
        "units": {"capacity": "finished units (MC_p)", "setup_cost": "currency (MSC_p)"},
    },
    "plant_segment": {
        "columns": {"plant": "str", "segment": "str", "unit_cost": "float"},
        "key": ["plant", "segment"],
        "refs": {"plant": ("plants", "plant"), "segment": ("segments", "segment")},
        "units": {"unit_cost": "currency per finished unit, assembly + distribution (MUC_mp)"},
    },
    "suppliers": {
        "columns": {"supplier": "str", "module": "str", "region": "str", "capacity": "float",
                    "selection_cost": "float"},
        "key": ["supplier"],
        "refs": {"module": ("modules", "module")},
        "units": {"capacity": "module units over all options and plants (SC_s)",
                  "selection_cost": "currency (SSC_s)"},
    },
    "supplier_options": {
        "columns": {"supplier": "str", "option": "str", "tooling_cost": "float"},
        "key": ["supplier", "option"],
        "refs": {"supplier": ("suppliers", "supplier"), "option": ("options", "option")},
        "units": {"tooling_cost": "currency (STC_sk)"},
    },
    "price_breaks": {
        "columns": {"supplier": "str", "option": "str", "min_quantity": "float", "unit_price": "float"},
        "key": ["supplier", "option", "min_quantity"],
        "refs": {"supplier": ("suppliers", "supplier"), "option": ("options", "option")},
        "units": {"min_quantity": "units of the option bought from the supplier over all plants",
                  "unit_price": "currency per unit"},
    },
    "supplier_plant": {
        "columns": {"supplier": "str", "plant": "str", "unit_shipping_cost": "float"},
        "key": ["supplier", "plant"],
        "refs": {"supplier": ("suppliers", "supplier"), "plant": ("plants", "plant")},
        "units": {"unit_shipping_cost": "currency per module unit"},
    },
}

TABLES: tuple[str, ...] = tuple(SCHEMA)

# Optional tables read when present (rules and companion data added by later features).
OPTIONAL_SCHEMA: dict[str, dict] = {
    # --- companion methods (platform_sc.suppliers, platform_sc.inventory) ---
    "supplier_performance": {
        "columns": {"supplier": "str", "incoming_pass_rate": "share", "in_use_pass_rate": "share",
                    "batch_pass_rate": "share", "service_score": "share", "order_fill_rate": "share",
                    "on_time_rate": "share", "customer_feedback": "share"},
        "key": ["supplier"],
        "refs": {"supplier": ("suppliers", "supplier")},
        "units": {"incoming_pass_rate": "share of lots passing incoming inspection",
                  "in_use_pass_rate": "annual average in-use pass rate", "batch_pass_rate": "share of batches passed",
                  "service_score": "service quality (pre-/in-/after-sale) on [0, 1]",
                  "order_fill_rate": "share of ordered units filled", "on_time_rate": "share of deliveries on time",
                  "customer_feedback": "customer-feedback quality on [0, 1]"},
    },
    "nonconformities": {
        "columns": {"id": "str", "supplier": "str", "date": "str", "severity": "str"},
        "key": ["id"],
        "refs": {"supplier": ("suppliers", "supplier")},
        "units": {"date": "YYYY-MM-DD", "severity": "critical (5) | major (3) | minor (1)"},
    },
    "lead_times": {
        "columns": {"supplier": "str", "plant": "str", "avg_days": "float", "max_days": "float"},
        "key": ["supplier", "plant"],
        "refs": {"supplier": ("suppliers", "supplier"), "plant": ("plants", "plant")},
        "units": {"avg_days": "average replenishment lead time, days", "max_days": "maximum lead time, days",
                  "std_days": "optional column: standard deviation of the lead time, days"},
    },
    # --- rules beyond the paper (platform_sc.rules) ---
    "local_content": {
        "columns": {"region": "str", "min_share": "share", "basis": "choice:units|cost"},
        "key": ["region"],
        "refs": {},
        "units": {"min_share": "least share of the products sold in the region that must come from "
                               "suppliers in the region", "basis": "units, or cost at list price + freight"},
    },
    "plant_local_content": {
        "columns": {"plant": "str", "min_share": "share", "basis": "choice:units|cost"},
        "key": ["plant"],
        "refs": {"plant": ("plants", "plant")},
        "units": {"min_share": "least share of the modules the plant assembles that must come from "
                               "suppliers in the plant's region", "basis": "units, or cost at list price + freight"},
    },
    # --- demand uncertainty (platform_sc.uncertainty) ---
    "demand_scenarios": {
        "columns": {"scenario": "str", "probability": "share", "region": "str", "demand_scale": "float"},
        "key": ["scenario", "region"],
        "refs": {},
        "units": {"probability": "probability of the scenario (the same on each of its rows; all sum to 1)",
                  "demand_scale": "multiplier on the demand of the region's segments in the scenario"},
    },
    "plant_rules": {
        "columns": {"plant": "str", "status": "choice:open|closed"},
        "key": ["plant"],
        "refs": {"plant": ("plants", "plant")},
        "units": {"status": "force the plant set up (open) or not (closed)"},
    },
    "supplier_rules": {
        "columns": {"supplier": "str", "status": "choice:selected|excluded"},
        "key": ["supplier"],
        "refs": {"supplier": ("suppliers", "supplier")},
        "units": {"status": "force the supplier selected or excluded"},
    },
    "module_rules": {
        "columns": {"module": "str", "min_suppliers": "float", "max_suppliers": "float", "single_sourcing": "choice:0|1"},
        "key": ["module"],
        "refs": {"module": ("modules", "module")},
        "units": {"min_suppliers": "least suppliers selected for the module (0 = no rule)",
                  "max_suppliers": "most suppliers selected",
                  "single_sourcing": "1 = each option bought from one supplier only"},
    },
}
OPTIONAL_TABLES: tuple[str, ...] = tuple(OPTIONAL_SCHEMA)
