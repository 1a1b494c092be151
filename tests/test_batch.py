"""Batch runner: resume after SIGKILL, failures recorded, Dask path = local path."""
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from platform_sc.batch import ResultsStore, read_results, run_batch
from platform_sc.result import SolveOptions
from platform_sc.scenarios import load_grid

GRID = Path(__file__).parent / "data" / "grid_small.yaml"
NUMBERS = ["objective", "lower_bound", "n_product_configurations", "weighted_distance",
           "cost_development", "cost_procurement"]


def _cli(*args):
    return [sys.executable, "-m", "platform_sc", *args]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    db = tmp_path_factory.mktemp("ref") / "ref.sqlite"
    summary = run_batch(load_grid(GRID), db, SolveOptions(), workers=1, progress=False)
    assert summary.done == 8 and summary.failed == 0
    return read_results(db).set_index("id").sort_index()


def wait_for_rows(db: Path, n: int, timeout: float = 120) -> None:
    """Poll the store until it holds at least ``n`` scenario rows; fail when time runs out
    (the last store error, if any, in the message)."""
    deadline, last = time.time() + timeout, None
    while time.time() < deadline:
        if db.exists():
            con = sqlite3.connect(db)
            try:
                if con.execute("SELECT COUNT(*) FROM scenarios").fetchone()[0] >= n:
                    return
            except sqlite3.OperationalError as err:  # the batch has not made its tables yet
                last = err
            finally:
                con.close()
        time.sleep(0.05)
    pytest.fail(f"{db} held fewer than {n} scenario rows after {timeout} s (last store error: {last})")


def test_resume_after_sigkill(tmp_path, reference):
    db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(_cli("batch", str(GRID), "--db", str(db), "--no-progress"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_rows(db, 2)  # kill as soon as some (not all) scenarios are stored
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with ResultsStore(db) as store:
        partial = store.ids()
    assert 2 <= len(partial) < 8, "kill should land mid-batch"
    done = subprocess.run(_cli("batch", str(GRID), "--db", str(db), "--no-progress"),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{len(partial)} already in" in done.stdout
    table = read_results(db).set_index("id").sort_index()
    assert list(table.index) == list(reference.index)  # exactly one row per scenario
    assert (table["status"] == "optimal").all()
    for col in NUMBERS:
        assert table[col].tolist() == pytest.approx(reference[col].tolist(), rel=1e-4)
    # every stored scenario has its solution tables
    with ResultsStore(db) as store:
        for sid in table.index:
            assert len(store.table(sid, "offers")) == 12 * 4


def test_failures_are_recorded_not_fatal(tmp_path):
    points = load_grid(GRID)[:2]
    broken = dict(points[0], id="broken", segments=4)  # not a multiple of 3: the generator raises
    summary = run_batch([broken] + points, tmp_path / "f.sqlite", workers=1, progress=False)
    assert (summary.done, summary.failed) == (2, 1)
    table = read_results(tmp_path / "f.sqlite").set_index("id")
    err = table.loc[table["status"] == "error"]
    assert len(err) == 1 and "multiple of 3" in err["error"].iloc[0]
    again = run_batch([broken] + points, tmp_path / "f.sqlite", workers=1, progress=False)
    assert (again.skipped, again.done, again.failed) == (3, 0, 0)
    assert again.statuses == {"optimal": 2, "error": 1}  # the failure kept is still reported
    retry = run_batch([broken] + points, tmp_path / "f.sqlite", workers=1, progress=False, retry=("error",))
    assert (retry.skipped, retry.failed) == (2, 1)


def test_parallel_workers_match_serial(tmp_path, reference):
    # Two batch workers, each keeping two module processes for all its scenarios.
    db = tmp_path / "p.sqlite"
    out = subprocess.run(_cli("batch", str(GRID), "--db", str(db), "--workers", "2", "--module-workers", "2",
                              "--no-progress"), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "8 solved, 0 failed" in out.stdout
    table = read_results(db).set_index("id").sort_index()
    assert table["objective"].tolist() == pytest.approx(reference["objective"].tolist(), rel=1e-4)


def test_module_processes_are_started_once_per_batch(tmp_path, reference, monkeypatch):
    # The scenarios of a batch share their module processes (started once, not per
    # scenario); each scenario's problems must still be solved on its own instance.
    from platform_sc import decomposition
    spawned = []
    spawn = decomposition._spawn
    monkeypatch.setattr(decomposition, "_spawn", lambda n: spawned.append(n) or spawn(n))
    summary = run_batch(load_grid(GRID), tmp_path / "m.sqlite", SolveOptions(workers=2), workers=1, progress=False)
    assert summary.done == 8 and spawned == [2]
    table = read_results(tmp_path / "m.sqlite").set_index("id").sort_index()
    assert table["objective"].tolist() == pytest.approx(reference["objective"].tolist(), rel=1e-4)


def test_dask_local_cluster_matches_local(tmp_path, reference):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        # module processes asked for: Dask's daemonic worker processes cannot start them, and
        # every scenario failed ("daemonic processes are not allowed to have children")
        summary = run_batch(load_grid(GRID), tmp_path / "d.sqlite", SolveOptions(workers=2),
                            dask_scheduler=cluster.scheduler_address, progress=False)
    assert summary.done == 8
    table = read_results(tmp_path / "d.sqlite").set_index("id").sort_index()
    assert list(table.index) == list(reference.index)
    for col in NUMBERS:
        assert table[col].tolist() == pytest.approx(reference[col].tolist(), rel=1e-4)


def test_results_cli_exports(tmp_path, reference):
    db = tmp_path / "r.sqlite"
    run_batch(load_grid(GRID)[:2], db, workers=1, progress=False)
    out = subprocess.run(_cli("results", str(db), "--format", "csv"), capture_output=True, text=True)
    header = out.stdout.splitlines()[0].split(",")
    assert header[:17] == ["config", "capability", "volume", "segments", "dev_cost", "price_breaks", "seed",
                           "status", "objective", "lower_bound", "gap", "certificate",
                           "n_product_configurations", "weighted_distance", "platformability_index",
                           "build_seconds", "solve_seconds"]
    assert "cost_procurement" in header
    with ResultsStore(db) as store:  # method details are kept: per-module problems of the decomposition
        details = store.details(read_results(db)["id"].iloc[0])
    assert {m["module"] for m in details["modules"]} == {"engine", "chassis", "body", "interior"}
    md = subprocess.run(_cli("results", str(db), "--format", "markdown"), capture_output=True, text=True)
    assert md.stdout.startswith("| config | capability |") and md.stdout.count("\n") == 4


def test_time_limited_scenarios_are_stored_as_such(tmp_path, caplog):
    from platform_sc.scenarios import point_id
    point = dict(load_grid(GRID)[0], config="CG", capability="high", segments=24, volume=1000000)
    point["id"] = point_id(point)
    run_batch([point], tmp_path / "t.sqlite", SolveOptions(method="monolithic", time_limit=0.5), progress=False)
    row = read_results(tmp_path / "t.sqlite").iloc[0]
    assert row["status"] == "time_limit"
    if pd.notna(row["objective"]):  # an incumbent was found: its bound and gap are kept
        assert row["lower_bound"] < row["objective"] and row["gap"] > 0
    with caplog.at_level("WARNING", logger="platform_sc.batch.runner"):
        run_batch([point], tmp_path / "t.sqlite", progress=False)
    assert '1 scenario(s) kept in' in caplog.text and '"time_limit": 0.5' in caplog.text  # its row's own
    again = run_batch([point], tmp_path / "t.sqlite", progress=False, retry=("time_limit",))  # without a limit
    assert again.done == 1 and again.statuses == {"optimal": 1}
    with ResultsStore(tmp_path / "t.sqlite") as store:  # each row says how it was solved
        assert store.details(point["id"])["options"]["time_limit"] is None


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])  # Ctrl-C, a job scheduler's kill
def test_interrupt_stops_cleanly_and_keeps_finished_rows(tmp_path, sig):
    # GRID with 5 seeds (40 points): the signal must come before the batch could end even if
    # this process is slow to send it (the 8 points alone once all finished first in CI)
    grid = tmp_path / "grid40.yaml"
    grid.write_text(GRID.read_text().replace("../../data", str(GRID.parents[2] / "data"))
                    .replace("seed: [0]", "seed: [0, 1, 2, 3, 4]"))
    db = tmp_path / "int.sqlite"
    # as from a terminal: a shell without job control starts background jobs with SIGINT
    # ignored, Python then never raises KeyboardInterrupt, and a suite run that way saw exit 0
    proc = subprocess.Popen(_cli("batch", str(grid), "--db", str(db), "--workers", "2", "--no-progress"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    wait_for_rows(db, 1)
    assert proc.poll() is None, f"the batch ended (exit {proc.returncode}) before it could be interrupted"
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "run the same command again to resume" in err
    with ResultsStore(db) as store:
        kept = store.ids()
    assert 1 <= len(kept) < 40


def test_a_store_that_is_not_a_results_database_is_refused(tmp_path):
    # Neither a file of another kind nor another program's SQLite database is written to.
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database")
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    for db, message in ((text, "cannot be opened as a results database (file is not a database"),
                        (other, "not a results database (its tables: t)")):
        proc = subprocess.run(_cli("batch", str(GRID), "--db", str(db), "--no-progress"), capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert text.read_text() == "not a database"


def test_a_batch_with_a_failed_scenario_exits_non_zero(tmp_path, monkeypatch):
    # A scenario that raised is kept in the store with its error (test above); the command
    # must still tell a script or CI job that the batch is not clean.
    import importlib

    from click.testing import CliRunner

    from platform_sc.batch.runner import BatchSummary
    command = importlib.import_module("platform_sc.cli.batch")  # the module, not its command
    summary = BatchSummary(8, 0, 7, 1, False, 1.0, statuses={"optimal": 7, "error": 1})
    monkeypatch.setattr(command, "run_batch", lambda *a, **k: summary)
    out = CliRunner().invoke(command.batch, [str(GRID), "--db", str(tmp_path / "b.sqlite"), "--no-progress"])
    assert out.exit_code == 3 and "1 scenario(s) of this grid failed: the errors are in" in out.output, out.output
    assert "in the store now: 1 error, 7 optimal" in out.output
    # resumed: nothing failed in this run, but the failure is still in the store
    summary = BatchSummary(8, 8, 0, 0, False, 1.0, statuses={"optimal": 7, "error": 1})
    out = CliRunner().invoke(command.batch, [str(GRID), "--db", str(tmp_path / "b.sqlite"), "--no-progress"])
    assert out.exit_code == 3 and "1 scenario(s) of this grid failed" in out.output, out.output


def test_resuming_after_the_parameter_file_changed_is_refused(tmp_path):
    # A point's id does not name its parameter file: after an edit, resuming into the same
    # store would have skipped every point and kept rows from the old parameters.
    from platform_sc import InputError
    params = _copy_of_parameters(tmp_path, "parameters.yaml")
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID.read_text().replace("../../data/automotive_parameters.yaml", str(params)))
    points, db = load_grid(grid)[:1], tmp_path / "p.sqlite"
    assert run_batch(points, db, progress=False).done == 1
    assert run_batch(points, db, progress=False).skipped == 1  # unchanged: resumes
    params.write_text(params.read_text() + "\n# edited\n")
    with pytest.raises(InputError, match="parameters.yaml changed since the results here were computed"):
        run_batch(load_grid(grid)[:1], db, progress=False)


def _copy_of_parameters(tmp_path, name: str) -> Path:
    import shutil
    params = tmp_path / name
    shutil.copy(Path(__file__).parents[1] / "data" / "automotive_parameters.yaml", params)
    return params


def test_resuming_with_another_parameter_file_is_refused(tmp_path):
    # Ids do not name the parameter file: a grid switched to another file would have
    # skipped every point and kept the rows of the first file.
    from platform_sc import InputError
    db, grids = tmp_path / "p.sqlite", {}
    for name in ("a", "b"):
        grids[name] = tmp_path / f"grid_{name}.yaml"
        grids[name].write_text(GRID.read_text().replace("../../data/automotive_parameters.yaml",
                                                        str(_copy_of_parameters(tmp_path, f"{name}.yaml"))))
    assert run_batch(load_grid(grids["a"])[:1], db, progress=False).done == 1
    with pytest.raises(InputError, match=r"was computed with parameter file .*a\.yaml, not .*b\.yaml"):
        run_batch(load_grid(grids["b"])[:1], db, progress=False)
    assert run_batch(load_grid(grids["b"])[1:2], db, progress=False).done == 1  # new points may join


def test_a_grid_without_parameters_names_the_default_file(tmp_path):
    # so that the store hashes it like any other: edits to it are caught on resume
    from platform_sc.scenarios.generator import DEFAULT_PARAMS
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID.read_text().replace("parameters: ../../data/automotive_parameters.yaml\n", ""))
    assert {p["params"] for p in load_grid(grid)} == {str(DEFAULT_PARAMS)}


@pytest.mark.parametrize("text, message", [
    (None, "does not exist"), ("regions: [NA\n", "is not valid YAML"), ("regions: [NA]\n", "lacks region_market_share")])
def test_a_broken_parameter_file_is_refused_before_any_scenario(tmp_path, text, message):
    from platform_sc import InputError
    params = tmp_path / "p.yaml"
    if text is not None:
        params.write_text(text)
    grid = tmp_path / "grid.yaml"
    grid.write_text(GRID.read_text().replace("../../data/automotive_parameters.yaml", str(params)))
    with pytest.raises(InputError, match=message) as err:
        load_grid(grid)
    assert err.value.problems[0].column == "parameters" and err.value.problems[0].source == str(grid)


def crash_on_marked(point, opts):
    """A batch task whose process dies on the point marked 'crash' (a solver crash)."""
    if point.get("crash"):
        os._exit(1)
    return {"id": point["id"], "factors": {}, "status": "optimal"}, {}


def test_a_worker_that_dies_fails_its_scenario_only(tmp_path):
    # Before, the broken pool raised out of the batch: every scenario in flight was lost
    # and the one that crashed was started again first on every resume.
    from platform_sc.batch.runner import _run_local
    points = load_grid(GRID)[:6]
    points[2]["crash"] = True
    rows = []
    _run_local(points, SolveOptions(), 2, lambda row, tables: rows.append(row), task=crash_on_marked)
    status = {r["id"]: r["status"] for r in rows}
    assert len(rows) == 6 and status.pop(points[2]["id"]) == "error" and set(status.values()) == {"optimal"}
    assert "worker process died" in next(r["error"] for r in rows if r["status"] == "error")


def test_markdown_export_keeps_one_line_per_scenario():
    from platform_sc.cli.batch import markdown_table
    table = markdown_table(pd.DataFrame({"id": ["a"], "error": ["ValueError: x | y\nTraceback ..."]}))
    assert table.splitlines()[2] == "| a | ValueError: x \\| y<br>Traceback ... |"


def test_reading_a_store_changes_nothing_in_it(tmp_path):
    # read_results (results, plot, report, draw) opened the store for writing: it set WAL
    # mode and created missing tables, and failed on a store in a read-only place
    db = tmp_path / "r.sqlite"
    run_batch(load_grid(GRID)[:1], db, progress=False)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE meta")  # as in a store written before the meta table existed
    con.close()
    assert len(read_results(db)) == 1
    con = sqlite3.connect(db)
    assert "meta" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
