"""Where the rule files live: the repository's `patterns/` (recognizers, word lists, gazetteers).

The package is installed editable (`make install`), so the directory is found beside it.
"""

from pathlib import Path

PATTERNS_ROOT = Path(__file__).resolve().parents[1] / "patterns"
WORDLISTS = PATTERNS_ROOT / "wordlists"
GAZETTEER = PATTERNS_ROOT / "gazetteer"
