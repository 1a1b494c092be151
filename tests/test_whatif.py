"""What-if: re-solving a built model with changed cost multipliers equals solving a rebuilt,
changed instance (the independent path)."""
import subprocess
import sys

import pandas as pd
import pytest

from platform_sc import InputError, SolveOptions, from_frames, run
from platform_sc.whatif import WhatIf, sweep

from .conftest import DATA


@pytest.mark.parametrize("param,table,column", [
    ("development_cost_scale", "options", "development_cost"),
    ("supplier_selection_cost_scale", "suppliers", "selection_cost"),
])
def test_resolve_equals_rebuilt_instance(tiny, param, table, column):
    whatif = WhatIf(from_frames(tiny))
    for factor in (0.1, 1.0, 25.0):
        row = whatif.solve(**{param: factor})
        changed = {k: v.copy() for k, v in tiny.items()}
        changed[table][column] = changed[table][column] * factor
        direct = run(from_frames(changed), SolveOptions(method="monolithic"))
        assert row["objective"] == pytest.approx(direct.objective, rel=1e-9)
        assert row["n_options_developed"] == direct.metrics["n_options_developed"]


def test_development_cost_drives_platforming(tiny):
    # Cheap development: s1 gets A1 and s2 A2 (two A options); dear: one A option for both.
    table = sweep(from_frames(tiny), "development_cost_scale", [0.01, 1.0])
    assert table["n_options_developed"].tolist() == [3, 2]
    assert table["n_product_configurations"].tolist() == [2, 1]


def test_demand_scale_sweep_reports_invalid_values(tiny):
    table = sweep(from_frames(tiny), "demand_scale", [1.0, 2.0, 5.0])
    assert table["status"].tolist() == ["optimal", "optimal", "invalid"]  # 5x exceeds plant capacity 100
    assert table["objective"].iloc[0] == pytest.approx(765.0)
    # doubling demand doubles every per-unit cost: 765 + (60 + 360)
    assert table["objective"].iloc[1] == pytest.approx(765.0 + 60 + 360)
    assert "plants can deliver at most 100" in table["error"].iloc[2]


def test_sweep_cli_writes_table_and_plot(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "platform_sc", "sweep", str(DATA / "tiny"), "--param", "demand_scale",
                           "--values", "0.5,1,1.5", "--out", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(tmp_path / "sweep.csv")
    assert table["demand_scale"].tolist() == [0.5, 1.0, 1.5]
    assert (tmp_path / "sweep.png").stat().st_size > 1000


def test_a_cost_sweep_of_an_instance_with_demand_scenarios_is_refused(tiny):
    # Its models are deterministic: it would plan for the nominal demand while demand_scale
    # sweeps of the same instance solve the stochastic program.
    from .test_uncertainty import two_scenarios
    with pytest.raises(InputError, match="has demand scenarios"):
        sweep(from_frames(two_scenarios(tiny)), "development_cost_scale", [1.0])


def _sweep_cli(*args):
    from click.testing import CliRunner

    from platform_sc.cli import main
    return CliRunner().invoke(main, ["sweep", *map(str, args)])


def test_sweep_cli_cost_param_of_an_instance_with_demand_scenarios_is_an_input_error(tiny, tmp_path):
    from platform_sc.io import write_folder

    from .test_uncertainty import two_scenarios
    write_folder(from_frames(two_scenarios(tiny)), tmp_path)
    res = _sweep_cli(tmp_path, "--param", "development_cost_scale", "--values", "1")
    assert res.exit_code == 2, res.output
    assert "demand_scenarios" in res.output and "sweep demand_scale" in res.output


@pytest.mark.parametrize("args", [
    ["--param", "development_cost_scale", "--values", "1", "--time-limit", "-1"],
    ["--param", "development_cost_scale", "--values", "1", "--time-limit", "0"],
    ["--param", "demand_scale", "--values", "1,0"],           # no demand: not an instance
    ["--param", "demand_scale", "--values", "nan"],
    ["--param", "development_cost_scale", "--values", "-1"],  # a negative cost
    ["--param", "development_cost_scale", "--values", "1,inf"],
    ["--param", "development_cost_scale", "--values", ","],
])
def test_sweep_cli_refuses_invalid_options_with_exit_2(args):
    res = _sweep_cli(DATA / "tiny", *args)
    assert res.exit_code == 2, res.output
    option = "--time-limit" if "--time-limit" in args else "--values"
    assert "Invalid value for" in res.output and option in res.output and "Traceback" not in res.output


def test_sweep_cli_says_why_a_value_has_no_solution():
    # 5x the demand exceeds plant capacity 100: a result of the sweep (exit 0), with its reason
    res = _sweep_cli(DATA / "tiny", "--param", "demand_scale", "--values", "1,5")
    assert res.exit_code == 0, res.output
    assert "demand_scale = 5: no solution (invalid)" in res.output
    assert "plants can deliver at most 100" in res.output
    # no value with a solution: exit 1 (no solution), the reasons still printed
    res = _sweep_cli(DATA / "tiny", "--param", "demand_scale", "--values", "5,6")
    assert res.exit_code == 1, res.output
    assert "demand_scale = 6: no solution (invalid)" in res.output
    assert "no value of demand_scale has a solution" in res.output


def test_a_sweep_plot_with_no_solution_is_drawn_empty():
    from platform_sc.plots import sweep_plot
    table = pd.DataFrame({"demand_scale": [5.0, 6.0], "status": ["invalid", "invalid"]})
    assert sweep_plot(table, "demand_scale").axes[0].get_lines()[0].get_xdata().size == 0
