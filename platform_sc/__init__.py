"""platform-sc: joint product-platform and global supply-chain optimisation.

The pipeline, stage by stage::

    inst = read("data/demo")            # load      (platform_sc.io)
    inst = validate(inst)               # validate  (platform_sc.validate)
    model = build_model(inst)           # build     (platform_sc.model)
    res = solve_model(model)            # solve     (platform_sc.solve)
    sol = extract(model)                # extract   (platform_sc.extract)
    platform_measures(Sets(inst), sol)  # measure   (platform_sc.measures)

or all at once: ``run("data/demo")`` (platform_sc.pipeline).
"""
from .errors import InputError, SolveError
from .extract import Solution, extract
from .io import Instance, from_frames, read, read_excel, read_folder, write_excel, write_folder
from .measures import configurations, cost_breakdown, platform_measures
from .model import build_model
from .pipeline import run, solve_instance
from .result import RunResult, SolveOptions
from .sets import Sets
from .solve import solve_model
from .validate import validate

__all__ = ["InputError", "SolveError", "Solution", "extract", "Instance", "from_frames", "read",
           "read_excel", "read_folder", "write_excel", "write_folder", "configurations",
           "cost_breakdown", "platform_measures", "build_model", "RunResult", "SolveOptions", "run",
           "solve_instance", "Sets", "solve_model", "validate"]
