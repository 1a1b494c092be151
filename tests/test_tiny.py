"""The hand-worked tiny instance in data/tiny (see README: 765 by hand)."""
from pathlib import Path

import pytest

from platform_sc import SolveOptions, run

DATA = Path(__file__).resolve().parents[1] / "data"


def test_tiny_hand_optimum():
    # By hand: module B develops B1 only (80 + tooling 5 + 30 x (3 + 1)),
    # module A develops A2 only (150 + 10 + 30 x (7 + 1)), plant 50 + 30 x 2, suppliers 30 + 20.
    res = run(DATA / "tiny", SolveOptions(method="monolithic"))
    assert res.status == "optimal"
    assert abs(res.objective - 765.0) < 1e-6
    assert res.cost_breakdown == {"development": 230.0, "plant_setup": 50.0, "assembly_distribution": 60.0,
                                  "supplier_selection": 50.0, "supplier_tooling": 15.0, "procurement": 360.0}


def test_polishing_makes_flows_agree_with_rounded_binaries():
    # HiGHS accepts binaries within 1e-6 of integral; a tooling binary at 1e-7 would let
    # flows leak through an untooled link. Polishing fixes the rounded binaries and
    # re-solves the LP, so flows and decisions agree exactly.
    import highspy

    from platform_sc.highs import _polish, compile_model, run_highs
    from platform_sc.model import build_model
    from platform_sc.validate import validate
    from platform_sc.io import read

    model = build_model(validate(read(DATA / "tiny")))
    run = run_highs(model, None, 1e-4, 1, False)
    assert run.status == "optimal" and run.objective == 765.0
    lp, columns = compile_model(model)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    values = list(run.values)
    used = next(i for i, v in enumerate(columns) if v.parent_component() is model.sft and values[i] > 0.5)
    values[used] = 1 - 1e-7
    for i, v in enumerate(columns):
        if v.parent_component() is model.sts:
            values[i] *= 0.999  # flows off, as a sloppy incumbent would have them
    polished = _polish(h, lp, values)
    assert polished[used] == 1.0
    assert h.getInfo().objective_function_value == 765.0


def test_unknown_solver_option_is_a_clear_error():
    from click.testing import CliRunner

    from platform_sc.cli import main

    out = CliRunner().invoke(main, ["solve", str(DATA / "tiny"), "--solver-option", "no_such_option=1"])
    assert out.exit_code == 3  # a solve error, reported without a traceback
    assert "HiGHS does not accept the option no_such_option=1" in out.output


def test_thread_count_may_change_between_solves():
    # HiGHS starts one thread scheduler per process, at its first solve, and refused every
    # later solve with another thread count (model status "Not Set", no error raised).
    from platform_sc.model import build_model
    from platform_sc.solve import solve_model
    from platform_sc.validate import validate
    from platform_sc.io import read

    instance = validate(read(DATA / "tiny"))
    for threads, options in ((1, None), (2, None), (None, None), (1, None), (None, {"threads": 2})):
        res = solve_model(build_model(instance), threads=threads, options=options)
        assert (res.status, res.objective) == ("optimal", 765.0), (threads, options)


def test_solve_cli_with_two_threads():
    from click.testing import CliRunner

    from platform_sc.cli import main

    out = CliRunner().invoke(main, ["solve", str(DATA / "tiny"), "--method", "decomposition", "--threads", "2"])
    assert out.exit_code == 0, out.output
    assert "status        optimal" in out.output and "765.00" in out.output


def test_a_negative_time_limit_is_refused_not_ignored():
    from click.testing import CliRunner

    from platform_sc.cli import main
    out = CliRunner().invoke(main, ["solve", str(DATA / "tiny"), "--time-limit", "-1"])
    assert out.exit_code == 2 and "--time-limit" in out.output
    with pytest.raises(ValueError, match="does not accept the time limit -1"):
        run(DATA / "tiny", SolveOptions(method="monolithic", time_limit=-1))


def test_the_summary_leaves_the_model_and_tables_uncopied():
    from platform_sc.result import RunResult

    class Uncopiable:
        def __deepcopy__(self, memo):
            raise AssertionError("copied")
    res = RunResult("optimal", "exact", 1.0, 1.0, 0.0, 0.0, 0.0, details={"a": [1]}, model=Uncopiable(),
                    solution=Uncopiable(), starts={"x": Uncopiable()})
    summary = res.summary()
    assert summary["details"] == {"a": [1]} and summary["details"] is not res.details
    assert not {"model", "solution", "starts"} & set(summary)


def test_solution_tables_never_overwrite_an_instance(tmp_path):
    # plants.csv, suppliers.csv and price_breaks.csv are names of input and of solution
    # tables: `solve DIR --out DIR` replaced the instance's own files, silently
    import shutil

    from platform_sc import InputError
    folder = tmp_path / "tiny"
    shutil.copytree(Path(__file__).parents[1] / "data" / "tiny", folder)
    before = {f.name: f.read_bytes() for f in folder.iterdir()}
    with pytest.raises(InputError, match="holds an instance"):
        run(folder, out=folder)
    assert {f.name: f.read_bytes() for f in folder.iterdir()} == before
