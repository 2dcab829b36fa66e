"""The cluster's tracker store: a private PostgreSQL, initdb'd under CLUSTER_DIR/postgres, on a
loopback port without a Unix socket, with a `rasa` role (random password) and database.
"""

from __future__ import annotations

import os
import pwd
import secrets
import stat
import subprocess
from pathlib import Path
from typing import List, Optional

import psycopg2

from scripts.processes import as_user
from settings import ClusterSettings

ROLE = DATABASE = "rasa"
# PostgreSQL refuses to run as root; as root the cluster runs it as Debian's `postgres` account.
ROOT_REPLACEMENT_USER = "postgres"


def server_user() -> Optional[str]:
    """The account to run PostgreSQL as: None for the current one."""
    return ROOT_REPLACEMENT_USER if os.geteuid() == 0 else None


def data_dir(cluster: ClusterSettings) -> Path:
    return cluster.directory / "postgres"


def initialise(initdb: str, cluster: ClusterSettings) -> None:
    """initdb the data directory unless it holds a database already."""
    data = data_dir(cluster)
    if (data / "PG_VERSION").is_file():
        return
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    password = _password_file(cluster)
    password.write_text(secrets.token_urlsafe(24), encoding="utf-8")
    password.chmod(0o600)
    user = server_user()
    if user:
        account = pwd.getpwnam(user)
        for path in (data, password):
            os.chown(path, account.pw_uid, account.pw_gid)
        _let_others_traverse(cluster.directory)
    subprocess.run(
        [
            initdb, "--pgdata", str(data), "--username", ROLE, "--pwfile", str(password),
            "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        **as_user(user),
    )


def server_command(postgres: str, cluster: ClusterSettings) -> List[str]:
    return [
        postgres, "-D", str(data_dir(cluster)), "-p", str(cluster.postgres_port),
        "-c", f"listen_addresses={cluster.host}", "-c", "unix_socket_directories=", "-c", "log_checkpoints=off",
    ]


def url(cluster: ClusterSettings, database: str = DATABASE) -> str:
    """The SQLAlchemy URL of `database`, with the role's password."""
    password = _password_file(cluster).read_text(encoding="utf-8").strip()
    return f"postgresql://{ROLE}:{password}@{cluster.host}:{cluster.postgres_port}/{database}"


def accepts_connections(cluster: ClusterSettings) -> bool:
    try:
        psycopg2.connect(url(cluster, "postgres"), connect_timeout=2).close()
        return True
    except psycopg2.OperationalError:
        return False


def create_database(cluster: ClusterSettings) -> None:
    """Create the `rasa` database if it does not exist yet (Rasa creates its tables in it)."""
    connection = psycopg2.connect(url(cluster, "postgres"))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        connection.close()


def _let_others_traverse(directory: Path) -> None:
    """Let the server's account reach `directory`: a project cloned into a private directory
    (mktemp -d makes it 0700) is otherwise closed to it. Adds only search (x), never read."""
    for path in (directory.resolve(), *directory.resolve().parents):
        mode = path.stat().st_mode
        if not mode & stat.S_IXOTH:
            path.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)


def _password_file(cluster: ClusterSettings) -> Path:
    return cluster.directory / "postgres-password"
