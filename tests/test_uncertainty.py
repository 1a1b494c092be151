"""Demand uncertainty: the two-stage stochastic program on data/tiny, worked by hand."""
import pandas as pd
import pytest

from platform_sc import SolveOptions, from_frames, run
from platform_sc.errors import InputError

from .conftest import tiny_frames
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
    with pytest.raises(InputError, match="has demand scenarios"):
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


def second_region(tiny, setup_cost=50.0):
    """Region R2 (segment s3, plant P2 at ``setup_cost``) with demand only in the second of two
    equally likely scenarios, "quiet" and "busy"."""
    tiny["plants"] = pd.concat([tiny["plants"], pd.DataFrame(
        [{"plant": "P2", "region": "R2", "capacity": 100, "setup_cost": setup_cost}])], ignore_index=True)
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
    return from_frames(tiny)


def test_a_plant_idle_in_the_first_scenario_is_still_set_up(tiny):
    # P2's setup is a first-stage decision: set up in both, it assembles nothing in the first.
    # The plants table used to come from the first scenario's flows, without P2, and the check
    # of the second scenario then failed ("plant P2 ships but is not set up").
    res = run(second_region(tiny), SolveOptions(gap=1e-9))
    assert res.status == "optimal" and list(res.solution.plants.plant) == ["P1", "P2"]
    assert res.cost_breakdown["plant_setup"] == pytest.approx(100.0)
    assert set(res.solution.assembly.query("scenario == 'quiet'").plant) == {"P1"}


def test_a_free_plant_idle_in_the_first_scenario_is_still_set_up(tiny):
    # As above with P2's setup free: the first scenario's tables leave out an idle plant that
    # costs nothing (the solver's arbitrary choice), so the plants table must be the union.
    res = run(second_region(tiny, setup_cost=0.0), SolveOptions(gap=1e-9))
    assert res.status == "optimal" and list(res.solution.plants.plant) == ["P1", "P2"]
    assert res.metrics["n_plants_open"] == 2


def test_the_drawing_shows_one_named_scenario_and_its_cost(tiny):
    from platform_sc.network import draw_network

    inst = from_frames(two_scenarios(tiny))
    res = run(inst, SolveOptions(gap=1e-9, wait_and_see=False))
    fig = draw_network(inst, res.solution)
    assert "demand scenario low" in fig._suptitle.get_text()
    side = " ".join(t.get_text() for t in fig.axes[1].texts)
    low = res.details["scenarios"][0]
    assert low["scenario"] == "low" and f"Cost in scenario low  {low['cost']:,.0f}" in side
    assert "demand scenario high" in draw_network(inst, res.solution, scenario="high")._suptitle.get_text()


def test_measures_use_expected_demand_and_local_content_is_per_scenario(tiny):
    # s1 is in R1, s2 moves to R2 and triples its demand in the likely scenario: expected
    # demand s1 10, s2 0.25·20 + 0.75·60 = 50, so s1 weighs 1/6 (nominal: 1/3).
    tiny["segments"].loc[1, "region"] = "R2"
    tiny["plants"].loc[0, "capacity"] = 1000.0
    tiny["suppliers"]["capacity"] = 1000.0
    tiny["local_content"] = pd.DataFrame([{"region": "R1", "min_share": 0.5, "basis": "units"}])
    tiny["demand_scenarios"] = pd.DataFrame([
        {"scenario": "flat", "probability": 0.25, "region": "R2", "demand_scale": 1.0},
        {"scenario": "boom", "probability": 0.75, "region": "R2", "demand_scale": 3.0}])
    res = run(from_frames(tiny), SolveOptions(gap=1e-9, wait_and_see=False))
    # everyone gets A2 (levels A 2, B 1): s1 is 1 above its threshold in A (value 0.6), s2 is not
    assert res.metrics["weighted_distance"] == pytest.approx(0.6 / 6)
    report = pd.DataFrame(res.details["local_content"])
    assert list(report["scenario"]) == ["flat", "boom"] and set(report["name"]) == {"R1"}


def _patched_solve_auto(monkeypatch, change=lambda name, result: result):
    """Record the time limit each wait-and-see solve gets; ``change`` its result."""
    from dataclasses import replace as copy

    from platform_sc import pipeline
    calls = []
    original = pipeline.solve_auto

    def solve_auto(S, opts):
        name = "low" if sum(S.demand.values()) < 100 else "high"
        calls.append((name, opts.time_limit))
        return change(name, original(S, copy(opts, time_limit=None)))
    monkeypatch.setattr(pipeline, "solve_auto", solve_auto)
    return calls


def test_wait_and_see_solves_share_the_time_left(tiny, monkeypatch):
    calls = _patched_solve_auto(monkeypatch)
    run(from_frames(two_scenarios(tiny)), SolveOptions(gap=1e-9, time_limit=100.0))
    (first, t1), (second, t2) = calls
    assert (first, second) == ("low", "high") and 40 < t1 <= 50 and t1 < t2 <= 100


def test_an_unproven_wait_and_see_value_is_not_reported_as_exact(tiny, monkeypatch):
    from dataclasses import replace as copy

    def stopped(name, result):  # "high" stopped by its time limit, its bound 100 below
        return copy(result, status="time_limit", lower_bound=result.objective - 100) if name == "high" else result
    _patched_solve_auto(monkeypatch, stopped)
    res = run(from_frames(two_scenarios(tiny)), SolveOptions(gap=1e-9))
    d = res.details
    assert d["wait_and_see"] is None and d["wait_and_see_bound"] == pytest.approx(2979.0 - 60.0)
    assert [r["alone_status"] for r in d["scenarios"]] == ["optimal", "time_limit"]
    assert d["evpi_high"] == pytest.approx(36.0 + 60.0, abs=1e-3)


def test_probabilities_are_normalised_to_sum_to_one(tiny):
    from platform_sc.sets import Sets
    from platform_sc.uncertainty import demand_scenarios
    from platform_sc.validate import validate

    frames = two_scenarios(tiny)
    frames["demand_scenarios"]["probability"] = [0.4 + 5e-7, 0.6]  # within validation's 1e-6
    probabilities = [sc.probability for sc in demand_scenarios(Sets(validate(from_frames(frames))))]
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-12)


def test_solve_output_labels_expected_and_unproven_costs():
    from platform_sc.cli.solve import format_result
    from platform_sc.result import RunResult

    def first_line(status, method):
        return format_result(RunResult(status, method, 10.0, 5.0, 0.5, 0.0, 0.0)).splitlines()[1]
    assert first_line("optimal", "exact").startswith("total cost ")
    assert first_line("time_limit", "exact").startswith("incumbent (upper bound on total cost)")
    assert first_line("optimal", "stochastic").startswith("expected total cost")
    assert first_line("time_limit", "stochastic").startswith("incumbent (upper bound on expected total cost)")


def test_method_misuse_is_an_input_error(tiny, tmp_path):
    from click.testing import CliRunner

    from platform_sc.cli import main
    from platform_sc.io import write_folder

    write_folder(from_frames(two_scenarios(tiny)), tmp_path / "scenarios")
    out = CliRunner().invoke(main, ["solve", str(tmp_path / "scenarios"), "--method", "exact"])
    assert out.exit_code == 2 and "has demand scenarios" in out.output
    write_folder(from_frames(tiny_frames()), tmp_path / "plain")
    out = CliRunner().invoke(main, ["solve", str(tmp_path / "plain"), "--method", "stochastic"])
    assert out.exit_code == 2 and "needs the demand_scenarios table" in out.output
