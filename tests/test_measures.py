"""Platform measures: the worked example of the paper's Appendix B (spec §8)."""
import pandas as pd
import pytest

from platform_sc.measures import distance_scale, weighted_distance

THRESHOLDS = {"m1": (1, 2), "m2": (3, 4), "m3": (2, 1), "m4": (1, 3)}
OFFER = (3, 4)  # every segment is offered {3, 4}
MODULE_W = pd.Series({"j1": 0.4, "j2": 0.6})


def levels():
    rows = [{"segment": m, "module": j, "level": OFFER[i], "min_level": th[i]}
            for m, th in THRESHOLDS.items() for i, j in enumerate(("j1", "j2"))]
    return pd.DataFrame(rows)


def test_appendix_b_printed_weights():
    # The printed shares 10/20/30/50% (they sum to 110%): WD = 0.2 + 0 + 0.66 + 0.70 = 1.56.
    wd, max_wd = weighted_distance(levels(), pd.Series({"m1": .1, "m2": .2, "m3": .3, "m4": .5}), MODULE_W)
    assert wd == pytest.approx(1.56)
    assert max_wd == pytest.approx(1.56)
    assert wd / max_wd == pytest.approx(1.0)


def test_appendix_b_demand_normalised_weights():
    demand = pd.Series({"m1": 10, "m2": 20, "m3": 30, "m4": 50})
    wd, max_wd = weighted_distance(levels(), demand / demand.sum(), MODULE_W)
    assert wd == pytest.approx(1.56 / 1.1)
    assert wd == pytest.approx(1.418181818)
    assert wd / max_wd == pytest.approx(1.0)


def test_exponential_scale_grows_faster_than_linear():
    lv = levels()
    w = pd.Series({"m1": .25, "m2": .25, "m3": .25, "m4": .25})
    lin, _ = weighted_distance(lv, w, MODULE_W)
    exp, _ = weighted_distance(lv, w, MODULE_W, distance_scale("exponential", base=2))
    # gaps: m1 (2,2), m3 (1,3), m4 (2,1): 2^d - 1 = (3,3), (1,7), (3,1)
    assert exp == pytest.approx(.25 * ((3 * .4 + 3 * .6) + (1 * .4 + 7 * .6) + (3 * .4 + 1 * .6)))
    assert exp > lin


def test_threshold_offer_gives_index_zero():
    lv = levels().assign(level=lambda d: d["min_level"])
    wd, max_wd = weighted_distance(lv, pd.Series({"m1": .1, "m2": .2, "m3": .3, "m4": .4}), MODULE_W)
    assert wd == 0 and max_wd > 0


def test_module_value_weights_are_shares_however_given(tiny):
    # spec §8: v_j is module j's share of product value; weights given as 40/60 (percent)
    # measure the same as 0.4/0.6 (they used to give a distance a hundred times larger)
    from platform_sc import from_frames, run
    from platform_sc.result import SolveOptions
    shares = run(from_frames(tiny), SolveOptions(method="monolithic")).metrics
    tiny["modules"] = tiny["modules"].assign(value_weight=lambda d: d["value_weight"].astype(float) * 100)
    percent = run(from_frames(tiny), SolveOptions(method="monolithic")).metrics
    assert percent["weighted_distance"] == pytest.approx(shares["weighted_distance"])
    assert percent["max_weighted_distance"] == pytest.approx(shares["max_weighted_distance"])
