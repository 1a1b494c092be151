"""Supplier flows per plant (as printed), per threshold class and per segment are the same model."""
import pytest

from platform_sc.extract import extract, sourcing_tables
from platform_sc.manufacturing import forced_flows
from platform_sc.model import build_model
from platform_sc.scenarios import generate
from platform_sc.sets import Sets
from platform_sc.solve import solve_model
from platform_sc.validate import validate
from platform_sc.verify import check_solution


@pytest.fixture(scope="module", params=["LL", "CG", "LG", "GG"])
def sets(request):
    return Sets(validate(generate(request.param, 6, 150000, "high", "medium", 2, 2)))


def solved(S, **kw):
    model = build_model(S, **kw)
    res = solve_model(model, gap=1e-9)
    assert res.status == "optimal"
    return model, res.objective


@pytest.mark.parametrize("coarse", ["plant", "threshold"])
def test_full_model_same_optimum_and_split_flows_are_feasible(sets, coarse):
    model, z = solved(sets, flows_by=coarse)
    by_segment, z_segment = solved(sets, flows_by="segment")
    assert len(next(iter(model.sts))) == {"plant": 3, "threshold": 4}[coarse]
    assert z == pytest.approx(z_segment, rel=1e-7)
    sol = extract(model)  # coarse flows split over segments
    assert check_solution(sets, sol) == []
    assert sol.procurement.units.sum() == pytest.approx(sol.assembly.units.sum() * len(sets.modules))


def test_module_problems_same_optimum(sets):
    flows = forced_flows(sets)
    if flows is None:
        pytest.skip("GG: manufacturing is not forced")
    for j in sets.modules:
        kw = dict(modules=[j], manufacturing_scale=0.25, fixed_flows=flows)
        (_, zs) = solved(sets, flows_by="segment", **kw)
        for coarse in ("plant", "threshold"):
            model, z = solved(sets, flows_by=coarse, **kw)
            assert z == pytest.approx(zs, rel=1e-7)
            assert set(sourcing_tables(model)["procurement"].segment) <= set(sets.segments)


def test_free_manufacturing_module_problems_same_optimum(sets):
    # Theorem 2.1's Z(j): one module choosing its own manufacturing flows
    for j in sets.modules[:2]:
        kw = dict(modules=[j], manufacturing_scale=0.25)
        (_, zs) = solved(sets, flows_by="segment", **kw)
        model, z = solved(sets, **kw)
        assert z == pytest.approx(zs, rel=1e-7)


def test_automatic_choice():
    # CG: every supplier ships to the one plant -> per plant; LG: to every plant -> per class;
    # LL low: one local supplier can make each option (lower or upper half) -> per segment
    def form(config, capability):
        return build_model(Sets(validate(generate(config, 6, 150000, capability, "medium", 2, 0)))).index.FLOWS_BY
    assert [form("CG", "low"), form("LG", "low"), form("LL", "high"), form("LL", "low")] == \
        ["plant", "threshold", "plant", "segment"]
    # GG: suppliers serve several plants -> per class, but per plant for one free module
    gg = Sets(validate(generate("GG", 6, 150000, "low", "medium", 2, 0)))
    assert build_model(gg).index.FLOWS_BY == "threshold"
    assert build_model(gg, modules=[gg.modules[0]]).index.FLOWS_BY == "plant"
    with pytest.raises(ValueError, match="flows_by must be"):
        build_model(Sets(validate(generate("CG", 6, 150000, "low", "medium", 2, 0))), flows_by="arc")
