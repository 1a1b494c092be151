"""Scenario generator (issue 3): structures of LL/CC/CG/LG/GG, capability, determinism, grids."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from platform_sc import SolveOptions, run, validate, write_folder
from platform_sc.cli import main
from platform_sc.scenarios import generate, instance_for, load_grid
from platform_sc.scenarios.generator import check_factors, load_params

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "scenarios"
FACTORS = dict(segments=24, volume=1_000_000, capability="high", dev_cost="medium", price_breaks=2, seed=0)


def make(config, **kw):
    return generate(config, **{**FACTORS, **kw})


# (plants, suppliers, plant_segment arcs, supplier_plant arcs) for 24 segments
EXPECTED = {"LL": (3, 24, 24, 24), "CC": (1, 8, 24, 8), "CG": (1, 24, 24, 24),
            "LG": (3, 24, 24, 72), "GG": (3, 24, 72, 72)}


@pytest.mark.parametrize("config", list(EXPECTED))
def test_structure(config):
    inst = make(config)
    t = inst.tables
    assert (len(t["plants"]), len(t["suppliers"]), len(t["plant_segment"]), len(t["supplier_plant"])) \
        == EXPECTED[config]
    assert len(t["modules"]) == 4 and len(t["options"]) == 32
    assert sorted(t["options"]["level"].unique()) == list(range(1, 9))
    assert t["segments"]["region"].value_counts().to_dict() == {"NA": 8, "EU": 8, "AS": 8}
    assert abs(t["segments"]["demand"].sum() - 1_000_000) < 1e-6
    assert (t["suppliers"].groupby("module").size() == (2 if config == "CC" else 6)).all()
    if config != "CC":
        assert (t["suppliers"].groupby(["module", "region"]).size() == 2).all()
    plant_region = dict(zip(t["plants"]["plant"], t["plants"]["region"]))
    seg_region = dict(zip(t["segments"]["segment"], t["segments"]["region"]))
    sup_region = dict(zip(t["suppliers"]["supplier"], t["suppliers"]["region"]))
    ps, sp = t["plant_segment"], t["supplier_plant"]
    if config in ("LL", "LG"):     # each segment served only by its own region's plant
        assert all(plant_region[p] == seg_region[m] for p, m in zip(ps["plant"], ps["segment"]))
    if config == "LL":             # local sourcing
        assert all(plant_region[p] == sup_region[s] for s, p in zip(sp["supplier"], sp["plant"]))
    if config == "GG":             # inter-region delivery dearer than local
        local = [c for p, m, c in zip(ps["plant"], ps["segment"], ps["unit_cost"]) if plant_region[p] == seg_region[m]]
        inter = [c for p, m, c in zip(ps["plant"], ps["segment"], ps["unit_cost"]) if plant_region[p] != seg_region[m]]
        assert min(inter) > max(local)
    if config in ("LG", "GG", "CG"):  # any supplier may supply any plant
        assert len(sp) == len(t["suppliers"]) * len(t["plants"])
    validate(inst)


def test_identical_suppliers_in_region():
    t = make("LG").tables
    sup = t["suppliers"].set_index("supplier")
    a, b = "engine-NA-1", "engine-NA-2"
    assert sup.loc[a].to_dict() == sup.loc[b].to_dict()
    pb = t["price_breaks"]
    rows = lambda s: pb[pb["supplier"] == s].drop(columns="supplier").reset_index(drop=True)
    assert rows(a).equals(rows(b))


@pytest.mark.parametrize("config", ["LL", "CC", "LG"])
def test_low_capability_halves_and_selection_ratio(config):
    lo, hi = make(config, capability="low").tables, make(config).tables
    level = dict(zip(lo["options"]["option"], lo["options"]["level"]))
    so = lo["supplier_options"].assign(level=lambda d: d["option"].map(level))
    halves = so.groupby("supplier")["level"].agg(lambda x: tuple(sorted(x)))
    assert set(halves) == {(1, 2, 3, 4), (5, 6, 7, 8)}
    group = ["module"] if config == "CC" else ["module", "region"]
    sup = lo["suppliers"].assign(half=lambda d: d["supplier"].map(halves))
    assert (sup.groupby(group)["half"].nunique() == 2).all()      # one of each per region/pair
    assert (hi["supplier_options"].groupby("supplier").size() == 8).all()
    ratio = hi["suppliers"].set_index("supplier")["selection_cost"] / lo["suppliers"].set_index("supplier")["selection_cost"]
    assert (ratio == 2).all()
    # high-end (upper-half) suppliers alone cannot meet worldwide demand
    upper = lo["suppliers"][lo["suppliers"]["capability"] == "upper"].groupby("module")["capacity"].sum()
    assert (upper < lo["segments"]["demand"].sum()).all()
    validate(make(config, capability="low"))


def test_price_break_levels():
    for n in (1, 2, 3, 4):
        pb = make("CC", price_breaks=n).tables["price_breaks"]
        assert (pb.groupby(["supplier", "option"]).size() == n + 1).all()
    pb = make("CC", price_breaks="none").tables["price_breaks"]
    assert (pb.groupby(["supplier", "option"]).size() == 1).all() and (pb["min_quantity"] == 0).all()


def test_determinism_and_independent_streams(tmp_path):
    write_folder(make("GG", capability="low"), tmp_path / "a")
    write_folder(make("GG", capability="low"), tmp_path / "b")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == 10
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    base = make("LL").tables
    other = make("GG", dev_cost="high", price_breaks="none", capability="low").tables
    assert base["thresholds"].equals(other["thresholds"])
    assert base["segments"].equals(other["segments"])
    assert not base["thresholds"].equals(make("LL", seed=1).tables["thresholds"])
    shares = lambda t: (t["segments"]["demand"] / t["segments"]["demand"].sum()).round(3)
    assert (shares(base) - shares(make("LL", volume=2_000_000).tables)).abs().max() < 1e-3


def test_dev_cost_levels():
    P = load_params()
    dc = {lv: make("CC", dev_cost=lv).tables["options"]["development_cost"] for lv in ("low", "medium", "high")}
    assert (dc["high"] / dc["medium"] == P["dev_cost_levels"]["high"]).all()
    assert (dc["low"] / dc["medium"] == P["dev_cost_levels"]["low"]).all()


def test_bad_factors():
    for kw in (dict(segments=25), dict(capability="mid"), dict(dev_cost="huge"), dict(price_breaks=5),
               dict(volume=0), dict(seed=-1)):
        with pytest.raises(ValueError):
            make("LL", **kw)


def test_grid_sizes_and_ids():
    paper = load_grid(SCEN / "paper_grid.yaml")
    gg = load_grid(SCEN / "paper_grid_gg.yaml")
    assert len(paper) == 1152 and len(gg) == 288
    assert {p["config"] for p in paper} == {"LL", "CC", "CG", "LG"} and {p["config"] for p in gg} == {"GG"}
    assert len({p["id"] for p in paper}) == 1152
    assert "LG-high-v3000000-s72-devmedium-pb2-seed0" in {p["id"] for p in paper}
    assert len(load_grid(SCEN / "paper_grid.yaml", "block_medium_pb1")) == 96


def test_cli_single_and_scenario(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["generate", "--config", "LL", "--segments", "24", "--volume", "1000000",
                               "--capability", "high", "--dev-cost", "medium", "--price-breaks", "2",
                               "--seed", "0", "--out", str(tmp_path / "one")])
    assert res.exit_code == 0, res.output
    write_folder(make("LL"), tmp_path / "ref")
    for f in (tmp_path / "ref").iterdir():
        assert f.read_bytes() == (tmp_path / "one" / f.name).read_bytes()
    res = runner.invoke(main, ["generate", "--scenario", str(SCEN / "smoke.yaml"), "--out", str(tmp_path / "grid")])
    assert res.exit_code == 0, res.output
    manifest = (tmp_path / "grid" / "manifest.csv").read_text().splitlines()
    assert manifest[0].split(",")[-2:] == ["local_content", "folder"]  # the optional factor too
    assert len(manifest) == 1 + len(load_grid(SCEN / "smoke.yaml"))
    for line in manifest[1:]:
        assert (tmp_path / "grid" / line.split(",")[-1] / "segments.csv").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text("base: {config: [XX], capability: high, volume: 1, segments: 3, dev_cost: low, "
                   "price_breaks: 1, seed: 0}\n")
    res = runner.invoke(main, ["generate", "--scenario", str(bad), "--out", str(tmp_path / "x")])
    assert res.exit_code != 0 and "config must be one of" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["generate", "--config", "LL", "--segments", "24", "--volume", "1000000",
                               "--price-breaks", "7", "--out", str(tmp_path / "y")])
    assert res.exit_code != 0 and "price breaks" in res.output


@pytest.mark.parametrize("args, message", [
    (["--scenario", str(SCEN / "smoke.yaml"), "--params", str(SCEN / "smoke.yaml")], "drop --params"),
    (["--scenario", str(SCEN / "smoke.yaml"), "--seed", "3", "--capability", "low"], "drop --capability, --seed"),
    (["--config", "LL", "--segments", "72", "--volume", "1000"], "too small for 72 segments"),
    (["--config", "LL", "--segments", "24", "--volume", "100000", "--params", str(SCEN / "smoke.yaml")], "lacks"),
])
def test_generate_refuses_options_it_would_ignore_or_cannot_meet(tmp_path, args, message):
    # --params and explicit factors were silently ignored with --scenario; a volume below one
    # demand step per segment gave segments without demand; a broken --params a traceback
    res = CliRunner().invoke(main, ["generate", *args, "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and message in res.output, res.output


def test_volume_must_be_finite():
    with pytest.raises(ValueError, match="positive whole number"):
        check_factors("LL", 24, float("inf"), "high", "low", 1, 0)


SMOKE = load_grid(SCEN / "smoke.yaml")


def test_smoke_grid_covers_all_configs():
    assert {p["config"] for p in SMOKE} == {"LL", "CC", "CG", "LG", "GG"}


@pytest.mark.parametrize("point", SMOKE, ids=[p["id"] for p in SMOKE])
def test_smoke_instance_validates_and_solves(point):
    inst = instance_for(point)
    validate(inst)
    t = time.perf_counter()
    res = run(inst, SolveOptions(method="monolithic"))
    assert res.status == "optimal", (point["id"], res.status, res.gap)
    assert time.perf_counter() - t < 60
