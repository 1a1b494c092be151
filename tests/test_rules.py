"""Rules beyond the paper: local content, forced plants/suppliers, supplier counts, single
sourcing. Optima worked by hand on variants of data/tiny (base optimum 765)."""
import pandas as pd
import pytest

from platform_sc import SolveOptions, from_frames, run
from platform_sc.model import build_model
from platform_sc.sets import Sets
from platform_sc.validate import validate
from platform_sc.verify import check_solution

from .test_validate import problems

MONO = SolveOptions(method="monolithic")


def add(frames, table, rows):
    frames[table] = pd.concat([frames[table], pd.DataFrame(rows)], ignore_index=True)


def with_remote_supplier(tiny):
    """SA (region R1, where the segments are) now has no fixed costs but A2 at 8 (+1 freight);
    SAX in region R2 makes A2 at 6 (+1 freight) with selection 30 and tooling 10."""
    tiny["suppliers"].loc[tiny["suppliers"].supplier == "SA", "selection_cost"] = 0
    tiny["supplier_options"].loc[tiny["supplier_options"].supplier == "SA", "tooling_cost"] = 0
    pb = tiny["price_breaks"]
    pb.loc[(pb.supplier == "SA") & (pb.option == "A2"), "unit_price"] = 8
    add(tiny, "suppliers", [{"supplier": "SAX", "module": "A", "region": "R2", "capacity": 100, "selection_cost": 30}])
    add(tiny, "supplier_options", [{"supplier": "SAX", "option": "A2", "tooling_cost": 10}])
    add(tiny, "price_breaks", [{"supplier": "SAX", "option": "A2", "min_quantity": 0, "unit_price": 6}])
    add(tiny, "supplier_plant", [{"supplier": "SAX", "plant": "P1", "unit_shipping_cost": 1}])
    return tiny


def test_local_content_binds_and_changes_suppliers(tiny):
    # Without the rule, module A: all 30 A2 from SAX = 150 + 10 + 30*7 + 30 = 400 (SA alone: 150 + 30*9 = 420).
    # Total 400 + 205 + 20 + 110 = 735.
    frames = with_remote_supplier(tiny)
    free = run(from_frames(frames), MONO)
    assert free.objective == pytest.approx(735.0)
    assert set(free.solution.procurement.supplier) == {"SAX", "SB"}  # SA may be "selected" at no cost
    # R1 requires 60% of the units of its products (30 A + 30 B) from R1 suppliers: B gives 30,
    # so >= 6 A units from SA: 150 + 10 + 6*9 + 24*7 + 30 = 412 < 420 (all at SA). Total 747.
    frames["local_content"] = pd.DataFrame([{"region": "R1", "min_share": 0.6, "basis": "units"}])
    ruled = run(from_frames(frames), MONO)
    assert ruled.objective == pytest.approx(747.0)
    assert set(ruled.solution.procurement.supplier) == {"SA", "SAX", "SB"}
    units = ruled.solution.procurement.groupby("supplier")["units"].sum()
    assert units["SA"] == pytest.approx(6.0)
    report = ruled.details["local_content"][0]
    assert report["achieved_share"] == pytest.approx(0.6) and report["binding"]
    # auto picks the full model (the rule couples modules); decomposition refuses it
    assert run(from_frames(frames)).method == "monolithic"
    with pytest.raises(ValueError, match="couple the modules"):
        run(from_frames(frames), SolveOptions(method="decomposition"))
    # the rule needs to know where units are sold: supplier flows per segment
    assert build_model(validate(from_frames(frames))).index.FLOWS_BY == "segment"
    with pytest.raises(ValueError, match="need supplier flows by segment"):
        build_model(validate(from_frames(frames)), flows_by="plant")


def test_plant_local_content(tiny):
    # P1 (region R1) assembles exactly the products sold in R1, so a 60 % rule on the parts
    # P1 assembles has the regional rule's hand optimum 747 (6 A units from SA).
    frames = with_remote_supplier(tiny)
    frames["plant_local_content"] = pd.DataFrame([{"plant": "P1", "min_share": 0.6, "basis": "units"}])
    inst = validate(from_frames(frames))
    assert build_model(inst).index.FLOWS_BY == "plant"  # no need to know where units are sold
    res = run(inst, MONO)
    assert res.objective == pytest.approx(747.0)
    assert res.solution.procurement.groupby("supplier")["units"].sum()["SA"] == pytest.approx(6.0)
    report = res.details["local_content"][0]
    assert (report["scope"], report["name"], report["binding"]) == ("plant", "P1", True)
    # the independent checker enforces the rule: move SA's units to SAX (B from SB keeps 30 of 60)
    sol = res.solution
    sol.procurement.loc[sol.procurement.supplier == "SA", "supplier"] = "SAX"
    assert any(f.startswith("(rule) local content of plant P1: 0.5 below 0.6") for f in check_solution(Sets(inst), sol))
    with pytest.raises(ValueError, match="couple the modules"):
        run(inst, SolveOptions(method="decomposition"))


def test_local_content_cost_basis(tiny):
    # Cost basis at list price + freight: an A unit is worth 9 from SA (local), 7 from SAX; the
    # 30 B units from SB (local) 4 each. With x A units from SA, share 0.55 needs
    # 9x + 120 >= 0.55 (9x + 7 (30 - x) + 120) -> 7.9x >= 61.5 -> x >= 7.7848...
    # Module A costs 150 + 10 + 9x + 7(30 - x) + 30 = 400 + 2x (< 420 for SA alone).
    frames = with_remote_supplier(tiny)
    frames["local_content"] = pd.DataFrame([{"region": "R1", "min_share": 0.55, "basis": "cost"}])
    res = run(from_frames(frames), MONO)
    x = 61.5 / 7.9
    assert res.objective == pytest.approx(735.0 + 2 * x)
    assert res.solution.procurement.groupby("supplier")["units"].sum()["SA"] == pytest.approx(x)
    assert res.details["local_content"][0]["achieved_share"] == pytest.approx(0.55)


def test_forced_supplier_and_plant_rules(tiny):
    frames = with_remote_supplier(tiny)
    frames["supplier_rules"] = pd.DataFrame([{"supplier": "SAX", "status": "excluded"}])
    assert run(from_frames(frames), MONO).objective == pytest.approx(420 + 205 + 20 + 110)
    frames["supplier_rules"] = pd.DataFrame([{"supplier": "SA", "status": "selected"}])
    res = run(from_frames(frames), MONO)  # SA selected at no cost changes nothing: 735
    assert res.objective == pytest.approx(735.0) and "SA" in set(res.solution.suppliers.supplier)


def test_supplier_count_and_single_sourcing(tiny):
    frames = with_remote_supplier(tiny)
    # at least 2 A suppliers: SA joins at no fixed cost but buys nothing (735)
    frames["module_rules"] = pd.DataFrame([{"module": "A", "min_suppliers": 2, "max_suppliers": 2,
                                            "single_sourcing": "0"}])
    res = run(from_frames(frames), MONO)
    assert res.objective == pytest.approx(735.0) and res.metrics["n_suppliers_selected"] == 3
    # local content (>= 6 units from SA) with single sourcing: A2 cannot be split, so all at SA: 755,
    # unless A1 goes to s1 from SA: 250 + 10*6 + 20*7 + 10 + 30 = 490 > 420.
    frames["module_rules"] = pd.DataFrame([{"module": "A", "min_suppliers": 0, "max_suppliers": 9,
                                            "single_sourcing": "1"}])
    frames["local_content"] = pd.DataFrame([{"region": "R1", "min_share": 0.6, "basis": "units"}])
    assert run(from_frames(frames), MONO).objective == pytest.approx(755.0)


def test_rules_tables_validate_with_clear_errors(tiny):
    tiny["local_content"] = pd.DataFrame([{"region": "R9", "min_share": 1.5, "basis": "weight"}])
    tiny["plant_rules"] = pd.DataFrame([{"plant": "P1", "status": "shut"}])
    found = problems(tiny)
    assert "table local_content, row 1, column 'min_share': must be a share between 0 and 1 (got '1.5')" in found
    assert "table local_content, row 1, column 'basis': must be one of units, cost (got 'weight')" in found
    assert "table plant_rules, row 1, column 'status': must be one of open, closed (got 'shut')" in found
    tiny["local_content"] = pd.DataFrame([{"region": "R9", "min_share": 0.5, "basis": "units"}])
    tiny["plant_rules"] = pd.DataFrame([{"plant": "P1", "status": "closed"}])
    found = problems(tiny)
    assert "table local_content, row 1, column 'region': no segment is in region 'R9'" in found
    assert "table plant_rules, column 'status': segment 's1' can only be served by closed plants" in found
    del tiny["plant_rules"], tiny["local_content"]
    tiny["plant_local_content"] = pd.DataFrame([{"plant": "P9", "min_share": 0.5, "basis": "units"}])
    assert problems(tiny) == ["table plant_local_content, row 1, column 'plant': unknown plant 'P9' (not in plants)"]


def test_local_content_is_a_scenario_factor(tmp_path):
    from platform_sc.scenarios import instance_for, load_grid
    spec = tmp_path / "lc.yaml"
    spec.write_text("base: {config: [LG], capability: [high], volume: [300000], segments: [6], dev_cost: [medium],"
                    " price_breaks: [2], seed: [0], local_content: [0, 0.6]}\n")
    points = load_grid(spec)
    assert [p["id"].endswith("-lc0.6") for p in points] == [False, True]
    assert "local_content" not in points[0]  # the paper's setting keeps its id
    inst = instance_for(points[1])
    assert set(inst["local_content"]["min_share"]) == {0.6}
    assert "local_content" not in instance_for(points[0])


@pytest.mark.parametrize("method", ["monolithic", "decomposition", "exact"])
def test_a_plant_forced_open_is_set_up_and_paid_even_when_idle(tiny, method):
    # test_decomposition's freight instance: all at P1 costs 855 by hand, and assembling at
    # P2 costs 2 more a unit net of freight, more than P1's setup (50) saves on 30 units. With
    # P2 forced open the plan stays at P1 and pays P2's setup too: 905. The plants table
    # lists both; it used to list P1 alone (the full model then failed its cost re-check, the
    # decomposition reported 855).
    from .test_decomposition import freight_instance
    inst = freight_instance(tiny)
    inst.tables["plant_rules"] = pd.DataFrame([{"plant": "P2", "status": "open"}])
    res = run(inst, SolveOptions(method=method, gap=1e-9))
    assert res.status == "optimal" and res.objective == pytest.approx(905.0)
    assert list(res.solution.plants.plant) == ["P1", "P2"] and set(res.solution.assembly.plant) == {"P1"}


def test_the_checker_enforces_every_rule(tiny):
    # with_remote_supplier, SAX excluded, SB selected, at most one A supplier, A single-sourced,
    # P1 open, an extra plant P2 closed: solved (755 by hand above), then each table tampered.
    frames = with_remote_supplier(tiny)
    add(frames, "plants", [{"plant": "P2", "region": "R1", "capacity": 100, "setup_cost": 50}])
    frames["plant_rules"] = pd.DataFrame([{"plant": "P1", "status": "open"}, {"plant": "P2", "status": "closed"}])
    frames["supplier_rules"] = pd.DataFrame([{"supplier": "SAX", "status": "excluded"},
                                             {"supplier": "SB", "status": "selected"}])
    frames["module_rules"] = pd.DataFrame([{"module": "A", "min_suppliers": 1, "max_suppliers": 1,
                                            "single_sourcing": "1"}])
    inst = from_frames(frames)
    S, sol = Sets(validate(inst)), run(inst, MONO).solution
    assert check_solution(S, sol) == []

    def violations(table, frame):
        return "\n".join(check_solution(S, type(sol)(**{**sol.tables(), table: frame})))
    assert "(rule) plant P2 is set up, plant_rules closes it" in violations(
        "plants", pd.concat([sol.plants, sol.plants.assign(plant="P2")]))
    assert "(rule) plant P1 is not set up, plant_rules opens it" in violations("plants", sol.plants.iloc[:0])
    more = violations("suppliers", pd.concat([sol.suppliers, sol.suppliers.query("supplier == 'SA'").assign(
        supplier="SAX")]))
    assert "(rule) supplier SAX is selected, supplier_rules excludes it" in more
    assert "(rule) module A: 2 suppliers selected, module_rules allows 1 to 1" in more
    fewer = violations("suppliers", sol.suppliers.query("supplier == 'SA'"))
    assert "(rule) supplier SB is not selected, supplier_rules selects it" in fewer
    assert "(rule) module A: 0 suppliers selected" not in fewer
    assert "(rule) module A: 0 suppliers selected, module_rules allows 1 to 1" in violations(
        "suppliers", sol.suppliers.query("supplier == 'SB'"))
    tooled = sol.tooling.query("option == 'A2'")
    assert "(rule) option A2 is tooled at 2 suppliers, module A is single-sourced" in violations(
        "tooling", pd.concat([sol.tooling, tooled.assign(supplier="SAX")]))
