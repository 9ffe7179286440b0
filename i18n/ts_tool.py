"""Fill a Qt `.ts` file from a reviewable JSON translation, and say what is missing.

The translations are written in `i18n/<language>.json`: `{context: {English source: text}}`,
the contexts and sources exactly as `pylupdate5` writes them into the `.ts`. This tool (the
standard library only) puts them into the `.ts` that `pylupdate5` made from the code, so the
`.ts` never needs editing by hand:

    python3 i18n/ts_tool.py fill i18n/os_data_hub_loader_cy.ts i18n/cy.json
    python3 i18n/ts_tool.py missing i18n/os_data_hub_loader_cy.ts i18n/cy.json
    python3 i18n/ts_tool.py stubs i18n/os_data_hub_loader_cy.ts i18n/cy.json
    python3 i18n/ts_tool.py prune i18n/os_data_hub_loader_cy.ts i18n/cy.json

`fill` writes every translation the JSON has (and marks the other strings unfinished, with no
text, so no stale guess of pylupdate5 is shipped); it exits 1 if a translation breaks a rule
below. `missing` lists the strings of the `.ts` that the JSON does not translate (or translates
breaking a rule) and exits 1 if there is any. `stubs` adds those strings to the JSON with an
empty translation, to be filled in. `fill` and `missing` also name the JSON entries that the
code no longer has (obsolete), without failing; `prune` removes them.

Rules for a translation (`problems()`): the same `{...}` and `%1`/`%n` placeholders, the same
number of `&` mnemonics, the same HTML tags and the same leading and trailing white space as
its source.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

Translations = Dict[str, Dict[str, str]]

PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})|%L?\d+|%n")
TAG = re.compile(r"<[^<>]+>")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")


def mnemonics(text: str) -> int:
    """How many `&` mark a keyboard shortcut (not `&&`, not an HTML entity such as `&nbsp;`)."""
    text = ENTITY.sub("", text.replace("&&", ""))
    return text.count("&")


def _edges(text: str) -> Tuple[str, str]:
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def problems(source: str, translation: str) -> List[str]:
    """What is wrong with `translation` of `source`; empty if nothing."""
    found = []
    if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(translation)):
        found.append("placeholders differ: {} / {}".format(
            sorted(PLACEHOLDER.findall(source)), sorted(PLACEHOLDER.findall(translation))))
    if mnemonics(source) != mnemonics(translation):
        found.append(f"{mnemonics(source)} '&' mnemonic(s) in the source, "
                     f"{mnemonics(translation)} in the translation")
    if Counter(TAG.findall(source)) != Counter(TAG.findall(translation)):
        found.append("HTML tags differ")
    if _edges(source) != _edges(translation):
        found.append("leading or trailing white space differs")
    return found


def messages(root: ET.Element) -> Iterator[Tuple[str, str, ET.Element]]:
    """(context, source, message element) for every message of a parsed `.ts`."""
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            yield name, message.findtext("source") or "", message


def load_json(path: Path) -> Translations:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
            isinstance(entries, dict) and all(isinstance(v, str) for v in entries.values())
            for entries in data.values()):
        raise SystemExit(f"{path}: expected {{context: {{source: translation}}}}")
    return data


def save_json(path: Path, translations: Translations) -> None:
    text = json.dumps(translations, ensure_ascii=False, indent=2, sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def language_of(json_path: Path) -> str:
    """`cy.json` translates into `cy`."""
    return json_path.stem


def write_ts(tree: ET.ElementTree, path: Path) -> None:
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def compare(root: ET.Element, translations: Translations) -> Tuple[
        List[Tuple[str, str]], List[Tuple[str, str]], List[Tuple[str, str, str]]]:
    """(missing, obsolete, broken): strings of the `.ts` without a translation, JSON entries
    the `.ts` does not have, and translations that break a rule (with the reason)."""
    seen = set()
    missing, broken = [], []
    for context, source, _message in messages(root):
        seen.add((context, source))
        text = translations.get(context, {}).get(source, "")
        if not text:
            missing.append((context, source))
        else:
            broken += [(context, source, why) for why in problems(source, text)]
    obsolete = [(context, source) for context, entries in translations.items()
                for source in entries if (context, source) not in seen]
    return missing, obsolete, broken


def fill(ts_path: Path, json_path: Path) -> int:
    tree = ET.parse(ts_path)
    root = tree.getroot()
    translations = load_json(json_path)
    missing, obsolete, broken = compare(root, translations)
    bad = {(context, source) for context, source, _why in broken}
    root.set("language", language_of(json_path))
    root.set("sourcelanguage", "en")
    done = 0
    for context, source, message in messages(root):
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        text = translations.get(context, {}).get(source, "")
        if text and (context, source) not in bad:
            translation.text = text
            translation.attrib.pop("type", None)
            done += 1
        else:
            translation.text = None
            translation.set("type", "unfinished")
    write_ts(tree, ts_path)
    print(f"{ts_path.name}: {done} strings translated, {len(missing)} untranslated"
          + (" (make translations-missing lists them)" if missing else ""))
    for context, source, why in broken:
        print(f"broken, not used: [{context}] {source}: {why}", file=sys.stderr)
    _report_obsolete(obsolete)
    return 1 if broken else 0


def _report_obsolete(obsolete: List[Tuple[str, str]]) -> None:
    for context, source in obsolete:
        print(f"obsolete (no longer in the code): [{context}] {source}", file=sys.stderr)


def missing_strings(ts_path: Path, json_path: Path) -> int:
    missing, obsolete, broken = compare(ET.parse(ts_path).getroot(), load_json(json_path))
    for context, source in missing:
        print(f"[{context}] {source}")
    for context, source, why in broken:
        print(f"[{context}] {source}  -- translation broken: {why}")
    _report_obsolete(obsolete)
    count = len(missing) + len(broken)
    print(f"{json_path.name}: {count} string(s) to translate", file=sys.stderr)
    return 1 if count else 0


def stubs(ts_path: Path, json_path: Path) -> int:
    translations = load_json(json_path)
    missing, _obsolete, _broken = compare(ET.parse(ts_path).getroot(), translations)
    for context, source in missing:
        translations.setdefault(context, {})[source] = ""
    save_json(json_path, translations)
    print(f"{json_path.name}: {len(missing)} empty translation(s) added", file=sys.stderr)
    return 0


def prune(ts_path: Path, json_path: Path) -> int:
    translations = load_json(json_path)
    _missing, obsolete, _broken = compare(ET.parse(ts_path).getroot(), translations)
    for context, source in obsolete:
        del translations[context][source]
        if not translations[context]:
            del translations[context]
    save_json(json_path, translations)
    print(f"{json_path.name}: {len(obsolete)} obsolete translation(s) removed", file=sys.stderr)
    return 0


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("fill", "missing", "stubs", "prune"))
    parser.add_argument("ts", type=Path, help="the .ts file pylupdate5 wrote")
    parser.add_argument("json", type=Path, help="the translations, e.g. i18n/cy.json")
    args = parser.parse_args(argv)
    command = {"fill": fill, "missing": missing_strings, "stubs": stubs,
               "prune": prune}[args.command]
    return command(args.ts, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
