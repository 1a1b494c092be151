"""Tiny instances whose optimum is worked out by hand (each case says how).

Base case (data/tiny): optimum 765 = module A (A2 only: 150 + 10 + 30*8) + module B
(B1 only: 80 + 5 + 30*4) + plant (50 + 30*2) + supplier selection (30 + 20).
"""
import pandas as pd
import pytest

from platform_sc import SolveOptions, from_frames, run
from platform_sc.model import build_model
from platform_sc.sets import Sets
from platform_sc.solve import solve_model
from platform_sc.validate import validate

MONO = SolveOptions(method="monolithic")


def _module_a_costs(frames, dc_a1, dc_a2, price_a2):
    o = frames["options"]
    o.loc[o.option == "A1", "development_cost"] = dc_a1
    o.loc[o.option == "A2", "development_cost"] = dc_a2
    pb = frames["price_breaks"]
    pb.loc[(pb.supplier == "SA") & (pb.option == "A2"), "unit_price"] = price_a2


def test_quantity_discount_changes_the_optimum(tiny):
    # Module A with DC(A1)=10, DC(A2)=20, unit price A2 = 7.5 (ship 1):
    #   A2 for both: 20 + 10 + 30*8.5 = 285;  A1 to s1, A2 to s2: 30 + 20 + 10*6 + 20*8.5 = 280.
    # Module B and the rest as in the base case: 205 + 110 + 50 = 365.  Optimum 645, two A options.
    _module_a_costs(tiny, 10, 20, 7.5)
    res = run(from_frames(tiny), MONO)
    assert res.objective == pytest.approx(645.0, abs=1e-6)
    assert set(res.solution.developed.option) == {"A1", "A2", "B1"}
    # An all-units break at 25 units for A2 at 7.0: A2 for both = 20 + 10 + 30*8 = 270 < 280.
    # (Splitting 20 vs 10 units stays at 7.5 since 20 < 25.)  Optimum 270 + 365 = 635, one A option.
    tiny["price_breaks"] = pd.concat([tiny["price_breaks"], pd.DataFrame(
        [{"supplier": "SA", "option": "A2", "min_quantity": 25, "unit_price": 7.0}])], ignore_index=True)
    res = run(from_frames(tiny), MONO)
    assert res.objective == pytest.approx(635.0, abs=1e-6)
    assert set(res.solution.developed.option) == {"A2", "B1"}
    assert res.solution.price_breaks.set_index("option").loc["A2", "price_break"] == 1


def test_supplier_capacity_changes_the_optimum(tiny):
    # A second A supplier SA2 (selection 40, tooling 10, only A2, unit price 9, ship 1).
    # With SA uncapped the base optimum stands (A2 at SA: 430 for module A incl. selection,
    # against 500 for all 30 at SA2): 765.
    tiny["suppliers"] = pd.concat([tiny["suppliers"], pd.DataFrame(
        [{"supplier": "SA2", "module": "A", "region": "R1", "capacity": 100, "selection_cost": 40}])])
    tiny["supplier_options"] = pd.concat([tiny["supplier_options"], pd.DataFrame(
        [{"supplier": "SA2", "option": "A2", "tooling_cost": 10}])])
    tiny["price_breaks"] = pd.concat([tiny["price_breaks"], pd.DataFrame(
        [{"supplier": "SA2", "option": "A2", "min_quantity": 0, "unit_price": 9}])])
    tiny["supplier_plant"] = pd.concat([tiny["supplier_plant"], pd.DataFrame(
        [{"supplier": "SA2", "plant": "P1", "unit_shipping_cost": 1}])])
    assert run(from_frames(tiny), MONO).objective == pytest.approx(765.0, abs=1e-6)
    # SA capped at 25 units. Module A candidates:
    #   all 30 A2 at SA2:               150 + 10 + 30*10 + 40            = 500
    #   A2 25 at SA + 5 at SA2:         150 + 20 + 25*8 + 5*10 + 30 + 40 = 490  <- optimum
    #   A1 at SA (10) + A2 at SA2 (20): 250 + 20 + 10*6 + 20*10 + 70     = 600
    # Total 490 + 225 (module B with selection) + 110 (plant) = 825.
    tiny["suppliers"].loc[tiny["suppliers"].supplier == "SA", "capacity"] = 25
    res = run(from_frames(tiny), MONO)
    assert res.objective == pytest.approx(825.0, abs=1e-6)
    units = res.solution.procurement.groupby("supplier")["units"].sum()
    assert units["SA"] == pytest.approx(25) and units["SA2"] == pytest.approx(5)


def assembly_instance(tiny):
    """One segment (10 units) that plants P1 and P2 may both serve at no cost.

    SA ships to P1 at 1 and to P2 at 10; SB the other way round. No setup costs.
    """
    tiny["segments"] = pd.DataFrame([{"segment": "s1", "region": "R1", "demand": 10}])
    tiny["thresholds"] = tiny["thresholds"][tiny["thresholds"].segment == "s1"]
    tiny["plants"] = pd.DataFrame([{"plant": p, "region": "R1", "capacity": 100, "setup_cost": 0}
                                   for p in ("P1", "P2")])
    tiny["plant_segment"] = pd.DataFrame([{"plant": p, "segment": "s1", "unit_cost": 0} for p in ("P1", "P2")])
    tiny["supplier_plant"] = pd.DataFrame([
        {"supplier": "SA", "plant": "P1", "unit_shipping_cost": 1},
        {"supplier": "SA", "plant": "P2", "unit_shipping_cost": 10},
        {"supplier": "SB", "plant": "P1", "unit_shipping_cost": 10},
        {"supplier": "SB", "plant": "P2", "unit_shipping_cost": 1}])
    return from_frames(tiny)


def test_assembly_constraint_changes_the_optimum(tiny):
    # With assembly (7) the whole product goes through one plant: A1 (100+10+10*5) and
    # B1 (80+5+10*3) plus selection 50, and one module shipped the dear way: +10*1 + 10*10.
    # Optimum 100+10+50 + 80+5+30 + 50 + 110 = 435.
    inst = assembly_instance(tiny)
    res = run(inst, MONO)
    assert res.objective == pytest.approx(435.0, abs=1e-6)
    assert len(res.solution.plants) == 1
    # Without (7) each module would take its cheap plant: 435 - 90 = 345. The per-module
    # problems of Theorem 2.1 (no assembly link) find exactly that.
    S = Sets(validate(inst))
    relaxed = 0.0
    for j in S.modules:
        model = build_model(S, modules=[j], manufacturing_scale=1 / len(S.modules))
        relaxed += solve_model(model).objective
    assert relaxed == pytest.approx(345.0, abs=1e-6)


def test_infeasible_capacity_is_diagnosed_before_solving(tiny):
    from platform_sc import InputError
    tiny["plants"].loc[0, "capacity"] = 20
    with pytest.raises(InputError, match="plants can deliver at most 20"):
        run(from_frames(tiny), MONO)
