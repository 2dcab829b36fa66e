"""Run the bot as a cluster on one machine (`make run-cluster`): PostgreSQL tracker store, Redis
lock store, action servers, Rasa replicas and nginx in front (CLUSTER_* settings); Ctrl-C stops all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Dict, List, Tuple

import redis

import settings
from scripts import cluster_nginx, cluster_postgres
from scripts.cluster_binaries import ClusterBinaries, MissingBinaries, find
from scripts.processes import StartupError, answers, start, stop_all, stop_on_signals, wait_until_up
from scripts.retention import watch
from scripts.serve import child_environment, configuration_problem, is_loopback, rasa_command

LOCK_STORE_DB = 1


def main() -> int:
    config = settings.load_or_exit()
    cluster = config.cluster
    try:
        binaries = find()
    except MissingBinaries as error:
        print(str(error), file=sys.stderr)
        return 2
    problem = configuration_problem(config)
    if not problem and not is_loopback(cluster.host) and not config.rest_token:
        problem = f"CLUSTER_HOST is {cluster.host}, beyond this machine: set REST_TOKEN, which REST callers must send."
    if problem:
        print(problem, file=sys.stderr)
        return 2
    children: List[subprocess.Popen] = []
    stop_on_signals()
    try:
        replicas = _start_cluster(binaries, config, children)
        print(ready_message(cluster), flush=True)
        watch(children, replicas[0])
        # Stopping all makes a failure impossible to miss; nginx alone would route around it.
        print("A server of the cluster exited; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the cluster…", flush=True)
        return 0
    except (StartupError, subprocess.CalledProcessError) as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        stop_all(children)


def _start_cluster(
    binaries: ClusterBinaries, config: settings.Settings, children: List[subprocess.Popen]
) -> List[settings.Settings]:
    """Start every server, each once the ones it needs are up; the replicas' settings."""
    cluster = config.cluster
    cluster.directory.mkdir(parents=True, exist_ok=True)
    cluster_postgres.initialise(binaries.initdb, cluster)
    postgres = start(
        cluster_postgres.server_command(binaries.postgres, cluster), dict(os.environ), children,
        user=cluster_postgres.server_user(),
    )
    wait_until_up(postgres, lambda: cluster_postgres.accepts_connections(cluster), "PostgreSQL")
    cluster_postgres.create_database(cluster)
    lock_store = start(_redis_command(binaries.redis_server, cluster), dict(os.environ), children)
    wait_until_up(lock_store, lambda: _redis_answers(cluster), "Redis")
    action_servers = {
        port: start([sys.executable, "-m", "actions"], _action_server_environment(cluster, port), children)
        for port in cluster.action_ports
    }
    for port, child in action_servers.items():
        wait_until_up(child, answers(f"http://{cluster.host}:{port}/health"), f"Action server :{port}")
    # One replica after the other: the first creates the tracker store's tables, which several
    # at once would race for; and on a few cores starting them together saves little.
    replicas = [_replica(cluster, port) for port in cluster.rasa_ports]
    for replica, env in replicas:
        rasa = start(rasa_command(replica, shell=False), env, children)
        wait_until_up(rasa, answers(f"{replica.rasa_url}/"), f"Rasa :{replica.rasa_port}")
    balancer = start(cluster_nginx.server_command(binaries.nginx, config), dict(os.environ), children)
    wait_until_up(balancer, answers(f"{cluster.url}/webhooks/rest/"), "nginx")
    return [replica for replica, _ in replicas]


def _action_server_environment(cluster: settings.ClusterSettings, port: int) -> Dict[str, str]:
    return _child(ACTION_HOST=cluster.host, ACTION_PORT=str(port))[1]


def _replica(cluster: settings.ClusterSettings, port: int) -> Tuple[settings.Settings, Dict[str, str]]:
    """A replica on `port`, calling the action servers through nginx, with the shared stores."""
    return _child(
        RASA_HOST=cluster.host,
        RASA_PORT=str(port),
        ACTION_HOST=cluster.host,
        ACTION_PORT=str(cluster.action_proxy_port),
        TRACKER_STORE_URL=cluster_postgres.url(cluster),
        LOCK_STORE_URL=f"redis://:{redis_password(cluster)}@{cluster.host}:{cluster.redis_port}/{LOCK_STORE_DB}",
        CHAT_ALLOWED_ORIGINS=os.environ.get("CHAT_ALLOWED_ORIGINS") or ",".join(cluster.origins),
        TRUSTED_PROXIES=os.environ.get("TRUSTED_PROXIES") or cluster.host,  # nginx names the client
    )


def _child(**overrides: str) -> Tuple[settings.Settings, Dict[str, str]]:
    """The settings of a server of the cluster and the environment to start it with."""
    config = settings.load({**os.environ, **overrides})
    return config, {**child_environment(config), **overrides}


def redis_password(cluster: settings.ClusterSettings) -> str:
    """The lock store's password: REDIS_PASSWORD, or one made once in the cluster's directory."""
    return settings.kept_secret(os.environ.get("REDIS_PASSWORD", ""), cluster.directory / "redis.key")


def _redis_command(redis_server: str, cluster: settings.ClusterSettings) -> List[str]:
    """Redis holds only short-lived locks: no snapshots, no append-only file; its password is in
    a configuration file only its owner reads, not on the command line."""
    folder = cluster.directory / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "redis.conf"
    conf.touch(mode=0o600)
    conf.write_text(f"requirepass {redis_password(cluster)}\n", encoding="utf-8")
    return [
        redis_server, str(conf), "--bind", cluster.host, "--port", str(cluster.redis_port), "--dir", str(folder),
        "--save", "", "--appendonly", "no", "--loglevel", "warning",
    ]


def _redis_answers(cluster: settings.ClusterSettings) -> bool:
    try:
        with redis.Redis(
            host=cluster.host, port=cluster.redis_port, password=redis_password(cluster), socket_timeout=2
        ) as client:
            return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


def ready_message(cluster: settings.ClusterSettings) -> str:
    base = cluster.url
    replicas = ", ".join(f"{cluster.host}:{port}" for port in cluster.rasa_ports)
    actions = ", ".join(f"{cluster.host}:{port}" for port in cluster.action_ports)
    return "\n".join(
        [
            "The cluster is up. Talk to it through nginx:",
            f"  Chat page: {base}/chat",
            f"  REST:      curl -s {base}/webhooks/rest/webhook -H 'Content-Type: application/json' \\",
            "                -d '{\"sender\": \"saya\", "
            "\"message\": \"Kenapa betis saya sering kram di malam hari?\"}'",
            f"  socket.io: {base}/socket.io (sticky: one replica per client address)",
            f"  Replicas:  {replicas}",
            f"  Actions:   {actions}, called through {cluster.host}:{cluster.action_proxy_port}",
            f"  Stores:    PostgreSQL {cluster.host}:{cluster.postgres_port} (database {cluster_postgres.DATABASE}), "
            f"Redis {cluster.host}:{cluster.redis_port}",
            "Press Ctrl-C to stop the cluster.",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
