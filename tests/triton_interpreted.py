"""backend="triton" on the CPU, through Triton's interpreter: run by tests/test_triton.py in a subprocess
with TRITON_INTERPRET=1 (Triton reads it when dcn.py defines the kernels). Small shapes: the interpreter
executes every program of the grid in Python."""
from __future__ import annotations

import os

import pytest
import torch

import dcn
from dcn import DeformableConv2d

if os.environ.get("TRITON_INTERPRET") != "1" or not dcn._HAS_TRITON:
    pytest.skip("run by tests/test_triton.py with TRITON_INTERPRET=1", allow_module_level=True)


def _run(backend, dtype, x, offset, mask, weight, bias, stride, padding, dilation):
    """Output and the gradients of every argument given, for a fixed weighting of the output."""
    leaves = [t.detach().to(dtype).requires_grad_() if t is not None else None for t in (x, offset, mask, weight, bias)]
    out = dcn.deform_conv2d(leaves[0], leaves[1], leaves[3], leaves[4], stride, padding, dilation, leaves[2],
                            backend=backend)
    (out * torch.linspace(-1, 1, out.numel(), dtype=dtype).view(out.shape)).sum().backward()
    return [out] + [t.grad for t in leaves if t is not None]


GEOMETRIES = {  # in, out, groups, offset groups, stride, padding, dilation, modulated, batch
    "plain 3x3": (8, 6, 1, 1, 1, 1, 1, True, 2),
    "groups, offset groups, stride (1, 2)": (8, 6, 2, 2, (1, 2), 1, 1, True, 3),
    "DCNv1, stride 2, dilation 2": (4, 8, 1, 2, 2, 2, 2, False, 2),
    "40 channels (several channel tiles), groups 2": (40, 20, 2, 1, 1, 1, 1, True, 1),
    "depthwise-like groups 3, no padding": (6, 3, 3, 3, 1, 0, 1, True, 2),
}


@pytest.mark.parametrize("name", list(GEOMETRIES))
def test_output_and_every_gradient_match_the_float64_pure_path(name):
    c_in, c_out, groups, offset_groups, stride, padding, dilation, modulated, n = GEOMETRIES[name]
    torch.manual_seed(0)
    x = torch.randn(n, c_in, 7, 9)
    sy, sx = (stride, stride) if isinstance(stride, int) else stride
    h_out, w_out = (7 + 2 * padding - 2 * dilation - 1) // sy + 1, (9 + 2 * padding - 2 * dilation - 1) // sx + 1
    offset = 2 * torch.randn(n, 18 * offset_groups, h_out, w_out)
    offset[:, :6] = offset[:, :6].round()  # integer positions: the kink takes torchvision's side
    offset[:, 6:8] = -1.0 - torch.arange(h_out).view(1, 1, -1, 1) + 0.0 * offset[:, 6:8]  # rows -1, 0, ... at the border
    mask = torch.rand(n, 9 * offset_groups, h_out, w_out) if modulated else None
    weight, bias = torch.randn(c_out, c_in // groups, 3, 3), torch.randn(c_out)
    expected = _run("torch", torch.float64, x, offset, mask, weight, bias, stride, padding, dilation)
    got = _run("triton", torch.float32, x, offset, mask, weight, bias, stride, padding, dilation)
    for a, b in zip(got, expected):
        assert a.dtype == torch.float32
        torch.testing.assert_close(a.detach().double(), b, rtol=1e-5, atol=1e-5 * float(b.detach().abs().max()))


@pytest.mark.parametrize("dtype, tolerance", [(torch.float16, 2e-2), (torch.bfloat16, 5e-2)])
def test_float16_and_bfloat16_run_natively(dtype, tolerance):
    torch.manual_seed(1)
    x, offset, mask = torch.randn(2, 16, 6, 6), torch.randn(2, 18, 6, 6), torch.rand(2, 9, 6, 6)
    weight, bias = torch.randn(8, 16, 3, 3) / 12, torch.randn(8)
    # the reference sees the same rounded inputs (a rounded offset may cross a pixel and the gradient's kink)
    x, offset, mask, weight, bias = (t.to(dtype).double() for t in (x, offset, mask, weight, bias))
    expected = _run("torch", torch.float64, x, offset, mask, weight, bias, 1, 1, 1)
    got = _run("triton", dtype, x, offset, mask, weight, bias, 1, 1, 1)
    for a, b in zip(got, expected):
        assert a.dtype == dtype
        torch.testing.assert_close(a.detach().double(), b, rtol=tolerance, atol=tolerance * float(b.abs().max()))


def test_autocast_runs_in_the_autocast_dtype():
    torch.manual_seed(2)
    layer = DeformableConv2d(8, 8, bias=True, backend="triton")
    torch.nn.init.normal_(layer.offset_conv.weight, std=0.1)
    x = torch.randn(2, 8, 6, 6)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(x)
    assert out.dtype == torch.bfloat16
    layer.backend = "torch"
    torch.testing.assert_close(out.float(), layer(x), rtol=5e-2, atol=5e-2)


def test_a_training_step_of_the_layer_equals_the_pure_path():
    torch.manual_seed(3)
    layer = DeformableConv2d(6, 4, bias=True, offset_groups=2)
    torch.nn.init.normal_(layer.offset_conv.weight, std=0.2)
    x = torch.randn(2, 6, 8, 8)
    results = {}
    for backend in ("torch", "triton"):
        copy = DeformableConv2d(6, 4, bias=True, offset_groups=2, backend=backend)
        copy.load_state_dict(layer.state_dict())
        copy(x).square().mean().backward()
        results[backend] = [p.grad for p in copy.parameters()]
    for a, b in zip(results["triton"], results["torch"]):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_empty_batch_and_nan():
    layer = DeformableConv2d(4, 4, backend="triton")
    x = torch.randn(0, 4, 5, 5, requires_grad=True)
    out = layer(x)
    out.sum().backward()
    assert out.shape == (0, 4, 5, 5) and x.grad.shape == x.shape
    offset = torch.zeros(1, 18, 5, 5)
    offset[0, 0, 2, 2] = float("nan")
    got = dcn.deform_conv2d(torch.randn(1, 4, 5, 5), offset, torch.randn(4, 4, 3, 3), padding=1, backend="triton")
    assert got[0, :, 2, 2].isnan().all() and not got[0, :, 0, 0].isnan().any()


def test_the_registered_op_passes_opcheck():
    torch.manual_seed(4)
    x = torch.randn(2, 5, 6, 4)  # (N, H, W, C) channels-last, as the layer hands it over
    offset = torch.randn(2, 18, 3, 4) * 2  # 3x3 kernel, stride 2, padding 1: a 3x4 output
    mask, rows = torch.rand(2, 9, 3, 4), torch.randn(1, 3, 4 * 9)  # one group: (1, C_out, C_in * kh * kw)
    for t in (x, offset, mask, rows):
        t.requires_grad_()
    args = (x.permute(0, 3, 1, 2), offset, mask, rows, [3, 3, 2, 2, 1, 1, 1, 1], False)  # nothing saved
    torch.library.opcheck(torch.ops.dcn.triton_deform_conv.default, args,
                          test_utils=("test_schema", "test_autograd_registration", "test_faketensor"))


def test_deterministic_mode_refuses_the_gpu_atomics(monkeypatch):
    """On a GPU the backward's atomic adds come in no fixed order. Like PyTorch's own such ops, it raises under
    torch.use_deterministic_algorithms(True) and warns with warn_only=True; the forward is deterministic.
    (The interpreter adds in order; for the backward the check is made to act as on a GPU.)"""
    x = torch.randn(1, 4, 5, 5, requires_grad=True)
    offset, weight = torch.randn(1, 18, 5, 5), torch.randn(2, 4, 3, 3)
    was, warn_only = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    try:
        torch.use_deterministic_algorithms(True)
        outs = [dcn.deform_conv2d(x, offset, weight, padding=1, backend="triton") for _ in range(2)]
        monkeypatch.setattr(dcn, "_TRITON_INTERPRET", False)
        with pytest.raises(RuntimeError, match="atomic adds.*use_deterministic_algorithms"):
            outs[0].sum().backward()
        torch.use_deterministic_algorithms(True, warn_only=True)
        with pytest.warns(UserWarning, match="atomic adds"):
            outs[1].sum().backward()
        assert x.grad is not None
    finally:
        torch.use_deterministic_algorithms(was, warn_only=warn_only)


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
