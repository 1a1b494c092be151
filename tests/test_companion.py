"""Companion methods: supplier grading, safety stock, Datta–Pal deteriorating order level."""
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from platform_sc import InputError, SolveOptions, read, run, write_folder
from platform_sc.cli import main
from platform_sc.inventory import deteriorating as dp
from platform_sc.inventory import safety_stock as ss
from platform_sc.suppliers import GradeRule, exclude_graded, grade_suppliers

TINY = Path(__file__).resolve().parents[1] / "data" / "tiny"
MONO = SolveOptions(method="monolithic")


def _add(inst, **rows):
    """Append rows (lists of dicts) to tables of an instance (raw text tables)."""
    new = {}
    for table, extra in rows.items():
        base = inst[table] if table in inst else pd.DataFrame()
        new[table] = pd.concat([base, pd.DataFrame(extra).astype(str)], ignore_index=True)
    return inst.replace(**new)


def _with_second_a_supplier(name, region, p1, p2):
    return _add(read(TINY),
                suppliers=[dict(supplier=name, module="A", region=region, capacity=100, selection_cost=30)],
                supplier_options=[dict(supplier=name, option="A1", tooling_cost=10),
                                  dict(supplier=name, option="A2", tooling_cost=10)],
                price_breaks=[dict(supplier=name, option="A1", min_quantity=0, unit_price=p1),
                              dict(supplier=name, option="A2", min_quantity=0, unit_price=p2)],
                supplier_plant=[dict(supplier=name, plant="P1", unit_shipping_cost=1)])


def _perf(supplier, x):
    cols = ["incoming_pass_rate", "in_use_pass_rate", "batch_pass_rate", "service_score", "order_fill_rate",
            "on_time_rate", "customer_feedback"]
    return dict(supplier=supplier, **{c: x for c in cols})


def _selected(result):
    return set(result.solution.suppliers["supplier"])


# ----- safety stock formulas --------------------------------------------------------------------
@pytest.mark.parametrize("mx, avg, expected", [(630, 582.5, 362.5), (300, 240, 210), (900, 600, 750)])
def test_max_average_worked_examples(mx, avg, expected):
    assert ss.max_average(mx, 1.5, avg, 1) == pytest.approx(expected)


def test_statistical_and_reorder_point():
    z = ss.z_value(0.95)
    assert z == pytest.approx(1.644854, abs=1e-6)
    assert ss.statistical(0.95, 10, 4) == pytest.approx(z * 10 * 2)
    assert ss.statistical_lead_time(0.95, 10, 4, 50, 0) == pytest.approx(ss.statistical(0.95, 10, 4))
    assert ss.statistical_lead_time(0.95, 10, 4, 50, 1) == pytest.approx(z * (4 * 100 + 2500) ** 0.5)
    assert ss.reorder_point(50, 4, 33) == 233
    assert ss.time_based(50, 3) == 150 and ss.fixed(12) == 12


# ----- Datta & Pal ------------------------------------------------------------------------------
def test_no_deterioration_closed_form():
    for n in (0.5, 1, 2, 3):
        r = dp.order_level(d=100, T=2, n=n, theta0=0, c1=3, c2=15, c3=5)
        assert r.t1 == pytest.approx(15 * 2 / 18)
        assert r.Q == pytest.approx(100) and r.deteriorated == 0
        assert r.t1_numeric == pytest.approx(r.t1, abs=1e-6)


@pytest.mark.parametrize("n", [0.5, 1, 2, 4])
def test_cubic_matches_numerical_minimiser(n):
    args = dict(d=100, T=1.0, n=n, c1=3, c2=15, c3=5)
    diffs = []
    for theta0 in (0.02, 0.01, 0.005):
        r = dp.order_level(theta0=theta0, **args)
        # the cubic is exactly dC/dt1 = 0 of eq. 3.7: agreement to search precision
        assert abs(r.t1 - r.t1_numeric) < 1e-6
        assert r.t1 < 15 / 18  # deterioration makes holding dearer: earlier stock-out
        assert r.Q == pytest.approx(100 + r.deteriorated) and r.deteriorated > 0
        # against the untruncated model the first-order root is off by O(θ0²)
        diffs.append(abs(r.t1 - dp.exact_optimal_t1(theta0=theta0, **args)))
        assert diffs[-1] < 0.5 * theta0 ** 2
    assert 2.5 < diffs[0] / diffs[1] < 6 and 2.5 < diffs[1] / diffs[2] < 6


def test_without_shortage_cost_no_stock_is_held_with_or_without_deterioration():
    # C2 = 0: the cubic's only non-negative root is 0 (it used to raise ArithmeticError when
    # θ0 > 0), as the closed form C2·T/(C1 + C2) gives without deterioration
    for theta0 in (0.0, 0.01):
        r = dp.order_level(d=100, T=1.0, n=2, theta0=theta0, c1=1, c2=0, c3=5)
        assert r.t1 == 0.0 and r.t1_numeric == pytest.approx(0.0, abs=1e-6)


def test_published_cost_terms_collapse():
    """Eq. 3.7's three C1·θ0 terms equal C1θ0d t1^((1+3n)/n) / (3(3n+1)T^((1+n)/n))."""
    d, T, n, th, c1, t1 = 80.0, 1.5, 1.7, 0.03, 2.0, 0.9
    full = dp.average_cost(t1, d, T, n, th, c1, 0, 0) - dp.average_cost(t1, d, T, n, 0, c1, 0, 0)
    assert full == pytest.approx(c1 * th * d * t1 ** ((1 + 3 * n) / n) / (3 * (3 * n + 1) * T ** ((1 + n) / n)))
    assert dp.exact_average_cost(t1, d, T, n, 0, c1, 4, 1) == pytest.approx(dp.average_cost(t1, d, T, n, 0, c1, 4, 1))


def test_cli_deteriorating_json():
    out = CliRunner().invoke(main, ["inventory", "deteriorating", "--d", "100", "--T", "1", "--n", "2",
                                    "--theta0", "0", "--c1", "3", "--c2", "15", "--c3", "5", "--json"])
    assert out.exit_code == 0, out.output
    assert '"t1": 0.833333' in out.output


DP_ARGS = dict(d="100", T="1", n="2", theta0="0.5", c1="3", c2="15", c3="5")


def _dp_args(**changed):
    return [x for k, v in {**DP_ARGS, **changed}.items() for x in (f"--{k}", v)]


@pytest.mark.parametrize("args", [
    ["deteriorating", *_dp_args(n="0")],
    ["deteriorating", *_dp_args(d="-1")],
    ["deteriorating", *_dp_args(d="nan")],
    ["deteriorating", *_dp_args(T="inf")],
    ["deteriorating", *_dp_args(theta0="-0.1")],
    ["deteriorating", *_dp_args(c1="0", c2="0")],
    ["deteriorating", *_dp_args(n="0.001", T="10")],          # T^(1/n) overflows
    ["deteriorating", *_dp_args(d="1e300", T="1e300", theta0="1e300")],
    ["safety-stock", str(TINY), "--service-level", "1"],
    ["safety-stock", str(TINY), "--demand-cv", "-0.2"],
    ["safety-stock", str(TINY), "--lifetime-years", "0"],
    ["safety-stock", str(TINY), "--working-days", "0", "--holding-rate", "0.2"],
    ["safety-stock", str(TINY), "--holding-rate", "-1"],
    ["safety-stock", str(TINY), "--method", "fixed", "--holding-rate", "0.2"],
    ["formula", "--method", "statistical", "--avg-usage", "1", "--avg-lead", "-1", "--sd-usage", "1"],
    ["formula", "--method", "statistical", "--avg-usage", "1", "--avg-lead", "1", "--sd-usage", "1",
     "--service-level", "0"],
])
def test_cli_inventory_invalid_numbers_exit_2(args):
    out = CliRunner().invoke(main, ["inventory", *args])
    assert out.exit_code == 2, out.output
    assert "Error: Invalid value for" in out.output or "floating-point range" in out.output


def test_order_level_out_of_floating_point_range():
    with pytest.raises(OverflowError, match="floating-point range"):
        dp.order_level(100, 10, 0.001, 0.1, 3, 15, 5)


# ----- supplier grading -------------------------------------------------------------------------
def test_grades_and_cutoffs():
    inst = _add(_with_second_a_supplier("SA2", "R1", 4, 6),
                supplier_performance=[_perf("SA", 0.95), _perf("SB", 0.85), _perf("SA2", 0.75)],
                nonconformities=[dict(id="N1", supplier="SB", date="2024-01-05", severity="critical"),
                                 dict(id="N2", supplier="SB", date="2024-02-05", severity="minor")])
    g = grade_suppliers(inst).set_index("supplier")
    assert g.loc["SA", "composite"] == pytest.approx(95) and g.loc["SA", "grade"] == "A"
    assert g.loc["SB", "nonconformity_score"] == 6
    assert g.loc["SB", "base_grade"] == "B" and g.loc["SB", "grade"] == "C"  # one critical costs a grade
    assert g.loc["SA2", "grade"] == "C"
    strict = grade_suppliers(inst, rule=GradeRule(a=96, b=90, c=80)).set_index("supplier")
    assert list(strict.loc[["SA", "SB", "SA2"], "grade"]) == ["B", "D", "D"]
    assert grade_suppliers(inst, since="2024-02-01").set_index("supplier").loc["SB", "grade"] == "B"
    assert (grade_suppliers(read(TINY))["grade"] == "unrated").all()


@pytest.mark.parametrize("how", ["composite", "nonconformities"])
def test_d_graded_supplier_never_selected(how):
    inst = _with_second_a_supplier("SA2", "R1", 4, 6)   # cheaper than SA (5, 7)
    if how == "composite":
        inst = _add(inst, supplier_performance=[_perf("SA", 0.95), _perf("SB", 0.95), _perf("SA2", 0.6)])
    else:
        inst = _add(inst, supplier_performance=[_perf("SA", 0.95), _perf("SB", 0.95), _perf("SA2", 0.99)],
                    nonconformities=[dict(id=f"N{i}", supplier="SA2", date="2024-03-01", severity="critical")
                                     for i in range(3)])
    free = run(inst, MONO)
    assert "SA2" in _selected(free) and "SA" not in _selected(free)
    grades = grade_suppliers(inst)
    assert grades.set_index("supplier").loc["SA2", "grade"] == "D"
    graded = run(exclude_graded(inst, grades), MONO)
    assert graded.status == "optimal"
    assert "SA2" not in _selected(graded) and "SA2" not in set(graded.solution.procurement["supplier"])
    assert graded.objective == pytest.approx(765.0)
    assert graded.objective > free.objective


def test_cli_rate(tmp_path):
    inst = _add(read(TINY), supplier_performance=[_perf("SA", 0.95), _perf("SB", 0.5)])
    write_folder(inst, tmp_path / "inst")
    out = CliRunner().invoke(main, ["suppliers", "rate", str(tmp_path / "inst"), "--csv"])
    assert out.exit_code == 0, out.output
    import io
    table = pd.read_csv(io.StringIO(out.output)).set_index("supplier")
    assert table.loc["SA", "grade"] == "A" and table.loc["SB", "grade"] == "D"


@pytest.mark.parametrize("args, message", [
    (["--a", "50"], "grade cut-offs must satisfy"), (["--nc-steps", "10,5"], "nc_steps must be positive"),
    (["--a", "nan"], "not a finite number"), (["--since", "2024-13-45"], "is not a date")])
def test_cli_rate_bad_options_exit_2(tmp_path, args, message):
    # they reached a ValueError: exit 3, 'solver or internal error'
    write_folder(_add(read(TINY), supplier_performance=[_perf("SA", 0.95)]), tmp_path / "inst")
    out = CliRunner().invoke(main, ["suppliers", "rate", str(tmp_path / "inst"), *args])
    assert out.exit_code == 2 and message in out.output, out.output


# ----- safety stock in the model ----------------------------------------------------------------
def test_safety_stock_cost_shifts_sourcing_local():
    inst = _with_second_a_supplier("SX", "R2", 4.98, 6.98)   # slightly cheaper, other region
    free = run(inst, MONO)
    assert "SX" in _selected(free)
    priced = ss.with_safety_stock_cost(inst, holding_rate=0.25)
    res = run(priced, MONO)
    assert "SA" in _selected(res) and "SX" not in _selected(res)
    # per-unit charge = h·v·s/W, remote arcs dearer than local ones
    costs = ss.safety_stock_unit_costs(inst, 0.25).set_index("supplier")
    assert costs.loc["SX", "ss_unit_cost"] > costs.loc["SA", "ss_unit_cost"] > 0
    s = costs.loc["SX", "safety_days"]
    assert costs.loc["SX", "ss_unit_cost"] == pytest.approx(0.25 * 6.98 * s / 250)
    # the charge equals the holding cost of the plan's safety stock over the lifetime
    cal = ss.ProductionCalendar(lifetime_years=4, working_days_per_year=250)
    plan = ss.safety_stock_plan(free.solution.procurement, inst, cal)
    sx = plan[plan["supplier"] == "SX"]
    charged = (sx["units"] * ss.safety_stock_unit_costs(inst, 0.25, calendar=cal).set_index("supplier")
               .loc["SX", "ss_unit_cost"]).sum()
    assert charged == pytest.approx(0.25 * 6.98 * cal.lifetime_years * sx["safety_stock"].sum())


def test_safety_stock_plan_lead_times_table():
    inst = _add(read(TINY), lead_times=[dict(supplier="SA", plant="P1", avg_days=10, max_days=20, std_days=3)])
    res = run(inst, MONO)
    cal = ss.ProductionCalendar(lifetime_years=1, working_days_per_year=30)   # 1 unit a day per 30 units
    plan = ss.safety_stock_plan(res.solution.procurement, inst, cal,
                                policy=ss.SafetyStockPolicy(method="max_average", peak_factor=1.5))
    a = plan[plan["supplier"] == "SA"].iloc[0]
    assert a["units"] == 30 and a["avg_daily_usage"] == pytest.approx(1)
    assert a["safety_stock"] == pytest.approx(1.5 * 20 - 10) and a["reorder_point"] == pytest.approx(10 + 20)
    b = plan[plan["supplier"] == "SB"].iloc[0]            # default local lead times 5 / 8
    assert b["safety_stock"] == pytest.approx(1.5 * 8 - 5)
    stat = ss.safety_stock_plan(res.solution.procurement, inst, cal, policy=ss.SafetyStockPolicy())
    assert stat.loc[stat["supplier"] == "SA", "std_lead_days"].iloc[0] == 3
    assert stat.loc[stat["supplier"] == "SB", "std_lead_days"].iloc[0] == 1.5


# ----- validation of the optional tables --------------------------------------------------------
def _problems(inst, tmp_path, func):
    folder = tmp_path / f"bad{len(list(tmp_path.iterdir()))}"
    write_folder(inst, folder)
    with pytest.raises(InputError) as exc:
        func(read(folder))
    return str(exc.value)


def test_optional_tables_errors_name_file_row_column(tmp_path):
    perf = _perf("SA", 0.9)
    perf["on_time_rate"] = "1.5"
    msg = _problems(_add(read(TINY), supplier_performance=[_perf("SB", 0.9), perf]), tmp_path, grade_suppliers)
    assert "supplier_performance.csv, row 3, column 'on_time_rate'" in msg and "between 0 and 1" in msg

    bad = _add(read(TINY), supplier_performance=[_perf("SX", 0.9)])
    msg = _problems(bad, tmp_path, grade_suppliers)
    assert "supplier_performance.csv, row 2, column 'supplier'" in msg and "'SX'" in msg

    log = [dict(id="N1", supplier="SA", date="2024-01-01", severity="minor"),
           dict(id="N2", supplier="SA", date="2024-13-01", severity="fatal")]
    msg = _problems(_add(read(TINY), nonconformities=log), tmp_path, grade_suppliers)
    assert "nonconformities.csv, row 3, column 'severity'" in msg
    assert "nonconformities.csv, row 3, column 'date'" in msg

    lt = [dict(supplier="SA", plant="P1", avg_days=10, max_days=5, std_days="")]
    msg = _problems(_add(read(TINY), lead_times=lt), tmp_path, lambda i: ss.arc_lead_times(i))
    assert "lead_times.csv, row 2, column 'max_days'" in msg
    lt = [dict(supplier="SA", plant="P9", avg_days="x", max_days=5)]
    msg = _problems(_add(read(TINY), lead_times=lt), tmp_path, lambda i: ss.arc_lead_times(i))
    assert "lead_times.csv, row 2, column 'avg_days'" in msg


def test_cli_safety_stock_and_formula():
    out = CliRunner().invoke(main, ["inventory", "safety-stock", str(TINY), "--method", "max_average",
                                    "--lifetime-years", "1", "--working-days", "30", "--csv"])
    assert out.exit_code == 0, out.output
    import io
    plan = pd.read_csv(io.StringIO(out.output))
    assert list(plan["safety_stock"]) == pytest.approx([1.2 * 8 - 5] * 2)
    out = CliRunner().invoke(main, ["inventory", "formula", "--method", "max_average", "--max-usage", "900",
                                    "--max-lead", "1.5", "--avg-usage", "600", "--avg-lead", "1"])
    assert out.exit_code == 0 and "750.0000" in out.output


def test_exclude_c_too():
    inst = _add(_with_second_a_supplier("SA2", "R1", 4, 6),
                supplier_performance=[_perf("SA", 0.95), _perf("SB", 0.95), _perf("SA2", 0.75)])
    grades = grade_suppliers(inst)
    assert exclude_graded(inst, grades) is inst                      # nothing graded D
    res = run(exclude_graded(inst, grades, exclude=("C", "D")), MONO)
    assert "SA2" not in _selected(res) and res.objective == pytest.approx(765.0)
