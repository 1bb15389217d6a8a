"""backend="triton" and the choice of backend on CUDA, checked without a GPU.

The Triton kernels run through Triton's CPU interpreter in a subprocess (tests/triton_interpreted.py;
TRITON_INTERPRET=1 must be set before dcn.py defines them). On a CUDA machine tests/test_dcn.py's CUDA
tests run them natively.
"""
from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import torch

import dcn

ROOT = Path(__file__).resolve().parents[1]


def test_triton_kernels_match_the_pure_path_in_the_interpreter():
    pytest.importorskip("triton")
    env = {**os.environ, "TRITON_INTERPRET": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore",
                           str(ROOT / "tests" / "triton_interpreted.py")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0 and " passed" in done.stdout and "skipped" not in done.stdout, \
        done.stdout[-6000:] + done.stderr[-2000:]


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error without a GPU")
def test_triton_backend_without_a_gpu_says_what_it_needs():
    x = torch.randn(1, 2, 5, 5)
    with pytest.raises(ValueError, match='backend="triton"'):
        dcn.deform_conv2d(x, torch.zeros(1, 18, 5, 5), torch.randn(2, 2, 3, 3), padding=1, backend="triton")


def test_auto_falls_back_to_the_pure_path_when_torchvision_has_no_kernel_for_the_device(monkeypatch):
    """A CPU-only torchvision next to a CUDA torch raises "Could not run 'torchvision::deform_conv2d' with
    arguments from the 'CUDA' backend". Simulated on the CPU: "auto" warns once and runs the pure path;
    an explicit backend="torchvision" raises an error that says what to use instead."""
    torchvision_ops = pytest.importorskip("torchvision.ops")

    def no_kernel(*args, **kwargs):
        raise NotImplementedError("Could not run 'torchvision::deform_conv2d' with arguments from the 'CUDA' backend.")

    monkeypatch.setattr(torchvision_ops, "deform_conv2d", no_kernel)
    monkeypatch.setattr(dcn, "_torchvision_missing", set())
    real_resolve = dcn._resolve_backend
    monkeypatch.setattr(dcn, "_resolve_backend", lambda backend, input: "torchvision"
                        if backend == "auto" and "cpu" not in dcn._torchvision_missing else real_resolve(backend, input))
    torch.manual_seed(0)
    x, offset, weight = torch.randn(2, 3, 6, 6), torch.randn(2, 18, 6, 6), torch.randn(4, 3, 3, 3)
    expected = dcn.deform_conv2d(x, offset, weight, padding=1, backend="torch")
    with pytest.warns(UserWarning, match="no deform_conv2d kernel for cpu"):
        got = dcn.deform_conv2d(x, offset, weight, padding=1)
    torch.testing.assert_close(got, expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # remembered: no second warning, no second try
        torch.testing.assert_close(dcn.deform_conv2d(x, offset, weight, padding=1), expected)
    with pytest.raises(NotImplementedError, match='use backend="torch"'):
        dcn.deform_conv2d(x, offset, weight, padding=1, backend="torchvision")
