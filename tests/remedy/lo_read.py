"""Run by the system Python (python3-uno), not the project's: open documents in a real LibreOffice
and print what it reads, as JSON, one result per document given.

    /usr/bin/python3 lo_read.py PROFILE_DIR FILE PASSWORD [FILE PASSWORD ...]

PASSWORD "-" opens without one. A spreadsheet gives the text of every used cell of every sheet; a
text document its paragraphs and table cells. A document LibreOffice cannot open gives {"opened": false}.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(profile):
    pipe = "pii_audit_" + uuid.uuid4().hex
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline or office.poll() is not None:
                raise
            time.sleep(0.3)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return office, desktop


def read(desktop, path, password):
    args = [prop("Hidden", True), prop("ReadOnly", True)]
    if password != "-":
        args.append(prop("Password", password))
    try:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, tuple(args))
    except Exception as exc:
        return {"opened": False, "error": type(exc).__name__}
    if doc is None:
        return {"opened": False}
    try:
        if doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
            sheets = {}
            for name in doc.Sheets.ElementNames:
                sheet = doc.Sheets.getByName(name)
                cursor = sheet.createCursor()
                cursor.gotoEndOfUsedArea(False)
                end = cursor.RangeAddress
                cells = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
                sheets[name] = [[cells.getCellByPosition(c, r).String for c in range(end.EndColumn + 1)]
                                for r in range(end.EndRow + 1)]  # fmt: skip
            return {"opened": True, "sheets": sheets}
        text = doc.Text.createEnumeration()
        paragraphs = []
        while text.hasMoreElements():
            part = text.nextElement()
            if part.supportsService("com.sun.star.text.Paragraph"):
                paragraphs.append(part.String)
            elif part.supportsService("com.sun.star.text.TextTable"):
                paragraphs += [part.getCellByName(n).String for n in part.CellNames]
        return {"opened": True, "paragraphs": paragraphs}
    finally:
        doc.close(True)


def main(argv):
    profile, pairs = argv[1], argv[2:]
    office, desktop = connect(profile)
    try:
        print(json.dumps([read(desktop, pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)], ensure_ascii=False))
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv)
