"""The programs the cluster runs besides Python: PostgreSQL, Redis and nginx from Debian's
packages. `python -m scripts.cluster_binaries` (`make cluster-deps`) apt-get installs the missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

# Debian keeps PostgreSQL's server programs out of PATH, one directory per major version.
POSTGRES_LIBRARY = Path("/usr/lib/postgresql")
APT_ENV = {"DEBIAN_FRONTEND": "noninteractive"}
PACKAGES = {"initdb": "postgresql", "postgres": "postgresql", "redis_server": "redis-server", "nginx": "nginx"}


class MissingBinaries(RuntimeError):
    pass


@dataclass(frozen=True)
class ClusterBinaries:
    initdb: str
    postgres: str
    redis_server: str
    nginx: str


def find() -> ClusterBinaries:
    """Locate the programs; MissingBinaries names the Debian packages of those not found."""
    found = _search()
    missing = _missing_packages(found)
    if missing:
        packages = " ".join(missing)
        raise MissingBinaries(f"Not installed: {packages}. Run `make cluster-deps` (root: apt-get install {packages}).")
    return ClusterBinaries(**{name: str(path) for name, path in found.items()})


def install_missing() -> List[str]:
    """apt-get install the packages whose programs are missing; the packages installed."""
    missing = _missing_packages(_search())
    if missing:
        env = {**os.environ, **APT_ENV}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)
    return missing


def _search() -> Dict[str, Optional[Path]]:
    postgres_bin = _postgres_bin()
    return {
        "initdb": postgres_bin / "initdb" if postgres_bin else None,
        "postgres": postgres_bin / "postgres" if postgres_bin else None,
        "redis_server": _which("redis-server"),
        "nginx": _which("nginx"),
    }


def _missing_packages(found: Dict[str, Optional[Path]]) -> List[str]:
    return sorted({PACKAGES[name] for name, path in found.items() if path is None})


def _postgres_bin() -> Optional[Path]:
    """The directory with initdb and postgres: PATH first, else Debian's newest version."""
    on_path = _which("initdb")
    if on_path is not None and (on_path.resolve().parent / "postgres").is_file():
        return on_path.resolve().parent
    versions = sorted(POSTGRES_LIBRARY.glob("*/bin/initdb"), key=lambda path: int(path.parent.parent.name))
    return versions[-1].parent if versions and (versions[-1].parent / "postgres").is_file() else None


def _which(program: str) -> Optional[Path]:
    # Debian installs nginx in /usr/sbin, which a non-login PATH may lack.
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    return Path(path) if path else None


def main() -> int:
    try:
        installed = install_missing()
        find()
    except (OSError, subprocess.CalledProcessError, MissingBinaries) as error:
        print(f"The cluster's programs could not be installed: {error}", file=sys.stderr)
        return 1
    print(f"Installed {', '.join(installed)}." if installed else "PostgreSQL, Redis and nginx are installed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
