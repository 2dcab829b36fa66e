"""The cluster's load balancer: an nginx configuration written to CLUSTER_DIR/nginx, and the
command that runs nginx with it in the foreground.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Sequence, Tuple

from settings import ClusterSettings, Settings

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
    # No client may send more than the servers read, nor faster than RATE_ADDRESS_* allows.
    client_max_body_size {max_body};
    limit_req_zone $binary_remote_addr zone=per_client:10m rate={rate}r/s;
    limit_req_status 429;

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

        # Only the channels meant for the public: REST (with REST_TOKEN when not on loopback) and Telegram.
        location /webhooks/rest/ {{
            limit_req zone=per_client burst={burst} nodelay;
            proxy_pass http://rasa_round_robin;
        }}
        location /webhooks/telegram/ {{
            proxy_pass http://rasa_round_robin;
        }}
        location /socket.io/ {{
            limit_req zone=per_client burst={burst} nodelay;
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


def render(cluster: ClusterSettings, max_body: int, rate: Tuple[float, int]) -> str:
    """The configuration, reading request bodies up to `max_body` bytes and `rate` (per second,
    burst) requests from one client address."""
    folder = directory(cluster)
    return TEMPLATE.format(
        max_body=max_body,
        rate=max(1, round(rate[0])),
        burst=rate[1],
        directory=folder,
        temp_paths="\n".join(f"    {name}_temp_path {folder / name};" for name in TEMP_PATHS),
        rasa_servers=_servers(cluster.host, cluster.rasa_ports),
        action_servers=_servers(cluster.host, cluster.action_ports),
        host=cluster.host,
        port=cluster.port,
        action_proxy_port=cluster.action_proxy_port,
        replica_header=REPLICA_HEADER,
    )


def write(config: Settings) -> Path:
    """Write CLUSTER_DIR/nginx/nginx.conf and return its path."""
    cluster = config.cluster
    folder = directory(cluster)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(render(cluster, config.max_request_bytes, config.rate_address), encoding="utf-8")
    return path


def server_command(nginx: str, config: Settings) -> List[str]:
    """nginx in the foreground with the written configuration, logging to stderr."""
    folder = str(directory(config.cluster))
    return [nginx, "-p", folder, "-e", "stderr", "-c", str(write(config)), "-g", "daemon off;"]


def _servers(host: str, ports: Sequence[int]) -> str:
    return "\n".join(f"        server {host}:{port};" for port in ports)
