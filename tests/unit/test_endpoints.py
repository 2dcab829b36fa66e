"""The endpoints file of a run: tracker store always, lock store only with Redis configured."""

import yaml
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.utils.endpoints import read_endpoint_config

import settings
from scripts.endpoints import endpoint_environment, write_endpoints
from stores.redis_lock_store import AtomicRedisLockStore


def _config(tmp_path, **env):
    return settings.load({"BUILD_DIR": str(tmp_path), "RASA_PORT": "6005", **env})


def test_one_replica_keeps_conversations_in_sqlite_and_needs_no_lock_store(tmp_path):
    config = _config(tmp_path)
    endpoints = yaml.safe_load(write_endpoints(config).read_text())
    assert endpoints["tracker_store"] == {"type": "SQL", "url": "${TRACKER_STORE_URL}"}
    assert "lock_store" not in endpoints
    assert endpoint_environment(config)["TRACKER_STORE_URL"] == f"sqlite:///{tmp_path / 'tracker.db'}"


def test_replicas_share_a_redis_lock_store_named_by_its_url(tmp_path):
    config = _config(tmp_path, LOCK_STORE_URL="redis://10.0.0.5:6380/2")
    endpoints = yaml.safe_load(write_endpoints(config).read_text())
    assert endpoints["lock_store"]["type"] == "stores.redis_lock_store.AtomicRedisLockStore"
    env = endpoint_environment(config)
    assert (env["LOCK_STORE_HOST"], env["LOCK_STORE_PORT"], env["LOCK_STORE_DB"]) == ("10.0.0.5", "6380", "2")


def test_no_secret_is_written_to_the_file(tmp_path):
    config = _config(tmp_path, TRACKER_STORE_URL="postgresql://bot:s3cret@db:5432/rasa")
    assert "s3cret" not in write_endpoints(config).read_text()


def test_rasa_builds_the_stores_the_file_names(tmp_path, monkeypatch):
    config = _config(tmp_path, LOCK_STORE_URL="redis://127.0.0.1:6380/2")
    path = write_endpoints(config)
    for name, value in endpoint_environment(config).items():
        monkeypatch.setenv(name, value)
    tracker_store = TrackerStore.create(read_endpoint_config(str(path), "tracker_store"))
    assert isinstance(tracker_store, SQLTrackerStore)
    assert str(tracker_store.engine.url) == f"sqlite:///{tmp_path / 'tracker.db'}"
    lock_store = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    assert isinstance(lock_store, AtomicRedisLockStore)
    assert lock_store.red.connection_pool.connection_kwargs["port"] == 6380
