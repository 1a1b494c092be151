"""Paper graphs, factor plots, network drawing and the plot/draw/report commands.

Plot structure is checked on Figure objects built from a synthetic results frame; the CLI
tests use a real 4-scenario batch solved once per module.
"""
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from platform_sc import plots
from platform_sc.batch import read_results, run_batch
from platform_sc.cli import main
from platform_sc.network import configuration_table, draw_network, from_store
from platform_sc.pipeline import run
from platform_sc.scenarios import expand
from platform_sc.sets import Sets

DATA = Path(__file__).resolve().parents[1] / "data"
VOLUMES = [500_000, 1_000_000]
SEGMENTS = [12, 24]


def synthetic(price_breaks=(2, "none"), configs=("GG", "LL", "CG", "CC")) -> pd.DataFrame:
    """A results frame shaped like read_results (configs deliberately out of paper order)."""
    rng = np.random.default_rng(0)
    rows = []
    for cfg, cap, vol, seg, pb in itertools.product(configs, ["high", "low"], VOLUMES, SEGMENTS, price_breaks):
        rows.append(dict(config=cfg, capability=cap, volume=vol, segments=seg, dev_cost="medium", price_breaks=pb,
                         seed=0, status="optimal", objective=vol * 2e4 * (1 + rng.random()), lower_bound=None,
                         gap=1e-5, certificate="exact", n_product_configurations=int(rng.integers(1, seg)),
                         weighted_distance=rng.random(), platformability_index=rng.random(),
                         build_seconds=0.1, solve_seconds=rng.random(), cost_procurement=vol * 1e4,
                         id=f"{cfg}-{cap}-{vol}-{seg}-{pb}"))
    # a failed scenario of another configuration: must not be plotted
    rows.append(dict(rows[0], config="LG", status="error", objective=None, platformability_index=None,
                     id="LG-failed"))
    return pd.DataFrame(rows)


def series(ax):
    return [line for line in ax.lines if line.get_gid() == "series"]


@pytest.mark.parametrize("name", list(plots.PAPER_GRAPHS))
def test_paper_graph_panels_series_and_order(name):
    fig = plots.paper_graph(synthetic(), name)
    assert len(fig.axes) == len(VOLUMES)
    for ax, vol in zip(fig.axes, VOLUMES):
        assert [t.get_text() for t in ax.get_xticklabels()] == ["LL", "CC", "CG", "GG"]  # paper order, no LG
        assert len(series(ax)) == len(SEGMENTS) * 2  # with / without discount
        assert {line.get_linestyle() for line in series(ax)} == {"-", "--"}
        assert f"{vol:,}" in ax.get_title()
        assert ax.get_xlabel() == "Supply-chain configuration"
    assert fig.axes[0].get_ylabel()
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "12 segments, with discount" in labels and "24 segments, no discount" in labels


def test_total_cost_in_billions():
    fig = plots.paper_graph(synthetic(), "graph4_total_cost")
    assert "billion" in fig.axes[0].get_ylabel() and "currency" in fig.axes[0].get_ylabel()
    assert max(line.get_ydata().max() for line in series(fig.axes[1])) < 100


def test_single_discount_level_gives_one_style_per_segment_count():
    fig = plots.paper_graph(synthetic(price_breaks=("none",)), "platformability_index")
    for ax in fig.axes:
        assert len(series(ax)) == len(SEGMENTS)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["12 segments", "24 segments"]


def test_spread_is_shown():
    fig = plots.paper_graph(synthetic(), "objective")
    assert all(len(ax.collections) > 0 for ax in fig.axes)  # min–max error bars


def test_factor_plot():
    fig = plots.factor_plot(synthetic(), "objective", "volume", by="config")
    (ax,) = fig.axes
    assert len(series(ax)) == 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["500,000", "1,000,000"]
    assert "Worldwide volume" in ax.get_xlabel() and "currency" in ax.get_ylabel()
    fig = plots.factor_plot(synthetic(), "solve_seconds", "config")
    assert len(series(fig.axes[0])) == 1 and fig.axes[0].get_ylabel() == "Solve time (s)"


def test_time_limited_incumbents_are_counted_in_the_figures():
    df = synthetic()
    df.loc[[0, 5], "status"] = "time_limit"
    notes = [plots.paper_graph(df, "objective").legends[0].get_title().get_text(),
             plots.factor_plot(df, "objective", "config").legends[0].get_title().get_text()]
    assert all("2 not proven optimal" in n for n in notes)
    assert "proven" not in plots.paper_graph(synthetic(), "objective").legends[0].get_title().get_text()


def test_errors():
    df = synthetic()
    with pytest.raises(ValueError, match="unknown graph"):
        plots.paper_graph(df, "graph9")
    with pytest.raises(ValueError, match="no solved"):
        plots.paper_graph(df.assign(objective=None), "graph1_platformability_index")
    with pytest.raises(ValueError, match="unknown column"):
        plots.factor_plot(df, "objective", "colour")


def test_draw_network_tiny():
    result = run(DATA / "tiny")
    fig = draw_network(DATA / "tiny", result.solution)
    assert len(fig.axes) == 2
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "s1" in texts and "s2" in texts and "C1" in texts
    cfg = configuration_table(_sets(), result.solution)
    assert list(cfg["configuration"]) == ["C1", "C1"]


def _sets():
    from platform_sc.io import read
    from platform_sc.validate import validate
    return Sets(validate(read(DATA / "tiny")))


# ----- CLI on a real (tiny) batch ---------------------------------------------------------

@pytest.fixture(scope="module")
def db(tmp_path_factory):
    spec = {"base": {"config": ["LL", "CC"], "capability": ["high"], "volume": [300_000], "segments": [3],
                     "dev_cost": ["medium"], "price_breaks": ["none", 1], "seed": [0]}}
    path = tmp_path_factory.mktemp("batch") / "results.db"
    summary = run_batch(expand(spec), path, progress=False)
    assert summary.done == 4 and summary.failed == 0
    return path


def _ok(args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res


def test_plot_cli_writes_png_and_svg(db, tmp_path):
    _ok(["plot", db, "--out", tmp_path])
    for name in plots.PAPER_GRAPHS:
        png, svg = tmp_path / f"{name}.png", tmp_path / f"{name}.svg"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
        assert "<svg" in svg.read_text()[:2000]


def test_plot_cli_custom(db, tmp_path):
    _ok(["plot", db, "--out", tmp_path, "--y", "objective", "--x", "config", "--by", "price_breaks",
         "--format", "png"])
    assert (tmp_path / "objective_by_config_and_price_breaks.png").stat().st_size > 0
    assert not list(tmp_path.glob("*.svg"))
    res = CliRunner().invoke(main, ["plot", str(db), "--out", str(tmp_path), "--y", "objective"])
    assert res.exit_code == 2 and "--x" in res.output
    res = CliRunner().invoke(main, ["plot", str(db), "--out", str(tmp_path), "--y", "nope", "--x", "config"])
    assert res.exit_code != 0 and "unknown column" in res.output


def test_report_cli(db, tmp_path):
    _ok(["report", db, "--out", tmp_path])
    html = (tmp_path / "report.html").read_text()
    for name in plots.PAPER_GRAPHS:
        assert f"id='{name}'" in html
    assert html.count("data:image/png;base64,") == 4
    assert "Means by supply-chain configuration" in html and "optimal" in html


def test_draw_cli_from_db_and_folder(db, tmp_path):
    scenario = read_results(db)["id"].iloc[0]
    _ok(["draw", "--db", db, "--scenario", scenario, "--out", tmp_path / "net.png"])
    assert (tmp_path / "net.png").read_bytes()[:4] == b"\x89PNG"
    _ok(["draw", DATA / "tiny", "--out", tmp_path / "tiny.png"])
    assert (tmp_path / "tiny.png").stat().st_size > 0
    res = CliRunner().invoke(main, ["draw", "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 2
    res = CliRunner().invoke(main, ["draw", "--db", str(db), "--scenario", "nope", "--out", str(tmp_path / "x.png")])
    assert res.exit_code != 0 and "no scenario" in res.output


def test_plot_and_draw_refuse_unknown_names_with_exit_2(db, tmp_path):
    for extra, message in [(["--y", "nonsense", "--x", "config"], "--y: unknown column 'nonsense'"),
                           (["--y", "objective", "--x", "config", "--by", "nonsense"], "--by: unknown column"),
                           (["--y", "status", "--x", "config"], "--y: 'status' is not a numeric measure")]:
        res = CliRunner().invoke(main, ["plot", str(db), "--out", str(tmp_path), *extra])
        assert res.exit_code == 2, res.output
        assert message in res.output
    res = CliRunner().invoke(main, ["draw", "--db", str(db), "--scenario", "nope", "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 2, res.output
    assert "no scenario 'nope'" in res.output
    assert not list(tmp_path.iterdir())


def test_draw_of_a_stored_scenario_without_solution_exits_1(tmp_path):
    # like a solve without a solution, not 3 (solver or internal error)
    from platform_sc.batch import ResultsStore
    db = tmp_path / "r.db"
    with ResultsStore(db) as store:
        store.record({"id": "LL-x", "factors": {"config": "LL"}, "status": "infeasible"})
    res = CliRunner().invoke(main, ["draw", "--db", str(db), "--scenario", "LL-x", "--out", str(tmp_path / "x.png")])
    assert res.exit_code == 1 and "has no solution (status infeasible)" in res.output, res.output


def test_from_store_rebuilds_the_solution(db):
    df = read_results(db)
    row = df.iloc[0]
    inst, sol = from_store(db, row["id"])
    assert len(sol.offers) == row["segments"] * 4
    assert sol.assembly["units"].sum() == pytest.approx(row["volume"])


def test_report_says_when_time_limited_incumbents_are_in_the_graphs_and_means():
    from platform_sc.report import build_report
    df = synthetic()
    assert "Not proven optimal" not in build_report(df)
    df.loc[0, "status"] = "time_limit"
    assert build_report(df).count("Not proven optimal: 1 of them") == 2  # under the graphs and the means
