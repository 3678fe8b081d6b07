import sys
from pathlib import Path

# The package is not installed in the venv yet; make the checkout importable for these tests.
# Remove once the project installs itself (`pip install -e .`) or sets pytest's `pythonpath`.
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
