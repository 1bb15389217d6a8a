# MIT License
#
# Copyright (c) 2021 developer0hye (the original Simple-PyTorch-Deformable-Convolution-v2 layer)
# Copyright (c) 2026 the simple DCNv2 contributors
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files (the "Software"), to deal in the Software without restriction,
# including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
# and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
# subject to the following conditions: The above copyright notice and this permission notice shall be
# included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",
# WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
# MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
# COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, ARISING FROM, OUT OF OR IN
# CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""Deformable Convolution v2 (DCNv2) for PyTorch, in one file.

A deformable convolution samples its input at learned fractional positions instead of the fixed k x k
grid: ``offset_conv`` predicts a (dy, dx) shift for every kernel point at every output position and, in
v2, ``modulator_conv`` a weight in (0, 2) for each sampled value. Both start at zero, so a fresh
:class:`DeformableConv2d` is exactly a plain convolution.

Copy this file into your project; it needs only ``torch`` (``torchvision`` is optional). It reads top
down: the layer, its functional form, the operation in pure PyTorch; then, each in a fenced section that
can be deleted on its own, a C++ CPU kernel (compiled on first use, cached in ``~/.cache/dcn``) and a
Triton GPU kernel.

    >>> layer = DeformableConv2d(16, 32, kernel_size=3, padding=1, bias=True)
    >>> x = torch.randn(2, 16, 28, 28)
    >>> torch.allclose(layer(x), nn.functional.conv2d(x, layer.weight, layer.bias, padding=1), atol=1e-5)
    True
    >>> layer.deformation(x).locations.shape  # (y, x) per offset group, kernel point and output pixel
    torch.Size([2, 1, 9, 28, 28, 2])
"""
from __future__ import annotations

import importlib.util
import math
import numbers
import os
import warnings
from functools import partial
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple, Union

import torch
import torch.nn.functional as F
import torch.utils.checkpoint
from torch import Tensor, nn

__version__ = "1.0.0"
__all__ = ["DeformableConv2d", "Deformation", "deform_conv2d", "sampling_locations", "bilinear_sample",
           "convert_to_deformable", "offset_param_groups"]

IntPair = Union[int, Tuple[int, int]]
Padding = Union[str, IntPair]
BACKENDS = ("auto", "torch", "cpp", "torchvision", "triton")
_LOW_PRECISION = (torch.float16, torch.bfloat16)
_CHUNK_BYTES = 64 << 20  # the pure path, in eager mode, samples at most this many bytes of columns at a time


# ---- helpers ----------------------------------------------------------------------------------------
def _is_int(value) -> bool:
    """An integer, Python's or numpy's (as nn.Conv2d takes), but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _pair(value, name: str, minimum: int) -> Tuple[int, int]:
    """An int or a pair of ints, each >= minimum, as a tuple (h, w) of ints; a clear error otherwise."""
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    if len(items) != 2 or not all(_is_int(v) for v in items):
        raise TypeError(f"{name} must be an int or a tuple of two ints, got {value!r}")
    if min(items) < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(items[0]), int(items[1])


def _positive_int(value, name: str) -> int:
    if not _is_int(value):
        raise TypeError(f"{name} must be a positive int, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return int(value)


def _check_modulation(modulation) -> bool:
    if not isinstance(modulation, bool):
        raise TypeError(f"modulation must be True (DCNv2) or False (DCNv1), got {modulation!r}")
    return modulation


def _padding(padding: Padding, kernel_size: Tuple[int, int], dilation: Tuple[int, int]) -> Tuple[Tuple[int, int], Tuple[int, int]]:
    """(symmetric padding, extra bottom/right padding): "same" puts an odd total's extra one bottom/right."""
    if not isinstance(padding, str):
        return _pair(padding, "padding", 0), (0, 0)
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        totals = [d * (k - 1) for d, k in zip(dilation, kernel_size)]
        return (totals[0] // 2, totals[1] // 2), (totals[0] % 2, totals[1] % 2)
    raise ValueError(f'padding must be an int, a tuple of two ints, "same" or "valid", got {padding!r}')


def _plain_conv(conv: Optional[nn.Module]) -> bool:
    """Whether calling ``conv`` is just its convolution: an :class:`OffsetPredictor` with no hook of any kind
    (module or global)."""
    hooks = nn.modules.module
    return type(conv) is OffsetPredictor and not (
        conv._forward_hooks or conv._forward_pre_hooks or conv._backward_hooks or conv._backward_pre_hooks
        or hooks._global_forward_hooks or hooks._global_forward_pre_hooks or hooks._global_backward_hooks
        or hooks._global_backward_pre_hooks)


def _memory_format(input: Tensor, weight: Tensor) -> torch.memory_format:
    """The layout nn.Conv2d returns: channels-last if the input's or the weight's strides are, else (and for an
    empty batch) contiguous."""
    if _transformed(input) or (not torch.jit.is_tracing() and input.numel() == 0):  # (vmap cannot tell a layout)
        return torch.contiguous_format
    return torch.channels_last if _strides_channels_last(input) or _strides_channels_last(weight) else \
        torch.contiguous_format


def _strides_channels_last(t: Tensor) -> bool:
    """ATen's reading of a layout from strides (suggest_memory_format), which holds for views that are not dense
    (sliced, strided): the strides of channels, columns, rows and images grow in that order."""
    if t.dim() != 4 or t.stride(1) == 0:
        return False
    sizes = t.shape
    if torch.jit.is_tracing():  # sizes are traced values; the layout is fixed in the trace, as nn.Conv2d's is
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            sizes = [int(size) for size in sizes]
    smallest = 0
    for d in (1, 3, 2, 0):
        if sizes[d] == 0 or t.stride(d) < smallest or (d == 0 and smallest == t.stride(1)):
            return False
        smallest = t.stride(d) * sizes[d]
    return True


def _transformed(*tensors: Optional[Tensor]) -> bool:
    """Whether a torch.func transform (grad, vmap, jvp, ...) or forward-mode AD sees these tensors: the
    compiled kernels have no batching rule nor forward formula, so the pure path runs under them."""
    if type(torch._C._functorch.peek_interpreter_stack()) is not type(None):  # (dynamo misreads `is None` here)
        return True
    from torch.autograd import forward_ad

    return any(t is not None and forward_ad.unpack_dual(t).tangent is not None for t in tensors)


def _set_geometry(name: str) -> Callable:
    """The setter of a layer's stride, padding or dilation: it sets all three convs' at once, checked, as model
    surgery sets nn.Conv2d's (e.g. DeepLab's backbones, whose strided convs become dilated)."""
    def set_all(layer: nn.Module, value) -> None:
        if name == "padding":
            _padding(value, layer.kernel_size, layer.dilation)  # a clear error unless an int, a pair, "same", "valid"
        value = value if isinstance(value, str) and name == "padding" else _pair(value, name, int(name != "padding"))
        for conv in (layer.regular_conv, layer.offset_conv, layer.modulator_conv):
            if conv is not None:
                setattr(conv, name, value)
    return set_all


# ---- The layer --------------------------------------------------------------------------------------
class Deformation(NamedTuple):
    """What a :class:`DeformableConv2d` did for one input (shapes for G offset groups, k = kh * kw)."""

    offset: Tensor  #: (N, G, k, H_out, W_out, 2), learned (dy, dx) in input pixels
    mask: Tensor  #: (N, G, k, H_out, W_out), modulation in (0, 2); ones when modulation=False
    locations: Tensor  #: (N, G, k, H_out, W_out, 2), absolute (y, x) in input pixels (unpadded)


class OffsetPredictor(nn.Module):
    """The convolution that predicts a layer's offsets or modulation logits: nn.Conv2d's computation,
    parameters and attributes, but it starts at zero, and ``reset_parameters()`` zeroes it again. Neither an
    nn.Conv2d nor named like one, so the model-wide init loops written for feature convolutions (by type,
    ``isinstance(m, nn.Conv2d)``, or by class name, ``"Conv" in type(m).__name__``) pass it by, and every
    way of building a model (meta device, FSDP) keeps the layer a plain convolution at first."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Tuple[int, int], stride: Tuple[int, int],
                 padding: Padding, dilation: Tuple[int, int], device=None, dtype=None) -> None:
        super().__init__()
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel_size
        self.stride, self.dilation, self.groups = stride, dilation, 1
        self.padding = padding
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, *kernel_size, device=device, dtype=dtype))
        self.bias = nn.Parameter(torch.empty(out_channels, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.zeros_(self.weight)
        nn.init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding!r}" + (f", dilation={self.dilation}" if self.dilation != (1, 1) else ""))


class DeformableWeights(nn.Conv2d):
    """The layer's convolution (``regular_conv``): nn.Conv2d's weight, bias and geometry, applied at the
    sampled positions: ``regular_conv(input, offset, mask)`` is :func:`deform_conv2d` with them, and
    ``regular_conv(input)`` the plain convolution. Called as a module, it runs what PyTorch attaches to a
    module's weight: forward pre-hooks and hooks, pruning and parametrizations.
    """

    def forward(self, input: Tensor, offset: Optional[Tensor] = None, mask: Optional[Tensor] = None,
                backend: str = "auto") -> Tensor:
        if offset is None:
            return super().forward(input)
        return deform_conv2d(input, offset, self.weight, self.bias, self.stride, self.padding, self.dilation, mask,
                             backend=backend)


class DeformableConv2d(nn.Module):
    r"""A deformable convolution v2 that drops in for :class:`torch.nn.Conv2d`.

    ``y[n, o, p] = bias[o] + sum_{c, k} weight[o, c, k] * mask[n, k, p] * x[n, c, p0 + p_k + offset[n, k, p]]``
    where ``p0 + p_k`` is a plain conv's grid and ``x[...]`` is read bilinearly (zeros outside).

    Args:
        in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode ("zeros"),
            device, dtype: as in nn.Conv2d, but the defaults are the original layer's: padding 1 (nn.Conv2d:
            0) and bias False (nn.Conv2d: True).
        offset_groups: channel groups with their own offsets; divides ``in_channels``.
        modulation: True for DCNv2 (``modulator_conv``), False for DCNv1 (no mask).
        backend: see :func:`deform_conv2d`.

    Shape: (N, C_in, H, W) or (C_in, H, W) -> (N, C_out, H_out, W_out) or (C_out, H_out, W_out), as nn.Conv2d.

    Submodules, named as in the original layer so its checkpoints load: ``offset_conv`` (2 * G * k
    channels, (dy, dx) per kernel point), ``modulator_conv`` (G * k, mask = 2 * sigmoid; None for DCNv1)
    and ``regular_conv`` (weight, bias); hooks, pruning and parametrizations on them apply. The first two
    are :class:`OffsetPredictor`, zero whatever initialises the model's nn.Conv2d modules; for other
    starting offsets, say so, e.g. ``nn.init.normal_(layer.offset_conv.weight, std=0.01)``. A loop over
    all of a model's parameters cannot be told apart from that intent and reaches them too.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair = 3, stride: IntPair = 1,
                 padding: Padding = 1, dilation: IntPair = 1, groups: int = 1, bias: bool = False,
                 *, offset_groups: int = 1, modulation: bool = True, backend: str = "auto",
                 padding_mode: str = "zeros", device=None, dtype=None) -> None:
        super().__init__()
        in_channels, out_channels, groups, offset_groups = (_positive_int(value, name) for name, value in (
            ("in_channels", in_channels), ("out_channels", out_channels), ("groups", groups),
            ("offset_groups", offset_groups)))
        kernel_size, dilation, stride = (_pair(v, name, 1) for name, v in (
            ("kernel_size", kernel_size), ("dilation", dilation), ("stride", stride)))
        _padding(padding, kernel_size, dilation)
        padding = padding if isinstance(padding, str) else _pair(padding, "padding", 0)
        if in_channels % offset_groups:
            raise ValueError(f"in_channels ({in_channels}) must be divisible by offset_groups ({offset_groups})")
        if padding_mode != "zeros":
            raise ValueError(f"padding_mode must be 'zeros' (a deformable conv reads zeros outside its input), "
                             f"got {padding_mode!r}")
        self.offset_groups, self.modulation = offset_groups, _check_modulation(modulation)
        self.backend = _check_backend(backend)
        geometry = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, device=device,
                        dtype=dtype)
        k = kernel_size[0] * kernel_size[1]
        self.offset_conv = OffsetPredictor(in_channels, 2 * offset_groups * k, **geometry)
        self.modulator_conv = OffsetPredictor(in_channels, offset_groups * k, **geometry) if modulation else None
        self.regular_conv = DeformableWeights(in_channels, out_channels, groups=groups, bias=bias, **geometry)
        self.reset_parameters()

    # nn.Conv2d's attributes, read from regular_conv (which checked them)
    in_channels = property(lambda self: self.regular_conv.in_channels)
    out_channels = property(lambda self: self.regular_conv.out_channels)
    kernel_size = property(lambda self: self.regular_conv.kernel_size)
    stride = property(lambda self: self.regular_conv.stride, _set_geometry("stride"))  # (setting sets all three convs')
    padding = property(lambda self: self.regular_conv.padding, _set_geometry("padding"))
    dilation = property(lambda self: self.regular_conv.dilation, _set_geometry("dilation"))
    groups = property(lambda self: self.regular_conv.groups)
    padding_mode = property(lambda self: self.regular_conv.padding_mode)
    weight = property(lambda self: self.regular_conv.weight)
    bias = property(lambda self: self.regular_conv.bias)

    def __setattr__(self, name: str, value) -> None:  # layer.weight = ... sets regular_conv's, which it reads
        if name in ("weight", "bias") and "regular_conv" in self._modules:
            return setattr(self.regular_conv, name, value)
        super().__setattr__(name, value)

    def _load_from_state_dict(self, state_dict, prefix, *args) -> None:  # a plain nn.Conv2d's weight and bias
        for name in ("weight", "bias"):  # load into regular_conv (the offset convs' keys stay missing)
            if prefix + name in state_dict and prefix + "regular_conv." + name not in state_dict:
                state_dict[prefix + "regular_conv." + name] = state_dict.pop(prefix + name)
        super()._load_from_state_dict(state_dict, prefix, *args)

    def reset_parameters(self) -> None:
        """nn.Conv2d's initialisation for the weights; zero offsets and modulation logits."""
        for conv in (self.regular_conv, self.offset_conv, self.modulator_conv):
            if conv is not None:
                conv.reset_parameters()

    def extra_repr(self) -> str:
        s = self.regular_conv.extra_repr() + (f", offset_groups={self.offset_groups}" if self.offset_groups != 1 else "")
        return s + (", modulation=False" if not self.modulation else "") + f", backend={self.backend!r}"

    def forward(self, input: Tensor) -> Tensor:
        """(N, C_in, H, W) or (C_in, H, W) -> (N, C_out, H_out, W_out) or (C_out, H_out, W_out)."""
        if isinstance(input, Tensor) and input.dim() in (3, 4) and not torch.jit.is_tracing() \
                and input.shape[-3] != self.in_channels:  # (a RuntimeError, as nn.Conv2d's)
            raise RuntimeError(f"input must have in_channels={self.in_channels} channels, got shape {tuple(input.shape)}")
        offset, mask = self._offset_and_mask(input)
        return self.regular_conv(input, offset=offset, mask=mask, backend=self.backend)  # pre-hooks see (input,)

    def _offset_and_mask(self, input: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        convs, own = (self.offset_conv, self.modulator_conv), self.regular_conv
        geometry = [(c.kernel_size, c.stride, c.padding, c.dilation, c.groups) for c in convs if c is not None]
        for conv in (c for c in convs if type(c) is OffsetPredictor):
            if (conv.stride, conv.padding, conv.dilation) != (own.stride, own.padding, own.dilation):
                raise RuntimeError(f"regular_conv's stride, padding and dilation {own.stride, own.padding, own.dilation}"
                                   f" differ from its offset convs' {conv.stride, conv.padding, conv.dilation}: set "
                                   f"them on the layer (layer.dilation = ...), which sets all three convs'")
        if all(_plain_conv(conv) for conv in convs) and geometry[0] == geometry[1]:  # one conv for both
            both = F.conv2d(input, torch.cat([c.weight for c in convs]), torch.cat([c.bias for c in convs]),
                            *geometry[0][1:4])
            split = convs[0].out_channels  # slices, not split(): ExecuTorch pins dynamic sizes through split
            offset, logits = both[..., :split, :, :], both[..., split:, :, :]
        else:  # as modules, so that their hooks run
            offset, logits = convs[0](input), None if convs[1] is None else convs[1](input)
        return offset, None if logits is None else 2 * torch.sigmoid(logits)

    def __prepare_scriptable__(self):
        """torch.jit.script calls this on every module it scripts: say plainly what works instead."""
        raise RuntimeError("DeformableConv2d cannot be compiled by torch.jit.script (TorchScript); use "
                           "torch.compile, torch.export, torch.onnx.export or torch.jit.trace, which all support it")

    @torch.no_grad()
    def deformation(self, input: Tensor) -> Deformation:
        """Offsets, modulation and absolute sampling locations (y, x) in ``input``'s pixels, shaped (N, G,
        kh * kw, H_out, W_out[, 2]) with kernel point k = i * kw + j: ``bilinear_sample(input, locations)``
        reads exactly the values the convolution weighs. For looking at, without gradients (a loss on the
        offsets takes ``layer.offset_conv(input)``)."""
        offset, mask = self._offset_and_mask(input)
        if offset.dim() == 3:  # unbatched
            offset, mask = offset[None], None if mask is None else mask[None]
        padding, _ = _padding(self.padding, self.kernel_size, self.dilation)
        locations = _sampling_locations(offset, self.kernel_size, self.stride, padding, self.dilation)
        (n, g, k), grid = locations.shape[:3], offset.shape[2:]
        mask = torch.ones_like(offset[:, ::2]) if mask is None else mask
        return Deformation(offset=_offset_yx(offset, k).unflatten(3, grid), mask=mask.view(n, g, k, *grid),
                           locations=locations.unflatten(3, grid))

    @classmethod
    def from_conv(cls, conv: nn.Conv2d, **options) -> "DeformableConv2d":
        """A deformable layer with ``conv``'s weights, geometry, device, dtype, memory format, training mode and
        frozen parameters; it computes ``conv(x)`` until it learns to deform. ``options``: ``offset_groups``,
        ``modulation``, ``backend``.

        >>> conv = nn.Conv2d(8, 16, 3, padding=1)
        >>> x = torch.randn(1, 8, 10, 10)
        >>> torch.allclose(DeformableConv2d.from_conv(conv)(x), conv(x), atol=1e-5)
        True
        """
        reason = _not_a_plain_conv(conv)
        if reason:
            raise TypeError(reason)
        _check_options(options, "from_conv")
        layer = cls(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding,
                    conv.dilation, conv.groups, conv.bias is not None, padding_mode=conv.padding_mode,
                    device=conv.weight.device, dtype=conv.weight.dtype, **options)
        for name in ("weight", "bias"):
            source, target = getattr(conv, name), getattr(layer.regular_conv, name)
            if source is not None:
                with torch.no_grad():
                    target.copy_(source)
                target.requires_grad_(source.requires_grad)
        layer.train(conv.training)
        return layer.to(memory_format=torch.channels_last) if _strides_channels_last(conv.weight) else layer


# ---- Whole models -----------------------------------------------------------------------------------
def _is_deformable(module: nn.Module) -> bool:
    """A DeformableConv2d of this copy of the file or of another (vendored twice, or reloaded in a notebook),
    not another project's layer of that name."""
    return isinstance(module, DeformableConv2d) or (
        any(cls.__name__ == "DeformableConv2d" for cls in type(module).__mro__) and hasattr(module, "modulator_conv")
        and type(getattr(module, "offset_conv", None)).__name__ == "OffsetPredictor")


def _check_options(options: dict, caller: str) -> None:
    unknown = set(options) - {"offset_groups", "modulation", "backend"}
    if unknown:
        raise TypeError(f"{caller} got unexpected options {sorted(unknown)}; "
                        f"expected offset_groups, modulation or backend")
    _check_modulation(options.get("modulation", True))
    _check_backend(options.get("backend", "auto"))
    _positive_int(options.get("offset_groups", 1), "offset_groups")


def _not_a_plain_conv(conv: nn.Module) -> Optional[str]:
    """Why ``conv`` is not a plain nn.Conv2d whose weights a DeformableConv2d can take over; None if it is."""
    name = type(conv).__name__
    if torch.nn.utils.parametrize.is_parametrized(conv):
        return (f"conv must be a torch.nn.Conv2d with a plain weight, got a parametrized {name} (e.g. "
                f"spectral_norm or weight_norm), whose weight a new layer would freeze; remove the "
                f"parametrization first (torch.nn.utils.parametrize.remove_parametrizations)")
    if isinstance(conv, nn.modules.lazy.LazyModuleMixin) and conv.has_uninitialized_params():
        return f"conv is a {name} that has not run yet; run the model once, then convert it"
    if type(conv) is not nn.Conv2d:
        subclass = (" (a subclass of nn.Conv2d, whose forward may compute something else, e.g. timm's "
                    "StdConv2d standardises its weight)") if isinstance(conv, nn.Conv2d) else ""
        return f"conv must be a torch.nn.Conv2d, got {name}{subclass}"
    if conv._forward_pre_hooks or conv._forward_hooks:
        return ("conv has forward hooks (e.g. torch.nn.utils.weight_norm's), which a new layer would not "
                "run; remove them first (torch.nn.utils.remove_weight_norm)")
    return None


def convert_to_deformable(model: nn.Module, prefixes: Optional[List[str]] = None,
                          predicate: Optional[Callable[[str, nn.Conv2d], bool]] = None,
                          **options) -> Dict[str, DeformableConv2d]:
    """Replace, in place, ``model``'s nn.Conv2d modules with :class:`DeformableConv2d` (same weights, so the
    model computes the same until it learns to deform). Returns {qualified name: new layer}, in model order.

    Args:
        prefixes: only convs named as or below one of these submodules (e.g. ``["layer3", "layer4"]`` of a
            torchvision ResNet); None: everywhere.
        predicate: ``predicate(name, conv) -> bool``; default: 3x3 kernels, as in the DCN papers (a 1x1 has
            no neighbourhood to deform, a 7x7 stem would get an offset branch larger than itself).
        options: ``offset_groups``, ``modulation``, ``backend``.

    Each new layer holds its conv's own weight and bias Parameters (as ``nn.SyncBatchNorm.convert_sync_batchnorm``
    does), so tied weights stay tied; make the optimizer after converting, or the new offset convs never train.
    Convs inside DeformableConv2d layers are never converted (converting twice changes nothing), a conv
    registered under several names gets one shared layer, and nothing is replaced if any conv fails.

    >>> net = nn.Sequential(nn.Conv2d(3, 8, 7, padding=3), nn.Conv2d(8, 8, 3, padding=1), nn.Conv2d(8, 8, 1))
    >>> x = torch.randn(1, 3, 16, 16)
    >>> before = net(x)
    >>> list(convert_to_deformable(net)), torch.allclose(net(x), before, atol=1e-5), list(convert_to_deformable(net))
    (['1'], True, [])
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if type(model) is nn.Conv2d:
        raise ValueError("model is itself an nn.Conv2d and cannot be replaced in place; "
                         "use DeformableConv2d.from_conv(model)")
    if isinstance(prefixes, str):
        raise TypeError(f"prefixes must be a list of module names, got the string {prefixes!r}")
    prefixes = None if prefixes is None else list(prefixes)
    if prefixes is not None and not all(isinstance(p, str) for p in prefixes):
        raise TypeError(f"prefixes must be a list of module names, got {prefixes!r}")
    if predicate is not None and not callable(predicate):
        raise TypeError(f"predicate must be callable as predicate(name, conv), got {predicate!r}")
    _check_options(options, "convert_to_deformable")
    predicate = predicate or (lambda name, conv: conv.kernel_size == (3, 3))
    modules = list(model.named_modules(remove_duplicate=False))
    missing = [p for p in prefixes or [] if p not in {name for name, _ in modules}]
    if missing:
        raise ValueError(f"prefixes {missing} name no submodule of the model")
    inside_deformable = {id(conv) for _, m in modules if _is_deformable(m) for conv in m.modules() if conv is not m}
    fused = {id(conv): m for _, m in modules if isinstance(m, torch.ao.nn.intrinsic._FusedModule) for conv in m.children()}
    new_layers: Dict[int, DeformableConv2d] = {}  # id(conv) -> its replacement, built before any swap
    for name, module in modules:
        if (not isinstance(module, nn.Conv2d) or id(module) in new_layers
                or id(module) in inside_deformable
                or (prefixes is not None and not any(p in ("", name) or name.startswith(p + ".") for p in prefixes))):
            continue
        if predicate(name, module):
            try:
                if id(module) in fused:  # which torch.ao quantization rebuilds as a plain conv from its weight
                    raise TypeError(f"conv is part of a fused {type(fused[id(module)]).__name__} (torch.ao "
                                    f"quantization), which would drop its offsets")
                new_layers[id(module)] = new = DeformableConv2d.from_conv(module, **options)
            except (TypeError, ValueError) as error:
                raise type(error)(f"cannot convert {name!r}: {error}. Exclude it with prefixes= or "
                                  f"predicate=, or make it a plain nn.Conv2d first") from error
            for attribute in ("weight", "bias"):  # the same Parameters (a buffer's values were copied)
                if getattr(module, attribute) is None or isinstance(getattr(module, attribute), nn.Parameter):
                    setattr(new.regular_conv, attribute, getattr(module, attribute))
    replaced = {}
    for name, module in modules:
        if id(module) in new_layers:
            parent_name, _, child = name.rpartition(".")
            replaced[name] = new_layers[id(module)]
            setattr(model.get_submodule(parent_name), child, replaced[name])
    return replaced


def offset_param_groups(model: nn.Module, lr: float, offset_lr_mult: float = 1.0) -> List[dict]:
    """``[{"params": [...], "lr": lr}, {"params": [...], "lr": lr * offset_lr_mult}]``: the trainable
    parameters, with the offset and modulator convs in the second group (empty without deformable layers).

    Offsets start at zero with a gradient of the weight times the image's spatial gradient, so in a
    pretrained backbone made deformable they can jump early in fine-tuning; a multiplier such as 0.1 slows
    them while the rest adapts (the DCNv2 authors found it helps on ImageNet VID, not on COCO). 1.0 trains
    everything alike, as the papers do by default.

    >>> groups = offset_param_groups(nn.Sequential(DeformableConv2d(3, 8), nn.Conv2d(8, 8, 1)), lr=0.01)
    >>> [len(group["params"]) for group in groups]  # regular_conv + 1x1 weight and bias; offset + modulator
    [3, 4]
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not offset_lr_mult >= 0:
        raise ValueError(f"offset_lr_mult must be >= 0, got {offset_lr_mult!r}")
    offset_ids = {id(p) for m in model.modules() if _is_deformable(m)
                  for conv in (m.offset_conv, m.modulator_conv) if conv is not None for p in conv.parameters()}
    trainable = [p for p in model.parameters() if p.requires_grad]
    return [{"params": [p for p in trainable if id(p) not in offset_ids], "lr": lr},
            {"params": [p for p in trainable if id(p) in offset_ids], "lr": lr * offset_lr_mult}]


# ---- The functional form: arguments checked once, here, then one backend runs -----------------------
class Backend(NamedTuple):
    """A way to compute the convolution: the devices and dtypes it runs, and ``conv(input, offset, mask,
    weight, stride, padding, dilation) -> (N, C_out, H_out, W_out)`` for checked arguments, without bias."""

    devices: Tuple[str, ...]
    dtypes: Tuple[torch.dtype, ...]
    conv: Callable[..., Tensor]
    has_kernel: Callable[[str], bool] = lambda device_type: True  # e.g. a torchvision built without CUDA


_BACKENDS: Dict[str, Backend] = {}  # filled below and by each kernel's section
_AUTO = ("cpp", "torchvision")  # what "auto" tries, in order, before the pure path


def _check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if backend != "auto" and backend not in _BACKENDS:
        needs = {"torchvision": "torchvision, which is not installed",
                 "triton": "Triton and a CUDA GPU (or TRITON_INTERPRET=1 to run it on the CPU for testing)"}
        raise ValueError(f'backend="{backend}" needs {needs.get(backend, "its section of dcn.py")}; use "auto" or "torch"')
    return backend


def _choose_backend(backend: str, input: Tensor, *operands: Optional[Tensor]) -> str:
    """The one asked for (or "auto"'s first) that runs the input's device and dtype, else the pure path,
    which also runs meta tensors, every graph made for other runtimes (torch.export, ONNX, torch.jit.trace)
    and every torch.func transform: it is made of standard operators."""
    # torch.export (and so ONNX's dynamo exporter) sets the flag torch.compiler.is_exporting() reads, which
    # torch 2.8's dynamo answers True for any compile; ONNX's TorchScript exporter traces (torch.jit)
    if input.is_meta or torch.compiler._is_exporting_flag or torch.jit.is_tracing() or _transformed(input, *operands):
        return "torch"
    chosen = _BACKENDS.get(backend)
    if backend != "torch" and chosen and not (input.device.type in chosen.devices and chosen.has_kernel(input.device.type)):
        raise ValueError(f'backend="{backend}" has no kernel for {input.device.type} tensors here (it runs on '
                         f'{" and ".join(chosen.devices)}); use backend="auto"')
    for name in _AUTO if backend == "auto" else (backend,):
        kernel = _BACKENDS.get(name)
        if kernel and input.device.type in kernel.devices and input.dtype in kernel.dtypes \
                and kernel.has_kernel(input.device.type):
            return name
    return "torch"


def deform_conv2d(input: Tensor, offset: Tensor, weight: Tensor, bias: Optional[Tensor] = None,
                  stride: IntPair = 1, padding: Padding = 0, dilation: IntPair = 1,
                  mask: Optional[Tensor] = None, *, backend: str = "auto") -> Tensor:
    """Deformable convolution v2, with the arguments and results of ``torchvision.ops.deform_conv2d``.

    Args:
        input: (N, C_in, H, W) or unbatched (C_in, H, W), floating point.
        offset: (N, 2 * G * kh * kw, H_out, W_out): (dy, dx) per kernel point of each offset group G.
        weight: (C_out, C_in / groups, kh, kw); bias: (C_out,) or None.
        stride, padding, dilation: as in nn.Conv2d (padding also "valid" or "same"); reads zeros outside.
        mask: (N, G * kh * kw, H_out, W_out) modulation (DCNv2) or None (DCNv1).
        backend: "auto" (the fastest that runs the input: "cpp" on CPU, "torchvision" on CUDA, else
            "torch"), "torch" (pure PyTorch: every device, dtype, transform and exporter), "cpp" (a compiled
            CPU kernel, float32/64), "torchvision" or "triton" (a fused CUDA kernel, float32/16, bfloat16).
            All compute the same numbers, with torchvision's sampling and gradient rule; a dtype the chosen
            kernel lacks runs on the pure path.

    Every tensor has the input's device and dtype; under autocast all run in its dtype, as nn.Conv2d.
    Returns (N, C_out, H_out, W_out), or (C_out, H_out, W_out) for an unbatched input.
    """
    for name, tensor in (("input", input), ("offset", offset), ("weight", weight), ("bias", bias), ("mask", mask)):
        if not isinstance(tensor, Tensor) and not (tensor is None and name in ("bias", "mask")):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(tensor).__name__}")
    if input.dim() == 3:  # unbatched: offset and mask too
        for name, tensor in (("offset", offset), ("mask", mask)):
            if tensor is not None and tensor.dim() != 3:
                raise ValueError(f"{name} must be 3-D ({'2 * ' if name == 'offset' else ''}offset_groups * kh * kw, "
                                 f"H_out, W_out) for an unbatched (C, H, W) input, got shape {tuple(tensor.shape)}")
        return deform_conv2d(input[None], offset[None], weight, bias, stride, padding, dilation,
                             None if mask is None else mask[None], backend=backend)[0]
    device = input.device.type
    if device in ("cpu", "cuda", "xpu", "mps") and torch.is_autocast_enabled(device):  # the devices with autocast
        cast = torch.get_autocast_dtype(device)
        input, offset, weight, bias, mask = (t.to(cast) if t is not None and t.dtype in (torch.float32, *_LOW_PRECISION)
                                             else t for t in (input, offset, weight, bias, mask))
    stride, padding, extra, dilation = _check_arguments(input, offset, weight, bias, mask, stride, padding, dilation)
    backend, layout = _choose_backend(_check_backend(backend), input, offset, weight, bias, mask), _memory_format(input, weight)
    if torch.jit.is_tracing() or extra != (0, 0):  # "same" with an odd total: an extra zero row/column, bottom/right
        input = F.pad(input, (0, extra[1], 0, extra[0]))
    if layout == torch.channels_last:  # as nn.Conv2d's, for a channels-last weight too: the kernels' gradient then
        input = input.contiguous(memory_format=layout)  # comes in that layout
    out = _BACKENDS[backend].conv(input, offset, mask, weight, stride, padding, dilation)
    out = out if bias is None else out + bias.view(1, -1, 1, 1)
    if not _transformed(input) and out.is_contiguous() and out.is_contiguous(memory_format=torch.channels_last):
        return out.clone(memory_format=layout)  # 1x1, one channel, empty: nn.Conv2d's strides, for the next conv
    return out.contiguous(memory_format=layout)


def _check_arguments(input: Tensor, offset: Tensor, weight: Tensor, bias: Optional[Tensor], mask: Optional[Tensor],
                     stride: IntPair, padding: Padding, dilation: IntPair):
    """Every operand on the input's device, with its floating-point dtype and a shape that fits; returns
    (stride, padding, extra bottom/right padding, dilation) as pairs."""
    if not input.is_floating_point():
        raise TypeError(f"input must be a floating-point tensor, got {input.dtype}")
    for name, tensor in (("offset", offset), ("weight", weight), ("bias", bias), ("mask", mask)):
        if tensor is not None and tensor.dtype != input.dtype:
            raise TypeError(f"{name} must have the input's dtype {input.dtype}, got {tensor.dtype}")
        if tensor is not None and tensor.device != input.device:
            raise ValueError(f"{name} must be on the input's device {input.device}, got {tensor.device}")
    stride, dilation = _pair(stride, "stride", 1), _pair(dilation, "dilation", 1)
    if padding == "same" and stride != (1, 1):
        raise ValueError(f'padding="same" needs stride 1 (as in nn.Conv2d), got stride={stride}')
    padding, extra = _padding(padding, tuple(weight.shape[-2:]), dilation)
    if torch.jit.is_tracing():  # a trace records no Python checks: its sizes are traced values
        return stride, padding, extra, dilation
    if input.dim() != 4 or 0 in input.shape[1:]:  # (F.conv2d refuses an empty row or column too, padded or not)
        raise ValueError(f"input must be (N, C, H, W) or (C, H, W) with at least one channel, row and column, got "
                         f"shape {tuple(input.shape)}")
    n, c_in, h, w = input.shape
    if weight.dim() != 4 or 0 in weight.shape or c_in % weight.shape[1] or weight.shape[0] % (c_in // weight.shape[1]):
        raise ValueError(f"weight must have shape (C_out, C_in / groups, kh, kw) with C_in = {c_in} and C_out "
                         f"divisible by groups, got {tuple(weight.shape)}")
    c_out, _, kh, kw = weight.shape
    if bias is not None and tuple(bias.shape) != (c_out,):
        raise ValueError(f"bias must have shape ({c_out},), got {tuple(bias.shape)}")
    sizes = [(size + 2 * pad + more - d * (k - 1) - 1) // s + 1
             for size, pad, more, d, k, s in zip((h, w), padding, extra, dilation, (kh, kw), stride)]
    if min(sizes) < 1:
        raise ValueError(f"input: spatial size {(h, w)} with padding {padding} is smaller than the dilated kernel "
                         f"{(dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)}")
    k = kh * kw
    groups = offset.shape[1] // (2 * k) if offset.dim() == 4 else 0
    if groups == 0 or offset.shape[1] % (2 * k) or c_in % groups or tuple(offset.shape) != (n, 2 * groups * k, *sizes):
        raise ValueError(f"offset must have shape ({n}, 2 * offset_groups * {k}, {sizes[0]}, {sizes[1]}) with "
                         f"offset_groups dividing C_in = {c_in}, got {tuple(offset.shape)}")
    if mask is not None and tuple(mask.shape) != (n, groups * k, *sizes):
        raise ValueError(f"mask must have shape {(n, groups * k, *sizes)}, got {tuple(mask.shape)}")
    return stride, padding, extra, dilation


torch.fx.wrap("deform_conv2d")  # torch.fx records a call as one node: it checks its arguments in Python


# ---- The operation in pure PyTorch: where each kernel point samples, and modulated bilinear sampling ----
def sampling_locations(offset: Tensor, kernel_size: IntPair, stride: IntPair = 1,
                       padding: IntPair = 0, dilation: IntPair = 1) -> Tensor:
    """Where a deformable conv samples: (N, G, kh * kw, H_out, W_out, 2) absolute (y, x) in input pixels.

    ``offset`` is (N, 2 * G * kh * kw, H_out, W_out) in torchvision's layout (channel 2 * (g * kh * kw + k)
    holds dy of offset group g, kernel point k = i * kw + j, and the next one dx); output pixel (p, q) reads
    kernel point (i, j) at ``(p * stride_h - pad_h + i * dil_h + dy, q * stride_w - pad_w + j * dil_w + dx)``
    (symmetric padding). Pixel centres are at integers; points outside the image read zeros.
    """
    kernel_size = _pair(kernel_size, "kernel_size", 1)
    if not isinstance(offset, Tensor) or offset.dim() != 4 or offset.shape[1] % (2 * math.prod(kernel_size)):
        raise ValueError(f"offset must have shape (N, 2 * offset_groups * {math.prod(kernel_size)}, H_out, W_out), "
                         f"got {tuple(offset.shape) if isinstance(offset, Tensor) else type(offset).__name__}")
    locations = _sampling_locations(offset, kernel_size, _pair(stride, "stride", 1), _pair(padding, "padding", 0),
                                    _pair(dilation, "dilation", 1))
    return locations.unflatten(3, offset.shape[2:])


def _sampling_locations(offset: Tensor, kernel_size: Tuple[int, int], stride: Tuple[int, int],
                        padding: Tuple[int, int], dilation: Tuple[int, int]) -> Tensor:
    """:func:`sampling_locations` for checked arguments, as (N, G, k, H_out * W_out, 2): sizes may be symbolic,
    and no tensor has more than 5 dimensions (Core ML's limit)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
    h_out, w_out = offset.shape[2:]
    arange = dict(device=offset.device, dtype=torch.float32 if offset.dtype in _LOW_PRECISION else offset.dtype)
    span = lambda count, step, start=0: torch.arange(start, start + count * step, step, **arange)  # noqa: E731
    rows = span(kh, dh).view(kh, 1, 1, 1) + span(h_out, sh, -ph).view(1, 1, -1, 1)  # kernel row + output row
    cols = span(kw, dw).view(1, kw, 1, 1) + span(w_out, sw, -pw).view(1, 1, 1, -1)
    grid = torch.stack(torch.broadcast_tensors(rows, cols), dim=-1)  # (kh, kw, H_out, W_out, 2)
    return grid.reshape(kh * kw, h_out * w_out, 2) + _offset_yx(offset, kh * kw)


def _offset_yx(offset: Tensor, k: int) -> Tensor:
    """(N, 2 * G * k, H_out, W_out) in torchvision's channel order -> (N, G, k, H_out * W_out, 2) (dy, dx)."""
    n, channels, h_out, w_out = offset.shape
    return offset.reshape(n, channels // (2 * k), k, 2, h_out * w_out).transpose(3, 4)


def bilinear_sample(input: Tensor, locations: Tensor) -> Tensor:
    """(N, C, *) values of the (N, C, H, W) ``input`` at (N, *, 2) ``locations`` (y, x), read bilinearly
    with zeros outside: the numbers the convolution weighs at :func:`sampling_locations`."""
    if not isinstance(input, Tensor) or input.dim() != 4 or not input.is_floating_point() or 0 in input.shape[1:]:
        raise ValueError(f"input must be a 4-D (N, C, H, W) floating-point tensor with at least one channel, row "
                         f"and column, got {tuple(input.shape) if isinstance(input, Tensor) else type(input).__name__}")
    n, c = input.shape[:2]
    if not isinstance(locations, Tensor) or locations.dim() < 2 or locations.shape[-1] != 2 or locations.shape[0] != n:
        raise ValueError(f"locations must have shape ({n}, *, 2) for an input of batch {n}, got "
                         f"{tuple(locations.shape) if isinstance(locations, Tensor) else type(locations).__name__}")
    if locations.device != input.device:
        raise ValueError(f"locations must be on the input's device {input.device}, got {locations.device}")
    points = locations.shape[1:-1]
    values = _sample_torch(input, locations.reshape(n, 1, 1, math.prod(points), 2), None)  # (N, C, 1, P)
    return values.reshape(n, c, *points)


def _locations_and_mask(offset: Tensor, mask: Optional[Tensor], kernel_size: Tuple[int, int], stride: Tuple[int, int],
                        padding: Tuple[int, int], dilation: Tuple[int, int]) -> Tuple[Tensor, Optional[Tensor]]:
    """(N, G, k, P, 2) sampling locations and the (N, G, k, P) mask or None."""
    locations = _sampling_locations(offset, kernel_size, stride, padding, dilation)
    return locations, None if mask is None else mask.reshape(locations.shape[:-1])


def _as_nchw(out: Tensor, offset: Tensor) -> Tensor:
    """(N, P, C_out) -> the (N, C_out, H_out, W_out) view of it, on ``offset``'s output grid."""
    return out.view(out.shape[0], *offset.shape[2:], out.shape[2]).permute(0, 3, 1, 2)


def _chunks(n: int, points: int, image_bytes: int, budget: int = _CHUNK_BYTES) -> List[Tuple[slice, slice]]:
    """(images, output positions) slices, in order, whose columns take at most ``budget`` bytes: runs of whole
    images, or of one image's positions."""
    if n * image_bytes <= budget:  # (an empty batch too)
        return [(slice(0, n), slice(0, points))]
    images = max(1, budget // image_bytes)
    span = points if images > 1 else max(1, budget * points // image_bytes)
    return [(slice(i, i + images), slice(p, p + span)) for i in range(0, n, images) for p in range(0, points, span)]


def _pure_conv(input: Tensor, locations: Tensor, mask: Optional[Tensor], weight: Tensor) -> Tensor:
    """The pure path: sample the columns (C_in * k values per output position), then one matmul.

    In eager mode it works through the batch at most _CHUNK_BYTES of columns at a time, training under
    activation checkpointing, so the backward samples each chunk again instead of keeping the whole
    batch's columns. Compiled, exported and traced graphs hold the plain computation.
    """
    n, c_in, (k, points) = input.shape[0], input.shape[1], locations.shape[2:4]
    image_bytes = points * k * c_in * max(input.element_size(), 4)
    if torch.compiler.is_compiling() or torch.jit.is_tracing() or n * image_bytes <= _CHUNK_BYTES:
        return _pure_columns_conv(input, locations, mask, weight)
    checkpointed = torch.is_grad_enabled() and not _transformed(input, locations, mask)  # torch.func refuses it
    run = partial(torch.utils.checkpoint.checkpoint, use_reentrant=False) if checkpointed else \
        lambda function, *args: function(*args)
    parts = [run(_pure_columns_conv, input[i], locations[i, :, :, p], None if mask is None else mask[i, :, :, p],
                 weight) for i, p in _chunks(n, points, image_bytes)]
    return torch.cat([part.flatten(0, 1) for part in parts]).view(n, points, -1)


def _pure_columns_conv(input: Tensor, locations: Tensor, mask: Optional[Tensor], weight: Tensor) -> Tensor:
    columns = _sample_torch(input, locations, mask)  # (N, C_in, k, P): rows ordered as weight.flatten(1)
    n, c_in, k, points = columns.shape
    groups, c_out = c_in // weight.shape[1], weight.shape[0]
    depth = k * (c_in // groups)
    rows = weight.reshape(1, groups, c_out // groups, depth).expand(n, groups, c_out // groups, depth)
    out = torch.matmul(rows, columns.reshape(n, groups, depth, points))  # (N, groups, C_out / groups, P)
    return out.reshape(n, c_out, points).transpose(1, 2)


# A point (y, x) reads its four neighbouring pixels, each weighted by (1 - |y - row|) * (1 - |x - col|)
# and by the point's mask; pixels outside the image read zero. At an integer position the weights have a
# kink; like torchvision, the gradient takes the side towards +1 there (floor(y) is the upper neighbour).
#
# F.grid_sample computes exactly this, in coordinates normalised to [-1, 1]. In eager mode the image is
# zero-padded to 2^m + 1 rows and columns, so that pixel y maps to y * 2^(1-m) - 1 and back by powers of
# two: an integer stays an integer and takes torchvision's side of the kink. Compiled, exported or traced,
# sizes may be symbolic and that padding would depend on their bits, so the coordinates are normalised by
# the size itself: the values agree to rounding, and only the side of the kink may differ.
def _sample_torch(input: Tensor, locations: Tensor, mask: Optional[Tensor]) -> Tensor:
    """(N, C, H, W) input, (N, G, k, P, 2) (y, x) locations, (N, G, k, P) mask or None -> (N, C, k, P)
    samples times mask; offset group g reads channels [g, g + 1) * C / G. Differentiable by autograd."""
    n, c, h, w = input.shape
    _, groups, k, points, _ = locations.shape
    work = torch.float32 if input.dtype in _LOW_PRECISION else input.dtype  # pixel coordinates need float32
    image = input.to(work).reshape(n * groups, c // groups, h, w)
    locations = locations.to(work).clamp(-2, 1 << 24)  # far points read zeros either way; NaN stays NaN
    y, x = locations[..., 0], locations[..., 1]
    eager = not (torch.compiler.is_compiling() or torch.jit.is_tracing())
    if eager:
        size_h, size_w = (1 << max(h - 2, 0).bit_length()) + 1, (1 << max(w - 2, 0).bit_length()) + 1
        image = F.pad(image, (0, size_w - w, 0, size_h - h))
        grid = torch.stack([x * (2 / (size_w - 1)) - 1, y * (2 / (size_h - 1)) - 1], dim=-1)
    else:  # (the grid_samples of compiled and exported graphs, unlike eager's, read 0 at a NaN point)
        grid = torch.stack([(2 * x + 1) / w - 1, (2 * y + 1) / h - 1], dim=-1)
        both = y + x
        nan_to_nan = torch.where(both != both, both, torch.ones_like(both))  # 1, or NaN at a NaN point
        mask = nan_to_nan if mask is None else mask.to(work) * nan_to_nan
    values = F.grid_sample(image, grid.reshape(n * groups, k, points, 2), mode="bilinear", padding_mode="zeros",
                           align_corners=eager)
    if mask is not None:  # values: (N * G, C / G, k, P)
        values = values * mask.reshape(n * groups, 1, k, points).to(work)
    return values.reshape(n, c, k, points).to(input.dtype)


def _pure_backend_conv(input, offset, mask, weight, stride, padding, dilation):
    locations, mask = _locations_and_mask(offset, mask, tuple(weight.shape[2:]), stride, padding, dilation)
    return _as_nchw(_pure_conv(input, locations, mask, weight), offset)


_BACKENDS["torch"] = Backend((), (), _pure_backend_conv)  # the fallback: runs every device and dtype
if importlib.util.find_spec("torchvision") is not None:
    def _torchvision_conv(input, offset, mask, weight, stride, padding, dilation):
        """torchvision.ops.deform_conv2d. Its CPU kernel reads out of bounds at a NaN offset, so there such a point
        samples far outside (zeros) with a NaN mask: NaN in the outputs that read it, as on the other paths."""
        import torchvision.ops

        if input.device.type == "cpu":
            nan = offset.isnan().unflatten(1, (-1, 2)).any(2)  # (N, G * k, H_out, W_out): dy or dx is NaN
            nan_to_nan = torch.ones_like(nan, dtype=input.dtype).masked_fill(nan, math.nan)  # 1, or NaN at a NaN point
            mask, offset = nan_to_nan if mask is None else mask * nan_to_nan, offset.nan_to_num(-float(1 << 24))
        return torchvision.ops.deform_conv2d(input, offset, weight, None, stride, padding, dilation, mask)

    def _torchvision_has_kernel(device_type: str) -> bool:
        import torchvision.ops  # noqa: F401  # registers torchvision::deform_conv2d
        return torch._C._dispatch_has_kernel_for_dispatch_key("torchvision::deform_conv2d", device_type.upper())

    _torchvision_has_kernel._dynamo_marked_constant = True  # torch.compile asks once instead of tracing it
    _BACKENDS["torchvision"] = Backend(("cpu", "cuda"), (torch.float32, torch.float64), _torchvision_conv,
                                       _torchvision_has_kernel)


# Each compiled kernel joins PyTorch as an operator of the namespace "dcn", with a schema, a fake
# implementation that gives shapes (torch.compile, torch.export, FakeTensor) and a registered gradient. A
# second copy of this file in the same process uses the operators the first one registered.
_LIBRARY = globals().get("_LIBRARY") or torch.library.Library("dcn", "FRAGMENT")  # importlib.reload keeps it


def _weight_rows(input: Tensor, weight: Tensor) -> Tensor:
    """The (C_out, C_in / groups, kh, kw) weight as (groups, C_out / groups, C_in / groups * kh * kw) rows."""
    groups = input.shape[1] // weight.shape[1]
    return weight.reshape(groups, weight.shape[0] // groups, -1)


def _check_operands(input: Tensor, offset: Tensor, mask: Optional[Tensor], rows: Tensor, geometry: List[int]) -> None:
    """What the registered operators check themselves, for callers that skip deform_conv2d's checks: operands
    that the kernels can index without reading out of bounds."""
    if len(geometry) != 8 or min(geometry) < 0 or 0 in geometry[:4] or 0 in geometry[6:]:
        raise ValueError(f"geometry must be [kh, kw, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w] with "
                         f"padding >= 0 and the others >= 1, got {geometry}")
    k, fits = geometry[0] * geometry[1], [t.dim() for t in (input, offset, rows)] == [4, 4, 3]
    if fits:
        (n, c), groups, rows_groups = input.shape[:2], offset.shape[1] // (2 * k), rows.shape[0]
        fits = (groups > 0 and offset.shape[:2] == (n, 2 * groups * k) and c % groups == 0 and rows_groups > 0
                and c % rows_groups == 0 and rows.shape[2] == c // rows_groups * k
                and (mask is None or mask.shape == (n, groups * k, *offset.shape[2:])))
    operands = [t for t in (offset, mask, rows) if t is not None]
    if not fits or any((t.dtype, t.device) != (input.dtype, input.device) for t in operands):
        raise ValueError(f"operands must be input (N, C, H, W), offset (N, 2 * G * k, H_out, W_out), mask (N, G * k, "
                         f"H_out, W_out) or None and weight rows (groups, C_out / groups, C / groups * k), k = {k}, "
                         f"all of the input's dtype and device, got "
                         f"{[None if t is None else (tuple(t.shape), t.dtype) for t in (input, offset, mask, rows)]}")


def _define_conv_op(name: str, conv: Callable, backward: Callable, devices: Tuple[str, ...],
                    saved_shape: Callable = lambda input, offset, weight, geometry: (0,)) -> None:
    """Registers ``dcn::<name>(input, offset, mask, weight, geometry, save) -> (output, saved)`` for (N, C_in, H,
    W) input, (N, 2 * G * k, H_out, W_out) offset, (N, G * k, H_out, W_out) mask or None, :func:`_weight_rows`
    and geometry (kh, kw, stride, padding, dilation: pairs, flat); output (N, H_out * W_out, C_out), and
    ``saved`` what the forward leaves its backward: of ``saved_shape`` if ``save``, else empty (the caller
    decides, so that the shapes a graph holds follow from its arguments). ``backward(grad, input, offset, mask,
    weight, geometry, saved, needs)`` returns the four gradients, contiguous (the input's channels-last), empty
    where ``needs`` does not ask."""
    def setup_context(ctx, inputs, output):
        ctx.mark_non_differentiable(output[1])
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(*inputs[:4], output[1])
        ctx.geometry = inputs[4]

    def gradient(ctx, grad, _):
        if grad is None:
            return None, None, None, None, None, None
        needs, (*tensors, saved) = [bool(b) for b in ctx.needs_input_grad[:4]], ctx.saved_tensors
        grad_input, *grads = getattr(torch.ops.dcn, f"{name}_backward")(grad, *tensors, ctx.geometry, saved, needs)
        if needs[0]:  # in the input's layout, as the other backends and nn.Conv2d give it
            layout = torch.channels_last if _strides_channels_last(tensors[0]) else torch.contiguous_format
            grad_input = grad_input.contiguous(memory_format=layout)
        return *(g if need else None for g, need in zip((grad_input, *grads), needs)), None, None

    def fake(input, offset, mask, weight, geometry, save):
        return (input.new_empty(input.shape[0], offset.shape[2] * offset.shape[3], weight.shape[0] * weight.shape[1]),
                input.new_empty(saved_shape(input, offset, weight, geometry) if save else (0,)))

    def fake_backward(grad, input, offset, mask, weight, geometry, saved, needs):
        needs = (needs[0], True, needs[2] and mask is not None, needs[3])
        grads = [(input if t is None else t).new_empty(t.shape if need else (0,))
                 for t, need in zip((input, offset, mask, weight), needs)]
        return (torch.empty_like(input, memory_format=torch.channels_last) if needs[0] else grads[0], *grads[1:])

    def no_double_backward(ctx, *grads):
        raise RuntimeError('double backward through the compiled kernels is not supported; use backend="torch" '
                           "(gradient penalties, meta-learning), whose gradients autograd differentiates again")

    def checked(implementation: Callable, first: int) -> Callable:  # operands from args[first]
        return lambda *args: _check_operands(*args[first:first + 5]) or implementation(*args)

    tensors = "Tensor input, Tensor offset, Tensor? mask, Tensor weight, int[] geometry"
    for schema, implementation, fake_implementation, grad, setup in (
            (f"{name}({tensors}, bool save) -> (Tensor, Tensor)", checked(conv, 0), fake, gradient, setup_context),
            (f"{name}_backward(Tensor grad, {tensors}, Tensor saved, bool[] needs) -> (Tensor, Tensor, Tensor, Tensor)",
             checked(backward, 1), fake_backward, no_double_backward, lambda ctx, inputs, output: None)):
        try:
            _LIBRARY.define(schema)
        except RuntimeError:  # defined by another copy of this file
            break
        for device in devices:
            _LIBRARY.impl(schema.split("(")[0], implementation, device.upper())
        torch.library.register_fake(f"dcn::{schema.split('(')[0]}", fake_implementation, lib=_LIBRARY)
        torch.library.register_autograd(f"dcn::{schema.split('(')[0]}", grad, setup_context=setup, lib=_LIBRARY)


# ==== backend="cpp": the sampling as one compiled loop on the CPU ====================================
# (delete from here to the matching end line to drop it)
# One pass over the sampled points of a channels-last input writes the modulated columns; the backward
# scatters whole channel vectors into the input's gradient and computes the offsets' and mask's on the
# way; the products with the weight run as torch's 1x1 convolutions. Compiled on first use with $CXX (else
# c++) into ~/.cache/dcn and called through ctypes; where no compiler builds it, the pure path runs, after one
# warning.
import atexit
import ctypes
import glob
import hashlib
import platform
import shlex
import signal
import stat
import subprocess
import tempfile
import threading

_CPP_DTYPES = {torch.float32: "float32", torch.float64: "float64"}  # dtype -> kernel suffix
_CPP_SOURCE = r"""
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

// The input (N, H, W, C) channels-last, G offset groups, K kernel points, P output positions; threads to use;
// the tile worked on, images [n0, n1) and positions [p0, p1); the output's width, the kernel's, and the
// stride, padding and dilation (rows, columns); whether the backward's grad_columns come in (K, C) order.
// (Each thread takes its own copy, firstprivate(s), which the compiler keeps in registers.)
struct Sizes { int64_t N, H, W, C, G, K, P, threads, n0, n1, p0, p1, Wo, kw, sh, sw, ph, pw, dh, dw, kc; };

// Where the kernel points land, for a block of at most Q output positions [p0, p0 + count) of image n: each
// point j = (g * K + k) * Q + q, kernel point k of offset group g at position p0 + q, lies past its upper-left
// neighbour (y0, x0) by fractions (fy, fx), NaN if its offset is; it has mask m, and weights w[4 * j + c] =
// (1 - fy or fy) * (1 - fx or fx) * m for its neighbours c = row * 2 + col, those inside the image in bits c of
// inside. One per thread; locate() has no branches, so that its loop over positions vectorises.
template <typename T> struct Points {
  static const int64_t Q = 64;
  std::vector<T> row, col, ones, fy, fx, m, w;  // row, col: the plain convolution's points
  std::vector<int32_t> y0, x0, inside;
  explicit Points(const Sizes& s) : row(Q), col(Q), ones(Q, T(1)), fy(s.G * s.K * Q), fx(fy.size()), m(fy.size()),
                                    w(4 * fy.size()), y0(fy.size()), x0(fy.size()), inside(fy.size()) {}

  void locate(const T* offsets, const T* mask, int64_t n, int64_t p0, int64_t count, const Sizes& s) {
    for (int64_t q = 0; q < count; ++q) {
      row[q] = T((p0 + q) / s.Wo * s.sh - s.ph);
      col[q] = T((p0 + q) % s.Wo * s.sw - s.pw);
    }
    const int32_t H = s.H, W = s.W;
    for (int64_t gk = 0; gk < s.G * s.K; ++gk) {
      const T* dy = offsets + (n * s.G * s.K + gk) * 2 * s.P + p0;  // offsets (N, G, K, 2, P) as (dy, dx)
      const T* dx = dy + s.P;
      const T* mk = mask ? mask + (n * s.G * s.K + gk) * s.P + p0 : ones.data();
      const T ky = T(gk % s.K / s.kw * s.dh), kx = T(gk % s.K % s.kw * s.dw);
      T *fy_ = &fy[gk * Q], *fx_ = &fx[gk * Q], *m_ = &m[gk * Q], *w_ = &w[4 * gk * Q];
      int32_t *y0_ = &y0[gk * Q], *x0_ = &x0[gk * Q], *inside_ = &inside[gk * Q];
#pragma omp simd
      for (int64_t q = 0; q < count; ++q) {
        T y = (row[q] + ky) + dy[q], x = (col[q] + kx) + dx[q];
        const int32_t nan = (y != y) | (x != x);
        y = nan ? T(-2) : y; x = nan ? T(-2) : x;
        y = y < T(-2) ? T(-2) : y; y = y > T(H + 1) ? T(H + 1) : y;  // far outside reads zeros either way,
        x = x < T(-2) ? T(-2) : x; x = x > T(W + 1) ? T(W + 1) : x;  // and the integer conversion stays defined
        int32_t top = (int32_t)y, left = (int32_t)x;
        top -= T(top) > y; left -= T(left) > x;  // floor: the conversion rounds towards zero
        const T a = nan ? std::numeric_limits<T>::quiet_NaN() : y - T(top);
        const T b = nan ? std::numeric_limits<T>::quiet_NaN() : x - T(left);
        const int32_t rows = (top >= 0) & (top < H), rows_below = (top >= -1) & (top < H - 1);
        const int32_t cols = (left >= 0) & (left < W), cols_right = (left >= -1) & (left < W - 1);
        fy_[q] = a; fx_[q] = b; m_[q] = mk[q]; y0_[q] = top; x0_[q] = left;
        inside_[q] = (rows & cols) | (rows & cols_right) << 1 | (rows_below & cols) << 2
                     | (rows_below & cols_right) << 3;
        w_[4 * q] = (1 - a) * (1 - b) * mk[q]; w_[4 * q + 1] = (1 - a) * b * mk[q];
        w_[4 * q + 2] = a * (1 - b) * mk[q]; w_[4 * q + 3] = a * b * mk[q];
      }
    }
  }
  // Neighbour c of point j: its element index in the (N, H, W, C) input at channel `channel`, or -1 outside.
  int64_t index(int64_t j, int c, int64_t n, int64_t channel, const Sizes& s) const {
    return inside[j] >> c & 1 ? ((n * s.H + y0[j] + (c >> 1)) * s.W + x0[j] + (c & 1)) * s.C + channel : -1;
  }
};

// The tile's columns (rows, C, K), row (n - n0) * (p1 - p0) + p - p0: mask * bilinear(input at the plain
// conv's points plus offsets (N, G, K, 2, P) as (dy, dx)), mask (N, G, K, P) or null; offset group g reads
// channels [g, g + 1) * C / G.
template <typename T>
void sample(const T* input, const T* offsets, const T* mask, T* columns, const Sizes s) {
  const int64_t Cg = s.C / s.G, span = s.p1 - s.p0, Q = Points<T>::Q, blocks = (span + Q - 1) / Q;
  const std::vector<T> zeros(Cg, T(0));
#pragma omp parallel num_threads(s.threads) firstprivate(s)
  {
    Points<T> pts(s);
#pragma omp for schedule(static)
    for (int64_t block = 0; block < (s.n1 - s.n0) * blocks; ++block) {
      const int64_t n = s.n0 + block / blocks, p0 = s.p0 + block % blocks * Q, count = std::min(Q, s.p1 - p0);
      pts.locate(offsets, mask, n, p0, count, s);
      for (int64_t q = 0; q < count; ++q)
        for (int64_t k = 0; k < s.K; ++k)
          for (int64_t g = 0; g < s.G; ++g) {
            const int64_t j = (g * s.K + k) * Q + q;
            const T* v[4];
            for (int c = 0; c < 4; ++c) {
              const int64_t at = pts.index(j, c, n, g * Cg, s);
              v[c] = at >= 0 ? input + at : zeros.data();
            }
            const T w0 = pts.w[4 * j], w1 = pts.w[4 * j + 1], w2 = pts.w[4 * j + 2], w3 = pts.w[4 * j + 3];
            const T *__restrict v0 = v[0], *__restrict v1 = v[1], *__restrict v2 = v[2], *__restrict v3 = v[3];
            T* __restrict out = columns + (((n - s.n0) * span + p0 + q - s.p0) * s.C + g * Cg) * s.K + k;  // (C, K)
            for (int64_t c = 0; c < Cg; ++c) out[c * s.K] = w0 * v0[c] + w1 * v1[c] + w2 * v2[c] + w3 * v3[c];
          }
    }
  }
}

// The tile's grad_columns (rows, C, K), or (rows, K, C) if s.kc -> grad_input (N, H, W, C, zeroed by the
// caller) or null, grad_offsets (N, G, K, 2, P), grad_mask (N, G, K, P) or null, at the tile's points. The
// work is split over images and, when there are fewer images than threads, over B blocks of each group's
// channels: no two threads add into the same gradient. Channel block b leaves its part of each point's dot
// products in partial[b], summed once all blocks are done.
template <typename T>
void sample_backward(const T* input, const T* offsets, const T* mask, const T* grad_columns, T* grad_input,
                     T* grad_offsets, T* grad_mask, const Sizes s) {
  const int64_t Cg = s.C / s.G, span = s.p1 - s.p0, images = s.n1 - s.n0, points = images * s.G * s.K * span;
  const int64_t B = std::max<int64_t>(1, std::min<int64_t>(Cg / 16, s.threads / std::max<int64_t>(images, 1)));
  const int64_t Q = Points<T>::Q, blocks = (span + Q - 1) / Q;
  const std::vector<T> zeros(Cg, T(0));
  std::vector<T> partial(B > 1 ? B * points * 4 : 0);
  auto finish = [&](const Points<T>& pts, int64_t j, int64_t n, int64_t g, int64_t k, int64_t p, const T* dot) {
    const int64_t i = ((n * s.G + g) * s.K + k) * s.P + p, o = i + (i - p);  // in the mask, and dy's in offsets
    const T wy[2] = {1 - pts.fy[j], pts.fy[j]}, wx[2] = {1 - pts.fx[j], pts.fx[j]};
    if (grad_mask)
      grad_mask[i] = wy[0] * (wx[0] * dot[0] + wx[1] * dot[1]) + wy[1] * (wx[0] * dot[2] + wx[1] * dot[3]);
    grad_offsets[o] = pts.m[j] * (wx[0] * (dot[2] - dot[0]) + wx[1] * (dot[3] - dot[1]));
    grad_offsets[o + s.P] = pts.m[j] * (wy[0] * (dot[1] - dot[0]) + wy[1] * (dot[3] - dot[2]));
  };
#pragma omp parallel num_threads(s.threads) firstprivate(s)
  {
    Points<T> pts(s);
    std::vector<T> row_kc(s.K * s.C), scratch(4 * Cg);  // row_kc: a row of grad_columns in (K, C) order
#pragma omp for schedule(static)
    for (int64_t task = 0; task < images * B; ++task) {
      const int64_t n = s.n0 + task / B, b = task % B, c0 = b * Cg / B, c1 = (b + 1) * Cg / B;
      for (int64_t p0 = s.p0; p0 < s.p1; p0 += Q) {
        const int64_t count = std::min(Q, s.p1 - p0);
        pts.locate(offsets, mask, n, p0, count, s);
        for (int64_t q = 0; q < count; ++q) {
          const T* __restrict row = grad_columns + ((n - s.n0) * span + p0 + q - s.p0) * s.C * s.K;
          for (int64_t g = 0; g < s.G && !s.kc; ++g) {  // four channels at a time: vector stores
            int64_t c = g * Cg + c0;
            for (T* __restrict to = row_kc.data(); c + 4 <= g * Cg + c1; c += 4)
              for (int64_t k = 0; k < s.K; ++k)
                for (int i = 0; i < 4; ++i) to[k * s.C + c + i] = row[(c + i) * s.K + k];
            for (; c < g * Cg + c1; ++c)
              for (int64_t k = 0; k < s.K; ++k) row_kc[k * s.C + c] = row[c * s.K + k];
          }
          for (int64_t k = 0; k < s.K; ++k)
            for (int64_t g = 0; g < s.G; ++g) {
              const int64_t j = (g * s.K + k) * Q + q;
              const T* __restrict grad = (s.kc ? row : row_kc.data()) + k * s.C + g * Cg;
              const T* v[4];
              T* to[4];
              for (int c = 0; c < 4; ++c) {  // neighbour c: its values and gradient, or zeros and a scratch row
                const int64_t at = pts.index(j, c, n, g * Cg, s);
                v[c] = at >= 0 ? input + at : zeros.data();
                to[c] = at >= 0 && grad_input ? grad_input + at : scratch.data() + c * Cg;
              }
              const T *__restrict v0 = v[0], *__restrict v1 = v[1], *__restrict v2 = v[2], *__restrict v3 = v[3];
              T *__restrict to0 = to[0], *__restrict to1 = to[1], *__restrict to2 = to[2], *__restrict to3 = to[3];
              const T w0 = pts.w[4 * j], w1 = pts.w[4 * j + 1], w2 = pts.w[4 * j + 2], w3 = pts.w[4 * j + 3];
              T d0 = 0, d1 = 0, d2 = 0, d3 = 0;  // <grad, neighbour c's values> over the block
#pragma omp simd reduction(+ : d0, d1, d2, d3)
              for (int64_t ch = c0; ch < c1; ++ch) {
                const T gc = grad[ch];
                d0 += gc * v0[ch]; d1 += gc * v1[ch]; d2 += gc * v2[ch]; d3 += gc * v3[ch];
                to0[ch] += w0 * gc; to1[ch] += w1 * gc; to2[ch] += w2 * gc; to3[ch] += w3 * gc;
              }
              const T dot[4] = {d0, d1, d2, d3};
              const int64_t point = (((n - s.n0) * s.G + g) * s.K + k) * span + p0 + q - s.p0;  // in the tile
              if (B == 1)
                finish(pts, j, n, g, k, p0 + q, dot);
              else
                std::copy(dot, dot + 4, partial.begin() + (b * points + point) * 4);
            }
        }
      }
    }
    if (B > 1) {  // (the loop above ends in a barrier)
#pragma omp for schedule(static)
      for (int64_t block = 0; block < images * blocks; ++block) {
        const int64_t n = s.n0 + block / blocks, p0 = s.p0 + block % blocks * Q, count = std::min(Q, s.p1 - p0);
        pts.locate(offsets, mask, n, p0, count, s);
        for (int64_t gk = 0; gk < s.G * s.K; ++gk)
          for (int64_t q = 0; q < count; ++q) {
            const int64_t point = ((n - s.n0) * s.G * s.K + gk) * span + p0 + q - s.p0;
            T dot[4] = {0, 0, 0, 0};
            for (int64_t b = 0; b < B; ++b)
              for (int c = 0; c < 4; ++c) dot[c] += partial[(b * points + point) * 4 + c];
            finish(pts, gk * Q + q, n, gk / s.K, gk % s.K, p0 + q, dot);
          }
      }
    }
  }
}

// The entry points ctypes calls: dcn_sample_float32, dcn_sample_backward_float64, ...
#define DCN_EXPORT(T, suffix)                                                                                \
  extern "C" void dcn_sample_##suffix(const T* in, const T* off, const T* mask, T* out, const Sizes* s) {    \
    sample(in, off, mask, out, *s);                                                                          \
  }                                                                                                          \
  extern "C" void dcn_sample_backward_##suffix(const T* in, const T* off, const T* mask, const T* grad,      \
                                               T* grad_in, T* grad_off, T* grad_mask, const Sizes* s) {      \
    sample_backward(in, off, mask, grad, grad_in, grad_off, grad_mask, *s);                                  \
  }
DCN_EXPORT(float, float32)
DCN_EXPORT(double, float64)
"""
_cpp_kernels: Dict[str, Optional[ctypes.CDLL]] = {}  # $CXX -> its kernel, or None where it could not be built
_cpp_build_lock = threading.Lock()  # threads that call first at once wait for one build (and one warning)
_COMPILE_TIMEOUT_S = 60  # a healthy compiler needs about a second
# -fno-trapping-math: the kernel reads no floating-point flags, and its compares may become vector selects
_CXX_FLAGS = ["-O3", "-fno-trapping-math", "-std=c++14", "-fPIC"]  # (part of the cached kernel's name)
_PARALLEL_MIN_WORK = 1 << 15  # values sampled below which one thread is quicker than waking others
_CPP_MAX_SIDE = (1 << 31) - 3  # the kernel's pixel coordinates are 32-bit


def _cpp_kernel() -> Optional[ctypes.CDLL]:
    """The kernel built with $CXX (once per process and compiler), or None after one warning saying why not."""
    compiler = os.environ.get("CXX") or "c++"
    with _cpp_build_lock:
        if compiler not in _cpp_kernels:
            try:
                _cpp_kernels[compiler] = _build_cpp_kernel(shlex.split(compiler))
            except (OSError, ValueError, subprocess.SubprocessError, RuntimeError) as error:
                _cpp_kernels[compiler] = None
                warnings.warn(f"dcn: the C++ CPU kernel could not be built with {compiler!r} ({error}); the "
                              f"pure-PyTorch path runs instead, slower on CPU. Install g++ or clang++, or point $CXX "
                              f"at one.", RuntimeWarning, stacklevel=3)
    return _cpp_kernels[compiler]


def _cache_dir() -> str:
    """~/.cache/dcn (or $XDG_CACHE_HOME/dcn) if this user owns it and no one else may write there or rename it
    (in its parent); else a new private folder, removed at exit: a library is only ever loaded from a folder no
    other user can change."""
    parent = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    path = os.path.join(parent, "dcn")
    try:
        os.makedirs(parent, mode=0o700, exist_ok=True)
        os.makedirs(path, mode=0o700, exist_ok=True)
        info, outer, user = os.lstat(path), os.stat(parent), getattr(os, "getuid", lambda: 0)()
        if (stat.S_ISDIR(info.st_mode) and info.st_uid == user and outer.st_uid in (user, 0)
                and not (info.st_mode | outer.st_mode) & 0o022 and os.access(path, os.W_OK)):
            return path
    except OSError:
        pass
    folder = tempfile.TemporaryDirectory(prefix="dcn-")
    atexit.register(folder.cleanup)  # at exit: the loaded library stays mapped
    return folder.name


def _build_cpp_kernel(compiler: List[str]) -> ctypes.CDLL:
    """Loads the cached kernel, or compiles it first if it is missing or :func:`_load` refuses it. Where torch
    runs on its own OpenMP library (torch/lib/libgomp*), the kernel is compiled with -fopenmp and linked against
    that file, to share torch's threads; if that build fails, or torch has none, the kernel is built without
    threads. A compiler that hangs raises at once."""
    if not compiler:
        raise ValueError("$CXX is empty")
    libgomp = sorted(glob.glob(os.path.join(os.path.dirname(torch.__file__), "lib", "libgomp*.so*")))[:1]
    builds = [(["-fopenmp"], libgomp)] if libgomp and "OpenMP" in torch.__config__.parallel_info() else []
    cache, failures = _cache_dir(), []
    for flags, libraries in builds + [([], [])]:
        key = "\0".join([_CPP_SOURCE, platform.machine(), *platform.libc_ver(), *compiler, *_CXX_FLAGS, *flags,
                         *libraries])
        path = os.path.join(cache, f"dcn_kernel_{hashlib.sha256(key.encode()).hexdigest()[:16]}.so")
        try:
            return _load(path)
        except OSError:  # not built yet, damaged, or built elsewhere
            pass
        try:
            _compile(compiler, flags, libraries, path)
            return _load(path)
        except (OSError, RuntimeError) as error:  # e.g. a compiler whose OpenMP is not libgomp's: next, no threads
            failures.append(str(error))
    raise RuntimeError("; ".join(dict.fromkeys(failures)))  # (a missing compiler fails both builds alike)


def _load(path: str) -> ctypes.CDLL:
    """The kernel at ``path``; OSError unless no other user may write the file, its recorded SHA-256 matches
    (it is whole) and it loads as this kernel."""
    if os.stat(path).st_mode & 0o022:
        raise OSError(f"{path} may be written by other users")
    with open(path, "rb") as file, open(path + ".sha256") as recorded:
        if hashlib.sha256(file.read()).hexdigest() != recorded.read():
            raise OSError(f"{path} does not match its recorded SHA-256")
    library = ctypes.CDLL(path)
    if not hasattr(library, "dcn_sample_float32"):
        raise OSError(f"{path} is not this kernel")
    return library


def _compile(compiler: List[str], flags: List[str], libraries: List[str], path: str) -> None:
    """Compiles the kernel in a private folder beside ``path``, then moves it and its SHA-256 (``path``.sha256)
    in place: os.replace is atomic, so processes building at once never see a partly written file."""
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path)) as tmp:
        source, built = os.path.join(tmp, "kernel.cpp"), os.path.join(tmp, "kernel.so")
        with open(source, "w") as file:
            file.write(_CPP_SOURCE)
        for command in ([*compiler, *_CXX_FLAGS, *flags, "-c", source, "-o", built + ".o"],
                        [*compiler, "-shared", built + ".o", *libraries, "-o", built]):
            with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True) as process:  # a process group: a timeout stops it whole
                try:
                    stderr = process.communicate(timeout=_COMPILE_TIMEOUT_S)[1]
                except subprocess.TimeoutExpired:  # stop the compiler's own children (cc1plus) too
                    os.killpg(process.pid, signal.SIGKILL) if hasattr(os, "killpg") else process.kill()
                    raise
            if process.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} failed: {stderr.strip()[-500:]}")
        with open(built, "rb") as file, open(built + ".sha256", "w") as digest:
            digest.write(hashlib.sha256(file.read()).hexdigest())
        os.chmod(built, 0o700)  # whatever the umask: no one else may change what this user loads
        os.chmod(built + ".sha256", 0o600)
        os.replace(built, path)
        os.replace(built + ".sha256", path + ".sha256")


def _threads(work: int) -> int:
    return torch.get_num_threads() if work >= _PARALLEL_MIN_WORK else 1


def _cpp_call(name: str, x: Tensor, offset: Tensor, mask: Optional[Tensor], tile: Tuple[int, int, int, int],
              geometry: List[int], *outputs: Optional[Tensor], kc: bool = False) -> None:
    """``dcn_<name>_<dtype>`` on the (N, H, W, C) ``x``, contiguous offset and mask (or None) and outputs of its
    dtype, for the ``tile`` (first image, end, first position, end); small calls run on the calling thread."""
    (kh, kw), (n0, n1, p0, p1) = geometry[:2], tile
    sizes = (*x.shape, offset.shape[1] // (2 * kh * kw), kh * kw, offset.shape[2] * offset.shape[3])  # N H W C G K P
    pointers = [ctypes.c_void_p(None if t is None else t.data_ptr()) for t in (x, offset, mask, *outputs)]
    kernel = getattr(_cpp_kernel(), f"dcn_{name}_{_CPP_DTYPES[x.dtype]}")
    threads = _threads((n1 - n0) * (p1 - p0) * sizes[5] * (sizes[3] + 16))  # its points, each worth 16 values
    kernel(*pointers, (ctypes.c_int64 * 21)(*sizes, threads, *tile, offset.shape[3], *geometry[1:], kc))


_TILE_BYTES = 8 << 20  # the kernel's columns at a time, in one buffer per call: they stay in cache
_SAVE_BYTES = 8 << 20  # the columns a forward keeps for its backward, at most; past that it samples again


def _cpp_operands(input: Tensor, offset: Tensor, mask: Optional[Tensor]) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
    """The input channels-last (N, H, W, C), the offset and the mask contiguous, as the kernel reads them."""
    return input.permute(0, 2, 3, 1).contiguous(), offset.contiguous(), None if mask is None else mask.contiguous()


def _cpp_tiles(input: Tensor, points: int, k: int, columns: Optional[Tensor]) -> Iterator[tuple]:
    """Tiles of at most _TILE_BYTES of columns (or of as many images as threads, up to 4 * _TILE_BYTES), in order:
    (images, positions, the tile as the kernel takes it, and its rows of the (N * P, C * k) ``columns``, or of one
    buffer that every tile reuses if None)."""
    n, c = input.shape[:2]
    whole, image_bytes = columns is not None, points * k * c * input.element_size()
    # the backward splits a tile's images among its threads, or else each image's channels, which costs each
    # thread every point's setup: its kernel took 1.6x the time at 2 x 64 x 56 x 56
    per_tile = min(n, torch.get_num_threads(), 4 * _TILE_BYTES // max(image_bytes, 1))
    for images, at in _chunks(n, points, image_bytes, max(_TILE_BYTES, per_tile * image_bytes)):
        tile = (images.start, min(images.stop, n), at.start, min(at.stop, points))
        first, count = tile[0] * points + tile[2], (tile[1] - tile[0]) * (tile[3] - tile[2])
        if columns is None:  # the first tile is the largest
            columns = input.new_empty(count, c * k)
        yield images, at, tile, columns[first:first + count] if whole else columns[:count]


# The products of the columns and the weight: where oneDNN runs float32 convolutions (torch's x86 and ARM
# builds), as 1x1 convolutions of the (N * P, C * k) columns seen as a channels-last (N, C * k, P, 1) image,
# which it computes 1.5-3x faster than torch.mm above a few million multiply-adds; else as torch.bmm.
_ONEDNN_MIN_WORK = 1 << 22  # multiply-adds below which torch.bmm is as fast or faster


def _onednn(columns: Tensor, rows: Tensor) -> bool:
    return (columns.dtype == torch.float32 and columns.shape[0] * rows.numel() >= _ONEDNN_MIN_WORK
            and torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled)


def _as_image(matrix: Tensor, points: int) -> Tensor:
    """(N * P, D) -> the channels-last (N, D, P, 1) image it is, without a copy."""
    return matrix.view(matrix.shape[0] // points, points, 1, matrix.shape[1]).permute(0, 3, 1, 2)


def _times_rows(columns: Tensor, rows: Tensor, points: int) -> Tensor:
    """(N * P, groups * D) columns x (groups, O, D) rows -> (N * P, groups * O), each group's columns by its rows."""
    (groups, o, d), m = rows.shape, columns.shape[0]
    if _onednn(columns, rows):
        product = F.conv2d(_as_image(columns, points), rows.reshape(-1, d, 1, 1), groups=groups)
        return product.permute(0, 2, 3, 1).reshape(m, groups * o)
    product = torch.bmm(columns.view(m, groups, d).transpose(0, 1), rows.transpose(1, 2))  # (groups, N * P, O)
    return product.transpose(0, 1).reshape(m, groups * o)


def _product_gradient(grad_out: Tensor, columns: Tensor, rows: Tensor, points: int, of_columns: bool) -> Tensor:
    """The gradient of :func:`_times_rows` from the (N * P, groups * O) output's: the (N * P, groups * D) columns' if
    ``of_columns`` (their values unused), else the (groups, O, D) rows'."""
    (groups, o, d), m = rows.shape, columns.shape[0]
    if _onednn(columns, rows):
        grads = torch.ops.aten.convolution_backward(
            _as_image(grad_out, points), _as_image(columns, points), rows.reshape(-1, d, 1, 1), None, [1, 1], [0, 0],
            [1, 1], False, [0, 0], groups, [of_columns, not of_columns, False])
        return grads[0].permute(0, 2, 3, 1).reshape(m, groups * d) if of_columns else grads[1].view(rows.shape)
    grad_out = grad_out.view(m, groups, o).transpose(0, 1)  # (groups, N * P, O)
    if of_columns:
        return torch.bmm(grad_out, rows).transpose(0, 1).reshape(m, groups * d)
    return torch.bmm(grad_out.transpose(1, 2), columns.view(m, groups, d).transpose(0, 1))


def _cpp_conv_op(input: Tensor, offset: Tensor, mask: Optional[Tensor], rows: Tensor, geometry: List[int],
                 save: bool) -> Tuple[Tensor, Tensor]:
    """dcn::cpp_deform_conv, a tile at a time; it leaves the backward the columns if ``save`` (else nothing: the
    backward samples each tile again)."""
    x, offset, mask = _cpp_operands(input, offset, mask)
    n, points, k = input.shape[0], offset.shape[2] * offset.shape[3], geometry[0] * geometry[1]
    out = input.new_empty(n, points, rows.shape[0] * rows.shape[1])
    columns = input.new_empty(n * points, input.shape[1] * k) if save else None
    for images, at, tile, tile_columns in _cpp_tiles(input, points, k, columns):
        _cpp_call("sample", x, offset, mask, tile, geometry, tile_columns)
        out[images, at] = _times_rows(tile_columns, rows, tile[3] - tile[2]).view(out[images, at].shape)
    return out, columns if save else input.new_empty(0)


def _cpp_conv_backward_op(grad: Tensor, input: Tensor, offset: Tensor, mask: Optional[Tensor], rows: Tensor,
                          geometry: List[int], columns: Tensor, needs: List[bool]) -> Tuple[Tensor, ...]:
    """dcn::cpp_deform_conv_backward, a tile at a time: the weight's gradient from the forward's columns, or
    from each tile's sampled again; the others from the kernel."""
    (groups, c_out_group, _), k = rows.shape, geometry[0] * geometry[1]
    x, offset, mask = _cpp_operands(input, offset, mask)
    grad_input = torch.zeros_like(input, memory_format=torch.channels_last) if needs[0] else None
    grad_offset = torch.empty_like(offset)
    grad_mask = torch.empty_like(mask) if needs[2] and mask is not None else None
    grad, grad_rows = grad.to(input.dtype).contiguous(), None  # as the 1x1 convolutions read it
    saved, points = columns if columns.dim() == 2 else None, offset.shape[2] * offset.shape[3]
    # the columns' gradient in (k, C) order, from the weight laid out so once, where that is less work than the
    # kernel laying out each gradient row so
    kc = groups == 1 and input.shape[0] * points >= c_out_group
    rows_kc = rows.reshape(c_out_group, -1, k).transpose(1, 2).reshape(rows.shape) if kc else rows
    for images, at, tile, tile_columns in _cpp_tiles(input, points, k, saved):
        grad_out = grad[images, at].reshape(-1, groups * c_out_group)  # (N * P, C_out)
        if needs[3]:
            if saved is None:
                _cpp_call("sample", x, offset, mask, tile, geometry, tile_columns)
            part = _product_gradient(grad_out, tile_columns, rows, tile[3] - tile[2], of_columns=False)
            grad_rows = part if grad_rows is None else grad_rows.add_(part)
        grad_columns = _product_gradient(grad_out, tile_columns, rows_kc, tile[3] - tile[2], of_columns=True)
        _cpp_call("sample_backward", x, offset, mask, tile, geometry, grad_columns.contiguous(),
                  None if grad_input is None else grad_input.permute(0, 2, 3, 1), grad_offset, grad_mask, kc=kc)
        part = grad_columns = None  # freed before the next tile allocates its own, which then reuse their memory
    return tuple(input.new_empty(0) if t is None else t for t in (grad_input, grad_offset, grad_mask, grad_rows))


_define_conv_op("cpp_deform_conv", _cpp_conv_op, _cpp_conv_backward_op, ("cpu",),  # saved: (N * P, C * k) columns
                lambda x, offset, rows, geometry: (x.shape[0] * offset.shape[2] * offset.shape[3],
                                                   x.shape[1] * geometry[0] * geometry[1]))


def _cpp_available() -> bool:
    """Whether the kernel builds here. torch.compile calls this once, as a constant, instead of tracing the build."""
    return _cpp_kernel() is not None


_cpp_available._dynamo_marked_constant = True  # what torch.compiler.assume_constant_result sets, without importing it


def _cpp_conv(input: Tensor, offset: Tensor, mask: Optional[Tensor], weight: Tensor, stride: Tuple[int, int],
              padding: Tuple[int, int], dilation: Tuple[int, int]) -> Tensor:
    if not _cpp_available() or max(input.shape[2:]) > _CPP_MAX_SIDE:  # no compiler (after one warning), or huge
        return _pure_backend_conv(input, offset, mask, weight, stride, padding, dilation)
    n, c, (kh, kw), (h_out, w_out) = input.shape[0], input.shape[1], weight.shape[2:], offset.shape[2:]
    save = n * h_out * w_out * kh * kw * c * input.element_size() <= _SAVE_BYTES  # the batch's columns, in bytes
    # the forward keeps them for the backward if they are small; graphs whose sizes are symbolic (dynamic
    # shapes) sample again: a test of sizes would make a graph per size
    if torch.compiler.is_compiling():
        from torch.fx.experimental.symbolic_shapes import statically_known_true  # (imported by the compiler)
        save = statically_known_true(save)
    geometry = [kh, kw, *stride, *padding, *dilation]
    out, _ = torch.ops.dcn.cpp_deform_conv(input, offset, mask, _weight_rows(input, weight), geometry, save)
    return _as_nchw(out, offset)


_BACKENDS["cpp"] = Backend(("cpu",), tuple(_CPP_DTYPES), _cpp_conv)
# ==== end of backend="cpp" ==========================================================================


# ==== backend="triton": the convolution as one fused GPU kernel ======================================
# (delete from here to the matching end line to drop it)
# An implicit GEMM: each program multiplies tiles of the columns (output positions x input channels at one
# kernel point), sampled into registers and never stored, by tiles of the weight. The backward samples again:
# one kernel for the input, location and mask gradients (float32 atomic adds), one for the weight's. Products
# run in the input's dtype (float32 as TF32 only where torch.backends.cuda.matmul.allow_tf32), sums in
# float32. TRITON_INTERPRET=1 runs the kernels on the CPU.
_TRITON_DTYPES = (torch.float32, torch.float16, torch.bfloat16)
_TRITON_INTERPRET = os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")
_HAS_TRITON = importlib.util.find_spec("triton") is not None and (_TRITON_INTERPRET or torch.cuda.is_available())

if _HAS_TRITON:
    import triton
    import triton.language as tl

    @triton.jit
    def _tl_point(LOC, n, p, row_ok, cl, c_ok, kp, H, W, C, G, K, P, ONE_OFFSET_GROUP: tl.constexpr):
        """Where channels cl of images n sample at kernel point kp for output positions p, as [rows, channels]
        tiles ([rows, 1] with one offset group: a row's channels share their point): the top-left neighbour
        (y0, x0), the fractions (fy, fx), the point's index i, and which entries (ok) and points exist."""
        ok = row_ok[:, None] & c_ok[None, :]
        if ONE_OFFSET_GROUP:
            i = ((n * K + kp) * P + p)[:, None]
            point_ok = row_ok[:, None]
        else:
            i = ((n[:, None] * G + cl[None, :] // (C // G)) * K + kp) * P + p[:, None]
            point_ok = ok
        y = tl.load(LOC + 2 * i, mask=point_ok, other=-2.0)
        x = tl.load(LOC + 2 * i + 1, mask=point_ok, other=-2.0)
        nan = (y != y) | (x != x)
        y = tl.where(nan, -2.0, tl.minimum(tl.maximum(y, -2.0), H + 1.0))  # far points read zeros either way
        x = tl.where(nan, -2.0, tl.minimum(tl.maximum(x, -2.0), W + 1.0))
        y0, x0 = tl.floor(y), tl.floor(x)
        fy = tl.where(nan, float("nan"), y - y0)  # NaN in, NaN out
        return y0.to(tl.int64), x0.to(tl.int64), fy, x - x0, i, ok, point_ok

    @triton.jit
    def _tl_corner(y0, x0, fy, fx, ok, H, W, C, J: tl.constexpr):
        """Neighbour J = 0..3 (row y0 + J // 2, column x0 + J % 2): its offset in a channels-last image,
        whether it is in the image, and its bilinear weights along y and x."""
        y, x = y0 + J // 2, x0 + J % 2
        inside = ok & ((y >= 0) & (y < H)) & ((x >= 0) & (x < W))
        offset = (y0 * W + x0) * C + (J // 2 * W + J % 2) * C  # the top-left neighbour's (shared) plus a step
        return offset, inside, fy if J // 2 else 1.0 - fy, fx if J % 2 else 1.0 - fx

    @triton.jit
    def _tl_columns(X, LOC, MASK, n, p, row_ok, cl, c_ok, kp, H, W, C, G, K, P, HAS_MASK: tl.constexpr,
                    ONE_OFFSET_GROUP: tl.constexpr):
        """A [rows, channels] tile of the columns, float32."""
        y0, x0, fy, fx, i, ok, point_ok = _tl_point(LOC, n, p, row_ok, cl, c_ok, kp, H, W, C, G, K, P, ONE_OFFSET_GROUP)
        image = X + n[:, None] * H * W * C + cl[None, :]
        columns = 0.0
        for j in tl.static_range(4):
            offset, inside, wy, wx = _tl_corner(y0, x0, fy, fx, ok, H, W, C, j)
            columns += wy * wx * tl.load(image + offset, mask=inside, other=0.0).to(tl.float32)
        m = tl.load(MASK + i, mask=point_ok, other=0.0) if HAS_MASK else tl.where(point_ok, 1.0, 0.0)
        return m * columns

    @triton.jit
    def _tl_forward(X, LOC, MASK, WT, OUT, N, H, W, C, G, K, P, C_OUT, GROUPS, HAS_MASK: tl.constexpr,
                    ONE_OFFSET_GROUP: tl.constexpr, PRECISION: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr,
                    BK: tl.constexpr):
        """OUT (N * P, C_OUT) = columns (N * P, K * C) x weight, per conv group."""
        rows = tl.program_id(0) * BM + tl.arange(0, BM)
        n, p = (rows // P).to(tl.int64), rows % P  # int64: outputs over 2**31 elements must not wrap
        group, cg, cout_g = tl.program_id(2), C // GROUPS, C_OUT // GROUPS
        o = tl.program_id(1) * BN + tl.arange(0, BN)
        acc = tl.zeros((BM, BN), dtype=tl.float32)
        for kp in range(0, K):
            for c0 in range(0, cg, BK):
                c = c0 + tl.arange(0, BK)  # channels within the group
                columns = _tl_columns(X, LOC, MASK, n, p, rows < N * P, group * cg + c, c < cg, kp, H, W, C, G, K, P,
                                      HAS_MASK, ONE_OFFSET_GROUP)
                w = tl.load(WT + ((group * cout_g + o[None, :]) * cg + c[:, None]) * K + kp,
                            mask=(c < cg)[:, None] & (o < cout_g)[None, :], other=0.0)
                acc += tl.dot(columns.to(w.dtype), w, input_precision=PRECISION)
        tl.store(OUT + (n * P + p)[:, None] * C_OUT + group * cout_g + o[None, :], acc.to(OUT.dtype.element_ty),
                 mask=(rows < N * P)[:, None] & (o < cout_g)[None, :])

    @triton.jit
    def _tl_backward_sampling(X, LOC, MASK, WT, GRAD, GX, GLOC, GMASK, N, H, W, C, G, K, P, C_OUT, GROUPS,
                              HAS_MASK: tl.constexpr, NEED_INPUT: tl.constexpr, NEED_MASK: tl.constexpr,
                              ONE_OFFSET_GROUP: tl.constexpr, PRECISION: tl.constexpr,
                              BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
        """Gradients of the input (GX), locations (GLOC) and mask (GMASK), all float32, added atomically."""
        rows = tl.program_id(0) * BM + tl.arange(0, BM)
        n, p = (rows // P).to(tl.int64), rows % P
        group, cg, cout_g = tl.program_id(2), C // GROUPS, C_OUT // GROUPS
        kp, c = tl.program_id(1) // tl.cdiv(cg, BK), tl.program_id(1) % tl.cdiv(cg, BK) * BK + tl.arange(0, BK)
        grad_columns = tl.zeros((BM, BK), dtype=tl.float32)  # grad_out x weight^T at kernel point kp
        for o0 in range(0, cout_g, BN):
            o = o0 + tl.arange(0, BN)
            g = tl.load(GRAD + (n * P + p)[:, None] * C_OUT + group * cout_g + o[None, :],
                        mask=(rows < N * P)[:, None] & (o < cout_g)[None, :], other=0.0)
            w = tl.load(WT + ((group * cout_g + o[:, None]) * cg + c[None, :]) * K + kp,
                        mask=(o < cout_g)[:, None] & (c < cg)[None, :], other=0.0)
            grad_columns += tl.dot(g, w, input_precision=PRECISION)
        y0, x0, fy, fx, i, ok, point_ok = _tl_point(LOC, n, p, rows < N * P, group * cg + c, c < cg, kp, H, W, C, G,
                                                    K, P, ONE_OFFSET_GROUP)
        image = n[:, None] * H * W * C + group * cg + c[None, :]  # the tile's channels in X and GX
        grad_y, grad_x, grad_m = 0.0, 0.0, 0.0
        for j in tl.static_range(4):  # through neighbour j, weighted wy * wx
            offset, inside, wy, wx = _tl_corner(y0, x0, fy, fx, ok, H, W, C, j)
            d = grad_columns * tl.load(X + image + offset, mask=inside, other=0.0).to(tl.float32)
            grad_y += (j // 2 * 2 - 1) * wx * d  # d wy / dy is -1 in the upper row, +1 in the lower
            grad_x += (j % 2 * 2 - 1) * wy * d
            grad_m += wy * wx * d
        m = tl.load(MASK + i, mask=point_ok, other=0.0) if HAS_MASK else tl.where(point_ok, 1.0, 0.0)
        if NEED_INPUT:  # after the loads: each atomic add orders the memory accesses around it
            for j in tl.static_range(4):
                offset, inside, wy, wx = _tl_corner(y0, x0, fy, fx, ok, H, W, C, j)
                tl.atomic_add(GX + image + offset, grad_columns * m * (wy * wx), mask=inside)
        if ONE_OFFSET_GROUP:  # the tile's channels share their point: add them up first
            grad_y = tl.sum(grad_y, axis=1, keep_dims=True)
            grad_x = tl.sum(grad_x, axis=1, keep_dims=True)
            grad_m = tl.sum(grad_m, axis=1, keep_dims=True)
        tl.atomic_add(GLOC + 2 * i, m * grad_y, mask=point_ok)
        tl.atomic_add(GLOC + 2 * i + 1, m * grad_x, mask=point_ok)
        if NEED_MASK:
            tl.atomic_add(GMASK + i, grad_m, mask=point_ok)

    @triton.jit
    def _tl_backward_weight(X, LOC, MASK, GRAD, GW, N, H, W, C, G, K, P, C_OUT, GROUPS, ROWS_PER_PROGRAM,
                            HAS_MASK: tl.constexpr, ONE_OFFSET_GROUP: tl.constexpr, PRECISION: tl.constexpr,
                            BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr):
        """GW (C_OUT, C / GROUPS, K), float32, += columns^T x grad over this program's rows."""
        group, cg, cout_g = tl.program_id(2), C // GROUPS, C_OUT // GROUPS
        pid, blocks = tl.program_id(0), tl.cdiv(cg, BK)
        kp, c = pid % (K * blocks) // blocks, pid % blocks * BK + tl.arange(0, BK)
        start = pid // (K * blocks) * ROWS_PER_PROGRAM
        end = tl.minimum(start + ROWS_PER_PROGRAM, N * P)
        o = tl.program_id(1) * BN + tl.arange(0, BN)
        acc = tl.zeros((BK, BN), dtype=tl.float32)
        for r0 in range(start, end, BM):
            rows = r0 + tl.arange(0, BM)
            n, p = (rows // P).to(tl.int64), rows % P
            columns = _tl_columns(X, LOC, MASK, n, p, rows < end, group * cg + c, c < cg, kp, H, W, C, G, K, P,
                                  HAS_MASK, ONE_OFFSET_GROUP)
            g = tl.load(GRAD + (n * P + p)[:, None] * C_OUT + group * cout_g + o[None, :],
                        mask=(rows < end)[:, None] & (o < cout_g)[None, :], other=0.0)
            acc += tl.dot(tl.trans(columns.to(g.dtype)), g, input_precision=PRECISION)
        tl.atomic_add(GW + ((group * cout_g + o[None, :]) * cg + c[:, None]) * K + kp, acc,
                      mask=(c < cg)[:, None] & (o < cout_g)[None, :])

    _TRITON_WARPS = 8
    _triton_stages: Dict[tuple, int] = {}  # the pipeline depth that fit, per kernel, device, dtype and constants

    def _triton_blocks(out_channels: int) -> Tuple[int, int, int]:
        """(BM, BN, BK): 64 output positions x 16 to 64 output channels x 16 input channels, tiles that 8 warps
        keep in registers on sm_75 to sm_90."""
        return 64, max(16, min(64, triton.next_power_of_2(out_channels))), 16

    def _triton_launch(kernel, grid: Tuple[int, int, int], *args, **constants) -> None:
        """``kernel[grid](*args, **constants)`` with the deepest software pipeline (3, 2, then 1 stage) whose
        shared memory this GPU has: Triton raises OutOfResources before launching one that does not fit."""
        key = (kernel.__name__, args[0].device, args[0].dtype, tuple(sorted(constants.items())))
        for stages in range(_triton_stages.get(key, 3), 0, -1):
            try:
                kernel[grid](*args, num_warps=_TRITON_WARPS, num_stages=stages, enable_fp_fusion=True, **constants)
                _triton_stages[key] = stages
                return
            except triton.runtime.OutOfResources:
                if stages == 1:
                    raise

    def _triton_setup(input, offset, mask, rows, geometry):
        """The kernels' operands: the input channels-last and the weight rows in the input's dtype (bfloat16 as
        float32 in Triton's CPU interpreter, whose bfloat16 matmul is wrong), float32 sampling locations and
        mask; their sizes; their constants (TF32 for float32 only where torch allows it)."""
        locations, mask = _locations_and_mask(offset, mask, *(tuple(geometry[i:i + 2]) for i in (0, 2, 4, 6)))
        dtype = torch.float32 if _TRITON_INTERPRET and input.dtype == torch.bfloat16 else input.dtype
        x, rows = input.permute(0, 2, 3, 1).to(dtype).contiguous(), rows.to(dtype).contiguous()
        locations = locations.to(torch.float32).contiguous()
        mask32 = locations if mask is None else mask.to(torch.float32).contiguous()  # (no mask: never read)
        (n, h, w, c), (_, g, k, points, _), (groups, c_out_group) = x.shape, locations.shape, rows.shape[:2]
        bm, bn, bk = _triton_blocks(c_out_group)
        tf32 = input.dtype == torch.float32 and torch.backends.cuda.matmul.allow_tf32
        constants = dict(HAS_MASK=mask is not None, ONE_OFFSET_GROUP=g == 1, PRECISION="tf32" if tf32 else "ieee",
                         BM=bm, BN=bn, BK=bk)
        return (x, locations, mask32, rows), (n, h, w, c, g, k, points, groups * c_out_group, groups), constants

    def _triton_conv_op(input: Tensor, offset: Tensor, mask: Optional[Tensor], rows: Tensor, geometry: List[int],
                        save: bool):
        """dcn::triton_deform_conv; it leaves the backward nothing (it samples again)."""
        operands, sizes, constants = _triton_setup(input, offset, mask, rows, geometry)
        n, points, c_out, groups = sizes[0], sizes[6], sizes[7], sizes[8]
        out = operands[0].new_zeros(n, points, c_out)
        if out.numel():
            grid = (triton.cdiv(n * points, constants["BM"]), triton.cdiv(c_out // groups, constants["BN"]), groups)
            _triton_launch(_tl_forward, grid, *operands, out, *sizes, **constants)
        return out.to(input.dtype), input.new_empty(0)

    def _triton_conv_backward_op(grad: Tensor, input: Tensor, offset: Tensor, mask: Optional[Tensor], rows: Tensor,
                                 geometry: List[int], saved: Tensor, needs: List[bool]):
        if torch.are_deterministic_algorithms_enabled() and not _TRITON_INTERPRET:  # the interpreter adds in order
            message = ('backend="triton" adds up its gradients with atomic adds on the GPU, in an order that varies '
                       "between runs, which torch.use_deterministic_algorithms(True) forbids; train on the CPU for "
                       "reproducible gradients, or pass warn_only=True there to go on regardless")
            if not torch.is_deterministic_algorithms_warn_only_enabled():
                raise RuntimeError(message)
            warnings.warn(message, UserWarning)
        (x, locations32, mask32, rows_x), sizes, constants = _triton_setup(input, offset, mask, rows, geometry)
        n, _, _, c, _, k, points, c_out, groups = sizes
        bm, bn, bk = constants["BM"], constants["BN"], constants["BK"]
        need_input, need_mask, need_rows = needs[0], needs[2] and mask is not None, needs[3]
        grad_locations = torch.zeros_like(locations32)  # also what the kernels get for gradients not needed
        grad_x = torch.zeros_like(x, dtype=torch.float32) if need_input else grad_locations
        grad_mask = torch.zeros_like(mask32) if need_mask else grad_locations
        grad_rows = torch.zeros_like(rows_x, dtype=torch.float32) if need_rows else grad_locations
        grad = grad.to(x.dtype).contiguous()
        if n * points > 0:
            grid = (triton.cdiv(n * points, bm), k * triton.cdiv(c // groups, bk), groups)
            _triton_launch(_tl_backward_sampling, grid, x, locations32, mask32, rows_x, grad, grad_x, grad_locations,
                           grad_mask, *sizes, NEED_INPUT=need_input, NEED_MASK=need_mask, **constants)
        if n * points > 0 and need_rows:
            rows_per_program = triton.cdiv(triton.cdiv(n * points, 64), bm) * bm  # about 64 row ranges
            grid = (k * triton.cdiv(c // groups, bk) * triton.cdiv(n * points, rows_per_program),
                    triton.cdiv(c_out // groups, bn), groups)
            _triton_launch(_tl_backward_weight, grid, x, locations32, mask32, grad, grad_rows, *sizes,
                           rows_per_program, **constants)
        empty = input.new_empty(0)
        return (grad_x.to(input.dtype).permute(0, 3, 1, 2) if need_input else empty,  # channels-last
                grad_locations.to(offset.dtype).transpose(3, 4).reshape(offset.shape),  # (dy, dx) as the offset
                grad_mask.to(mask.dtype).reshape(mask.shape) if need_mask else empty,
                grad_rows.to(rows.dtype) if need_rows else empty)

    _TRITON_DEVICES = ("cuda", "cpu") if _TRITON_INTERPRET else ("cuda",)
    _define_conv_op("triton_deform_conv", _triton_conv_op, _triton_conv_backward_op, _TRITON_DEVICES)

    def _triton_conv(input: Tensor, offset: Tensor, mask: Optional[Tensor], weight: Tensor, stride: Tuple[int, int],
                     padding: Tuple[int, int], dilation: Tuple[int, int]) -> Tensor:
        geometry = [*weight.shape[2:], *stride, *padding, *dilation]
        out, _ = torch.ops.dcn.triton_deform_conv(input, offset, mask, _weight_rows(input, weight), geometry, False)
        return _as_nchw(out, offset)

    _BACKENDS["triton"] = Backend(_TRITON_DEVICES, _TRITON_DTYPES, _triton_conv)
# ==== end of backend="triton" =======================================================================
