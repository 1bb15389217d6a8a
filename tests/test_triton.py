"""backend="triton" and the choice of backend on CUDA, checked without a GPU.

The Triton kernels run through Triton's CPU interpreter in a subprocess (tests/triton_interpreted.py;
TRITON_INTERPRET=1 must be set before dcn.py defines them), and are compiled for real GPUs in another
(tests/triton_compiled.py). On a CUDA machine tests/test_dcn.py's CUDA tests run them natively.
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


def test_triton_launch_steps_down_the_pipeline_until_the_kernel_fits(monkeypatch):
    """Triton raises OutOfResources before launching a kernel whose shared memory the GPU lacks;
    dcn._triton_launch then tries fewer pipeline stages, remembers the depth that ran, and re-raises
    only when one stage does not fit either."""
    errors = pytest.importorskip("triton.runtime.errors")
    monkeypatch.setattr(dcn, "_triton_stages", {})
    stages_tried = []

    class Kernel:  # stands in for a JIT function: kernel[grid](*args, num_stages=..., **constants)
        __name__ = "kernel"

        def __init__(self, fits_with):
            self.fits_with = fits_with

        def __getitem__(self, grid):
            def launch(*args, num_warps, num_stages, enable_fp_fusion, **constants):
                stages_tried.append(num_stages)
                if num_stages > self.fits_with:
                    raise errors.OutOfResources(num_stages * 80 * 1024, self.fits_with * 80 * 1024, "shared memory")
            return launch

    x = torch.zeros(1)
    dcn._triton_launch(Kernel(fits_with=1), (1, 1, 1), x, BM=64)
    dcn._triton_launch(Kernel(fits_with=1), (1, 1, 1), x, BM=64)  # remembered: straight to 1 stage
    dcn._triton_launch(Kernel(fits_with=3), (1, 1, 1), x, BM=32)  # other constants: tried from 3 again
    assert stages_tried == [3, 2, 1, 1, 3]
    with pytest.raises(errors.OutOfResources):
        dcn._triton_launch(Kernel(fits_with=0), (1, 1, 1), x, BM=16)


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
