"""`webdav://` and `webdavs://` (HTTPS): Nextcloud, ownCloud, SharePoint libraries, any WebDAV server
(webdav4 over httpx).

    webdavs://alice@cloud.example.org/remote.php/dav/files/alice/Documents

The URL's path is the collection to walk, from the server's root. Credentials: user from the URL,
else PII_AUDIT_WEBDAV_USER; password from the URL, else PII_AUDIT_WEBDAV_PASSWORD (an app password
on Nextcloud); HTTP basic auth, so use webdavs:// beyond a trusted network. TLS is always verified:
PII_AUDIT_WEBDAV_CA names a CA bundle (PEM) for a private CA. A root that redirects (a library
that moved, http -> https) is followed, and its files are read where it now is. Every file
carries the server's ETag, which the cache trusts: a rescan of an unchanged library is one PROPFIND
per folder and no download.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urlsplit

from pii_audit.errors import UsageError
from pii_audit.model import FileRef
from pii_audit.source.remote import FsspecStore, RemoteURL, filesystem, remember, timeout


class WebdavStore(FsspecStore):
    scheme = "webdav"
    module = "webdav4"
    extra = "webdav"
    protocol = "webdav"

    def options(self, url: RemoteURL, env: Mapping[str, str]) -> dict[str, Any]:
        http = "https" if url.scheme == "webdavs" else "http"
        port = f":{url.port}" if url.port else ""
        host = f"[{url.host}]" if ":" in url.host else url.host
        user = url.user or env.get("PII_AUDIT_WEBDAV_USER")
        password = url.password if url.password is not None else env.get("PII_AUDIT_WEBDAV_PASSWORD")
        ca = env.get("PII_AUDIT_WEBDAV_CA")
        verify: ssl.SSLContext | bool = True
        if ca:
            if not os.path.isfile(ca):
                raise UsageError(f"PII_AUDIT_WEBDAV_CA: no such file: {ca}")
            verify = ssl.create_default_context(cafile=ca)
        return {
            "base_url": f"{http}://{host}{port}",
            "auth": (user, password or "") if user else None,
            "verify": verify,
            "timeout": timeout(env),
            "follow_redirects": True,
            "retry": False,  # one attempt: a CLI should fail fast and say why
            "trust_env": False,  # no proxy or netrc credentials picked up behind the user's back
        }

    def fs_path(self, url: RemoteURL) -> str:
        return url.path.strip("/")  # webdav4 names paths from the base URL, without a leading /

    def walk(
        self,
        root: str,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        prefix: str = "",
        env: Mapping[str, str] | None = None,
    ) -> Iterator[FileRef]:
        """webdav4 does not follow a redirected collection: the root is resolved here first (a
        library that moved, http -> https), and its files are listed and read where it now is."""
        url = RemoteURL.parse(root)
        moved = self._moved_to(url, env)
        if moved is not None:
            with_password = RemoteURL.parse(root).password
            if with_password is not None:  # the login that came in the URL goes along
                remember(moved, with_password)
            root = moved.display
        return super().walk(root, include, exclude, prefix, env)

    def _moved_to(self, url: RemoteURL, env: Mapping[str, str] | None) -> RemoteURL | None:
        fs = filesystem(url, env)
        try:
            response = fs.client.http.request(
                "PROPFIND", fs.client.join_url(self.fs_path(url)), headers={"Depth": "0"}, follow_redirects=True
            )
        except Exception:  # the walk says why the root cannot be listed
            return None
        if not response.history:
            return None
        final = urlsplit(str(response.url))
        scheme = "webdavs" if final.scheme == "https" else "webdav"
        path = unquote(final.path).rstrip("/") or "/"
        return replace(url, scheme=scheme, host=final.hostname or url.host, port=final.port, path=path)
