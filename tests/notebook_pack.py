"""Pack ``dcn.py`` and ``notebooks/mnist_lab.py`` into each notebook, so a notebook runs on its own.

A notebook opened alone (Colab from GitHub) has no other file of the repository beside it. Its first
code cell therefore carries these two files, packed (zlib + base64, one line), and unpacks them
when it does not run inside the repository. This script is the only writer of that line:

    python tests/notebook_pack.py          # update the packed line in notebooks/*.py and *.ipynb

and ``tests/test_notebooks.py`` fails when a notebook's copy differs from the repository's files.
"""
from __future__ import annotations

import base64
import json
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FILES = {"dcn.py": ROOT / "dcn.py", "mnist_lab.py": NOTEBOOKS / "mnist_lab.py"}
LINE = re.compile(r'^PACKED = "([A-Za-z0-9+/=]*)"$', re.MULTILINE)


def pack() -> str:
    files = {name: path.read_text() for name, path in FILES.items()}
    return base64.b64encode(zlib.compress(json.dumps(files).encode(), 9)).decode()


def unpack(packed: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(packed)))


def packed_in(text: str) -> list:
    """Every packed blob found in a notebook's text (.py, or .ipynb where it sits inside a JSON string)."""
    if text.lstrip().startswith("{"):
        sources = ["".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
        text = "\n".join(sources)
    return LINE.findall(text)


def main() -> None:
    import jupytext

    blob = pack()
    for script in sorted(NOTEBOOKS.glob("*.py")):
        text = script.read_text()
        if not LINE.search(text):
            continue
        script.write_text(LINE.sub(lambda _: f'PACKED = "{blob}"', text))
        notebook = script.with_suffix(".ipynb")
        if notebook.exists():  # keep the outputs, take the cells from the script
            updated = jupytext.read(script)
            old = jupytext.read(notebook)
            for new_cell, old_cell in zip(updated.cells, old.cells):
                if new_cell.cell_type == old_cell.cell_type == "code" and "PACKED = " in new_cell.source:
                    old_cell.source = new_cell.source
            jupytext.write(old, notebook)
        print(f"packed {', '.join(FILES)} into {script.name}", file=sys.stderr)


if __name__ == "__main__":
    main()
