"""Demand uncertainty: the two-stage stochastic program on data/tiny, worked by hand."""
import pandas as pd
import pytest

from platform_sc import SolveOptions, from_frames, run
from platform_sc.errors import InputError

from .test_validate import problems


def two_scenarios(tiny, p_high=0.6):
    """Capacities 1000; demand x1 (prob 1 - p_high) or x10 (p_high)."""
    for table in ("plants", "suppliers"):
        tiny[table]["capacity"] = 1000.0
    tiny["demand_scenarios"] = pd.DataFrame([
        {"scenario": "low", "probability": 1 - p_high, "region": "R1", "demand_scale": 1.0},
        {"scenario": "high", "probability": p_high, "region": "R1", "demand_scale": 10.0}])
    return tiny


def test_stochastic_optimum_by_hand(tiny):
    # Module A: develop A2 only: 160 + 8·E[D] with E[D] = 0.4·30 + 0.6·300 = 192 -> 1696; develop
    # A1 too (s1 gets A1 in both scenarios): 270 + 0.4·(6·10 + 8·20) + 0.6·(6·100 + 8·200) = 1678.
    # B1 only: 85 + 4·192 = 853; plant 50 + 2·192 = 434; suppliers 50. Total 3015.
    # Alone: low 765 (A2 only), high 4455 (A1 + A2): wait-and-see 0.4·765 + 0.6·4455 = 2979, EVPI 36.
    res = run(from_frames(two_scenarios(tiny)), SolveOptions(gap=1e-9))
    assert res.method == "stochastic" and res.status == "optimal"
    assert res.objective == pytest.approx(3015.0)
    assert set(res.solution.developed.option) == {"A1", "A2", "B1"}
    assert res.details["wait_and_see"] == pytest.approx(2979.0)
    assert res.details["evpi_low"] <= 36.0 + 1e-6 <= res.details["evpi_high"] + 2e-6
    assert res.details["evpi_high"] - res.details["evpi_low"] < 1e-3
    assert sorted(res.solution.assembly.scenario.unique()) == ["high", "low"]
    assert res.cost_breakdown["plant_setup"] == pytest.approx(50.0)  # first stage counts once
    # with a likely low demand the platform is the nominal one (A2 serves both segments)
    low = run(from_frames(two_scenarios(tiny, p_high=0.1)), SolveOptions(gap=1e-9))
    assert set(low.solution.developed.option) == {"A2", "B1"}


def test_other_methods_refuse_demand_scenarios(tiny):
    with pytest.raises(ValueError, match="has demand scenarios"):
        run(from_frames(two_scenarios(tiny)), SolveOptions(method="decomposition"))


def test_demand_scenarios_validate_with_clear_errors(tiny):
    tiny["demand_scenarios"] = pd.DataFrame([
        {"scenario": "a", "probability": 0.5, "region": "R1", "demand_scale": 1.0},
        {"scenario": "b", "probability": 0.3, "region": "R1", "demand_scale": 2.0},
        {"scenario": "b", "probability": 0.2, "region": "R7", "demand_scale": 2.0}])
    found = problems(tiny)
    assert "table demand_scenarios, row 3, column 'region': no segment is in region 'R7'" in found
    assert "table demand_scenarios, row 3, column 'probability': differs from the first row of scenario 'b' (0.3)" \
        in found
    assert "table demand_scenarios, column 'probability': scenario probabilities sum to 0.8, not 1" in found
    # a scenario whose demand exceeds capacity is named (capacity 100, demand 30 x 5)
    tiny["demand_scenarios"] = pd.DataFrame([
        {"scenario": "a", "probability": 0.5, "region": "R1", "demand_scale": 1.0},
        {"scenario": "boom", "probability": 0.5, "region": "R1", "demand_scale": 5.0}])
    with pytest.raises(InputError, match="in demand scenario 'boom'"):
        run(from_frames(tiny))


def test_no_wait_and_see_from_the_command_line(tiny, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    from platform_sc import uncertainty
    from platform_sc.cli import main
    from platform_sc.io import write_folder

    write_folder(from_frames(two_scenarios(tiny)), tmp_path / "inst")
    calls = []
    scale = uncertainty.scale_demand
    monkeypatch.setattr(uncertainty, "scale_demand", lambda *a: calls.append(a) or scale(*a))
    out = CliRunner().invoke(main, ["solve", str(tmp_path / "inst"), "--gap", "1e-9", "--json", "--no-wait-and-see"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.output)
    assert res["status"] == "optimal" and res["objective"] == pytest.approx(3015.0)
    assert "wait_and_see" not in res["details"]
    assert len(calls) == 2  # each scenario scaled and validated once, for solving and verifying


def test_a_plant_idle_in_the_first_scenario_is_still_set_up(tiny):
    # Region R2 (segment s3, plant P2) has demand only in the second scenario. P2's setup is
    # a first-stage decision: set up in both, it assembles nothing in the first. The plants
    # table used to come from the first scenario's flows, without P2, and the check of the
    # second scenario then failed ("plant P2 ships but is not set up").
    tiny["plants"] = pd.concat([tiny["plants"], pd.DataFrame(
        [{"plant": "P2", "region": "R2", "capacity": 100, "setup_cost": 50}])], ignore_index=True)
    tiny["segments"] = pd.concat([tiny["segments"], pd.DataFrame(
        [{"segment": "s3", "region": "R2", "demand": 10}])], ignore_index=True)
    tiny["plant_segment"] = pd.concat([tiny["plant_segment"], pd.DataFrame(
        [{"plant": "P2", "segment": "s3", "unit_cost": 2}])], ignore_index=True)
    tiny["supplier_plant"] = pd.concat([tiny["supplier_plant"], pd.DataFrame(
        [{"supplier": s, "plant": "P2", "unit_shipping_cost": 1} for s in ("SA", "SB")])], ignore_index=True)
    tiny["thresholds"] = pd.concat([tiny["thresholds"], pd.DataFrame(
        [{"segment": "s3", "module": j, "min_level": 1} for j in ("A", "B")])], ignore_index=True)
    tiny["demand_scenarios"] = pd.DataFrame(
        [{"scenario": name, "probability": 0.5, "region": r, "demand_scale": scale}
         for name, r2 in (("quiet", 0.0), ("busy", 1.0)) for r, scale in (("R1", 1.0), ("R2", r2))])
    res = run(from_frames(tiny), SolveOptions(gap=1e-9))
    assert res.status == "optimal" and list(res.solution.plants.plant) == ["P1", "P2"]
    assert res.cost_breakdown["plant_setup"] == pytest.approx(100.0)
    assert set(res.solution.assembly.query("scenario == 'quiet'").plant) == {"P1"}
