"""Build the installable plugin zip: the folder `os_data_hub_loader/` with only what QGIS needs.

Not shipped: tests, the local OS API server, scripts, CI and developer files.
"""

from __future__ import annotations

import argparse
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "os_data_hub_loader"
FILES = ["__init__.py", "plugin.py", "metadata.txt", "LICENSE", "icon.png", "README.md",
         "CHANGELOG.md"]
PACKAGES = ["api", "core", "ui", "processing_provider", "browser"]


def plugin_files() -> list[Path]:
    files = [ROOT / name for name in FILES if (ROOT / name).exists()]
    for package in PACKAGES:
        folder = ROOT / package
        if folder.is_dir():
            files += sorted(
                p for p in folder.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc"}
            )
    files += sorted((ROOT / "i18n").glob("*.qm"))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    qm_sources = list((ROOT / "i18n").glob("*.ts"))
    for ts in qm_sources:
        if not ts.with_suffix(".qm").exists():
            try:
                subprocess.run(["lrelease", str(ts)], check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError):
                print(f"package: lrelease not available, {ts.name} not compiled")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(args.output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in plugin_files():
            archive.write(path, f"{PLUGIN}/{path.relative_to(ROOT).as_posix()}")
    print(args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
