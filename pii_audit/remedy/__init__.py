"""Fixing what a scan found: quarantine (and restore), protect, redact.

Every command plans first (one step per file, with the action and the reason) and changes
nothing unless applied. Targets come from a saved JSON report (targets.py); each is checked
against the file as it is now (guard.py) before anything is touched; every change is written
to a journal (journal.py) with hashes, never raw values; files are replaced atomically
(fileops.py).
"""
