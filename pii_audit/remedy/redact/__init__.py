"""Redact: a masked copy of a document, with the same structure.

`values.py` masks the detected values wherever they occur in a string, or across the runs a
document splits its text into; one module per family rewrites a format (`text.py`: csv, tsv, txt,
json, html, xml; `xlsx.py`; `ooxml.py`: docx, pptx, hwpx); `run.py` detects, rewrites, rescans the
copy and repeats with full masks until nothing is found, or refuses.
"""
