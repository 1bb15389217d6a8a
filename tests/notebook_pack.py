"""Carry ``dcn.py`` and ``notebooks/mnist_lab.py`` inside each notebook, so a notebook runs on its own.

A notebook opened alone (Colab from GitHub) has no other file of the repository beside it. Its setup cell
therefore carries the two files, zlib-compressed and base64-encoded on one line each, so that the question
and the experiment stay the first things a reader sees (GitHub ignores Colab's cell folding); outside the
repository the cell writes them beside the notebook, where they can be opened and read. This script is the
only writer of that cell:

    python tests/notebook_pack.py          # update the carried files in notebooks/*.py and *.ipynb

and ``tests/test_notebooks.py`` fails when a notebook's files differ from the repository's.
"""
from __future__ import annotations

import base64
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FILES = {"dcn.py": ROOT / "dcn.py", "mnist_lab.py": NOTEBOOKS / "mnist_lab.py"}
CARRIED = re.compile(r'^    "(?P<name>[\w.]+)": "(?P<packed>[A-Za-z0-9+/=]+)",$', re.MULTILINE)
MARK = "CARRIED = {"


def setup_cell() -> str:
    """The source of the setup cell, carrying the repository's files as they are now."""
    packed = {name: base64.b64encode(zlib.compress(path.read_bytes(), 9)).decode() for name, path in FILES.items()}
    lines = "\n".join(f'    "{name}": "{text}",' for name, text in packed.items())
    return ("# @title Setup: the repository's `dcn.py` and `mnist_lab.py`, or the copies carried here\n"
            "# Opened alone (e.g. in Colab), the notebook writes the two files beside itself: open them there to\n"
            "# read them. tests/notebook_pack.py packs them (zlib, base64); tests/test_notebooks.py checks them.\n"
            "import base64\nimport sys\nimport zlib\nfrom pathlib import Path\n\n"
            f"{MARK}\n{lines}\n}}\n"
            'if Path("../dcn.py").exists() and Path("mnist_lab.py").exists():\n'
            '    sys.path.insert(0, "..")  # running inside the repository: use its files\n'
            "else:\n"
            "    for name, packed in CARRIED.items():\n"
            "        Path(name).write_bytes(zlib.decompress(base64.b64decode(packed)))")


def is_copy_cell(source: str) -> bool:
    return MARK in source


def copies_in(path: Path) -> dict:
    """{file name: [text, ...]} of every file carried by the notebook (.py percent script or .ipynb)."""
    import jupytext

    found = {}
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "code" and is_copy_cell(cell.source):
            for match in CARRIED.finditer(cell.source):
                text = zlib.decompress(base64.b64decode(match["packed"])).decode()
                found[match["name"]] = found.get(match["name"], []) + [text]
    return found


def main() -> None:
    import jupytext

    source = setup_cell()
    for script in sorted(NOTEBOOKS.glob("*.py")):
        if MARK not in script.read_text():
            continue
        for path in (script, script.with_suffix(".ipynb")):
            if not path.exists():
                continue
            notebook = jupytext.read(path)  # outputs of an .ipynb are kept
            for cell in notebook.cells:
                if cell.cell_type == "code" and is_copy_cell(cell.source):
                    cell.source = source
            jupytext.write(notebook, path)
        print(f"packed {', '.join(FILES)} into {script.stem}", file=sys.stderr)


if __name__ == "__main__":
    main()
