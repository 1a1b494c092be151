"""The command line's stdout in a real process, where C code (HiGHS) writes to it too."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).parents[1] / "data" / "demo"


@pytest.mark.parametrize("extra", [["--workers", "2"], ["--log"]])
def test_solve_json_is_the_whole_stdout(extra):
    """highspy 1.16 prints a banner from its constructor, and --log streams HiGHS's log:
    with --json both stay off stdout (the log goes to stderr)."""
    proc = subprocess.run([sys.executable, "-m", "platform_sc", "solve", str(DEMO), "--json", *extra],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "optimal" and out["gap"] <= 1e-4
    if "--log" in extra:
        assert "HiGHS" in proc.stderr


def test_solve_json_is_strict_json(monkeypatch):
    """Infinite bounds (e.g. details.plant_sets of GG instances) print as null, never as
    Infinity/NaN, which JSON.parse rejects."""
    import importlib

    from click.testing import CliRunner

    from platform_sc.cli import main
    solve_cli = importlib.import_module("platform_sc.cli.solve")  # the module, not the command

    def run(instance, opts, out=None):
        result = real_run(instance, opts, out=out)
        result.details["plant_sets"] = [{"plants": ["P1"], "exchange_bound": float("inf"),
                                         "lower_bound": float("inf"), "objective": float("nan")}]
        return result

    real_run = solve_cli.run
    monkeypatch.setattr(solve_cli, "run", run)
    res = CliRunner().invoke(main, ["solve", str(DEMO.parent / "tiny"), "--json"])
    assert res.exit_code == 0, res.output

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    out = json.loads(res.stdout, parse_constant=refuse)
    assert out["details"]["plant_sets"][0] == {"plants": ["P1"], "exchange_bound": None, "lower_bound": None,
                                               "objective": None}
    assert out["status"] == "optimal"


def test_time_limit_must_be_a_finite_positive_number():
    # click's FloatRange let nan through to the solver
    from click.testing import CliRunner

    from platform_sc.cli import main
    res = CliRunner().invoke(main, ["solve", str(DEMO.parent / "tiny"), "--time-limit", "nan"])
    assert res.exit_code == 2 and "not a finite number" in res.output, res.output
