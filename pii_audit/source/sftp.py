"""`sftp://user@host[:port]/dir`: SSH file transfer (paramiko).

Credentials: user from the URL, else PII_AUDIT_SFTP_USER; password from the URL, else
PII_AUDIT_SFTP_PASSWORD; or a private key in PII_AUDIT_SFTP_KEY_FILE. The server's host key must be
in PII_AUDIT_SFTP_KNOWN_HOSTS (default ~/.ssh/known_hosts) unless PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST=1.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pii_audit.source.remote import FsspecStore, RemoteURL, timeout


class SftpStore(FsspecStore):
    scheme = "sftp"
    module = "paramiko"
    extra = "sftp"

    def options(self, url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
        seconds = timeout(env)
        opts: dict[str, Any] = {
            "host": url.host,
            "port": url.port or 22,
            "username": url.user or env.get("PII_AUDIT_SFTP_USER"),
            "timeout": seconds,
            "banner_timeout": seconds,
            "auth_timeout": seconds,
            "host_key_policy": _host_key_policy(env),
            "allow_agent": False,
        }
        password = url.password if url.password is not None else env.get("PII_AUDIT_SFTP_PASSWORD")
        if password is not None:
            opts["password"] = password
        key_file = env.get("PII_AUDIT_SFTP_KEY_FILE")
        if key_file:
            opts["key_filename"] = key_file
        if password is not None and not key_file:
            opts["look_for_keys"] = False
        return opts


def _host_key_policy(env: Mapping[str, str]) -> Any:
    import paramiko

    known = env.get("PII_AUDIT_SFTP_KNOWN_HOSTS") or os.path.expanduser("~/.ssh/known_hosts")
    accept_unknown = env.get("PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST", "") in ("1", "true", "yes")

    class KnownHosts(paramiko.MissingHostKeyPolicy):
        """fsspec's client loads no known_hosts: check the server's key against the file here."""

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            keys = paramiko.HostKeys(known) if os.path.exists(known) else paramiko.HostKeys()
            listed = keys.lookup(hostname)
            if listed is not None and key.get_name() in listed:
                if listed[key.get_name()] == key:
                    return
                raise paramiko.SSHException(f"host key of {hostname} does not match {known}")
            if not accept_unknown:
                raise paramiko.SSHException(
                    f"host {hostname} is not in {known} (add it, or set PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST=1)"
                )

    return KnownHosts()
