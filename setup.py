"""The one thing pyproject.toml cannot say: the bundled sample lives in ``data/`` at the
top of the repository (where the README points researchers), and a wheel carries it
inside the package as ``timeline_app/sample/``, so an installed app opens it from
anywhere (timeline_app/paths.py looks there first). Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SAMPLE_PATTERNS = ("*.csv", "*.json", "*.md")


class BuildWithSample(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "timeline_app" / "sample"
        target.mkdir(parents=True, exist_ok=True)
        for pattern in SAMPLE_PATTERNS:
            for path in sorted((HERE / "data").glob(pattern)):
                shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildWithSample})
