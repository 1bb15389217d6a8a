"""Copy ``dcn.py`` and ``notebooks/mnist_lab.py`` into each notebook, so a notebook runs on its own.

A notebook opened alone (Colab from GitHub) has no other file of the repository beside it. Its first
code cells therefore carry these two files as readable source, one raw string per cell
(``DCN_PY = (r'''...''')``), and its setup cell writes them beside the notebook when it does not run
inside the repository. This script is the only writer of those cells:

    python tests/notebook_pack.py          # update the copies in notebooks/*.py and *.ipynb

and ``tests/test_notebooks.py`` fails when a notebook's copy differs from the repository's files.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FILES = {"dcn.py": ROOT / "dcn.py", "mnist_lab.py": NOTEBOOKS / "mnist_lab.py"}
VARIABLES = {"dcn.py": "DCN_PY", "mnist_lab.py": "MNIST_LAB_PY"}
COPY = re.compile(r"^(?P<variable>[A-Z_]+_PY) = \(  # .*?\nr'''\n(?P<text>.*?)'''\n\)$", re.MULTILINE | re.DOTALL)


def copy_cell(name: str, text: str) -> str:
    """The source of the code cell that carries ``text`` as the file ``name``."""
    if "'''" in text or "\r" in text or not text.endswith("\n") or re.search(r"^# %%", text, re.MULTILINE):
        raise ValueError(f"{name} cannot be carried as a raw string in a percent-script cell")
    return (f"# @title `{name}`: a copy of the repository's file (expand to read it)\n"
            f"# Written by tests/notebook_pack.py; tests/test_notebooks.py checks it equals the repository's.\n"
            f"{VARIABLES[name]} = (  # the raw string starts its own line: IPython then keeps its >>> lines\n"
            f"r'''\n{text}'''\n)")


def copies_in(path: Path) -> dict:
    """{file name: text} of every copy carried by the notebook (.py percent script or .ipynb)."""
    import jupytext

    names = {variable: name for name, variable in VARIABLES.items()}
    found = {}
    for cell in jupytext.read(path).cells:
        match = COPY.search(cell.source) if cell.cell_type == "code" else None
        if match:
            name = names.get(match["variable"], match["variable"])
            found[name] = found.get(name, []) + [match["text"]]
    return found


def is_copy_cell(source: str) -> bool:
    return bool(COPY.search(source))


def main() -> None:
    import jupytext

    cells = {VARIABLES[name]: copy_cell(name, path.read_text()) for name, path in FILES.items()}
    for script in sorted(NOTEBOOKS.glob("*.py")):
        if not re.search(r"^[A-Z_]+_PY = \(", script.read_text(), re.MULTILINE):
            continue
        for path in (script, script.with_suffix(".ipynb")):
            if not path.exists():
                continue
            notebook = jupytext.read(path)  # outputs of an .ipynb are kept
            for cell in notebook.cells:
                match = COPY.search(cell.source) if cell.cell_type == "code" else None
                if match:
                    cell.source = cells[match["variable"]]
            jupytext.write(notebook, path)
        print(f"copied {', '.join(FILES)} into {script.stem}", file=sys.stderr)


if __name__ == "__main__":
    main()
