"""Real stores for the remote-source tests (started once per session, on 127.0.0.1)."""

from tests.servers.mariadb import mariadb_server  # noqa: F401
from tests.servers.postgres import postgres_server  # noqa: F401
from tests.servers.s3 import s3_store  # noqa: F401
from tests.servers.samba import samba_share  # noqa: F401
from tests.servers.sftp import sftp_server  # noqa: F401
from tests.servers.webdav import webdav_server, webdavs_server  # noqa: F401
