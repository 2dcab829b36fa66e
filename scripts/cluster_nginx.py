"""The cluster's load balancer: an nginx configuration written to CLUSTER_DIR/nginx, and the
command that runs nginx with it in the foreground.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Sequence

from settings import ClusterSettings

# Response header naming the replica that served a request (for tracing; loopback cluster).
REPLICA_HEADER = "X-Rasa-Replica"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

TEMPLATE = """\
# Written by scripts/cluster.py for `make run-cluster`; rewritten at every start.
worker_processes auto;
pid {directory}/nginx.pid;
error_log stderr warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
{temp_paths}
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    # A turn may wait for the conversation's lock while other turns of it are answered.
    proxy_read_timeout 120s;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}

    # REST turns carry their conversation id and the state is in PostgreSQL: any replica.
    upstream rasa_round_robin {{
        zone rasa_round_robin 64k;
{rasa_servers}
    }}

    # Rasa's socket.io channel keeps each session in the process that opened it: one replica
    # per client address, also for the chat page that opens the session.
    upstream rasa_sticky {{
        ip_hash;
        zone rasa_sticky 64k;
{rasa_servers}
    }}

    upstream action_servers {{
        zone action_servers 64k;
{action_servers}
    }}

    server {{
        listen {host}:{port};
        add_header {replica_header} $upstream_addr always;

        location /webhooks/ {{
            proxy_pass http://rasa_round_robin;
        }}
        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
        }}
        location /chat {{
            proxy_pass http://rasa_sticky;
        }}
        location / {{
            return 404;
        }}
    }}

    # What the replicas call: any action server (each holds the same read-only index), and
    # the next one when a server cannot be reached.
    server {{
        listen {host}:{action_proxy_port};
        # The replicas send whole conversations; keep them in memory.
        client_body_buffer_size 1m;
        location / {{
            proxy_pass http://action_servers;
        }}
    }}
}}
"""


def directory(cluster: ClusterSettings) -> Path:
    return cluster.directory / "nginx"


def render(cluster: ClusterSettings) -> str:
    folder = directory(cluster)
    return TEMPLATE.format(
        directory=folder,
        temp_paths="\n".join(f"    {name}_temp_path {folder / name};" for name in TEMP_PATHS),
        rasa_servers=_servers(cluster.host, cluster.rasa_ports),
        action_servers=_servers(cluster.host, cluster.action_ports),
        host=cluster.host,
        port=cluster.port,
        action_proxy_port=cluster.action_proxy_port,
        replica_header=REPLICA_HEADER,
    )


def write(cluster: ClusterSettings) -> Path:
    """Write CLUSTER_DIR/nginx/nginx.conf and return its path."""
    folder = directory(cluster)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(render(cluster), encoding="utf-8")
    return path


def server_command(nginx: str, cluster: ClusterSettings) -> List[str]:
    """nginx in the foreground with the written configuration, logging to stderr."""
    return [nginx, "-p", str(directory(cluster)), "-e", "stderr", "-c", str(write(cluster)), "-g", "daemon off;"]


def _servers(host: str, ports: Sequence[int]) -> str:
    return "\n".join(f"        server {host}:{port};" for port in ports)
