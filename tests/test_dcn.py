"""Tests of ``dcn.py``: the functional ``deform_conv2d``, the ``DeformableConv2d`` layer and its tooling.

The ground truth is :func:`reference_deform_conv2d` below, a deliberately slow loop implementation of
DCNv2 with torchvision's sampling rule, written for reading rather than speed. Both backends are
checked against it and against ``torchvision.ops.deform_conv2d`` in float64, outputs and gradients.
"""
from __future__ import annotations

import copy
import inspect
import math
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Tuple

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

import dcn
from dcn import DeformableConv2d

torchvision = pytest.importorskip("torchvision")
import torchvision.ops  # noqa: E402

import mnist_lab  # noqa: E402 - notebooks/mnist_lab.py: MnistNet and MNIST loading

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["torch", "cpp", "torchvision"]
EXACT = dict(rtol=0.0, atol=1e-10)  # float64 parity


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Run this module on one thread. Its tensors are tiny or medium, where a second thread buys little;
    on a busy 2-core machine MKL's threads wait for each other, making tiny float64 matmuls take
    milliseconds and torchvision's CPU kernel 4x slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device (none available)")
needs_mps = pytest.mark.skipif(not (getattr(torch.backends, "mps", None) is not None
                                    and torch.backends.mps.is_available()),
                               reason="needs an Apple MPS device (none available)")


# ----------------------------------------------------------------------------------------------------
# The loop reference
# ----------------------------------------------------------------------------------------------------
def reference_deform_conv2d(input: Tensor, offset: Tensor, weight: Tensor, bias: Optional[Tensor],
                            stride: Tuple[int, int], padding: Tuple[int, int], dilation: Tuple[int, int],
                            mask: Optional[Tensor]) -> Tensor:
    """DCNv2 by explicit loops; differentiable by autograd. Tiny sizes only.

    ``padding`` is (top, left): the output size is read from ``offset``, so asymmetric padding
    (more at the bottom/right) is just a larger output. Output pixel (p, q), kernel point (i, j) reads
    ``input`` bilinearly at (p * sh - top + i * dh + dy, q * sw - left + j * dw + dx), where a point
    with y <= -1, y >= H, x <= -1 or x >= W reads 0, and otherwise each of the 4 neighbours reads 0
    when it lies outside the input (torchvision's rule).
    """
    n_batch, c_in, height, width = input.shape
    c_out, c_per_group, kh, kw = weight.shape
    groups = c_in // c_per_group
    out_per_group = c_out // groups
    k = kh * kw
    offset_groups = offset.shape[1] // (2 * k)
    c_per_offset_group = c_in // offset_groups
    h_out, w_out = offset.shape[2:]
    zero = input.new_zeros(())

    def pixel(n: int, c: int, y: int, x: int) -> Tensor:
        return input[n, c, y, x] if 0 <= y < height and 0 <= x < width else zero

    def bilinear(n: int, c: int, y: Tensor, x: Tensor) -> Tensor:
        if y.item() <= -1 or y.item() >= height or x.item() <= -1 or x.item() >= width:
            return zero
        y0, x0 = math.floor(y.item()), math.floor(x.item())
        ly, lx = y - y0, x - x0
        hy, hx = 1 - ly, 1 - lx
        return (hy * hx * pixel(n, c, y0, x0) + hy * lx * pixel(n, c, y0, x0 + 1)
                + ly * hx * pixel(n, c, y0 + 1, x0) + ly * lx * pixel(n, c, y0 + 1, x0 + 1))

    # Every (modulated) sampled value once: sampled[n, c, kernel point, p, q]
    sampled = {}
    for n in range(n_batch):
        for c in range(c_in):
            g = c // c_per_offset_group
            for i in range(kh):
                for j in range(kw):
                    point = g * k + i * kw + j
                    for p in range(h_out):
                        for q in range(w_out):
                            y = p * stride[0] - padding[0] + i * dilation[0] + offset[n, 2 * point, p, q]
                            x = q * stride[1] - padding[1] + j * dilation[1] + offset[n, 2 * point + 1, p, q]
                            value = bilinear(n, c, y, x)
                            if mask is not None:
                                value = value * mask[n, point, p, q]
                            sampled[n, c, i, j, p, q] = value

    out = []
    for n in range(n_batch):
        for o in range(c_out):
            group = o // out_per_group
            for p in range(h_out):
                for q in range(w_out):
                    total = bias[o] if bias is not None else zero
                    for cg in range(c_per_group):
                        c = group * c_per_group + cg
                        for i in range(kh):
                            for j in range(kw):
                                total = total + weight[o, cg, i, j] * sampled[n, c, i, j, p, q]
                    out.append(total)
    return torch.stack(out).view(n_batch, c_out, h_out, w_out)


# ----------------------------------------------------------------------------------------------------
# Parity cases
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    n: int = 2
    c_in: int = 2
    c_out: int = 2
    h: int = 4
    w: int = 5
    kernel: Tuple[int, int] = (3, 3)
    stride: Tuple[int, int] = (1, 1)
    padding: Tuple[int, int] = (1, 1)
    dilation: Tuple[int, int] = (1, 1)
    groups: int = 1
    offset_groups: int = 1
    offset_scale: float = 1.0
    mask: bool = True
    bias: bool = True

    def output_size(self) -> Tuple[int, int]:
        return tuple((size + 2 * pad - dil * (k - 1) - 1) // s + 1 for size, pad, dil, k, s in
                     zip((self.h, self.w), self.padding, self.dilation, self.kernel, self.stride))

    def tensors(self, seed: int = 0) -> dict:
        """Random float64 inputs; offsets are non-integer (bilinear is not differentiable at integers)."""
        g = torch.Generator().manual_seed(seed)
        kh, kw = self.kernel
        h_out, w_out = self.output_size()
        k = kh * kw
        rand = lambda *shape: torch.randn(*shape, generator=g, dtype=torch.float64)  # noqa: E731
        return dict(
            input=rand(self.n, self.c_in, self.h, self.w),
            offset=rand(self.n, 2 * self.offset_groups * k, h_out, w_out) * 1.5 * self.offset_scale,
            mask=(2 * torch.rand(self.n, self.offset_groups * k, h_out, w_out, generator=g, dtype=torch.float64)
                  if self.mask else None),
            weight=rand(self.c_out, self.c_in // self.groups, kh, kw),
            bias=rand(self.c_out) if self.bias else None,
        )


BASE = Case()
CASES = {
    "base": BASE,
    "groups2": replace(BASE, n=1, c_in=4, c_out=4, groups=2),
    "offset_groups2": replace(BASE, n=1, c_in=4, offset_groups=2),
    "kernel3x2": replace(BASE, kernel=(3, 2)),
    "kernel5x5": replace(BASE, n=1, c_in=1, h=5, w=6, kernel=(5, 5), padding=(2, 2)),
    "stride2x1": replace(BASE, h=5, w=4, stride=(2, 1)),
    "padding1x0": replace(BASE, padding=(1, 0)),
    "dilation2": replace(BASE, h=5, w=5, dilation=(2, 2), padding=(2, 1)),
    "rectangular": replace(BASE, n=1, h=3, w=7),
    "batch1": replace(BASE, n=1),
    "batch3": replace(BASE, n=3, c_in=1, h=3, w=3),
    "far_offsets": replace(BASE, offset_scale=10.0),
    "dcnv1_no_mask": replace(BASE, mask=False),
    "no_bias": replace(BASE, n=1, bias=False),
    "everything": Case(n=2, c_in=4, c_out=4, h=7, w=5, kernel=(3, 2), stride=(2, 1), padding=(1, 0),
                       dilation=(2, 2), groups=2, offset_groups=2, offset_scale=10.0),
}
GRAD_NAMES = ["input", "offset", "mask", "weight", "bias"]


def _run(fn, case: Case, seed: int = 0):
    """Output and gradients (w.r.t. every tensor argument) of ``fn`` under a random upstream gradient."""
    tensors = {name: (t.requires_grad_() if t is not None else None) for name, t in case.tensors(seed).items()}
    out = fn(**tensors)
    upstream = torch.randn(out.shape, generator=torch.Generator().manual_seed(seed + 1), dtype=out.dtype)
    wrt = [name for name in GRAD_NAMES if tensors[name] is not None]
    grads = torch.autograd.grad((out * upstream).sum(), [tensors[name] for name in wrt])
    return out.detach(), dict(zip(wrt, grads))


_REFERENCE_CACHE = {}


def _reference(case_id: str):
    if case_id not in _REFERENCE_CACHE:
        case = CASES[case_id]
        _REFERENCE_CACHE[case_id] = _run(
            lambda input, offset, mask, weight, bias: reference_deform_conv2d(
                input, offset, weight, bias, case.stride, case.padding, case.dilation, mask), case)
    return _REFERENCE_CACHE[case_id]


def _implementation(name: str, case: Case):
    if name == "torchvision.ops":
        return lambda input, offset, mask, weight, bias: torchvision.ops.deform_conv2d(
            input, offset, weight, bias, case.stride, case.padding, case.dilation, mask)
    return lambda input, offset, mask, weight, bias: dcn.deform_conv2d(
        input, offset, weight, bias, case.stride, case.padding, case.dilation, mask, backend=name)


def test_reference_is_a_plain_convolution_at_zero_offsets():
    """Sanity check of the reference itself, against F.conv2d (zero offsets, unit mask)."""
    case = CASES["everything"]
    t = case.tensors()
    offset, mask = torch.zeros_like(t["offset"]), torch.ones_like(t["mask"])
    out = reference_deform_conv2d(t["input"], offset, t["weight"], t["bias"], case.stride, case.padding,
                                  case.dilation, mask)
    expected = F.conv2d(t["input"], t["weight"], t["bias"], case.stride, case.padding, case.dilation, case.groups)
    torch.testing.assert_close(out, expected, **EXACT)


@pytest.mark.parametrize("case_id", list(CASES))
@pytest.mark.parametrize("implementation", ["torch", "cpp", "torchvision", "torchvision.ops"])
def test_parity_with_loop_reference(implementation, case_id):
    """Output and gradients w.r.t. input, offset, mask, weight, bias equal the loop reference (float64)."""
    case = CASES[case_id]
    out, grads = _run(_implementation(implementation, case), case)
    ref_out, ref_grads = _reference(case_id)
    if case.offset_scale > 1:  # most points must really sample far outside the input
        assert (case.tensors()["offset"].abs() > max(case.h, case.w)).double().mean() > 0.5
    assert out.shape == (case.n, case.c_out, *case.output_size())
    torch.testing.assert_close(out, ref_out, **EXACT)
    assert set(grads) == set(ref_grads)
    for name in grads:
        torch.testing.assert_close(grads[name], ref_grads[name], **EXACT, msg=lambda m: f"grad {name}: {m}")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case_id", ["everything", "dcnv1_no_mask", "far_offsets"])
def test_backend_equals_torchvision_ops(backend, case_id):
    """Direct comparison with torchvision.ops.deform_conv2d, outputs and all gradients."""
    case = CASES[case_id]
    out, grads = _run(_implementation(backend, case), case, seed=3)
    tv_out, tv_grads = _run(_implementation("torchvision.ops", case), case, seed=3)
    torch.testing.assert_close(out, tv_out, **EXACT)
    for name in tv_grads:
        torch.testing.assert_close(grads[name], tv_grads[name], **EXACT, msg=lambda m: f"grad {name}: {m}")


@pytest.mark.parametrize("backend", ["torch", "cpp"])
@pytest.mark.parametrize("case_id", ["everything", "dcnv1_no_mask"])
@pytest.mark.parametrize("wanted", [("input",), ("offset",), ("mask",), ("weight",), ("bias",),
                                    ("input", "weight"), ("offset", "mask")], ids="+".join)
def test_gradients_of_any_subset(backend, case_id, wanted):
    """Only some arguments require grad (frozen weights, a fixed mask, ...): those gradients still match."""
    case = CASES[case_id]
    if "mask" in wanted and not case.mask:
        pytest.skip("DCNv1 has no mask")
    tensors = case.tensors()
    wanted_tensors = [tensors[name].requires_grad_() for name in wanted]
    out = _implementation(backend, case)(**tensors)
    upstream = torch.randn(out.shape, generator=torch.Generator().manual_seed(1), dtype=out.dtype)
    grads = torch.autograd.grad((out * upstream).sum(), wanted_tensors)
    _, ref_grads = _run(lambda input, offset, mask, weight, bias: reference_deform_conv2d(
        input, offset, weight, bias, case.stride, case.padding, case.dilation, mask), case)
    for name, grad in zip(wanted, grads):
        torch.testing.assert_close(grad, ref_grads[name], **EXACT, msg=lambda m: f"grad {name}: {m}")


@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_backward_twice_with_retain_graph(backend):
    """The hand-written backwards must not overwrite what they saved: a second backward gives the same grads."""
    case = CASES["everything"]
    tensors = {name: t.requires_grad_() for name, t in case.tensors().items() if t is not None}
    out = _implementation(backend, case)(**{"mask": None, "bias": None, **tensors})
    first = torch.autograd.grad(out.square().sum(), list(tensors.values()), retain_graph=True)
    second = torch.autograd.grad(out.square().sum(), list(tensors.values()))
    for name, a, b in zip(tensors, first, second):
        torch.testing.assert_close(a, b, rtol=0.0, atol=0.0, msg=lambda m: f"grad {name}: {m}")


@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_inference_equals_training_output_and_leaves_inputs_alone(backend):
    case = CASES["everything"]
    tensors = case.tensors()
    before = {name: t.clone() for name, t in tensors.items() if t is not None}
    with torch.no_grad():
        inference = _implementation(backend, case)(**tensors)
    training = _implementation(backend, case)(**{name: (t.requires_grad_() if t is not None else None)
                                                 for name, t in tensors.items()})
    torch.testing.assert_close(inference, training.detach(), rtol=0.0, atol=0.0)
    for name, t in before.items():
        assert torch.equal(tensors[name].detach(), t), f"{name} was modified"


def test_backend_torchvision_calls_torchvision(monkeypatch):
    calls = []
    original = torchvision.ops.deform_conv2d
    monkeypatch.setattr(torchvision.ops, "deform_conv2d", lambda *a, **kw: calls.append(1) or original(*a, **kw))
    t = BASE.tensors()
    dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"],
                      backend="torchvision")
    assert calls == [1]
    dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"], backend="torch")
    assert calls == [1]


# ----------------------------------------------------------------------------------------------------
# gradcheck
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", [
    Case(n=1, c_in=2, c_out=2, h=4, w=4),
    Case(n=2, c_in=2, c_out=2, h=3, w=4, kernel=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2),
         groups=2, offset_groups=2, offset_scale=2.0),
    Case(n=1, c_in=2, c_out=1, h=4, w=3, mask=False),
], ids=["plain", "grouped_strided", "dcnv1"])
@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_gradcheck(case, backend):
    t = case.tensors(seed=7)
    names = [name for name in GRAD_NAMES if t[name] is not None]
    inputs = tuple(t[name].requires_grad_() for name in names)

    def fn(*args):
        kw = dict(t, **dict(zip(names, args)))
        return dcn.deform_conv2d(kw["input"], kw["offset"], kw["weight"], kw["bias"], case.stride, case.padding,
                                 case.dilation, kw["mask"], backend=backend)

    assert torch.autograd.gradcheck(fn, inputs, eps=1e-6, atol=1e-7)


# ----------------------------------------------------------------------------------------------------
# The layer
# ----------------------------------------------------------------------------------------------------
def _deform(layer: DeformableConv2d, scale: float = 0.5, seed: int = 0) -> DeformableConv2d:
    """Random offset (and modulator) weights, so the layer really deforms."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for conv in (layer.offset_conv, layer.modulator_conv):
            if conv is not None:
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * scale)
                conv.bias.copy_(torch.randn(conv.bias.shape, generator=g) * scale)
    return layer


def test_default_arguments_match_the_original_layer():
    signature = inspect.signature(DeformableConv2d)
    defaults = {name: p.default for name, p in signature.parameters.items()}
    assert (defaults["kernel_size"], defaults["stride"], defaults["padding"], defaults["bias"]) == (3, 1, 1, False)
    layer = DeformableConv2d(4, 8)
    assert layer.kernel_size == (3, 3) and layer.stride == (1, 1) and layer.padding == (1, 1)
    assert layer.dilation == (1, 1) and layer.groups == 1 and layer.offset_groups == 1
    assert layer.bias is None and layer.regular_conv.bias is None
    assert layer.modulation and layer.modulator_conv is not None
    assert layer.offset_conv.out_channels == 18 and layer.modulator_conv.out_channels == 9
    assert layer(torch.randn(1, 4, 6, 7)).shape == (1, 8, 6, 7)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("options", [
    dict(),
    dict(kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias=True),
    dict(kernel_size=1, padding=0, bias=True, offset_groups=4),
    dict(kernel_size=2, stride=2, padding=0, dilation=2),
], ids=["defaults", "everything", "1x1", "stride2_dilation2"])
def test_fresh_layer_is_a_plain_convolution(backend, options):
    torch.manual_seed(0)
    layer = DeformableConv2d(4, 6, backend=backend, **options).double()
    conv = layer.regular_conv
    x = torch.randn(2, 4, 9, 8, dtype=torch.float64)
    expected = F.conv2d(x, layer.weight, layer.bias, conv.stride, conv.padding, conv.dilation, conv.groups)
    torch.testing.assert_close(layer(x), expected, **EXACT)


def test_conv2d_keyword_arguments_carry_over():
    """nn.Conv2d's keywords, padding_mode included, build the same geometry; a padding mode the layer
    cannot honour is refused by name."""
    conv_arguments = dict(kernel_size=3, stride=2, padding=1, dilation=1, groups=2, bias=True, padding_mode="zeros")
    layer, conv = DeformableConv2d(4, 6, **conv_arguments), nn.Conv2d(4, 6, **conv_arguments)
    assert (layer.kernel_size, layer.stride, layer.padding, layer.padding_mode) == \
        (conv.kernel_size, conv.stride, conv.padding, conv.padding_mode)
    x = torch.randn(1, 4, 9, 9)
    assert layer(x).shape == conv(x).shape
    for mode in ("reflect", "replicate", "circular"):
        with pytest.raises(ValueError, match=f"padding_mode must be 'zeros'.*got '{mode}'"):
            DeformableConv2d(4, 6, padding_mode=mode)


def test_int_and_tuple_arguments_are_equivalent():
    torch.manual_seed(0)
    a = DeformableConv2d(4, 4, 3, 2, 1, 2, bias=True)
    b = DeformableConv2d(4, 4, (3, 3), (2, 2), (1, 1), (2, 2), bias=True)
    c = DeformableConv2d(4, 4, [3, 3], [2, 2], [1, 1], [2, 2], bias=True)
    for layer in (a, b, c):
        assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == ((3, 3), (2, 2), (1, 1), (2, 2))
    _deform(a)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 4, 9, 10)
    torch.testing.assert_close(a(x), b(x))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kernel_size, dilation", [(3, 1), (4, 1), (2, 1), ((3, 4), 1), (2, 3), ((2, 3), (3, 2)),
                                                   (5, 2)],
                         ids=["k3", "k4_even", "k2_even", "k3x4", "k2_d3_odd_total", "k2x3_d3x2", "k5_d2"])
def test_padding_same_equals_conv2d_same(backend, kernel_size, dilation):
    """Even kernels / odd total padding are asymmetric (extra row/column bottom/right, as nn.Conv2d)."""
    torch.manual_seed(0)
    layer = DeformableConv2d(3, 5, kernel_size, padding="same", dilation=dilation, bias=True,
                             backend=backend).double()
    conv = nn.Conv2d(3, 5, kernel_size, padding="same", dilation=dilation).double()
    conv.load_state_dict(layer.regular_conv.state_dict())
    x = torch.randn(2, 3, 7, 6, dtype=torch.float64)
    out = layer(x)
    assert out.shape == (2, 5, 7, 6)
    torch.testing.assert_close(out, conv(x), **EXACT)


@pytest.mark.parametrize("kernel_size, dilation", [(4, 1), (2, 3), ((3, 2), (1, 3)), (3, 1)],
                         ids=["k4", "k2_d3", "k3x2_d1x3", "k3"])
def test_padding_same_with_offsets_equals_loop_reference(kernel_size, dilation):
    """With real deformation too: "same" pads top/left by total // 2 and keeps the size."""
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(2, 2, kernel_size, padding="same", dilation=dilation, bias=True,
                                     offset_groups=2)).double()
    x = torch.randn(1, 2, 5, 4, dtype=torch.float64)
    offset, mask = layer._offset_and_mask(x)
    kh, kw = layer.kernel_size
    top_left = ((kh - 1) * layer.dilation[0] // 2, (kw - 1) * layer.dilation[1] // 2)
    expected = reference_deform_conv2d(x, offset, layer.weight, layer.bias, (1, 1), top_left, layer.dilation, mask)
    with torch.no_grad():
        assert offset.abs().max() > 0.5
        for backend in BACKENDS:
            layer.backend = backend
            torch.testing.assert_close(layer(x), expected, **EXACT)


@pytest.mark.parametrize("backend", BACKENDS)
def test_padding_valid(backend):
    torch.manual_seed(0)
    layer = DeformableConv2d(3, 4, (3, 2), padding="valid", bias=True, backend=backend).double()
    assert layer.padding == "valid"
    conv = nn.Conv2d(3, 4, (3, 2), padding="valid").double()
    conv.load_state_dict(layer.regular_conv.state_dict())
    x = torch.randn(2, 3, 6, 5, dtype=torch.float64)
    out = layer(x)
    assert out.shape == (2, 4, 4, 4)
    torch.testing.assert_close(out, conv(x), **EXACT)
    # and with deformation, "valid" is padding 0
    _deform(layer)
    offset, mask = layer._offset_and_mask(x)
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, mask=mask)
    torch.testing.assert_close(layer(x), expected, **EXACT)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kernel_size, padding", [((1, 3), (0, 1)), ((5, 3), (2, 1)), ((2, 4), (0, 0))])
def test_non_square_kernels_on_rectangular_inputs(backend, kernel_size, padding):
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(2, 3, kernel_size, padding=padding, bias=True, backend=backend)).double()
    x = torch.randn(2, 2, 6, 9, dtype=torch.float64)
    offset, mask = layer._offset_and_mask(x)
    assert offset.shape[1] == 2 * kernel_size[0] * kernel_size[1]
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, 1, padding, 1, mask)
    out = layer(x)
    assert out.shape == (2, 3, 6 + 2 * padding[0] - kernel_size[0] + 1, 9 + 2 * padding[1] - kernel_size[1] + 1)
    torch.testing.assert_close(out, expected, **EXACT)


@pytest.mark.parametrize("backend", BACKENDS)
def test_unbatched_input_equals_batched(backend):
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(3, 4, bias=True, backend=backend)).double()
    x = torch.randn(3, 6, 7, dtype=torch.float64)
    out = layer(x)
    assert out.shape == (4, 6, 7)
    torch.testing.assert_close(out, layer(x.unsqueeze(0))[0], **EXACT)
    d = layer.deformation(x)
    assert d.locations.shape == (1, 1, 9, 6, 7, 2)
    torch.testing.assert_close(d.locations, layer.deformation(x.unsqueeze(0)).locations, **EXACT)


@pytest.mark.parametrize("backend", BACKENDS)
def test_modulation_false_is_dcnv1(backend):
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(4, 4, bias=True, modulation=False, offset_groups=2, backend=backend)).double()
    assert layer.modulator_conv is None
    assert not any(key.startswith("modulator_conv") for key in layer.state_dict())
    assert "modulation=False" in repr(layer)
    x = torch.randn(2, 4, 5, 6, dtype=torch.float64)
    offset = layer.offset_conv(x)
    assert offset.abs().max() > 0.5
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, padding=1, mask=None)
    torch.testing.assert_close(layer(x), expected, **EXACT)
    assert torch.equal(layer.deformation(x).mask, torch.ones(2, 2, 9, 5, 6, dtype=torch.float64))


def test_state_dict_keys_are_the_original_layers():
    with_bias = DeformableConv2d(4, 8, bias=True).state_dict()
    assert set(with_bias) == {"offset_conv.weight", "offset_conv.bias", "modulator_conv.weight",
                              "modulator_conv.bias", "regular_conv.weight", "regular_conv.bias"}
    assert set(DeformableConv2d(4, 8).state_dict()) == set(with_bias) - {"regular_conv.bias"}
    shapes = {key: tuple(v.shape) for key, v in with_bias.items()}
    assert shapes["offset_conv.weight"] == (18, 4, 3, 3) and shapes["modulator_conv.weight"] == (9, 4, 3, 3)
    assert shapes["regular_conv.weight"] == (8, 4, 3, 3)


def test_extra_repr_shows_the_arguments():
    layer = DeformableConv2d(4, 8, (3, 5), stride=(2, 1), padding=(1, 2), dilation=2, groups=2, bias=True,
                             offset_groups=4, modulation=False, backend="torch")
    text = repr(layer)
    for part in ["4, 8", "kernel_size=(3, 5)", "stride=(2, 1)", "padding=(1, 2)", "dilation=(2, 2)", "groups=2",
                 "offset_groups=4", "modulation=False", "backend='torch'"]:
        assert part in layer.extra_repr(), (part, text)
    assert "bias=False" not in layer.extra_repr()
    default = DeformableConv2d(3, 5).extra_repr()
    assert default.startswith("3, 5, kernel_size=(3, 3), stride=(1, 1)") and "bias=False" in default
    assert "padding=(1, 1)" in default and "backend='auto'" in default
    assert "padding=same" in DeformableConv2d(3, 5, padding="same").extra_repr()  # as nn.Conv2d shows it


def test_reset_parameters_zeroes_offsets_and_modulation():
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(4, 4, bias=True))
    with torch.no_grad():
        layer.regular_conv.weight.fill_(7.0)
    layer.reset_parameters()
    for conv in (layer.offset_conv, layer.modulator_conv):
        assert torch.count_nonzero(conv.weight) == 0 and torch.count_nonzero(conv.bias) == 0
    assert not torch.any(layer.regular_conv.weight == 7.0)  # re-initialised
    assert layer.regular_conv.weight.std() > 0
    x = torch.randn(1, 4, 5, 5)
    torch.testing.assert_close(layer(x), layer.regular_conv(x), rtol=1e-5, atol=1e-5)


def test_weight_and_bias_properties():
    layer = DeformableConv2d(4, 6, bias=True)
    assert layer.weight is layer.regular_conv.weight and layer.bias is layer.regular_conv.bias
    assert layer.weight.shape == (6, 4, 3, 3) and layer.bias.shape == (6,)
    assert DeformableConv2d(4, 6).bias is None


def test_backend_auto_on_cpu_runs_the_compiled_kernel(monkeypatch):
    """float32/float64 on CPU run the compiled kernel; low precision and autocast the pure path; never torchvision."""
    monkeypatch.setattr(torchvision.ops, "deform_conv2d",
                        lambda *a, **kw: pytest.fail("torchvision.ops.deform_conv2d must not run for 'auto' on CPU"))
    x = torch.randn(1, 2, 5, 5)
    assert dcn._choose_backend("auto", x) == "cpp"
    assert dcn._choose_backend("auto", x.double()) == "cpp"
    assert dcn._choose_backend("auto", x.bfloat16()) == "torch"
    assert dcn._choose_backend("auto", x.half()) == "torch"
    layer = _deform(DeformableConv2d(2, 3))
    assert layer.backend == "auto"
    with torch.profiler.profile() as profile:
        layer(x).sum().backward()
    ran = {event.name for event in profile.events()}
    assert {"dcn::cpp_sample", "dcn::cpp_sample_backward"} <= ran, sorted(n for n in ran if "dcn" in n)


def test_cpp_kernel_is_built_once_into_the_cache(monkeypatch, fresh_kernel_cache):
    library = dcn._cpp_kernel()
    assert dcn._cpp_kernel() is library
    built = sorted(fresh_kernel_cache.iterdir())
    assert [p.suffix for p in built] == [".so", ".sha256"]  # the kernel, its checksum; no temporary files
    monkeypatch.setattr(dcn, "_cpp_kernels", {})  # a new process: loads the cached file, runs no compiler
    monkeypatch.setattr(dcn.subprocess, "run", lambda *a, **kw: pytest.fail("compiled again"))
    layer = _deform(DeformableConv2d(2, 3, backend="cpp")).double()
    x = torch.randn(2, 2, 6, 5, dtype=torch.float64)
    reference = copy.deepcopy(layer)
    reference.backend = "torch"
    torch.testing.assert_close(layer(x), reference(x), **EXACT)
    assert sorted(fresh_kernel_cache.iterdir()) == built


@pytest.mark.parametrize("compiler", ["no-such-compiler", "false"], ids=["missing", "failing"])
def test_cpp_kernel_without_a_working_compiler(monkeypatch, fresh_kernel_cache, compiler):
    """Without a compiler the layer warns once, saying why and what to install, and computes the same
    outputs and gradients on the pure path; the warning does not name a backend the user did not choose."""
    monkeypatch.setenv("CXX", compiler)
    x = torch.randn(2, 2, 6, 5, requires_grad=True)
    layer = _deform(DeformableConv2d(2, 3))
    reference = copy.deepcopy(layer)
    reference.backend = "torch"
    with pytest.warns(RuntimeWarning, match="could not be built.*pure-PyTorch path runs instead.*CXX") as caught:
        out = layer(x)
    assert 'backend="cpp"' not in str(caught[0].message)
    torch.testing.assert_close(out, reference(x))
    grad = torch.autograd.grad(out.sum(), x)[0]
    torch.testing.assert_close(grad, torch.autograd.grad(reference(x).sum(), x)[0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer(x)  # warned once only


def test_cpp_backend_on_another_device(no_kernels):
    t = {name: (v.to("meta") if v is not None else None) for name, v in BASE.tensors().items()}
    with pytest.raises(ValueError, match='backend="cpp" has no kernel for meta tensors.*use backend="auto"'):
        dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"], backend="cpp")


@pytest.mark.parametrize("threads", [1, 2])
def test_cpp_equals_pure_path_on_a_larger_input(threads):
    """Both threads' shares of the kernel (one thread's share is tested everywhere else), groups and
    offset groups, batch 1 and 5, a rectangular map; output and every gradient in float64."""
    torch.set_num_threads(threads)  # the module fixture restores one thread afterwards
    for batch in (1, 5):
        layer = _deform(DeformableConv2d(8, 6, 3, stride=(1, 2), padding=2, dilation=2, groups=2, bias=True,
                                         offset_groups=4), scale=0.7, seed=batch).double()
        results = {}
        for backend in ("torch", "cpp"):
            layer.zero_grad(set_to_none=True)
            layer.backend = backend
            x = torch.randn(batch, 8, 13, 11, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
            x.requires_grad_()
            out = layer(x)
            out.sin().sum().backward()
            results[backend] = [out, x.grad] + [p.grad for p in layer.parameters()]
        for a, b in zip(results["cpp"], results["torch"]):
            torch.testing.assert_close(a, b, **EXACT)


@pytest.mark.parametrize("value", [1e30, -1e30, float("inf"), float("nan")])
def test_cpp_far_and_non_finite_offsets(value):
    """Far points read zeros, as in torchvision; NaN offsets give NaN, as in the pure path (never a crash)."""
    t = BASE.tensors()
    offset = t["offset"].clone()
    offset[:, :4] = value
    args = (t["input"], offset, t["weight"], t["bias"], 1, 1, 1, t["mask"])
    out = dcn.deform_conv2d(*args, backend="cpp")
    expected = torchvision.ops.deform_conv2d(*args) if value == value else dcn.deform_conv2d(*args, backend="torch")
    torch.testing.assert_close(out, expected, **EXACT, equal_nan=True)
    assert out.isnan().any() == (value != value)


# ----------------------------------------------------------------------------------------------------
# deformation() and bilinear_sample
# ----------------------------------------------------------------------------------------------------
def _regular_grid(h_out, w_out, kernel_size, stride, padding, dilation) -> Tensor:
    """(k, H_out, W_out, 2): (y, x) of kernel point (i, j) for output pixel (p, q) of a plain conv."""
    kh, kw = kernel_size
    grid = torch.zeros(kh * kw, h_out, w_out, 2, dtype=torch.float64)
    for i in range(kh):
        for j in range(kw):
            for p in range(h_out):
                for q in range(w_out):
                    grid[i * kw + j, p, q, 0] = p * stride[0] - padding[0] + i * dilation[0]
                    grid[i * kw + j, p, q, 1] = q * stride[1] - padding[1] + j * dilation[1]
    return grid


def test_deformation_shapes():
    layer = DeformableConv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), offset_groups=2)
    x = torch.randn(3, 4, 7, 6)
    d = layer.deformation(x)
    assert isinstance(d, dcn.Deformation)
    h_out, w_out = (7 + 2 - 3) // 2 + 1, 6 - 1
    assert d.offset.shape == (3, 2, 6, h_out, w_out, 2)
    assert d.mask.shape == (3, 2, 6, h_out, w_out)
    assert d.locations.shape == (3, 2, 6, h_out, w_out, 2)
    assert layer(x).shape[-2:] == (h_out, w_out)
    assert torch.equal(d.mask, torch.ones_like(d.mask))  # fresh: 2 * sigmoid(0)
    assert not d.locations.requires_grad


@pytest.mark.parametrize("options", [
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
    dict(kernel_size=4, padding="same"),
    dict(kernel_size=3, padding="valid", dilation=2),
], ids=["strided", "same_even", "valid_dilated"])
def test_deformation_locations_with_constant_offset(options):
    """offset_conv.bias = (dy, dx) = (0, +1) for every kernel point: locations = regular grid + (0, 1)."""
    layer = DeformableConv2d(4, 2, offset_groups=2, **options).double()
    with torch.no_grad():
        layer.offset_conv.bias.view(2, -1, 2)[..., 1] = 1.0  # channel 2 * point + 1 is dx
    x = torch.randn(2, 4, 8, 7, dtype=torch.float64)
    d = layer.deformation(x)
    n, g, k, h_out, w_out, _ = d.locations.shape
    assert (h_out, w_out) == layer(x).shape[-2:]
    kh, kw = layer.kernel_size
    if options["padding"] == "same":
        padding = ((kh - 1) // 2, (kw - 1) // 2)
    elif options["padding"] == "valid":
        padding = (0, 0)
    else:
        padding = options["padding"]
    grid = _regular_grid(h_out, w_out, layer.kernel_size, layer.stride, padding, layer.dilation)
    expected = (grid + torch.tensor([0.0, 1.0], dtype=torch.float64)).expand(n, g, -1, -1, -1, -1)
    torch.testing.assert_close(d.locations, expected, **EXACT)
    torch.testing.assert_close(d.offset, torch.tensor([0.0, 1.0], dtype=torch.float64).expand_as(d.offset), **EXACT)


def _output_from_locations(layer: DeformableConv2d, x: Tensor) -> Tensor:
    """The layer's output rebuilt from deformation(): bilinear_sample at the locations, times mask and weight."""
    d = layer.deformation(x)
    n, g, k, h_out, w_out, _ = d.locations.shape
    c_in = x.shape[1]
    per_offset_group = c_in // g
    samples = torch.cat([dcn.bilinear_sample(x[:, i * per_offset_group:(i + 1) * per_offset_group], d.locations[:, i])
                         for i in range(g)], dim=1)  # (N, C_in, k, H_out, W_out)
    columns = samples * d.mask.repeat_interleave(per_offset_group, dim=1)
    weight = layer.weight.flatten(2)  # (C_out, C_in / groups, k)
    c_out, per_group = weight.shape[:2]
    outs = [torch.einsum("ock,nckhw->nohw", weight[i * (c_out // layer.groups):(i + 1) * (c_out // layer.groups)],
                         columns[:, i * per_group:(i + 1) * per_group]) for i in range(layer.groups)]
    out = torch.cat(outs, dim=1)
    return out if layer.bias is None else out + layer.bias.view(1, -1, 1, 1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("options", [
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2, offset_groups=2),
    dict(kernel_size=4, padding="same", offset_groups=4),
    dict(kernel_size=2, padding="same", dilation=3, groups=4),
    dict(kernel_size=3, padding="valid", modulation=False),
], ids=["strided_grouped", "same_even", "same_dilated_odd_total", "valid_dcnv1"])
def test_bilinear_sample_at_locations_reproduces_the_output(backend, options):
    torch.manual_seed(0)
    layer = _deform(DeformableConv2d(4, 4, bias=True, backend=backend, **options), scale=0.8).double()
    x = torch.randn(2, 4, 7, 6, dtype=torch.float64)
    d = layer.deformation(x)
    assert d.offset.abs().max() > 1.0  # really deformed
    with torch.no_grad():
        torch.testing.assert_close(_output_from_locations(layer, x), layer(x), **EXACT)


def test_bilinear_sample_reads_zeros_outside():
    x = torch.arange(1.0, 13.0, dtype=torch.float64).view(1, 1, 3, 4)
    locations = torch.tensor([[[0.0, 0.0], [2.0, 3.0], [0.5, 1.0], [1.0, 2.25], [-1.0, 1.0], [3.0, 1.0],
                               [-0.5, 0.0], [1.0, 3.5], [-5.0, 20.0]]], dtype=torch.float64)
    values = dcn.bilinear_sample(x, locations)
    expected = torch.tensor([1.0, 12.0, 4.0, 7.25, 0.0, 0.0, 0.5, 4.0, 0.0], dtype=torch.float64)
    assert values.shape == (1, 1, 9)
    torch.testing.assert_close(values[0, 0], expected, **EXACT)


# ----------------------------------------------------------------------------------------------------
# dtypes and devices
# ----------------------------------------------------------------------------------------------------
def _dtype_model(seed: int = 0) -> DeformableConv2d:
    torch.manual_seed(seed)
    return _deform(DeformableConv2d(8, 8, bias=True, offset_groups=2), scale=0.3, seed=seed)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("backend", BACKENDS)
def test_float32_and_float64(backend, dtype):
    layer = _dtype_model()
    layer.backend = backend
    x = torch.randn(2, 8, 9, 10)
    expected = copy.deepcopy(layer).double()(x.double())
    out = copy.deepcopy(layer).to(dtype)(x.to(dtype))
    assert out.dtype == dtype
    torch.testing.assert_close(out.double(), expected, rtol=1e-5, atol=1e-5)


# Inputs large enough (40 x 37) that pixel coordinates held in float16/bfloat16 would be visibly off
# (bfloat16 resolves 0.25 px at 32-64): sampling in the low dtype gives ~0.04 / ~0.25 relative error
# there, the float32 coordinates used by bilinear_sample ~0.003 / ~0.03.
LOW_PRECISION_TOLERANCE = {torch.float16: 0.01, torch.bfloat16: 0.08}


@pytest.mark.parametrize("backend", ["auto", "torch"])
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=["float16", "bfloat16"])
def test_low_precision_on_cpu_uses_the_pure_path(monkeypatch, backend, dtype):
    monkeypatch.setattr(torchvision.ops, "deform_conv2d",
                        lambda *a, **kw: pytest.fail("torchvision must not run for float16/bfloat16 on CPU"))
    layer = _dtype_model()
    layer.backend = backend
    x = torch.randn(2, 8, 40, 37)
    expected = layer(x)
    low = copy.deepcopy(layer).to(dtype)
    x_low = x.to(dtype).requires_grad_()
    out = low(x_low)
    assert out.dtype == dtype
    assert torch.isfinite(out).all()
    assert (out.float() - expected).abs().max() < LOW_PRECISION_TOLERANCE[dtype] * expected.abs().max()
    out.float().sum().backward()
    assert x_low.grad.dtype == dtype and torch.isfinite(x_low.grad).all()
    assert low.offset_conv.weight.grad.dtype == dtype


def test_cpu_autocast_bfloat16():
    layer = _dtype_model()
    x = torch.randn(2, 8, 40, 37)
    expected = layer(x)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = layer(x)
    assert out.dtype == torch.bfloat16
    assert (out.float() - expected).abs().max() < LOW_PRECISION_TOLERANCE[torch.bfloat16] * expected.abs().max()
    out.float().sum().backward()
    assert layer.offset_conv.weight.grad is not None and torch.isfinite(layer.offset_conv.weight.grad).all()


@needs_cuda
@pytest.mark.parametrize("backend", ["auto", "torch"])  # torchvision's autocast returns the input's dtype
def test_cuda_autocast_float16(backend):
    layer = _dtype_model()
    layer.backend = backend
    x = torch.randn(2, 8, 9, 10)
    expected = layer(x)
    cuda_layer = copy.deepcopy(layer).cuda()
    with torch.autocast("cuda", dtype=torch.float16):
        out = cuda_layer(x.cuda())
    assert out.dtype == torch.float16 and out.is_cuda
    assert (out.float().cpu() - expected).abs().max() < LOW_PRECISION_TOLERANCE[torch.float16] * expected.abs().max()


@needs_cuda
@pytest.mark.parametrize("backend", ["auto", "torch", "torchvision"])
def test_cuda_matches_cpu(backend):
    layer = _dtype_model().double()
    layer.backend = backend
    x = torch.randn(2, 8, 9, 10, dtype=torch.float64, requires_grad=True)
    expected = layer(x)
    expected.square().sum().backward()
    cuda_layer = copy.deepcopy(layer).cuda()
    x_cuda = x.detach().cuda().requires_grad_()
    out = cuda_layer(x_cuda)
    out.square().sum().backward()
    assert out.is_cuda
    assert dcn._resolve_backend("auto", x_cuda) == "torchvision"  # native kernels on CUDA
    torch.testing.assert_close(out.cpu(), expected, rtol=1e-8, atol=1e-8)
    torch.testing.assert_close(x_cuda.grad.cpu(), x.grad, rtol=1e-8, atol=1e-8)
    torch.testing.assert_close(cuda_layer.offset_conv.weight.grad.cpu(), layer.offset_conv.weight.grad,
                               rtol=1e-7, atol=1e-7)


@needs_cuda
@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-4), (torch.float16, 1e-2), (torch.bfloat16, 8e-2)])
def test_cuda_triton_matches_the_float64_reference(dtype, tolerance):
    """backend="triton" on a real GPU: output and every gradient against the float64 pure path on the CPU."""
    pytest.importorskip("triton")
    layer = _dtype_model().double()
    x = torch.randn(3, 8, 9, 10, dtype=torch.float64).to(dtype).double().requires_grad_()  # the same rounded input
    expected = layer(x)
    (expected * torch.linspace(-1, 1, expected.numel(), dtype=torch.float64).view(expected.shape)).sum().backward()
    cuda_layer = copy.deepcopy(layer).to("cuda", dtype)
    cuda_layer.backend = "triton"
    x_cuda = x.detach().to("cuda", dtype).requires_grad_()
    out = cuda_layer(x_cuda)
    (out.double() * torch.linspace(-1, 1, out.numel(), dtype=torch.float64, device="cuda").view(out.shape)).sum().backward()
    assert out.dtype == dtype and out.is_cuda
    pairs = [(out, expected), (x_cuda.grad, x.grad)] + [(a.grad, b.grad) for a, b in zip(cuda_layer.parameters(),
                                                                                         layer.parameters())]
    for got, want in pairs:
        scale = float(want.abs().max())
        torch.testing.assert_close(got.double().cpu(), want, rtol=tolerance, atol=tolerance * scale)


REAL_SHAPES = {  # N, C_in, C_out, (H, W), groups, offset groups
    "ResNet-50 stage 1 (N=8)": (8, 64, 64, (56, 56), 1, 1),
    "detection (N=2, 256 channels, 100x152)": (2, 256, 256, (100, 152), 1, 1),
    "ragged: 96->160 channels, groups 2, offset groups 4, 17x23": (3, 96, 160, (17, 23), 2, 4),
}


def _check_against_float64(device: str, backend: str, dtype: torch.dtype, tolerance: float, shape) -> None:
    """A layer on ``backend`` in ``dtype``: output and the gradients of the input and of every parameter
    against the float64 pure path on the same device, both from the same rounded input and weights."""
    n, c_in, c_out, size, groups, offset_groups = shape
    torch.manual_seed(0)
    layer = DeformableConv2d(c_in, c_out, groups=groups, offset_groups=offset_groups, bias=True)
    layer = _deform(layer, scale=2.0 / (9 * c_in) ** 0.5).to(dtype).double().to(device)  # offsets of ~2 px
    x = torch.randn(n, c_in, *size).to(dtype).double().to(device)
    results = []
    for run_backend, run_dtype in ((backend, dtype), ("torch", torch.float64)):
        run_layer = copy.deepcopy(layer).to(run_dtype)
        run_layer.backend = run_backend
        run_x = x.to(run_dtype).requires_grad_()
        out = run_layer(run_x)
        weighting = torch.linspace(-1, 1, out.numel(), dtype=torch.float64, device=device).view(out.shape)
        (out.double() * weighting).sum().backward()
        results.append([out.detach(), run_x.grad] + [p.grad for p in run_layer.parameters()])
    assert results[0][0].dtype == dtype
    for got, want in zip(*results):
        scale = float(want.abs().max())
        torch.testing.assert_close(got.double(), want, rtol=tolerance, atol=tolerance * scale)


def test_the_real_shape_check_on_the_cpu_kernel():
    """The check that the CUDA test below runs for backend="triton", here for the CPU kernel, at the ragged shape."""
    _check_against_float64("cpu", "cpp", torch.float32, 1e-4, REAL_SHAPES["ragged: 96->160 channels, groups 2, "
                                                                        "offset groups 4, 17x23"])


@needs_cuda
@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-4), (torch.bfloat16, 8e-2)])
@pytest.mark.parametrize("shape", list(REAL_SHAPES))
def test_cuda_triton_at_real_shapes(shape, dtype, tolerance):
    """backend="triton" at the shapes it is built for: many programs, every tile boundary, channels that do not
    fill a tile, against the float64 pure path on the GPU."""
    pytest.importorskip("triton")
    _check_against_float64("cuda", "triton", dtype, tolerance, REAL_SHAPES[shape])


@needs_cuda
def test_cuda_triton_under_autocast_and_torch_compile():
    pytest.importorskip("triton")
    layer = _dtype_model().cuda()
    layer.backend = "triton"
    x = torch.randn(2, 8, 9, 10, device="cuda")
    expected = layer(x)
    for dtype in (torch.float16, torch.bfloat16):
        with torch.autocast("cuda", dtype=dtype):
            out = layer(x)
        assert out.dtype == dtype
        assert (out.float() - expected).abs().max() < LOW_PRECISION_TOLERANCE[dtype] * expected.abs().max()
    compiled = torch.compile(layer, fullgraph=True)
    torch.testing.assert_close(compiled(x), expected, rtol=1e-5, atol=1e-5)


@needs_cuda
def test_cuda_float16_tensors():
    layer = _dtype_model()
    x = torch.randn(2, 8, 9, 10)
    expected = layer(x)
    out = copy.deepcopy(layer).cuda().half()(x.cuda().half())
    assert out.dtype == torch.float16 and out.is_cuda
    assert (out.float().cpu() - expected).abs().max() < LOW_PRECISION_TOLERANCE[torch.float16] * expected.abs().max()


@needs_mps
@pytest.mark.parametrize("backend", ["auto", "torch"])
def test_mps_matches_cpu(backend):
    layer = _dtype_model()
    layer.backend = backend
    x = torch.randn(2, 8, 9, 10, requires_grad=True)
    expected = layer(x)
    expected.square().sum().backward()
    mps_layer = copy.deepcopy(layer).to("mps")
    x_mps = x.detach().to("mps").requires_grad_()
    out = mps_layer(x_mps)
    out.square().sum().backward()
    assert out.device.type == "mps"
    torch.testing.assert_close(out.cpu(), expected, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(x_mps.grad.cpu(), x.grad, rtol=1e-3, atol=1e-3)


# ----------------------------------------------------------------------------------------------------
# torch.compile and ONNX
# ----------------------------------------------------------------------------------------------------
def _small_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(),
                          _deform(DeformableConv2d(4, 4, bias=True, offset_groups=2), scale=0.5, seed=seed),
                          nn.ReLU(), _deform(DeformableConv2d(4, 3, 2, padding="same"), scale=0.5, seed=seed + 1))
    return model


def test_torch_compile_matches_eager():
    """Inductor (the default backend), whole graph, forward and one backward."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(),
                          _deform(DeformableConv2d(4, 3, bias=True, offset_groups=2), scale=0.5))
    compiled_model = copy.deepcopy(model)
    compiled = torch.compile(compiled_model, fullgraph=True)
    x = torch.randn(2, 2, 8, 9)
    x_eager, x_compiled = x.clone().requires_grad_(), x.clone().requires_grad_()
    expected = model(x_eager)
    out = compiled(x_compiled)
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-4)
    upstream = torch.randn(expected.shape)
    (expected * upstream).sum().backward()
    (out * upstream).sum().backward()
    torch.testing.assert_close(x_compiled.grad, x_eager.grad, rtol=1e-4, atol=1e-4)
    for (name, p), q in zip(model.named_parameters(), compiled_model.parameters()):
        assert q.grad is not None, name
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=1e-4, msg=lambda m: f"grad {name}: {m}")
    assert model[2].offset_conv.weight.grad.abs().max() > 0


@pytest.mark.parametrize("dynamo", [True, False], ids=["dynamo", "torchscript"])
def test_onnx_export_runs_in_onnxruntime(tmp_path, dynamo):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    if dynamo:
        pytest.importorskip("onnxscript")
    model = _small_model().eval()
    x = torch.randn(1, 2, 8, 9)
    with torch.no_grad():
        expected = model(x)
        hidden = model[1](model[0](x))
        assert (model[2](hidden) - model[2].regular_conv(hidden)).abs().max() > 0.1, "offsets must really deform"
    path = tmp_path / "dcn.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter is deprecated; tracer warnings
        torch.onnx.export(model, (x,), str(path), dynamo=dynamo, input_names=["x"], output_names=["y"])
    onnx.checker.check_model(str(path))
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (out,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
    torch.testing.assert_close(torch.from_numpy(out), expected, rtol=1e-4, atol=1e-4)


# ----------------------------------------------------------------------------------------------------
# Bad input: clear errors that name the parameter, before any kernel runs
# ----------------------------------------------------------------------------------------------------
@pytest.fixture
def no_kernels(monkeypatch):
    """Any convolution, sampling or matmul kernel fails the test (it must not run before the error)."""
    def fail(*args, **kwargs):
        raise AssertionError("a kernel ran before the argument error")

    for name in ("conv2d", "pad"):
        monkeypatch.setattr(F, name, fail)
    monkeypatch.setattr(torch, "bmm", fail)
    for name in ("_sample_torch", "_cpp_sample"):
        monkeypatch.setattr(dcn, name, fail)
    monkeypatch.setattr(torchvision.ops, "deform_conv2d", fail)
    monkeypatch.setattr(dcn, "sampling_locations", fail)
    monkeypatch.setattr(dcn, "_sampling_locations", fail)
    monkeypatch.setattr(dcn, "bilinear_sample", fail)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(in_channels=0), ValueError, "in_channels"),
    (dict(in_channels=-4), ValueError, "in_channels"),
    (dict(out_channels=0), ValueError, "out_channels"),
    (dict(in_channels=4.0), TypeError, "in_channels"),
    (dict(in_channels="4"), TypeError, "in_channels"),
    (dict(out_channels=2.5), TypeError, "out_channels"),
    (dict(out_channels=True), TypeError, "out_channels"),
    (dict(groups=0), ValueError, "groups"),
    (dict(groups=3), ValueError, "in_channels.*groups"),
    (dict(out_channels=6, groups=4), ValueError, "out_channels.*groups"),
    (dict(offset_groups=3), ValueError, "offset_groups"),
    (dict(offset_groups=0), ValueError, "offset_groups"),
    (dict(kernel_size=0), ValueError, "kernel_size"),
    (dict(kernel_size=(3, 0)), ValueError, "kernel_size"),
    (dict(kernel_size=3.0), TypeError, "kernel_size"),
    (dict(kernel_size=(3, 3, 3)), TypeError, "kernel_size"),
    (dict(stride=0), ValueError, "stride"),
    (dict(stride=(1, -1)), ValueError, "stride"),
    (dict(dilation=0), ValueError, "dilation"),
    (dict(padding=-1), ValueError, "padding"),
    (dict(padding=(0, -2)), ValueError, "padding"),
    (dict(padding=1.5), TypeError, "padding"),
    (dict(padding="same", stride=2), ValueError, "padding=\"same\".*stride"),
    (dict(padding="full"), ValueError, "padding"),
    (dict(backend="cuda"), ValueError, "backend"),
], ids=lambda v: repr(v) if isinstance(v, dict) else None)
def test_bad_layer_arguments(no_kernels, kwargs, error, match):
    args = dict(in_channels=4, out_channels=4)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        DeformableConv2d(**args)


def test_backend_torchvision_without_torchvision(monkeypatch, no_kernels):
    monkeypatch.delitem(dcn._BACKENDS, "torchvision")
    with pytest.raises(ValueError, match="backend=\"torchvision\".*torchvision"):
        DeformableConv2d(4, 4, backend="torchvision")
    t = BASE.tensors()
    with pytest.raises(ValueError, match="backend=\"torchvision\""):
        dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"],
                          backend="torchvision")
    assert DeformableConv2d(4, 4).backend == "auto"  # still fine


@pytest.mark.parametrize("make_input", [
    lambda: torch.randn(4, 8), lambda: torch.randn(1, 1, 4, 8, 8), lambda: torch.randn(4),
    lambda: torch.randn(2, 3, 8, 8), lambda: torch.randn(5, 8, 8),
    lambda: torch.ones(2, 4, 8, 8, dtype=torch.int64), lambda: torch.ones(2, 4, 8, 8, dtype=torch.bool),
    lambda: [[1.0]],
], ids=["2d", "5d", "1d", "channels", "channels_unbatched", "int64", "bool", "list"])
def test_bad_layer_input_raises_what_conv2d_raises(make_input):
    """The layer's own convolutions see the input first, so it is refused exactly as nn.Conv2d refuses it."""
    with pytest.raises(Exception) as plain:
        nn.Conv2d(4, 4, 3, padding=1)(make_input())
    layer = DeformableConv2d(4, 4)
    for call in (layer, layer.deformation):
        with pytest.raises(type(plain.value)):
            call(make_input())


@pytest.mark.parametrize("options, size", [
    (dict(kernel_size=3, padding=0, dilation=2), (4, 8)),
    (dict(kernel_size=3, padding=0, dilation=2), (8, 4)),
    (dict(kernel_size=(1, 5), padding=0), (3, 4)),
    (dict(kernel_size=3, padding="valid"), (2, 6)),
    (dict(kernel_size=5, padding=1), (2, 2)),
])
def test_input_smaller_than_the_dilated_kernel_is_refused_as_by_conv2d(options, size):
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        nn.Conv2d(4, 4, **options)(torch.randn(1, 4, *size))
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        DeformableConv2d(4, 4, **options)(torch.randn(1, 4, *size))


def test_functional_bad_arguments(no_kernels):
    t = BASE.tensors()  # input (2, 2, 4, 5), offset (2, 18, 4, 5), mask (2, 9, 4, 5), weight (2, 2, 3, 3)
    x, offset, mask, weight, bias = t["input"], t["offset"], t["mask"], t["weight"], t["bias"]
    call = lambda **kw: dcn.deform_conv2d(**dict(dict(input=x, offset=offset, weight=weight, bias=bias,  # noqa: E731
                                                       padding=1, mask=mask), **kw))
    with pytest.raises(ValueError, match="offset"):
        call(offset=offset[:, :17])
    with pytest.raises(ValueError, match="offset"):
        call(offset=offset[:, :, :3])
    with pytest.raises(ValueError, match="offset"):
        call(offset=offset[:1])
    with pytest.raises(ValueError, match="offset"):
        call(offset=offset[0])
    with pytest.raises(ValueError, match="offset"):
        call(offset=torch.cat([offset] * 3, dim=1))  # 3 offset groups do not divide 2 channels
    with pytest.raises(ValueError, match="mask"):
        call(mask=mask[:, :8])
    with pytest.raises(ValueError, match="mask"):
        call(mask=mask[:, :, :, :4])
    with pytest.raises(ValueError, match="mask"):
        call(mask=torch.cat([mask] * 2, dim=1))
    with pytest.raises(ValueError, match="input"):
        call(input=x[0])
    with pytest.raises(TypeError, match="input"):
        call(input=x.long())
    with pytest.raises(ValueError, match="weight"):
        call(weight=weight[:, :, 0])
    with pytest.raises(ValueError, match="bias"):
        call(bias=bias[:1])
    with pytest.raises(ValueError, match="stride"):
        call(stride=0)
    with pytest.raises(ValueError, match="padding"):
        call(padding=-1)
    with pytest.raises(ValueError, match="dilation"):
        call(dilation=(1, 0))
    with pytest.raises(ValueError, match="backend"):
        call(backend="cpu")
    with pytest.raises(ValueError, match="input"):
        call(padding=0, dilation=3)  # dilated kernel 7 > input 4


# ----------------------------------------------------------------------------------------------------
# The original layer's checkpoint
# ----------------------------------------------------------------------------------------------------
CHECKPOINT = ROOT.parent / "shared" / "compat" / "dcnv2_mnist_32ch_state_dict.pth"
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
MNIST_TEST_FILES = ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
ORIGINAL_ACCURACY = 99.09  # README of ../shared/compat: measured with the original layer


def _mnist_net_class():
    if not CHECKPOINT.exists():
        pytest.skip(f"the original layer's checkpoint is not at {CHECKPOINT}")
    return mnist_lab.MnistNet


@pytest.fixture(scope="module")
def mnist_test_set():
    raw = DATA_DIR / "MNIST" / "raw"
    if not all((raw / name).exists() or (raw / (name + ".gz")).exists() for name in MNIST_TEST_FILES):
        pytest.skip(f"the MNIST test set is not in {raw.resolve()} (set DATA_DIR; .ci/run seeds it)")
    images, labels = mnist_lab.load_mnist(str(DATA_DIR), train=False)
    return mnist_lab.normalize(images), labels


@pytest.fixture(scope="module")
def original_model():
    net_class = _mnist_net_class()
    model = net_class(width=32, variant="dcnv2")
    model.load_state_dict(torch.load(CHECKPOINT, map_location="cpu", weights_only=True), strict=True)
    return model.eval()


def _plain_part(model: nn.Module, images: Tensor) -> Tensor:
    """conv1 -> relu -> maxpool2 -> conv2 -> relu -> maxpool2 -> conv3 -> relu: the same for every backend."""
    x = F.max_pool2d(F.relu(model.conv1(images)), 2)
    x = F.max_pool2d(F.relu(model.conv2(x)), 2)
    return F.relu(model.conv3(x))


def _deformable_part(model: nn.Module, x: Tensor) -> Tensor:
    """conv4 -> relu -> conv5 -> relu -> global average pool -> fc: the logits."""
    x = F.relu(model.conv5(F.relu(model.conv4(x))))
    return model.fc(x.mean(dim=(2, 3)))


@pytest.fixture(scope="module")
def conv4_inputs(original_model, mnist_test_set):
    """The plain first half of the network on all 10,000 test images, computed once for both backends."""
    images, _ = mnist_test_set
    with torch.no_grad():
        return torch.cat([_plain_part(original_model, chunk) for chunk in images.split(2000)])


def test_original_checkpoint_loads_strictly():
    net_class = _mnist_net_class()
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    model = net_class(width=32, variant="dcnv2")
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert isinstance(model.conv4, DeformableConv2d) and isinstance(model.conv5, DeformableConv2d)
    assert torch.equal(model.conv4.offset_conv.weight, state["conv4.offset_conv.weight"])
    assert torch.equal(model.conv5.modulator_conv.bias, state["conv5.modulator_conv.bias"])
    assert model.conv5.offset_conv.weight.abs().max() > 0  # a trained, deforming layer


@pytest.mark.parametrize("backend", BACKENDS)
def test_original_checkpoint_accuracy(original_model, mnist_test_set, conv4_inputs, backend):
    """99.09% on the full MNIST test set, as the original layer measured (README of ../shared/compat)."""
    model = copy.deepcopy(original_model)
    for layer in (model.conv4, model.conv5):
        layer.backend = backend
    images, labels = mnist_test_set
    assert len(labels) == 10_000 and len(conv4_inputs) == 10_000
    with torch.no_grad():
        # the split of the forward pass used below is the model's own
        torch.testing.assert_close(_deformable_part(model, _plain_part(model, images[:100])), model(images[:100]))
        logits = torch.cat([_deformable_part(model, chunk) for chunk in conv4_inputs.split(2000)])
    accuracy = 100.0 * (logits.argmax(1) == labels).sum().item() / len(labels)
    assert abs(accuracy - ORIGINAL_ACCURACY) <= 0.02, f"{accuracy:.2f}% != {ORIGINAL_ACCURACY}%"


def test_works_without_torchvision(tmp_path):
    """dcn.py imports and trains with torchvision absent (import blocked in a fresh interpreter)."""
    script = (
        "import sys, importlib.util\n"
        "_find = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda name, *a: None if name.startswith('torchvision') else _find(name, *a)\n"
        "sys.modules['torchvision'] = None\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "import torch, dcn\n"
        "assert 'torchvision' not in dcn._BACKENDS\n"
        "layer = dcn.DeformableConv2d(4, 6, 3, padding=1)\n"
        "torch.nn.init.normal_(layer.offset_conv.weight, std=0.5)\n"
        "x = torch.randn(2, 4, 9, 9, requires_grad=True)\n"
        "layer(x).sum().backward()\n"
        "assert x.grad.abs().sum() > 0\n"
        "try:\n"
        "    dcn.DeformableConv2d(4, 6, backend='torchvision')\n"
        "except ValueError as error:\n"
        "    assert 'torchvision' in str(error)\n"
        "else:\n"
        "    raise AssertionError('no error for a missing torchvision')\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
