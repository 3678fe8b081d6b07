"""`smb://[DOMAIN;]user@host[:port]/share[/dir]`: Windows and Samba file shares (smbprotocol).

Credentials: user from the URL, else PII_AUDIT_SMB_USER (`DOMAIN;user@` or `DOMAIN\\user` for a
domain); password from the URL, else PII_AUDIT_SMB_PASSWORD. Files are opened with every sharing
mode, so a scan never locks a file against its users. Owner and audience come from each file's
security descriptor (smb_access.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pii_audit.model import Access
from pii_audit.source.remote import FsspecStore, RemoteURL, timeout


class SmbStore(FsspecStore):
    scheme = "smb"
    module = "smbprotocol"
    extra = "smb"
    container = "share"

    def options(self, url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
        user = url.user or env.get("PII_AUDIT_SMB_USER")
        if user and ";" in user:  # DOMAIN;user, as in smb://DOMAIN;user@host/share
            domain, user = user.split(";", 1)
            user = f"{domain}\\{user}"
        return {
            "host": url.host,
            "port": url.port,
            "username": user,
            "password": url.password if url.password is not None else env.get("PII_AUDIT_SMB_PASSWORD"),
            "timeout": timeout(env),
            "register_session_retries": 0,  # one attempt: a CLI should fail fast and say why
        }

    def open_kwargs(self) -> dict[str, Any]:
        return {"share_access": "rwd"}  # never lock the file against its users while we read it

    def read_access(self, fs: Any, url: RemoteURL, info: Mapping[str, Any]) -> tuple[Access, float | None]:
        from pii_audit.source.smb_access import access_of, parse_descriptor, query_descriptor

        share = url.path.strip("/").split("/", 1)[0]
        unc = "\\\\" + url.host + url.path.replace("/", "\\")
        raw, created = query_descriptor(unc, getattr(fs, "_port", None) or url.port or 445)
        return access_of(parse_descriptor(raw), f"\\\\{url.host}\\{share}"), created
