"""The Welsh translation is complete and well formed, its `.ts` matches the code, and the tooling
finds what is left to translate (`make translations-missing`)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
I18N = REPO_ROOT / "i18n"
TS = I18N / "os_data_hub_loader_cy.ts"
CY_JSON = I18N / "cy.json"
SOURCE_FOLDERS = ("api", "core", "ui", "browser", "processing_provider")

needs_pylupdate = pytest.mark.skipif(
    shutil.which("pylupdate5") is None,
    reason="pylupdate5 is not installed (Debian: pyqt5-dev-tools)")


def _ts_tool():
    spec = importlib.util.spec_from_file_location("ts_tool", I18N / "ts_tool.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ts_tool = _ts_tool()


def plugin_sources() -> list[str]:
    """What `make translations` gives pylupdate5: every Python file of the plugin."""
    files = [REPO_ROOT / "plugin.py"]
    for folder in SOURCE_FOLDERS:
        files += sorted((REPO_ROOT / folder).rglob("*.py"))
    return [str(path) for path in files if "__pycache__" not in path.parts]


def pylupdate(sources: list[str], ts: Path) -> ET.Element:
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(ts)], check=True,
                   capture_output=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return ET.parse(ts).getroot()


def messages(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {(context, source): message for context, source, message in ts_tool.messages(root)}


def test_every_string_of_the_ts_is_translated_into_welsh():
    root = ET.parse(TS).getroot()
    assert root.get("language") == "cy"
    found = messages(root)
    assert len(found) > 400
    untranslated = [key for key, message in found.items()
                    if message.find("translation").get("type") == "unfinished"
                    or not (message.findtext("translation") or "").strip()]
    assert untranslated == []


def test_translations_keep_placeholders_mnemonics_tags_and_edges():
    broken = [(context, source, why)
              for (context, source), message in messages(ET.parse(TS).getroot()).items()
              for why in ts_tool.problems(source, message.findtext("translation") or "")]
    assert broken == []


def test_the_checks_catch_broken_translations():
    problems = ts_tool.problems
    assert problems("{0} files", "{1} ffeil")
    assert problems("{0} of {1}", "{0} o")
    assert problems("Refused {name!r}", "Gwrthodwyd {name}")
    assert problems("&Download", "Lawrlwytho")
    assert problems("&Download", "&Lawr&lwytho")
    assert problems('<a href="{0}">OS</a>', "{0} OS")
    assert problems("{0} ", "{0}")
    assert not problems("&Download", "&Lawrlwytho")
    assert not problems("a &amp; b &nbsp;{0}", "a &amp; b {0}&nbsp;")
    assert ts_tool.mnemonics("Save && &close") == 1


def test_the_json_and_the_ts_agree():
    """The `.ts` is what `make translations` makes of cy.json: same strings, same Welsh, and no
    translation in cy.json that the code no longer uses."""
    translations = json.loads(CY_JSON.read_text(encoding="utf-8"))
    in_ts = {key: message.findtext("translation")
             for key, message in messages(ET.parse(TS).getroot()).items()}
    in_json = {(context, source): text for context, entries in translations.items()
               for source, text in entries.items()}
    assert in_ts == in_json


@needs_pylupdate
def test_the_ts_holds_every_string_of_the_code(tmp_path):
    """Run `make translations` after changing a user-visible string."""
    fresh = messages(pylupdate(plugin_sources(), tmp_path / "fresh.ts"))
    committed = messages(ET.parse(TS).getroot())
    assert sorted(set(fresh) - set(committed)) == []
    assert sorted(set(committed) - set(fresh)) == []


@needs_pylupdate
def test_the_api_messages_are_extracted(tmp_path):
    found = messages(pylupdate(plugin_sources(), tmp_path / "fresh.ts"))
    api = {source for context, source in found if context == "api"}
    for expected in ("The API key was refused (401) for {what}: {hint}.",
                     "The zip file {0} is damaged ({1}) and was not unpacked: download it again.",
                     "The OS Maps capabilities could not be read: {0}.",
                     "is a symbolic link, which is refused"):
        assert expected in api


@needs_pylupdate
def test_translations_missing_lists_exactly_the_new_strings(tmp_path):
    """What `make translations-missing` does after another branch adds strings: pylupdate5
    over the code, then `ts_tool.py missing`, which names each new string and exits 1."""
    new_code = tmp_path / "new_widget.py"
    new_code.write_text(
        "class DownloadsPanel:\n"
        "    def tips(self):\n"
        "        self.tr('Tick every file that the filters show')\n"
        "        self.tr('Files')\n", encoding="utf-8")
    ts = tmp_path / "cy.ts"
    pylupdate([*plugin_sources(), str(new_code)], ts)
    result = subprocess.run([sys.executable, str(I18N / "ts_tool.py"), "missing", str(ts),
                             str(CY_JSON)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "[DownloadsPanel] Tick every file that the filters show"]

    stubs = tmp_path / "cy.json"
    shutil.copy(CY_JSON, stubs)
    subprocess.run([sys.executable, str(I18N / "ts_tool.py"), "stubs", str(ts), str(stubs)],
                   check=True, capture_output=True)
    added = json.loads(stubs.read_text(encoding="utf-8"))["DownloadsPanel"]
    new = "Tick every file that the filters show"
    assert added[new] == ""
    added[new] = "Ticio pob ffeil y mae'r hidlyddion yn ei dangos"
    stubs.write_text(json.dumps({"DownloadsPanel": added}), encoding="utf-8")
    partial = subprocess.run([sys.executable, str(I18N / "ts_tool.py"), "fill", str(ts),
                              str(stubs)], capture_output=True, text=True, check=True)
    assert "untranslated" in partial.stdout
    filled = messages(ET.parse(ts).getroot())
    assert filled[("DownloadsPanel", new)].findtext("translation") == added[new]


def test_fill_refuses_a_broken_translation(tmp_path):
    ts = tmp_path / "cy.ts"
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1">\n'
                  "<context><name>X</name><message><source>{0} files</source>"
                  '<translation type="unfinished"></translation></message></context>\n</TS>\n',
                  encoding="utf-8")
    broken = tmp_path / "cy.json"
    broken.write_text(json.dumps({"X": {"{0} files": "ffeiliau"}}), encoding="utf-8")
    result = subprocess.run([sys.executable, str(I18N / "ts_tool.py"), "fill", str(ts),
                             str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "placeholders differ" in result.stderr
    assert ET.parse(ts).getroot().find(".//translation").get("type") == "unfinished"


@pytest.mark.skipif(shutil.which("lrelease") is None, reason="lrelease is not installed")
def test_the_ts_compiles(tmp_path):
    result = subprocess.run(["lrelease", str(TS), "-qm", str(tmp_path / "cy.qm")],
                            capture_output=True, text=True, check=True)
    assert (tmp_path / "cy.qm").stat().st_size > 10_000, result.stdout
