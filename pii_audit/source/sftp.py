"""`sftp://user@host[:port]/dir`: SSH file transfer (paramiko).

Credentials: user from the URL, else PII_AUDIT_SFTP_USER; password from the URL, else
PII_AUDIT_SFTP_PASSWORD; or a private key in PII_AUDIT_SFTP_KEY_FILE. The server's host key must be
in PII_AUDIT_SFTP_KNOWN_HOSTS (default ~/.ssh/known_hosts) unless PII_AUDIT_SFTP_ACCEPT_UNKNOWN_HOST=1.

Owner and audience come from the file's mode and owner as the server reports them: `o+r` is every
account on the host, `g+r` the group (unless it is the owner's own group), else owner-only. Names
come from the server's long listing (`ls -l` style), numbers when it gives none. Folders above the
file are not looked at.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from typing import Any

from pii_audit.model import Access, Audience
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

    def begin_walk(self) -> None:
        self._names: dict[str, dict[str, tuple[str, str]]] = {}  # per walk: folder -> file -> (owner, group)

    def read_access(self, fs: Any, url: RemoteURL, info: Mapping[str, Any]) -> tuple[Access, float | None]:
        attrs = fs.ftp.stat(url.path)
        folder, _, name = url.path.rpartition("/")
        owner, group = self._owner_names(fs, folder or "/").get(name, (f"uid {attrs.st_uid}", f"gid {attrs.st_gid}"))
        mode = stat.S_IMODE(attrs.st_mode or 0)
        basis = f"mode {mode:04o} on sftp://{url.host}"
        if mode & stat.S_IROTH:
            return Access(owner, Audience.EVERYONE, (f"every account on {url.host}",), basis), None
        if mode & stat.S_IRGRP and group != owner:
            return Access(owner, Audience.ORGANISATION, (f"group {group}",), basis), None
        return Access(owner, Audience.OWNER_ONLY, (), basis), None

    def _owner_names(self, fs: Any, folder: str) -> dict[str, tuple[str, str]]:
        """Owner and group names of a folder's files, from the server's long listing, once per folder."""
        cache = getattr(self, "_names", None)
        if cache is None:
            cache = self._names = {}
        if folder not in cache:
            names: dict[str, tuple[str, str]] = {}
            for entry in fs.ftp.listdir_attr(folder):
                fields = str(getattr(entry, "longname", "") or "").split()
                if len(fields) >= 4 and fields[0][:1] in "-dlbcps" and len(fields[0]) >= 10:
                    names[entry.filename] = (fields[2], fields[3])
            cache[folder] = names
        return cache[folder]


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
