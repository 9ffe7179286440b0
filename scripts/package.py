"""Build the installable plugin zip: `build/os_data_hub_loader-<version>.zip`, one top folder
`os_data_hub_loader/` with only what QGIS needs at run time.

Shipped: `__init__.py`, `plugin.py`, `metadata.txt`, `LICENSE`, `icon.png`, the Python
packages `api`, `core`, `ui`, `processing_provider` and `browser` (their `.py` files), and
every `i18n/*.ts` compiled with `lrelease` into `i18n/*.qm`. Not shipped: tests, the local OS
API server, scripts, documentation, CI and developer files, `__pycache__` and `.pyc`.

If there is a `.ts` file and `lrelease` is missing or fails, the build fails: a package without
its translations is not a release. Members are written in a fixed order with a fixed date, so
the same sources give the same zip.
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = "os_data_hub_loader"
FILES = ["__init__.py", "plugin.py", "metadata.txt", "LICENSE", "icon.png"]
PACKAGES = ["api", "core", "ui", "processing_provider", "browser"]
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """The package cannot be built as it should be; the message says why."""


def version(root: Path = ROOT) -> str:
    config = configparser.ConfigParser(interpolation=None)
    config.read(root / "metadata.txt", encoding="utf-8")
    return config["general"]["version"].strip()


def default_output(root: Path = ROOT) -> Path:
    return root / "build" / f"{PLUGIN}-{version(root)}.zip"


def plugin_files(root: Path = ROOT) -> list[Path]:
    missing = [name for name in FILES if not (root / name).is_file()]
    if missing:
        raise PackageError(f"missing from the plugin folder: {', '.join(missing)}")
    files = [root / name for name in FILES]
    for package in PACKAGES:
        files += sorted(p for p in (root / package).rglob("*.py")
                        if "__pycache__" not in p.parts)
    return files


def compile_translations(ts_files: list[Path], out_dir: Path,
                         lrelease: str | None = None) -> list[Path]:
    """Compile each `.ts` into `out_dir/<stem>.qm`; PackageError if that is not possible."""
    if not ts_files:
        return []
    tool = shutil.which(lrelease or "lrelease")
    if tool is None:
        raise PackageError(
            "lrelease is needed to compile " + ", ".join(ts.name for ts in ts_files)
            + " (Debian: apt-get install qttools5-dev-tools); refusing to package without "
              "the translations")
    compiled = []
    for ts in ts_files:
        qm = out_dir / f"{ts.stem}.qm"
        result = subprocess.run([tool, str(ts), "-qm", str(qm)], capture_output=True,
                                text=True, check=False)
        if result.returncode != 0 or not qm.is_file() or qm.stat().st_size == 0:
            raise PackageError(f"lrelease could not compile {ts.name}:\n"
                               f"{result.stdout}{result.stderr}".rstrip())
        compiled.append(qm)
    return compiled


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    info = zipfile.ZipInfo(f"{PLUGIN}/{name}", ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, path.read_bytes())


def build(output: Path, root: Path = ROOT, lrelease: str | None = None) -> Path:
    files = plugin_files(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        translations = compile_translations(sorted((root / "i18n").glob("*.ts")), Path(work),
                                            lrelease)
        partial = output.with_name(output.name + ".part")
        with zipfile.ZipFile(partial, "w") as archive:
            for path in files:
                _add(archive, path, path.relative_to(root).as_posix())
            for qm in translations:
                _add(archive, qm, f"i18n/{qm.name}")
        os.replace(partial, output)
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=None,
                        help="the zip to write (default build/os_data_hub_loader-<version>.zip)")
    args = parser.parse_args()
    try:
        output = build(args.output or default_output())
    except PackageError as error:
        print(f"package: {error}", file=sys.stderr)
        return 1
    print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
