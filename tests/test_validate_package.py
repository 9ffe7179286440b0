"""`scripts/validate_package.py`: every plugins.qgis.org rule is shown to fail when broken.

Each case starts from a small zip that passes, breaks one rule, and expects the message for
that rule (and only broken-rule messages that the change explains)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import validate_package  # noqa: E402

TOP = "good_plugin"
METADATA = {
    "name": "Good Plugin",
    "qgisMinimumVersion": "3.22",
    "qgisMaximumVersion": "4.99",
    "supportsQt6": "True",
    "description": "Does one thing.",
    "about": "Does one thing, well.",
    "version": "1.2.3",
    "author": "Someone",
    "email": "someone@example.org",
    "tracker": "https://example.org/good/issues",
    "repository": "https://example.org/good",
    "homepage": "https://example.org/good#readme",
    "icon": "icon.png",
    "experimental": "False",
    "changelog": "\n    1.2.3 - Fixed things.",
}
CHANGELOG = "# Changelog\n\n## 1.2.3 — unreleased\n\n- Fixed things.\n\n## 1.2.2\n\n- Old.\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def metadata_text(fields: dict[str, str], section: str = "general") -> str:
    return f"[{section}]\n" + "".join(f"{k}={v}\n" for k, v in fields.items())


def good_members() -> dict[str, bytes]:
    return {
        f"{TOP}/__init__.py": b"def classFactory(iface):\n    return None\n",
        f"{TOP}/metadata.txt": metadata_text(METADATA).encode(),
        f"{TOP}/LICENSE": b"GPL-2.0-or-later\n",
        f"{TOP}/icon.png": PNG,
        f"{TOP}/i18n/good_plugin_cy.qm": b"<\xb8d\x18\xca\xef\x9c\x95\xcd!\x1c\xbf`\xa1\xbd\xdd",
        f"{TOP}/core/code.py": b"VALUE = 1\n",
    }


def write_zip(path: Path, members: dict[str, bytes], modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.external_attr = (modes or {}).get(name, 0o644) << 16
            archive.writestr(info, data)
    return path


@pytest.fixture
def changelog(tmp_path: Path) -> Path:
    path = tmp_path / "CHANGELOG.md"
    path.write_text(CHANGELOG, encoding="utf-8")
    return path


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    folder = tmp_path / "i18n"
    folder.mkdir()
    (folder / "good_plugin_cy.ts").write_text("<TS/>", encoding="utf-8")
    return folder


def validate(tmp_path, members, changelog, translations, name=f"{TOP}-1.2.3.zip", modes=None):
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    return validate_package.validate(write_zip(folder / name, members, modes), changelog,
                                     translations)


def test_the_good_zip_passes(tmp_path, changelog, translations):
    assert validate(tmp_path, good_members(), changelog, translations) == []


def with_metadata(**changes: str | None) -> dict[str, bytes]:
    fields = {k: v for k, v in {**METADATA, **changes}.items() if v is not None}
    return {**good_members(), f"{TOP}/metadata.txt": metadata_text(fields).encode()}


def without(*names: str) -> dict[str, bytes]:
    return {k: v for k, v in good_members().items() if k.split("/", 1)[1] not in names}


def renamed_top(new_top: str) -> dict[str, bytes]:
    return {new_top + k[len(TOP):]: v for k, v in good_members().items()}


BROKEN = {
    "two top folders": ({**good_members(), "other/readme.txt": b"x"}, "one top folder"),
    "file outside the top folder": ({**good_members(), "stray.py": b"x"}, "outside a top folder"),
    "upper-case top folder": (renamed_top("Good_Plugin"), "PEP 8 package name"),
    "dash in top folder": (renamed_top("good-plugin"), "PEP 8 package name"),
    "no __init__.py": (without("__init__.py"), "__init__.py is missing"),
    "no metadata.txt": (without("metadata.txt"), "metadata.txt is missing"),
    "no [general]": ({**good_members(), f"{TOP}/metadata.txt":
                      metadata_text(METADATA, "plugin").encode()}, "no [general] section"),
    "metadata not parseable": ({**good_members(), f"{TOP}/metadata.txt": b"name=x\n"},
                               "cannot be parsed"),
    "metadata not UTF-8": ({**good_members(), f"{TOP}/metadata.txt":
                            metadata_text({**METADATA, "author": "Gw\xe9n"}).encode("latin-1")},
                           "not UTF-8"),
    **{f"no {field}": (with_metadata(**{field: None}), f"{field!r} is missing")
       for field in validate_package.REQUIRED},
    "empty about": (with_metadata(about=""), "'about' is missing or empty"),
    "bad version": (with_metadata(version="one", changelog=None), "not a version"),
    "bad qgisMinimumVersion": (with_metadata(qgisMinimumVersion="3.x"), "not a version"),
    "QGIS 2 minimum": (with_metadata(qgisMinimumVersion="2.18"), "older than QGIS 3"),
    "bad qgisMaximumVersion": (with_metadata(qgisMaximumVersion="4.x"), "not a version"),
    "maximum below minimum": (with_metadata(qgisMaximumVersion="3.16"),
                              "qgisMaximumVersion=3.16 is older than qgisMinimumVersion=3.22"),
    "Qt6 without a QGIS 4 maximum": (with_metadata(qgisMaximumVersion=None),
                                     "supportsQt6=True needs qgisMaximumVersion=4.99"),
    "Qt6 with a QGIS 3 maximum": (with_metadata(supportsQt6="True", qgisMaximumVersion="3.99"),
                                  "supportsQt6=True needs qgisMaximumVersion=4.99"),
    "bad supportsQt6": (with_metadata(supportsQt6="yes"), "neither True nor False"),
    "bad email": (with_metadata(email="someone at example"), "not an e-mail address"),
    "bad tracker": (with_metadata(tracker="http://bugs"), "tracker='http://bugs' is not"),
    "bad repository": (with_metadata(repository="github.com/x/y"), "repository="),
    "bad homepage": (with_metadata(homepage="ftp://example.org"), "homepage="),
    "slash in author": (with_metadata(author="A / B"), "author must not contain"),
    "bad flag": (with_metadata(experimental="maybe"), "neither True nor False"),
    "icon missing": (without("icon.png"), "icon 'icon.png' is not in the zip"),
    "no LICENSE": (without("LICENSE"), "LICENSE is missing"),
    "dot-dot member": ({**good_members(), f"{TOP}/../evil.py": b"x"}, "'..'"),
    "absolute member": ({**good_members(), f"/{TOP}/evil.py": b"x"}, "absolute path"),
    "pyc": ({**good_members(), f"{TOP}/core/code.pyc": b"\x55\x0d\r\n"}, "binary file type"),
    "shared library": ({**good_members(), f"{TOP}/lib/_speed.so": b"x"}, "binary file type"),
    "dll": ({**good_members(), f"{TOP}/lib/speed.dll": b"x"}, "binary file type"),
    "ELF without suffix": ({**good_members(), f"{TOP}/tool": b"\x7fELF\x02\x01"},
                           "executable or library content"),
    "__pycache__": ({**good_members(), f"{TOP}/core/__pycache__/code.txt": b"x"},
                    "forbidden folder __pycache__"),
    ".git": ({**good_members(), f"{TOP}/.git/HEAD": b"ref"}, "forbidden folder .git"),
    "__MACOSX": ({**good_members(), f"{TOP}/__MACOSX/._icon.png": b"x"},
                 "forbidden folder __MACOSX"),
    "changelog entry disagrees": (with_metadata(changelog="\n    1.2.2 - Old."),
                                  "does not start with version 1.2.3"),
    "CHANGELOG.md top entry disagrees": (with_metadata(version="1.2.4", changelog="1.2.4 - x"),
                                         "the top entry is 1.2.3"),
    "translation not compiled": (without("i18n/good_plugin_cy.qm"),
                                 "good_plugin_cy.ts is not shipped compiled"),
}


@pytest.mark.parametrize("members, expected", BROKEN.values(), ids=BROKEN.keys())
def test_each_broken_rule_is_reported(tmp_path, changelog, translations, members, expected):
    name = f"{TOP}-1.2.4.zip" if "1.2.4" in str(members.get(f"{TOP}/metadata.txt")) \
        else f"{TOP}-1.2.3.zip"
    problems = validate(tmp_path, members, changelog, translations, name=name)
    assert any(expected in problem for problem in problems), problems


def test_an_executable_bit_counts_as_a_binary(tmp_path, changelog, translations):
    members = {**good_members(), f"{TOP}/run.sh": b"#!/bin/sh\n"}
    problems = validate(tmp_path, members, changelog, translations,
                        modes={f"{TOP}/run.sh": 0o755})
    assert problems == [f"{TOP}/run.sh: binaries are not allowed (marked executable)"]


def test_zip_named_after_another_version(tmp_path, changelog, translations):
    problems = validate(tmp_path, good_members(), changelog, translations,
                        name=f"{TOP}-1.2.2.zip")
    assert problems == [f"the zip is named {TOP}-1.2.2.zip, expected {TOP}-1.2.3.zip "
                        "(metadata.txt version=1.2.3)"]


def test_too_big(tmp_path, changelog, translations):
    members = {**good_members(), f"{TOP}/data.txt": os.urandom(validate_package.MAX_SIZE)}
    problems = validate(tmp_path, members, changelog, translations)
    assert len(problems) == 1 and "more than the 5,000,000 allowed" in problems[0]


def test_damaged_zip(tmp_path, changelog, translations):
    path = write_zip(tmp_path / f"{TOP}-1.2.3.zip", good_members())
    data = bytearray(path.read_bytes())
    name = f"{TOP}/LICENSE".encode()
    data[data.index(name) + len(name) + 2] ^= 0xFF  # inside LICENSE's compressed data
    path.write_bytes(bytes(data))
    problems = validate_package.validate(path, changelog, translations)
    assert any("damaged zip member" in p for p in problems), problems


def test_not_a_zip(tmp_path):
    path = tmp_path / f"{TOP}-1.2.3.zip"
    path.write_bytes(b"not a zip")
    assert validate_package.validate(path) == ["not a zip file: File is not a zip file"]


def test_the_command_line_says_each_problem_and_fails(tmp_path, changelog):
    members = with_metadata(email="nobody", tracker=None)
    path = write_zip(tmp_path / f"{TOP}-1.2.3.zip", members)
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "validate_package.py"), str(path),
         "--changelog", str(changelog)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "validate: metadata.txt: required field 'tracker' is missing or empty",
        "validate: metadata.txt: email='nobody' is not an e-mail address",
        f"validate: {TOP}-1.2.3.zip: 2 rule(s) broken",
    ]
