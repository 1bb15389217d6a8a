"""backend="triton" and the choice of backend on CUDA, checked without a GPU.

The Triton kernels run through Triton's CPU interpreter in a subprocess (tests/triton_interpreted.py;
TRITON_INTERPRET=1 must be set before dcn.py defines them), and are compiled for real GPUs in another
(tests/triton_compiled.py). On a CUDA machine tests/test_backends.py's CUDA tests run them natively.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import dcn

ROOT = Path(__file__).resolve().parents[1]


def _pytest_in_a_subprocess(module: str, **env: str) -> None:
    """Run tests/<module> by pytest in a fresh process with ``env`` set; all its tests must pass."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore",
                           str(ROOT / "tests" / module)], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and " passed" in done.stdout and "skipped" not in done.stdout, \
        done.stdout[-6000:] + done.stderr[-2000:]


def test_triton_kernels_match_the_pure_path_in_the_interpreter():
    pytest.importorskip("triton")
    _pytest_in_a_subprocess("triton_interpreted.py", TRITON_INTERPRET="1")


def test_triton_kernels_compile_for_real_gpus_and_fit_their_shared_memory():
    triton = pytest.importorskip("triton")
    if "nvidia" not in getattr(triton.backends, "backends", {}):
        pytest.skip("this Triton has no NVIDIA backend")
    _pytest_in_a_subprocess("triton_compiled.py", DCN_TRITON_COMPILE="1", TRITON_INTERPRET="0")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error without a GPU")
def test_triton_backend_without_a_gpu_says_what_it_needs():
    x = torch.randn(1, 2, 5, 5)
    with pytest.raises(ValueError, match='backend="triton"'):
        dcn.deform_conv2d(x, torch.zeros(1, 18, 5, 5), torch.randn(2, 2, 3, 3), padding=1, backend="triton")


def test_auto_runs_the_pure_path_where_torchvision_has_no_kernel_for_the_device(monkeypatch):
    """A CPU-only torchvision next to a CUDA torch has no CUDA kernel (simulated here for the CPU): "auto"
    runs the pure path, and an explicit backend="torchvision" says what to use instead."""
    monkeypatch.setitem(dcn._BACKENDS, "torchvision", dcn._BACKENDS["torchvision"]._replace(has_kernel=lambda d: False))
    monkeypatch.setattr(dcn, "_AUTO", ("torchvision",))
    torch.manual_seed(0)
    x, offset, weight = torch.randn(2, 3, 6, 6), torch.randn(2, 18, 6, 6), torch.randn(4, 3, 3, 3)
    assert dcn._choose_backend("auto", x) == "torch"
    torch.testing.assert_close(dcn.deform_conv2d(x, offset, weight, padding=1),
                               dcn.deform_conv2d(x, offset, weight, padding=1, backend="torch"))
    with pytest.raises(ValueError, match='backend="torchvision" has no kernel for cpu.*use backend="auto"'):
        dcn.deform_conv2d(x, offset, weight, padding=1, backend="torchvision")
