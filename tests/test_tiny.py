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
