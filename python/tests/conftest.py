import sys
from pathlib import Path

# The examples are the integrations' code: the tests import and run them.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
