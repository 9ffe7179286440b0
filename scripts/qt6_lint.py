"""Qt6 lint: what would break the plugin under QGIS 4 (PyQt6), found in our own code.

`make lint` runs it (and a test runs it under every QGIS of the version matrix). It reads the
Python files, resolves every name imported from Qt or QGIS against the QGIS this Python has, and
reports:

- unscoped enum members (`Qt.UserRole`, `Qgis.Info`, `QgsTask.CanCancel`), with the scoped form
  (`Qt.ItemDataRole.UserRole`, ...), which PyQt5 accepts too and PyQt6 requires;
- a Qt or QGIS attribute that this QGIS does not have (a scoped name that is right on one QGIS
  version and missing on another: such differences live in `core/compat.py`);
- `QVariant.<type>` (Qt6 has `QMetaType.Type`), QFlags constructors such as `Qt.Orientations(...)`
  (under PyQt6 the enum is its own flags type), `exec_()`, imports from `PyQt5` rather than
  `qgis.PyQt`, and classes Qt6 removed.

A line that must keep a version-specific name (only ever run on the versions that have it) says
so with a trailing `# qt6: <reason>` comment. `--fix` rewrites unscoped enums in place.

Exit status: 0 when nothing is found, 1 when something is, 2 when QGIS cannot be imported.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["plugin.py", "__init__.py", "api", "core", "ui", "browser", "processing_provider",
           "local_os_api", "scripts", "tests"]
SKIPPED_PARTS = {".venv", "build", "dist", ".cache", "__pycache__"}
QT_ROOTS = ("qgis", "PyQt5", "PyQt6")
PRAGMA = "# qt6:"
MISSING = object()
# Removed in Qt6 (and not shimmed by qgis.PyQt): name -> what to use instead.
REMOVED = {
    "QRegExp": "QRegularExpression",
    "QRegExpValidator": "QRegularExpressionValidator",
    "QDesktopWidget": "QScreen (QGuiApplication.screens())",
}
# Qt6 moved these from QtWidgets to QtGui: core/compat.py imports them from where they are.
MOVED_TO_QTGUI = {"QAction", "QActionGroup", "QShortcut", "QUndoCommand", "QUndoGroup",
                  "QUndoStack", "QFileSystemModel"}
REMOVED_METHODS = {
    "exec_": "exec()",
    "print_": "print()",
}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    col: int
    message: str
    replacement: tuple[int, int, int, str] | None = None  # line, col, end_col, new text

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}:{self.col + 1}: {self.message}"


def is_enum_member(value: object) -> bool:
    if isinstance(value, enum.Enum):
        return True
    kind = type(value)
    return type(kind).__name__ == "enumtype"  # sip's enums (PyQt5, QGIS 3 built with sip 4/5)


def is_enum_type(value: object) -> bool:
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return True
    return type(value).__name__ == "enumtype"


def member_name(value: object, spelled: str) -> str:
    name = getattr(value, "name", None)
    return name if isinstance(name, str) and name else spelled


def flags_types() -> set[type]:
    """Qt's and QGIS's QFlags classes (`Qt.Orientations`, `QgsTask.Flags`), found from the
    enums they combine: PyQt5 returns one for `member | member`."""
    found: set[type] = set()
    modules = ["qgis.PyQt.QtCore", "qgis.PyQt.QtGui", "qgis.PyQt.QtWidgets", "qgis.core",
               "qgis.gui"]
    for module_name in modules:
        module = importlib.import_module(module_name)
        for cls in vars(module).values():
            if not isinstance(cls, type):
                continue
            for value in vars(cls).values():
                if not is_enum_member(value) or isinstance(value, enum.Enum):
                    continue
                try:
                    combined = type(value | value)
                except TypeError:
                    continue
                if combined is not int and combined is not type(value):
                    found.add(combined)
    return found


class ModuleChecker(ast.NodeVisitor):
    def __init__(self, path: Path, source: str, flags: set[type]) -> None:
        self.path = path
        self.source = source
        self.lines = source.splitlines()
        self.flags = flags
        self.names: dict[str, object] = {}
        self.findings: list[Finding] = []
        self.inner: set[int] = set()  # Attribute nodes that are the value of a checked parent

    def add(self, node: ast.AST, message: str,
            replacement: tuple[int, int, int, str] | None = None) -> None:
        line = getattr(node, "lineno", 1)
        text = self.lines[line - 1] if line <= len(self.lines) else ""
        if PRAGMA in text:
            return
        self.findings.append(Finding(self.path, line, getattr(node, "col_offset", 0), message,
                                     replacement))

    # --- imports ------------------------------------------------------------------------------
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or module.split(".")[0] not in QT_ROOTS:
            return
        if module.startswith(("PyQt5", "PyQt6")):
            self.add(node, f"import from qgis.PyQt, not {module}")
            return
        try:
            imported = importlib.import_module(module)
        except ImportError as error:
            self.add(node, f"{module} cannot be imported here: {error}")
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            if alias.name in MOVED_TO_QTGUI and module.endswith("QtWidgets"):
                self.add(node, f"{alias.name} is in QtGui in Qt6: import it from core.compat")
            if alias.name in REMOVED:
                self.add(node, f"{alias.name} is gone in Qt6: use {REMOVED[alias.name]}")
            value = getattr(imported, alias.name, MISSING)
            if value is MISSING:
                try:
                    value = importlib.import_module(f"{module}.{alias.name}")
                except ImportError:
                    self.add(node, f"{module} has no {alias.name} in this QGIS")
                    continue
            if value is not None:  # qgis.utils.iface is None outside the QGIS desktop
                self.names[alias.asname or alias.name] = value

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith(("PyQt5", "PyQt6")):
                self.add(node, f"import qgis.PyQt, not {alias.name}")
            elif alias.name.split(".")[0] == "qgis" and alias.asname:
                try:
                    self.names[alias.asname] = importlib.import_module(alias.name)
                except ImportError:
                    pass

    # --- attribute chains --------------------------------------------------------------------
    def resolve(self, node: ast.expr) -> object | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Attribute):
            parent = self.resolve(node.value)
            if parent is None:
                return None
            return getattr(parent, node.attr, None)
        return None

    def visit_Attribute(self, node: ast.Attribute) -> None:
        parent = self.resolve(node.value)
        if parent is not None and id(node) not in self.inner:
            self.check_attribute(node, parent)
        if isinstance(node.value, ast.Attribute) and parent is not None:
            self.inner.add(id(node.value))
        if node.attr in REMOVED_METHODS:
            self.add(node, f".{node.attr}() is gone in Qt6: use {REMOVED_METHODS[node.attr]}")
        self.generic_visit(node)

    def check_attribute(self, node: ast.Attribute, parent: object) -> None:
        if isinstance(parent, type(sys)):  # a module: qgis.core.Qgis and the like
            if not hasattr(parent, node.attr):
                self.add(node, f"{parent.__name__} has no {node.attr} in this QGIS")
            return
        if not hasattr(parent, node.attr):
            if not self.is_qvariant_type(node, parent):
                owner = getattr(parent, "__qualname__", None) or type(parent).__name__
                self.add(node, f"{owner} has no {node.attr} in this QGIS "
                               "(a version difference belongs in core/compat.py)")
            return
        value = getattr(parent, node.attr)
        if self.is_qvariant_type(node, parent):
            return
        if is_enum_member(value) and not is_enum_type(parent):
            self.unscoped(node, parent, value)

    def is_qvariant_type(self, node: ast.Attribute, parent: object) -> bool:
        if getattr(parent, "__name__", "") != "QVariant" or not node.attr[:1].isupper():
            return False
        self.add(node, f"QVariant.{node.attr}: Qt6 has no QVariant types, use QMetaType.Type "
                       "(core/compat.py where QGIS < 3.38 still wants a QVariant.Type)")
        return True

    def unscoped(self, node: ast.Attribute, parent: object, value: object) -> None:
        enum_type = type(value)
        enum_name = enum_type.__name__
        spelled = ast.get_source_segment(self.source, node.value) or "?"
        name = member_name(value, node.attr)
        if getattr(parent, enum_name, None) is enum_type:
            scoped = f"{spelled}.{enum_name}.{name}"
        else:
            scoped = f"{enum_type.__qualname__}.{name}"
        replacement = None
        if node.lineno == node.end_lineno:
            replacement = (node.lineno, node.col_offset, node.end_col_offset or 0, scoped)
        self.add(node, f"unscoped enum {spelled}.{node.attr}: write {scoped}", replacement)

    def visit_Call(self, node: ast.Call) -> None:
        func = self.resolve(node.func)
        if isinstance(func, type) and func in self.flags:
            self.add(node, f"{func.__qualname__}(...): PyQt6 has no QFlags classes, combine "
                           "the enum's members with | instead")
        self.generic_visit(node)


def python_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in sorted(path.rglob("*.py"))
                         if not SKIPPED_PARTS.intersection(p.relative_to(ROOT).parts))
    return files


def check(paths: list[Path]) -> list[Finding]:
    flags = flags_types()
    findings: list[Finding] = []
    for path in python_files(paths):
        source = path.read_text(encoding="utf-8")
        checker = ModuleChecker(path, source, flags)
        checker.visit(ast.parse(source, filename=str(path)))
        findings.extend(checker.findings)
    return findings


def fix(findings: list[Finding]) -> int:
    by_file: dict[Path, list[tuple[int, int, int, str]]] = {}
    for finding in findings:
        if finding.replacement:
            by_file.setdefault(finding.path, []).append(finding.replacement)
    fixed = 0
    for path, replacements in by_file.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for line, col, end, text in sorted(set(replacements), reverse=True):
            current = lines[line - 1]
            lines[line - 1] = current[:col] + text + current[end:]
            fixed += 1
        path.write_text("\n".join(lines), encoding="utf-8")
    return fixed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--fix", action="store_true", help="rewrite unscoped enums in place")
    args = parser.parse_args(argv)
    try:
        from qgis.core import Qgis
    except ImportError as error:
        print(f"qt6-lint: QGIS's Python bindings cannot be imported ({error}): "
              "run `make setup`", file=sys.stderr)
        return 2
    paths = [p.resolve() for p in args.paths] or [ROOT / p for p in CHECKED]
    findings = check(paths)
    if args.fix:
        print(f"qt6-lint: rewrote {fix(findings)} unscoped enums", file=sys.stderr)
        findings = check(paths)
    for finding in findings:
        print(finding)
    print(f"qt6-lint (QGIS {Qgis.version()}): {len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
