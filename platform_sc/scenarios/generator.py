"""Scenario generator: the paper's five supply-chain configurations (spec §7) as instances.

:func:`generate` is pure and deterministic: the same arguments give byte-identical CSV files.
Only segment thresholds and demand shares are random; each draws from its own stream seeded
by ``(seed, stream, segments)``, so changing the volume, development cost, price breaks,
capability or configuration never reshuffles them. All other figures come from the
parameter file ``data/automotive_parameters.yaml`` (documented there).

Structures (spec §7), regions NA/EU/AS, modules × 8 option levels:

* ``LL`` one plant per region serving its region; 2 suppliers/module/region → own plant only.
* ``CC`` one central plant serving all; 2 suppliers/module in total, at the central plant.
* ``CG`` one central plant; 2 suppliers/module/region, all → the central plant.
* ``LG`` one plant per region serving its region; 2 suppliers/module/region → any plant.
* ``GG`` as LG, but any plant may serve any segment (inter-region delivery costs more).

Capability ``high``: every supplier makes all 8 options; ``low``: supplier 1 of each pair the
lower half (levels 1–4), supplier 2 the upper half (5–8), selection cost half of ``high``.
"""
from __future__ import annotations

import logging
import math
import random
from numbers import Integral, Real
from pathlib import Path

import pandas as pd
import yaml

from ..io import Instance, from_frames

log = logging.getLogger(__name__)

CONFIGS = ("LL", "CC", "CG", "LG", "GG")
CAPABILITIES = ("high", "low")
DEV_COSTS = ("low", "medium", "high")
PRICE_BREAKS = (1, 2, 3, 4, "none")

DEFAULT_PARAMS = Path(__file__).resolve().parents[2] / "data" / "automotive_parameters.yaml"
_PARAM_CACHE: dict[str, dict] = {}


def load_params(params: dict | str | Path | None = None) -> dict:
    """The parameter mapping: ``params`` itself, the YAML file it names, or the default file;
    a file that is missing, not YAML or lacks a top-level key of the default file is a
    ValueError naming it."""
    if isinstance(params, dict):
        return params
    path = Path(params) if params is not None else DEFAULT_PARAMS
    key = str(path.resolve())
    if key not in _PARAM_CACHE:
        if not path.is_file():
            raise ValueError(f"parameter file {path} does not exist")
        try:
            P = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ValueError(f"parameter file {path} is not valid YAML ({exc})") from None
        required = P if path.resolve() == DEFAULT_PARAMS else load_params()  # the default file has every key
        missing = [k for k in required if not isinstance(P, dict) or k not in P]
        if missing:
            raise ValueError(f"parameter file {path} lacks {', '.join(missing)} "
                             f"(see {DEFAULT_PARAMS.name} for every key)")
        _PARAM_CACHE[key] = P
    return _PARAM_CACHE[key]


def normalize_price_breaks(value) -> int | str:
    """``1..4`` (int or digit string) or ``"none"``; anything else is a ValueError."""
    if isinstance(value, str) and value.strip().lower() == "none":
        return "none"
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = None
    if n is None or isinstance(value, bool) or n not in (1, 2, 3, 4) or str(value).strip() != str(n):
        raise ValueError(f"price breaks must be 1, 2, 3, 4 or 'none' (got {value!r})")
    return n


def check_factors(config, segments, volume, capability, dev_cost, price_breaks, seed) -> dict:
    """Validate and normalise one set of factors; raise ValueError with a clear message."""
    if config not in CONFIGS:
        raise ValueError(f"config must be one of {', '.join(CONFIGS)} (got {config!r})")
    if capability not in CAPABILITIES:
        raise ValueError(f"capability must be 'high' or 'low' (got {capability!r})")
    if dev_cost not in DEV_COSTS:
        raise ValueError(f"dev_cost must be one of {', '.join(DEV_COSTS)} (got {dev_cost!r})")
    if isinstance(segments, bool) or not isinstance(segments, Integral) or segments < 3 or segments % 3:
        raise ValueError(f"segments must be a positive multiple of 3 (got {segments!r})")
    if isinstance(volume, bool) or not isinstance(volume, Real) or not 0 < volume < math.inf \
            or float(volume) != int(volume):
        raise ValueError(f"volume must be a positive whole number of units (got {volume!r})")
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer (got {seed!r})")
    return dict(config=config, capability=capability, volume=int(volume), segments=int(segments),
                dev_cost=dev_cost, price_breaks=normalize_price_breaks(price_breaks), seed=int(seed))


def point_id(point: dict) -> str:
    """Stable id of a grid point, usable as a folder name and DB key."""
    return (f"{point['config']}-{point['capability']}-v{int(point['volume'])}-s{int(point['segments'])}"
            f"-dev{point['dev_cost']}-pb{point['price_breaks']}-seed{int(point['seed'])}"
            + (f"-lc{point['local_content']:g}" if point.get("local_content") else ""))


def _rng(seed: int, stream: str, segments: int) -> random.Random:
    """An independent random stream per purpose (string seeds are stable across runs)."""
    return random.Random(f"{seed}/{stream}/{segments}")


def _round_up(x: float, step: float) -> float:
    return float(math.ceil(x / step - 1e-9) * step)


def _money(x: float) -> float:
    return round(float(x), 2)


def _packs(cap: float, demand: list[float], upper: list[bool]) -> bool:
    """Can a lower-half and an upper-half supplier of capacity ``cap`` serve these segments?

    With low capability each option has one supplier per pair, and a segment takes all its
    units as one option: segments needing the upper half go to the upper supplier, the rest
    first-fit by decreasing size (a sufficient test; failing it only enlarges capacity).
    """
    load_up = sum(d for d, u in zip(demand, upper) if u)
    if load_up > cap:
        return False
    load_lo = 0.0
    for d in sorted((d for d, u in zip(demand, upper) if not u), reverse=True):
        if load_lo + d <= cap:
            load_lo += d
        elif load_up + d <= cap:
            load_up += d
        else:
            return False
    return True


def _pair_capacity(base: float, demand: list[float], upper_by_module: list[list[bool]], step: float) -> float:
    """Capacity of each supplier of a pair: ``base`` rounded up, enlarged until every module packs.

    Computed from demand and thresholds only (not capability), so ``high`` and ``low``
    instances differ in capability alone and every instance is feasible.
    """
    cap = _round_up(max(base, max(demand)), step)
    while not all(_packs(cap, demand, up) for up in upper_by_module):
        cap += step
    return cap


def _segments(P: dict, n: int, volume: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segments (equal count per region) with demand and thresholds."""
    regions, modules = P["regions"], list(P["modules"])
    per = n // len(regions)
    step = P["demand_rounding"]
    taste_rng = _rng(seed, "thresholds", n)
    share_rng = _rng(seed, "demand", n)
    seg_rows, th_rows = [], []
    for r in regions:
        units = round(volume * P["region_market_share"][r] / step)      # in multiples of `step`
        if units < per:
            raise ValueError(f"volume {volume} is too small for {n} segments: region {r} gets {units * step:g} "
                             f"units in steps of {step:g} (demand_rounding), fewer than its {per} segments")
        gammas = [share_rng.gammavariate(P["segment_share_alpha"], 1.0) for _ in range(per)]
        raw = [g / sum(gammas) * units for g in gammas]                  # Dirichlet shares
        counts = [math.floor(x) for x in raw]
        # Largest remainder so the region's demand sums exactly; every segment >= 1 step.
        by_remainder = sorted(range(per), key=lambda i: -(raw[i] - counts[i]))
        for i in by_remainder[: units - sum(counts)]:
            counts[i] += 1
        for i in range(per):  # units >= per: the largest count is >= 2 while a count is 0
            if counts[i] == 0:
                counts[i] += 1
                counts[counts.index(max(counts))] -= 1
        z = [taste_rng.gauss(0.0, 1.0) for _ in range(per)]
        e = [[taste_rng.gauss(0.0, 1.0) for _ in modules] for _ in range(per)]
        for i in range(per):
            seg = f"{r}-{i + 1:02d}"
            seg_rows.append((seg, r, float(counts[i] * step)))
            for jj, j in enumerate(modules):
                level = P["taste_mean"][r][j] + P["segment_premium_sd"] * z[i] + P["module_noise_sd"] * e[i][jj]
                th_rows.append((seg, j, int(min(P["levels"], max(1, round(level))))))
    return (pd.DataFrame(seg_rows, columns=["segment", "region", "demand"]),
            pd.DataFrame(th_rows, columns=["segment", "module", "min_level"]))


def generate(config: str, segments: int, volume: int, capability: str, dev_cost: str,
             price_breaks, seed: int, params: dict | str | Path | None = None) -> Instance:
    """Build one instance of the paper's experiment (spec §7) from its factors."""
    f = check_factors(config, segments, volume, capability, dev_cost, price_breaks, seed)
    P = load_params(params)
    regions, modules, L = P["regions"], list(P["modules"]), int(P["levels"])
    central = P["central_region"]
    seg, th = _segments(P, f["segments"], f["volume"], f["seed"])
    demand_r = seg.groupby("region")["demand"].sum().to_dict()
    world = float(seg["demand"].sum())
    region_of = dict(zip(seg["segment"], seg["region"]))
    # Which segments need the upper half (level > L/2) of each module, for supplier capacities.
    half = L // 2
    needs_upper = {(m, j): lv > half for m, j, lv in zip(th["segment"], th["module"], th["min_level"])}
    seg_demand = dict(zip(seg["segment"], seg["demand"]))

    modules_df = pd.DataFrame([(j, float(P["modules"][j]["value_weight"])) for j in modules],
                              columns=["module", "value_weight"])
    mult = P["dev_cost_levels"][f["dev_cost"]]
    options_df = pd.DataFrame(
        [(j, f"{j}-{lv}", lv, _money(P["development_cost_base"][j] * (1 + P["development_cost_growth"] * (lv - 1)) * mult))
         for j in modules for lv in range(1, L + 1)],
        columns=["module", "option", "level", "development_cost"])

    # ----- plants and plant -> segment arcs
    rnd = P["capacity_rounding"]
    if config in ("CC", "CG"):
        plants = [("P-central", central, _round_up(P["plant_capacity_share_central"] * world, rnd),
                   float(P["plant_setup_central"]))]
    else:
        plants = [(f"P-{r}", r, _round_up(P["plant_capacity_share_regional"] * demand_r[r], rnd),
                   float(P["plant_setup_regional"])) for r in regions]
    plants_df = pd.DataFrame(plants, columns=["plant", "region", "capacity", "setup_cost"])
    ps_rows = []
    for p, pr, _, _ in plants:
        for s, sr in zip(seg["segment"], seg["region"]):
            local = pr == sr
            if config in ("LL", "LG") and not local:
                continue
            dist = P["distribution_local"] if local else P["distribution_inter_region"]
            ps_rows.append((p, s, _money(P["assembly_cost"][pr] + dist)))
    ps_df = pd.DataFrame(ps_rows, columns=["plant", "segment", "unit_cost"])

    # ----- suppliers: (name, module, region, capacity, capability half)
    share = P["supplier_capacity_share"]
    sup = []
    pair_cap = {}
    for tag in (["C"] if config == "CC" else regions):
        segs = [m for m in seg["segment"] if tag == "C" or region_of[m] == tag]
        base = share * sum(seg_demand[m] for m in segs)
        pair_cap[tag] = _pair_capacity(base, [seg_demand[m] for m in segs],
                                       [[needs_upper[m, j] for m in segs] for j in modules], rnd)
    for j in modules:
        for tag in (["C"] if config == "CC" else regions):
            r = central if tag == "C" else tag
            for i in (1, 2):
                half_of = "all" if capability == "high" else ("lower" if i == 1 else "upper")
                sup.append((f"{j}-{tag}-{i}", j, r, pair_cap[tag], half_of))
    ssc_factor = P["high_capability_selection_factor"] if capability == "high" else 1
    suppliers_df = pd.DataFrame(
        [(s, j, r, cap, _money(P["selection_cost_low"][j] * ssc_factor), h) for s, j, r, cap, h in sup],
        columns=["supplier", "module", "region", "capacity", "selection_cost", "capability"])

    so_rows, pb_rows = [], []
    breaks = [] if f["price_breaks"] == "none" else P["price_breaks"][: f["price_breaks"]]
    for s, j, r, _, h in sup:
        levels = {"all": range(1, L + 1), "lower": range(1, half + 1), "upper": range(half + 1, L + 1)}[h]
        for lv in levels:
            k = f"{j}-{lv}"
            so_rows.append((s, k, _money(P["tooling_cost"][j])))
            price = (P["unit_price_base"][j] + P["unit_price_step"][j] * (lv - 1)) * P["supplier_price_factor"][r]
            pb_rows.append((s, k, 0.0, _money(price)))
            pb_rows += [(s, k, float(q), _money(price * (1 - d))) for q, d in breaks]
    so_df = pd.DataFrame(so_rows, columns=["supplier", "option", "tooling_cost"])
    pb_df = pd.DataFrame(pb_rows, columns=["supplier", "option", "min_quantity", "unit_price"])

    sp_rows = []
    for s, j, r, _, _ in sup:
        for p, pr, _, _ in plants:
            if config == "LL" and pr != r:
                continue
            cost = P["freight_local"][j] if pr == r else P["freight_inter_region"][j]
            sp_rows.append((s, p, _money(cost)))
    sp_df = pd.DataFrame(sp_rows, columns=["supplier", "plant", "unit_shipping_cost"])

    upper_cap = suppliers_df[suppliers_df["capability"] == "upper"].groupby("module")["capacity"].sum()
    if (upper_cap >= world).any():
        log.info("%s: the upper-half suppliers of a module could meet worldwide demand alone, so low "
                 "capability need not force lower-half options on anyone", point_id(f))
    frames = {"segments": seg, "modules": modules_df, "options": options_df, "thresholds": th,
              "plants": plants_df, "plant_segment": ps_df, "suppliers": suppliers_df,
              "supplier_options": so_df, "price_breaks": pb_df, "supplier_plant": sp_df}
    log.debug("generated %s", point_id(f))
    return from_frames(frames, name=point_id(f))
