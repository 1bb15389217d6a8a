"""The functional op ``dcn.deform_conv2d`` and its gradients.

The ground truth is :func:`reference_deform_conv2d` below, a deliberately slow loop implementation of
DCNv2 with torchvision's sampling rule, written for reading rather than speed. Every backend is checked
against it and against ``torchvision.ops.deform_conv2d`` in float64, outputs and gradients (of every
argument, of any subset, twice, by gradcheck), also at integer and border positions where bilinear
interpolation has kinks. Also here: "same" padding, ``bilinear_sample``, empty batches, and the errors
for bad arguments and for operands of another dtype or device.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Optional, Tuple

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor

import dcn
from dcn import DeformableConv2d, deform_conv2d

torchvision = pytest.importorskip("torchvision")
import torchvision.ops  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")

BACKENDS = ["torch", "cpp", "torchvision"]  # every backend a CPU tensor can name
OWN_BACKENDS = ["auto", "torch", "cpp"]  # the default and dcn.py's own two paths
EXACT = dict(rtol=0.0, atol=1e-10)  # float64 parity
F64 = torch.float64


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
# One gradient convention: torchvision's, at integer positions and at the border
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_fresh_layer_offset_gradient_equals_torchvision(backend, outputs_and_grads):
    """A fresh layer samples exactly at integers (and at y = -1 / H, x = -1 / W with padding): the
    offset gradient must be torchvision's one-sided one there, on every backend."""
    layer = DeformableConv2d(8, 8, bias=True).double()
    x = torch.randn(2, 8, 28, 28, dtype=torch.float64)
    for a, b in zip(outputs_and_grads(layer, x, backend), outputs_and_grads(layer, x, "torchvision")):
        torch.testing.assert_close(a, b, **EXACT)


@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_integer_and_border_positions_match_torchvision(backend):
    """Offsets that put points exactly on pixels, on the border rows/columns -1, 0, H - 1, H and between."""
    g = torch.Generator().manual_seed(3)
    n, c, h, w = 2, 3, 6, 5
    x = torch.randn(n, c, h, w, generator=g, dtype=torch.float64)
    offset = torch.randint(-7, 8, (n, 18, h, w), generator=g).double()  # integers, many on or past the border
    offset[:, ::3] += 0.5 * torch.randint(0, 2, (n, 6, h, w), generator=g).double()  # some halves
    mask = torch.rand(n, 9, h, w, generator=g, dtype=torch.float64)
    weight = torch.randn(4, c, 3, 3, generator=g, dtype=torch.float64)
    results = {}
    for name in (backend, "torchvision"):
        tensors = [t.clone().requires_grad_() for t in (x, offset, weight, mask)]
        out = dcn.deform_conv2d(tensors[0], tensors[1], tensors[2], None, 1, 1, 1, tensors[3], backend=name)
        out.sum().backward()
        results[name] = [out] + [t.grad for t in tensors]
    for a, b in zip(results[backend], results["torchvision"]):
        torch.testing.assert_close(a, b, **EXACT)


# ----------------------------------------------------------------------------------------------------
# "same" padding
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernel_size, dilation", [(4, 1), (2, 3), ((3, 2), (1, 3)), (3, 1)],
                         ids=["k4", "k2_d3", "k3x2_d1x3", "k3"])
def test_padding_same_with_offsets_equals_loop_reference(kernel_size, dilation, deform):
    """With real deformation too: "same" pads top/left by total // 2 and keeps the size, in the layer and
    in the functional op."""
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(2, 2, kernel_size, padding="same", dilation=dilation, bias=True,
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
            functional = dcn.deform_conv2d(x, offset, layer.weight, layer.bias, padding="same", dilation=layer.dilation,
                                           mask=mask, backend=backend)
            torch.testing.assert_close(functional, expected, **EXACT)


# ----------------------------------------------------------------------------------------------------
# bilinear_sample
# ----------------------------------------------------------------------------------------------------
def test_bilinear_sample_reads_zeros_outside():
    x = torch.arange(1.0, 13.0, dtype=torch.float64).view(1, 1, 3, 4)
    locations = torch.tensor([[[0.0, 0.0], [2.0, 3.0], [0.5, 1.0], [1.0, 2.25], [-1.0, 1.0], [3.0, 1.0],
                               [-0.5, 0.0], [1.0, 3.5], [-5.0, 20.0]]], dtype=torch.float64)
    values = dcn.bilinear_sample(x, locations)
    expected = torch.tensor([1.0, 12.0, 4.0, 7.25, 0.0, 0.0, 0.5, 4.0, 0.0], dtype=torch.float64)
    assert values.shape == (1, 1, 9)
    torch.testing.assert_close(values[0, 0], expected, **EXACT)


@pytest.mark.parametrize("input, locations, match", [
    (torch.randn(2, 5, 5), torch.zeros(2, 3, 2), "input must be a 4-D"),
    (torch.randn(2, 1, 5, 5), torch.zeros(3, 4, 2), r"locations must have shape \(2, \*, 2\)"),
    (torch.randn(2, 1, 5, 5), torch.zeros(2, 4, 3), r"locations must have shape \(2, \*, 2\)"),
    (torch.randn(2, 1, 0, 5), torch.zeros(2, 4, 2), "at least one channel, row and column"),
], ids=["3d_input", "batch_mismatch", "not_yx", "zero_height"])
def test_bilinear_sample_checks_its_arguments(input, locations, match):
    with pytest.raises(ValueError, match=match):
        dcn.bilinear_sample(input, locations)


# ----------------------------------------------------------------------------------------------------
# Empty batches
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_batch_functional_and_bilinear_sample(backend):
    x, offset, weight = torch.randn(0, 2, 5, 5), torch.randn(0, 18, 5, 5), torch.randn(3, 2, 3, 3)
    assert dcn.deform_conv2d(x, offset, weight, padding=1, mask=torch.rand(0, 9, 5, 5), backend=backend).shape == (0, 3, 5, 5)
    assert dcn.bilinear_sample(x, torch.zeros(0, 7, 2)).shape == (0, 2, 7)


# ----------------------------------------------------------------------------------------------------
# Bad arguments: clear errors that name the parameter, before any kernel runs
# ----------------------------------------------------------------------------------------------------
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
    with pytest.raises(ValueError, match="at least one channel, row and column"):  # F.conv2d refuses it too
        call(input=x[..., :0], padding=2)  # no column in, yet 2 out


def test_deform_conv2d_checks_missing_offset_and_empty_weight():
    x = torch.randn(1, 2, 5, 5)
    with pytest.raises(TypeError, match="offset must be a torch.Tensor, got NoneType"):
        dcn.deform_conv2d(x, None, torch.randn(3, 2, 3, 3))
    with pytest.raises(ValueError, match="weight must have shape"):
        dcn.deform_conv2d(x, torch.randn(1, 18, 3, 3), torch.randn(3, 0, 3, 3))


def test_an_unbatched_input_names_the_offset_or_mask_that_is_batched():
    x, w = torch.randn(2, 5, 5), torch.randn(3, 2, 3, 3)
    with pytest.raises(ValueError, match=r"offset must be 3-D .* unbatched .* got shape \(1, 18, 5, 5\)"):
        dcn.deform_conv2d(x, torch.zeros(1, 18, 5, 5), w, padding=1)
    with pytest.raises(ValueError, match=r"mask must be 3-D .* unbatched .* got shape \(1, 9, 5, 5\)"):
        dcn.deform_conv2d(x, torch.zeros(18, 5, 5), w, padding=1, mask=torch.ones(1, 9, 5, 5))


@pytest.mark.parametrize("backend", ["auto", "torch", "cpp"])
@pytest.mark.parametrize("moved", ["offset", "mask", "weight"])
def test_a_tensor_on_another_device_is_an_error(backend, moved):
    tensors = dict(input=torch.randn(1, 2, 5, 5), offset=torch.randn(1, 18, 5, 5), weight=torch.randn(3, 2, 3, 3),
                   mask=torch.rand(1, 9, 5, 5))
    tensors[moved] = tensors[moved].to("meta")
    with pytest.raises(ValueError, match=f"{moved} must be on the input's device cpu, got meta"):
        dcn.deform_conv2d(tensors["input"], tensors["offset"], tensors["weight"], padding=1, mask=tensors["mask"],
                          backend=backend)


@pytest.mark.parametrize("backend", [*OWN_BACKENDS, "torchvision"])
@pytest.mark.parametrize("operand, dtype", [("offset", F64), ("offset", torch.int64), ("mask", F64),
                                            ("weight", F64), ("weight", torch.int64), ("bias", F64)])
def test_operand_of_another_dtype_is_rejected_naming_it(backend, operand, dtype, functional_operands, available):
    ops = functional_operands(torch.float32)
    ops[operand] = ops[operand].to(dtype)
    with pytest.raises((TypeError, RuntimeError)) as info:
        deform_conv2d(**ops, padding=1, backend=available(backend))
    assert operand in str(info.value) and "float32" in str(info.value), str(info.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_strided_offsets_and_masks_equal_contiguous_ones(backend, functional_operands):
    """Offsets and masks that are views (sliced, transposed) give what their contiguous copies give."""
    t = functional_operands()
    wide_offset = torch.cat([t["offset"], t["offset"]], dim=-1)[..., :5]  # a sliced view
    transposed_mask = t["mask"].transpose(-1, -2).contiguous().transpose(-1, -2)  # same values, other strides
    assert not wide_offset.is_contiguous() and not transposed_mask.is_contiguous()
    call = lambda offset, mask: dcn.deform_conv2d(t["input"], offset, t["weight"], t["bias"], padding=1,  # noqa: E731
                                                  mask=mask, backend=backend)
    torch.testing.assert_close(call(wide_offset, transposed_mask), call(t["offset"], t["mask"]), **EXACT)


@pytest.mark.parametrize("channels_last", ["neither", "input", "weight"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_gradient_of_a_contiguous_input_is_contiguous(backend, channels_last, available):
    """torch.autograd.grad returns the input's gradient as the backward made it (only a leaf's .grad is laid
    out again), so a caller's ``.view`` needs it contiguous where nn.Conv2d's is: where neither the input nor
    the weight is channels-last. The compiled kernel's is channels-last where nn.Conv2d's is."""
    cl = lambda t, name: t.contiguous(memory_format=torch.channels_last) if channels_last == name else t  # noqa
    x = cl(torch.randn(2, 4, 6, 7, dtype=F64), "input").requires_grad_()
    offset, weight = torch.randn(2, 18, 6, 7, dtype=F64), cl(torch.randn(5, 4, 3, 3, dtype=F64), "weight")
    out = deform_conv2d(x, offset, weight, padding=1, mask=torch.rand(2, 9, 6, 7, dtype=F64),
                        backend=available(backend))
    grad, = torch.autograd.grad(out, x, torch.ones_like(out))
    conv_grad, = torch.autograd.grad(F.conv2d(x, weight, padding=1).sum(), x)
    if backend == "cpp" or channels_last == "neither":
        assert grad.stride() == conv_grad.stride()
    else:  # the pure path and torchvision give it contiguous
        assert grad.is_contiguous()
    if channels_last == "neither":
        assert grad.view(-1).shape == (x.numel(),)
