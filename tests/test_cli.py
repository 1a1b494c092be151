"""The command line's stdout in a real process, where C code (HiGHS) writes to it too."""
import json
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).parents[1] / "data" / "demo"


def test_solve_json_is_the_whole_stdout():
    """highspy 1.16 prints a banner from its constructor; --json must stay parseable."""
    proc = subprocess.run([sys.executable, "-m", "platform_sc", "solve", str(DEMO), "--json", "--workers", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "optimal" and out["gap"] <= 1e-4
