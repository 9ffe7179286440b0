"""Check a plugin zip against plugins.qgis.org's upload rules, before we upload it.

`python3 scripts/validate_package.py build/os_data_hub_loader-<version>.zip` prints one line
per broken rule and exits 1 if any is broken, 0 if the zip passes.

The rules (those of plugins.qgis.org's upload validator, some made stricter for us):

- the file is a readable zip (no CRC errors) of at most 5 MB (plugins.qgis.org allows 25 MB;
  we keep the plugin small);
- no member path is absolute (`/x`, `\\x`, `C:x`) or contains a `..` component;
- no `__MACOSX`, `.git` or `__pycache__` folder anywhere;
- no binaries. Counted as a binary: a member whose name ends in `.pyc`, `.pyo`, `.pyd`, `.so`,
  `.dll`, `.exe`, `.dylib`, `.bin`, `.o`, `.a`, `.lib`, `.class`, `.jar`, `.msi` or `.com`; a
  member whose content starts like an ELF, Windows PE (`MZ`), Mach-O or Java class file; a
  member whose Unix mode has an execute bit. Images (`.png`, `.svg`, ...) and compiled Qt
  translations (`.qm`) are data, not binaries, and are allowed;
- exactly one top folder, whose name is a lower-case PEP 8 package name (`[a-z][a-z0-9_]*`);
- `<top>/__init__.py`, `<top>/LICENSE` and `<top>/metadata.txt` are present;
- `metadata.txt` is UTF-8, parses, and has a `[general]` section holding the required fields
  `name, description, about, version, qgisMinimumVersion, author, email, tracker, repository`,
  none of them empty, and well formed: `version` and `qgisMinimumVersion` are dotted numbers
  (`1.2` or `1.2.3`, the minimum at least 3.0), `email` looks like an address, `tracker`,
  `repository` (and `homepage`, if given) are http(s) URLs with a host, `author` has no `/`,
  the flags `experimental`, `deprecated` and `server`, if given, are True or False, and the
  `icon`, if given, is in the zip;
- QGIS 4: `qgisMaximumVersion`, if given, is a dotted number not below the minimum; a plugin
  that says `supportsQt6=True` must also say a `qgisMaximumVersion` of 4 or more (without one,
  QGIS and plugins.qgis.org take 3.99, and QGIS 4 never offers the plugin);
- versions agree: the zip is named `<top>-<version>.zip`, and `version` equals the first
  `## x.y.z` heading of the CHANGELOG (`--changelog`) and the start of the metadata
  `changelog` entry, if there is one;
- with `--translations DIR`: every `DIR/*.ts` is shipped compiled as `<top>/i18n/<name>.qm`.
"""

from __future__ import annotations

import argparse
import configparser
import re
import sys
import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_SIZE = 5_000_000
REQUIRED = ("name", "description", "about", "version", "qgisMinimumVersion", "author", "email",
            "tracker", "repository")
FLAGS = ("experimental", "deprecated", "server", "supportsQt6")
FORBIDDEN_FOLDERS = {"__MACOSX", ".git", "__pycache__"}
BINARY_SUFFIXES = {".pyc", ".pyo", ".pyd", ".so", ".dll", ".exe", ".dylib", ".bin", ".o", ".a",
                   ".lib", ".class", ".jar", ".msi", ".com"}
BINARY_MAGIC = (b"\x7fELF", b"MZ", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
PACKAGE_NAME = re.compile(r"[a-z][a-z0-9_]*")
VERSION = re.compile(r"\d+\.\d+(\.\d+)?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
URL = re.compile(r"https?://[^/\s:]+\.[^/\s]+(/\S*)?")
CHANGELOG_HEADING = re.compile(r"^##\s+v?(\d+\.\d+(?:\.\d+)?)\b", re.MULTILINE)


def _unsafe_path(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _is_binary(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Why this member counts as a binary, or None."""
    if PurePosixPath(info.filename).suffix.lower() in BINARY_SUFFIXES:
        return "a binary file type"
    if (info.external_attr >> 16) & 0o111 and not info.is_dir():
        return "marked executable"
    if not info.is_dir():
        try:
            with archive.open(info) as member:
                head = member.read(4)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
            return None  # damaged: reported by the zip test
        if any(head.startswith(magic) for magic in BINARY_MAGIC):
            return "executable or library content"
    return None


def check_members(archive: zipfile.ZipFile) -> list[str]:
    problems = []
    for info in archive.infolist():
        name = info.filename
        if _unsafe_path(name):
            problems.append(f"{name}: absolute path or '..' in a member path")
            continue
        folders = set(name.split("/")[:-1]) & FORBIDDEN_FOLDERS
        if folders:
            problems.append(f"{name}: forbidden folder {', '.join(sorted(folders))}")
        why = _is_binary(archive, info)
        if why:
            problems.append(f"{name}: binaries are not allowed ({why})")
    return problems


def top_folder(names: list[str]) -> tuple[str | None, list[str]]:
    tops = sorted({name.split("/")[0] for name in names})
    loose = [name for name in names if "/" not in name]
    if loose:
        return None, [f"files outside a top folder: {', '.join(loose)}"]
    if len(tops) != 1:
        return None, [f"one top folder expected, found {len(tops)}: {', '.join(tops)}"]
    top = tops[0]
    if not PACKAGE_NAME.fullmatch(top):
        return top, [f"top folder {top!r} is not a lower-case PEP 8 package name "
                     "([a-z][a-z0-9_]*)"]
    return top, []


def read_metadata(archive: zipfile.ZipFile, top: str) -> tuple[dict[str, str] | None, list[str]]:
    try:
        text = archive.read(f"{top}/metadata.txt").decode("utf-8")
    except KeyError:
        return None, [f"{top}/metadata.txt is missing"]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        return None, [f"metadata.txt cannot be read: {error}"]
    except UnicodeDecodeError:
        return None, ["metadata.txt is not UTF-8"]
    config = configparser.ConfigParser(interpolation=None)
    config.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        config.read_string(text)
    except configparser.Error as error:
        return None, [f"metadata.txt cannot be parsed: {error}".splitlines()[0]]
    if not config.has_section("general"):
        return None, ["metadata.txt has no [general] section"]
    return dict(config.items("general")), []


def check_metadata(meta: dict[str, str], names: set[str], top: str) -> list[str]:
    problems = [f"metadata.txt: required field {field!r} is missing or empty"
                for field in REQUIRED if not meta.get(field, "").strip()]
    value = {key: text.strip() for key, text in meta.items()}
    for field in ("version", "qgisMinimumVersion", "qgisMaximumVersion"):
        if value.get(field) and not VERSION.fullmatch(value[field]):
            problems.append(f"metadata.txt: {field}={value[field]!r} is not a version such as "
                            "1.2.3")
    minimum = value.get("qgisMinimumVersion", "")
    if VERSION.fullmatch(minimum) and int(minimum.split(".")[0]) < 3:
        problems.append(f"metadata.txt: qgisMinimumVersion={minimum} is older than QGIS 3")
    problems += _check_maximum(value)
    if value.get("email") and not EMAIL.fullmatch(value["email"]):
        problems.append(f"metadata.txt: email={value['email']!r} is not an e-mail address")
    for field in ("tracker", "repository", "homepage"):
        if value.get(field) and not URL.fullmatch(value[field]):
            problems.append(f"metadata.txt: {field}={value[field]!r} is not an http(s) URL")
    if "/" in value.get("author", ""):
        problems.append("metadata.txt: author must not contain '/'")
    for flag in FLAGS:
        if flag in value and value[flag].lower() not in ("true", "false"):
            problems.append(f"metadata.txt: {flag}={value[flag]!r} is neither True nor False")
    icon = value.get("icon", "").removeprefix("./")
    if icon and f"{top}/{icon}" not in names:
        problems.append(f"metadata.txt: icon {icon!r} is not in the zip")
    return problems


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _check_maximum(value: dict[str, str]) -> list[str]:
    minimum, maximum = value.get("qgisMinimumVersion", ""), value.get("qgisMaximumVersion", "")
    problems = []
    if VERSION.fullmatch(maximum) and VERSION.fullmatch(minimum) and \
            _version_tuple(maximum) < _version_tuple(minimum):
        problems.append(f"metadata.txt: qgisMaximumVersion={maximum} is older than "
                        f"qgisMinimumVersion={minimum}")
    if value.get("supportsQt6", "").lower() == "true" and not (
            VERSION.fullmatch(maximum) and _version_tuple(maximum) >= (4,)):
        problems.append("metadata.txt: supportsQt6=True needs qgisMaximumVersion=4.99 (without "
                        "it QGIS 4 takes 3.99 and never offers the plugin)")
    return problems


def check_versions(zip_path: Path, top: str, meta: dict[str, str],
                   changelog: Path | None) -> list[str]:
    version = meta.get("version", "").strip()
    problems = []
    expected = f"{top}-{version}.zip"
    if zip_path.name != expected:
        problems.append(f"the zip is named {zip_path.name}, expected {expected} "
                        f"(metadata.txt version={version})")
    entry = meta.get("changelog", "").strip()
    if entry and not re.match(rf"v?{re.escape(version)}\b", entry):
        problems.append(f"metadata.txt: the changelog does not start with version {version}: "
                        f"{entry.splitlines()[0][:60]!r}")
    if changelog is not None:
        headings = CHANGELOG_HEADING.findall(changelog.read_text(encoding="utf-8")) \
            if changelog.is_file() else []
        if not headings:
            problems.append(f"{changelog.name}: no '## x.y.z' heading")
        elif headings[0] != version:
            problems.append(f"{changelog.name}: the top entry is {headings[0]}, metadata.txt "
                            f"says {version}")
    return problems


def check_translations(names: set[str], top: str, ts_dir: Path) -> list[str]:
    return [f"{ts.name} is not shipped compiled as {top}/i18n/{ts.stem}.qm"
            for ts in sorted(ts_dir.glob("*.ts")) if f"{top}/i18n/{ts.stem}.qm" not in names]


def validate(zip_path: Path, changelog: Path | None = None,
             translations: Path | None = None) -> list[str]:
    """Every broken rule, one message each; an empty list if the zip may be uploaded."""
    size = zip_path.stat().st_size
    problems = []
    if size > MAX_SIZE:
        problems.append(f"the zip is {size:,} bytes, more than the {MAX_SIZE:,} allowed")
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as error:
        return [*problems, f"not a zip file: {error}"]
    with archive:
        try:
            bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as error:  # damaged compressed data
            bad = str(error)
        if bad:
            problems.append(f"damaged zip member (CRC or compressed data): {bad}")
        names = archive.namelist()
        problems += check_members(archive)
        top, found = top_folder(names)
        problems += found
        if top is None:
            return problems
        present = set(names)
        for required in ("__init__.py", "LICENSE"):
            if f"{top}/{required}" not in present:
                problems.append(f"{top}/{required} is missing")
        meta, found = read_metadata(archive, top)
        problems += found
        if meta is not None:
            problems += check_metadata(meta, present, top)
            problems += check_versions(zip_path, top, meta, changelog)
        if translations is not None:
            problems += check_translations(present, top, translations)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("zip", type=Path)
    parser.add_argument("--changelog", type=Path, default=None,
                        help="CHANGELOG.md whose first '## x.y.z' must be the version")
    parser.add_argument("--translations", type=Path, default=None,
                        help="folder whose *.ts must all be shipped as i18n/*.qm")
    args = parser.parse_args(argv)
    if not args.zip.is_file():
        print(f"validate: {args.zip} does not exist", file=sys.stderr)
        return 2
    problems = validate(args.zip, args.changelog, args.translations)
    for problem in problems:
        print(f"validate: {problem}", file=sys.stderr)
    if problems:
        print(f"validate: {args.zip.name}: {len(problems)} rule(s) broken", file=sys.stderr)
        return 1
    print(f"validate: {args.zip.name} passes the plugins.qgis.org rules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
