"""Interchangeable (twin) suppliers are ordered without changing the optimum."""
import pandas as pd
import pytest

from platform_sc.io import from_frames
from platform_sc.model import build_model, twin_groups
from platform_sc.scenarios import generate
from platform_sc.sets import Sets
from platform_sc.solve import solve_model
from platform_sc.validate import validate


@pytest.fixture(scope="module")
def gg():
    return generate("GG", 6, 150000, "high", "medium", 2, 2)


def optimum(S, **kw):
    model = build_model(S, **kw)
    res = solve_model(model, gap=1e-9)
    assert res.status == "optimal"
    return model, res.objective


def test_generated_suppliers_come_in_twins(gg):
    S = Sets(validate(gg))
    groups = twin_groups(S, S.suppliers)
    # the generator makes two suppliers alike per region and module
    assert sorted(len(g) for g in groups) == [2] * (len(S.modules) * 3)
    assert all(len({S.supplier_region[s] for s in g}) == 1 for g in groups)
    model = build_model(S, symmetry_breaking=False)
    assert not model.twin_tooled_first and not model.twin_selected_first


def test_same_optimum_with_twins_ordered_and_the_first_twin_used_first(gg):
    S = Sets(validate(gg))
    ordered, z = optimum(S)
    _, z_free = optimum(S, symmetry_breaking=False)
    assert z == pytest.approx(z_free, rel=1e-9)
    assert len(ordered.twin_selected_first) == len(S.modules) * 3
    for a, b in ordered.twin_selected_first:
        assert ordered.sfc[a].value >= ordered.sfc[b].value - 1e-6


def test_a_supplier_named_in_the_rules_has_no_twin(gg):
    S = Sets(validate(gg))
    a, b = twin_groups(S, S.suppliers)[0]
    frames = dict(gg.tables, supplier_rules=pd.DataFrame([{"supplier": b, "status": "selected"},
                                                          {"supplier": a, "status": "excluded"}]))
    ruled = Sets(validate(from_frames(frames)))
    assert all(a not in g and b not in g for g in twin_groups(ruled, ruled.suppliers))
    model, z = optimum(ruled)  # ordering a before b would make this infeasible
    assert model.sfc[b].value == pytest.approx(1) and model.sfc[a].value == pytest.approx(0)
    assert z == pytest.approx(optimum(ruled, symmetry_breaking=False)[1], rel=1e-9)
