"""The hand-worked tiny instance in data/tiny (see README: 765 by hand)."""
from pathlib import Path

from platform_sc import SolveOptions, run

DATA = Path(__file__).resolve().parents[1] / "data"


def test_tiny_hand_optimum():
    # By hand: module B develops B1 only (80 + tooling 5 + 30 x (3 + 1)),
    # module A develops A2 only (150 + 10 + 30 x (7 + 1)), plant 50 + 30 x 2, suppliers 30 + 20.
    res = run(DATA / "tiny", SolveOptions(method="monolithic"))
    assert res.status == "optimal"
    assert abs(res.objective - 765.0) < 1e-6
    assert res.cost_breakdown == {"development": 230.0, "plant_setup": 50.0, "assembly_distribution": 60.0,
                                  "supplier_selection": 50.0, "supplier_tooling": 15.0, "procurement": 360.0}


def test_polishing_makes_flows_agree_with_rounded_binaries():
    # HiGHS accepts binaries within 1e-6 of integral; a tooling binary at 1e-7 would let
    # flows leak through an untooled link. Polishing fixes the rounded binaries and
    # re-solves the LP, so flows and decisions agree exactly.
    import pyomo.environ as pyo
    from pyomo.contrib.solver.common.factory import SolverFactory

    from platform_sc.model import build_model
    from platform_sc.solve import _polish, solve_model
    from platform_sc.validate import validate
    from platform_sc.io import read

    model = build_model(validate(read(DATA / "tiny")))
    assert solve_model(model).objective == 765.0
    used = next(v for v in model.sft.values() if v.value > 0.5)
    used.set_value(1 - 1e-7)
    for v in model.sts.values():
        v.set_value(v.value * 0.999)  # flows off, as a sloppy incumbent would have them
    _polish(model, SolverFactory("highs"), dict(load_solutions=False, raise_exception_on_nonoptimal_result=False))
    assert used.value == 1.0 and not used.fixed
    assert pyo.value(model.total_cost) == 765.0
