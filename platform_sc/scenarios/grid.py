"""Scenario files: factor grids combined Calliope-style, expanded into grid points.

A scenario file (YAML) has::

    parameters: ../data/automotive_parameters.yaml   # optional, relative to the file
    base:                       # every factor, each a list of levels (a scalar = one level)
      config: [LL, CC, CG, LG]
      capability: [high, low]
      volume: [500000, 1000000]
      segments: [24]
      dev_cost: [medium]
      price_breaks: [2]         # 1..4 or none
      seed: [0]
    overrides:                  # named partial mappings that replace factor lists
      gg: {config: [GG]}
    scenarios:                  # name -> overrides applied in order on top of base
      paper: [base]             # ("base" may be named first; it is always implied)
      paper_gg: [base, gg]
    run: [paper, paper_gg]      # optional: scenarios expanded by default (default: all)

Each scenario expands to the Cartesian product of its factor lists; the points of several
scenarios are concatenated, duplicates (same id) dropped. A point is a plain dict of the
factors plus ``params`` (the parameter file: the one the file names, else the default) with
a stable ``id``.
"""
from __future__ import annotations

import itertools
import logging
from pathlib import Path

import pandas as pd
import yaml

from ..errors import InputError, Problem
from ..io import Instance
from .generator import DEFAULT_PARAMS, check_factors, generate, load_params, point_id

log = logging.getLogger(__name__)

FACTORS = ("config", "capability", "volume", "segments", "dev_cost", "price_breaks", "seed")
# Optional factors: absent means the paper's setting. local_content = least share of the units
# of the products sold in each region that must come from that region's suppliers (0 = none).
OPTIONAL_FACTORS = {"local_content": 0.0}


def _fail(source: str, message: str, key: str | None = None):
    raise InputError([Problem(source, None, key, message)])


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def expand(spec: dict, scenario: str | list[str] | None = None, source: str = "scenario file",
           base_dir: str | Path | None = None) -> list[dict]:
    """Grid points of ``scenario`` (a name or names; default ``run`` or every scenario)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("base"), dict):
        _fail(source, "needs a 'base' mapping of factor lists")
    overrides = spec.get("overrides") or {}
    scenarios = spec.get("scenarios") or {"base": ["base"]}
    if not isinstance(overrides, dict) or not isinstance(scenarios, dict):
        _fail(source, "'overrides' and 'scenarios' must be mappings")
    unknown = set(spec) - {"parameters", "base", "overrides", "scenarios", "run", "description"}
    if unknown:
        _fail(source, f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    names = _as_list(scenario) if scenario is not None else _as_list(spec.get("run") or list(scenarios))
    params = str((Path(base_dir or ".") / spec["parameters"]).resolve() if spec.get("parameters") else DEFAULT_PARAMS)
    try:
        load_params(params)  # a missing or broken file fails here, not in every worker
    except ValueError as exc:
        _fail(source, str(exc), "parameters")
    points, seen = [], set()
    for name in names:
        if name not in scenarios:
            _fail(source, f"unknown scenario {name!r} (have: {', '.join(scenarios)})", "scenarios")
        factors = {k: _as_list(v) for k, v in spec["base"].items()}
        for over in _as_list(scenarios[name]):
            if over == "base":
                continue
            if over not in overrides or not isinstance(overrides[over], dict):
                _fail(source, f"scenario {name!r} names unknown override {over!r}", "overrides")
            factors.update({k: _as_list(v) for k, v in overrides[over].items()})
        for k, default in OPTIONAL_FACTORS.items():
            factors.setdefault(k, [default])
        bad = set(factors) - set(FACTORS) - set(OPTIONAL_FACTORS)
        missing = set(FACTORS) - set(factors)
        if bad or missing:
            _fail(source, f"scenario {name!r}: "
                  + "; ".join(filter(None, [bad and f"unknown factor(s) {', '.join(sorted(bad))}",
                                            missing and f"missing factor(s) {', '.join(sorted(missing))}"])))
        names = FACTORS + tuple(OPTIONAL_FACTORS)
        for values in itertools.product(*(factors[k] for k in names)):
            try:
                extra = _check_optional(dict(zip(names, values)))
                point = check_factors(*(dict(zip(names, values))[k] for k in
                                        ("config", "segments", "volume", "capability", "dev_cost",
                                         "price_breaks", "seed")))
            except ValueError as exc:
                _fail(source, f"scenario {name!r}: {exc}")
            point.update(extra)
            pid = point_id(point)
            if pid in seen:
                continue
            seen.add(pid)
            point = {k: point[k] for k in FACTORS + tuple(k for k in OPTIONAL_FACTORS if k in point)}
            point["params"] = params
            point["id"] = pid
            points.append(point)
    log.info("%s: %d grid points", source, len(points))
    return points


def _check_optional(values: dict) -> dict:
    """Validated optional factors that differ from their default (so ids stay unchanged)."""
    share = values["local_content"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 1:
        raise ValueError(f"local_content must be a share between 0 and 1 (got {share!r})")
    return {"local_content": float(share)} if share else {}


def load_grid(path: str | Path, scenario: str | list[str] | None = None) -> list[dict]:
    """Read a scenario YAML file and expand it (see module docstring)."""
    file = Path(path)
    if not file.is_file():
        _fail(str(file), "scenario file does not exist")
    try:
        spec = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        _fail(str(file), f"is not valid YAML ({exc})")
    return expand(spec, scenario, source=str(file), base_dir=file.parent)


def instance_for(point: dict) -> Instance:
    """Build the instance a grid point describes (what a batch worker calls)."""
    inst = generate(point["config"], point["segments"], point["volume"], point["capability"],
                    point["dev_cost"], point["price_breaks"], point["seed"], params=point.get("params"))
    share = point.get("local_content", 0.0)
    if share:
        regions = sorted(set(inst["segments"]["region"]))
        inst = inst.replace(local_content=pd.DataFrame(
            {"region": regions, "min_share": share, "basis": "units"}))
    return inst
