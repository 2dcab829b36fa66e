"""The reference assistant: the stock project of `rasa init --no-prompt`, created and trained with
our Rasa into build/bench/reference once, and reused while its model is there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def reference_model(project: Path) -> Path:
    """The stock assistant's trained model in `project`, created and trained first if missing."""
    models = sorted((project / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    shutil.rmtree(project, ignore_errors=True)  # a half-made project from an interrupted run
    project.mkdir(parents=True)
    rasa = str(Path(sys.executable).with_name("rasa"))
    log = project.parent / "reference-init.log"
    print(f"Creating and training the stock assistant (rasa init) in {project}; log: {log}", flush=True)
    with log.open("w") as handle:
        subprocess.run(
            [rasa, "init", "--no-prompt", "--init-dir", str(project)],
            cwd=project,
            env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"),
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=True,
        )
    return reference_model(project)
