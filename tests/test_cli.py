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
