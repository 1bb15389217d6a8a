"""The notebooks: paired, carrying exact copies of the repository's code, and running alone in smoke mode.

Each notebook is copied alone into an empty temporary folder and executed there by nbval with only
``SMOKE_TEST=1`` and ``DATA_DIR`` set, as a Colab user opening it from GitHub would (minus the download).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

import mnist_lab
import notebook_pack

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DATA_DIR = Path(os.environ.get("DATA_DIR", ROOT / "data")).resolve()
ids = [nb.stem for nb in NOTEBOOKS]


def test_there_are_notebooks():
    assert {"scaled_mnist"} <= set(ids)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_pair_in_sync(notebook):
    """The .py percent script (the source of truth) and the .ipynb hold the same cells."""
    script = notebook.with_suffix(".py")
    assert script.exists(), f"{notebook.name} has no paired {script.name}"
    cells = lambda nb: [(c.cell_type, c.source.strip()) for c in nb.cells]  # noqa: E731
    assert cells(jupytext.read(script)) == cells(jupytext.read(notebook)), \
        f"run `jupytext --sync {script.relative_to(ROOT)}` (and re-run the notebook if code changed)"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_carried_copies_equal_repository_files(notebook):
    """The setup cell carries dcn.py and mnist_lab.py, equal to the repository's, without burying the notebook:
    the question comes first, and the cell that carries the files is short (two long lines, not 2,000)."""
    expected = {name: [path.read_text()] for name, path in notebook_pack.FILES.items()}
    for path in (notebook, notebook.with_suffix(".py")):
        assert notebook_pack.copies_in(path) == expected, \
            f"{path.name} carries stale or missing copies: run `python tests/notebook_pack.py`"
        cells = jupytext.read(path).cells
        assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# "), "the question comes first"
        carrying = [c.source for c in cells if c.cell_type == "code" and notebook_pack.is_copy_cell(c.source)]
        assert len(carrying) == 1 and carrying[0].count("\n") < 25, "one short setup cell carries the files"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_committed_notebook_is_a_full_run_without_widget_state(notebook):
    nb = json.loads(notebook.read_text())
    assert "widgets" not in nb["metadata"], "strip widget state before committing"
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and not notebook_pack.is_copy_cell("".join(c["source"]))]
    assert all(c.get("outputs") for c in code[1:]), "every code cell after the setup shows the outputs of a run"
    text = json.dumps([c.get("outputs") for c in code])
    assert "smoke test: True" not in text, "the committed notebook must hold the full run's outputs"
    assert "pip install torch" not in json.dumps(nb["cells"]), "notebooks must never reinstall torch"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=ids)
def test_notebook_runs_alone_in_smoke_mode(notebook, tmp_path):
    mnist_lab.load_mnist(str(DATA_DIR), train=True)  # downloads MNIST there first if it is missing (or says why not)
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(SMOKE_TEST="1", DATA_DIR=str(DATA_DIR))
    done = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
                           "-p", "no:cacheprovider", "--rootdir", str(tmp_path), copy.name],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert (tmp_path / "dcn.py").read_text() == (ROOT / "dcn.py").read_text()
    results = sorted(p.name for p in (tmp_path / "results" / "smoke").iterdir())
    assert any(name.endswith(".json") for name in results), results
    assert not (tmp_path / "results" / "scaled_mnist.json").exists(), "smoke runs must not write full results"
