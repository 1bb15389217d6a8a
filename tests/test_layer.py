"""The ``DeformableConv2d`` layer and its arguments, side by side with ``nn.Conv2d``.

Its constructor arguments and their errors, ``extra_repr``, ``state_dict``, ``reset_parameters``, the
``weight``/``bias`` properties; a fresh layer computes exactly its plain convolution, in every dtype,
memory format and input shape nn.Conv2d takes (unbatched, empty batch, "same"/"valid" padding) and refuses
what nn.Conv2d refuses; pruning, hooks and parametrizations on its submodules; ``deformation()``; and the
original layer's MNIST checkpoint, which loads strictly and keeps its accuracy.
"""
from __future__ import annotations

import collections
import copy
import inspect
import io
import os
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils import parametrize, prune
from torch.testing import assert_close

import dcn
from dcn import DeformableConv2d, convert_to_deformable

torchvision = pytest.importorskip("torchvision")
import torchvision.ops  # noqa: E402

import mnist_lab  # noqa: E402 - notebooks/mnist_lab.py: MnistNet and MNIST loading

pytestmark = pytest.mark.usefixtures("one_thread")

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["torch", "cpp", "torchvision"]  # every backend a CPU tensor can name
OWN_BACKENDS = ["auto", "torch", "cpp"]  # the default and dcn.py's own two paths
EXACT = dict(rtol=0.0, atol=1e-10)  # float64 parity
F64 = torch.float64


@pytest.fixture(scope="session")
def conv_and_layer(available):
    """conv_and_layer(backend, dtype=torch.float32, padding=1): an nn.Conv2d and a fresh DeformableConv2d
    made from it (which computes exactly the same)."""
    def conv_and_layer(backend, dtype=torch.float32, padding=1):
        torch.manual_seed(0)
        conv = nn.Conv2d(3, 4, 3, padding=padding).to(dtype)
        return conv, DeformableConv2d.from_conv(conv, backend=available(backend))
    return conv_and_layer


# ----------------------------------------------------------------------------------------------------
# Arguments
# ----------------------------------------------------------------------------------------------------
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


def test_int_and_tuple_arguments_are_equivalent(deform):
    torch.manual_seed(0)
    a = DeformableConv2d(4, 4, 3, 2, 1, 2, bias=True)
    b = DeformableConv2d(4, 4, (3, 3), (2, 2), (1, 1), (2, 2), bias=True)
    c = DeformableConv2d(4, 4, [3, 3], [2, 2], [1, 1], [2, 2], bias=True)
    for layer in (a, b, c):
        assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == ((3, 3), (2, 2), (1, 1), (2, 2))
    deform(a)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 4, 9, 10)
    torch.testing.assert_close(a(x), b(x))


def test_numpy_integers_are_taken_as_nn_conv2d_takes_them():
    np = pytest.importorskip("numpy")
    four, three, one, two = (np.int64(v) for v in (4, 3, 1, 2))
    layer = DeformableConv2d(four, four, three, (one, two), one, groups=two, offset_groups=two, bias=True)
    conv = nn.Conv2d(four, four, three, (one, two), one, groups=two)
    assert (layer.in_channels, layer.kernel_size, layer.stride, layer.padding, layer.groups) == (4, (3, 3), (1, 2), (1, 1), 2)
    assert type(layer.offset_groups) is int and all(type(v) is int for v in layer.padding)
    assert layer(torch.randn(1, 4, 6, 6)).shape == conv(torch.randn(1, 4, 6, 6)).shape
    with pytest.raises(TypeError, match=r"kernel_size must be an int or a tuple of two ints, got array"):
        DeformableConv2d(4, 4, np.array([3, 3]))


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
    (dict(padding="same", stride=2), ValueError, "padding=.same.*strided"),  # nn.Conv2d's own message
    (dict(padding="full"), ValueError, "padding"),
    (dict(backend="cuda"), ValueError, "backend"),
    (dict(modulation="no"), TypeError, "modulation must be True .DCNv2. or False .DCNv1."),
    (dict(modulation=None), TypeError, "modulation"),
], ids=lambda v: repr(v) if isinstance(v, dict) else None)
def test_bad_layer_arguments(no_kernels, kwargs, error, match):
    args = dict(in_channels=4, out_channels=4)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        DeformableConv2d(**args)


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_modulation_false_is_dcnv1(backend, deform):
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(4, 4, bias=True, modulation=False, offset_groups=2, backend=backend)).double()
    assert layer.modulator_conv is None
    assert not any(key.startswith("modulator_conv") for key in layer.state_dict())
    assert "modulation=False" in repr(layer)
    x = torch.randn(2, 4, 5, 6, dtype=torch.float64)
    offset = layer.offset_conv(x)
    assert offset.abs().max() > 0.5
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, padding=1, mask=None)
    torch.testing.assert_close(layer(x), expected, **EXACT)
    assert torch.equal(layer.deformation(x).mask, torch.ones(2, 2, 9, 5, 6, dtype=torch.float64))


# ----------------------------------------------------------------------------------------------------
# Parameters, state_dict and copies
# ----------------------------------------------------------------------------------------------------
def test_state_dict_keys_are_the_original_layers():
    with_bias = DeformableConv2d(4, 8, bias=True).state_dict()
    assert set(with_bias) == {"offset_conv.weight", "offset_conv.bias", "modulator_conv.weight",
                              "modulator_conv.bias", "regular_conv.weight", "regular_conv.bias"}
    assert set(DeformableConv2d(4, 8).state_dict()) == set(with_bias) - {"regular_conv.bias"}
    shapes = {key: tuple(v.shape) for key, v in with_bias.items()}
    assert shapes["offset_conv.weight"] == (18, 4, 3, 3) and shapes["modulator_conv.weight"] == (9, 4, 3, 3)
    assert shapes["regular_conv.weight"] == (8, 4, 3, 3)


@pytest.mark.parametrize("modulation", [True, False])
def test_state_dict_keeps_the_submodule_keys(modulation, conv_and_layer, randn):
    conv, _ = conv_and_layer("torch")
    state = DeformableConv2d.from_conv(conv, modulation=modulation).state_dict()
    convs = ["offset_conv", "regular_conv"] + (["modulator_conv"] if modulation else [])
    assert set(state) == {f"{name}.{p}" for name in convs for p in ("weight", "bias")}
    assert_close(state["regular_conv.weight"], conv.weight)
    fresh = DeformableConv2d(3, 4, bias=True, modulation=modulation)
    fresh.load_state_dict(state)
    x = randn(2, 3, 6, 7)
    assert_close(fresh(x), conv(x))


def test_reset_parameters_zeroes_offsets_and_modulation(deform):
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(4, 4, bias=True))
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


def test_a_plain_models_checkpoint_loads_into_its_converted_copy():
    """Build, convert, then load the plain model's checkpoint: nn.Conv2d's weight and bias go to regular_conv,
    strict loading names the offset convs' missing keys, and non-strict loading gives the plain model."""
    plain, model = (nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1)) for _ in "ab")
    convert_to_deformable(model)
    with pytest.raises(RuntimeError, match=r'Missing key\(s\).*"0.offset_conv.weight"'):
        model.load_state_dict(plain.state_dict())
    missing, unexpected = model.load_state_dict(plain.state_dict(), strict=False)
    assert unexpected == [] and all("offset_conv" in key or "modulator_conv" in key for key in missing)
    x = torch.randn(2, 3, 8, 8)
    assert_close(model(x), plain(x))


def test_setting_stride_padding_or_dilation_sets_all_three_convs(deform):
    """As on nn.Conv2d, model surgery may set the geometry after construction (DeepLab's backbones make strided
    convs dilated: stride 1, dilation 2, padding 2): the layer then computes what one built so computes."""
    layer = deform(DeformableConv2d(4, 6, stride=2, padding=1, bias=True))
    layer.stride, layer.dilation, layer.padding = 1, (2, 2), 2
    expected = DeformableConv2d(4, 6, stride=1, padding=2, dilation=2, bias=True)
    expected.load_state_dict(layer.state_dict())
    x = torch.randn(2, 4, 9, 10)
    assert_close(layer(x), expected(x), rtol=0.0, atol=0.0)
    assert [(c.stride, c.padding, c.dilation) for c in (layer.offset_conv, layer.modulator_conv, layer.regular_conv)] \
        == [((1, 1), (2, 2), (2, 2))] * 3
    for name, value, error in (("stride", 0, ValueError), ("padding", "full", ValueError), ("dilation", "same", TypeError)):
        with pytest.raises(error, match=name):
            setattr(layer, name, value)
    for conv in (c for c in layer.modules() if isinstance(c, nn.Conv2d)):  # surgery that reaches regular_conv only
        conv.dilation, conv.padding = (3, 3), (3, 3)
    with pytest.raises(RuntimeError, match="set them on the layer"):
        layer(x)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_deepcopy_and_whole_module_pickling_give_equal_independent_layers(backend, make_layer, randn):
    layer, x = make_layer(backend), randn(2, 3, 6, 7)
    expected = layer(x)
    buffer = io.BytesIO()
    torch.save(nn.Sequential(layer, nn.ReLU()), buffer)
    buffer.seek(0)
    for clone in (copy.deepcopy(layer), torch.load(buffer, weights_only=False)[0]):
        assert type(clone) is DeformableConv2d and clone.backend == layer.backend
        assert_close(clone(x), expected)
        with torch.no_grad():
            clone.regular_conv.weight.zero_()
            clone.offset_conv.weight.zero_()
        assert_close(layer(x), expected)


# ----------------------------------------------------------------------------------------------------
# Side by side with nn.Conv2d: a fresh layer computes exactly its plain convolution
# ----------------------------------------------------------------------------------------------------
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_padding_valid(backend, deform):
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
    deform(layer)
    offset, mask = layer._offset_and_mask(x)
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, mask=mask)
    torch.testing.assert_close(layer(x), expected, **EXACT)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kernel_size, padding", [((1, 3), (0, 1)), ((5, 3), (2, 1)), ((2, 4), (0, 0))])
def test_non_square_kernels_on_rectangular_inputs(backend, kernel_size, padding, deform):
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(2, 3, kernel_size, padding=padding, bias=True, backend=backend)).double()
    x = torch.randn(2, 2, 6, 9, dtype=torch.float64)
    offset, mask = layer._offset_and_mask(x)
    assert offset.shape[1] == 2 * kernel_size[0] * kernel_size[1]
    expected = torchvision.ops.deform_conv2d(x, offset, layer.weight, layer.bias, 1, padding, 1, mask)
    out = layer(x)
    assert out.shape == (2, 3, 6 + 2 * padding[0] - kernel_size[0] + 1, 9 + 2 * padding[1] - kernel_size[1] + 1)
    torch.testing.assert_close(out, expected, **EXACT)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
@pytest.mark.parametrize("dtype", [torch.float32, F64, torch.bfloat16])
def test_output_dtype_and_values_like_conv2d(backend, dtype, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend, dtype)
    x = randn(2, 3, 6, 7, dtype=dtype)
    expected, out = conv(x), layer(x)
    assert out.dtype == expected.dtype == dtype
    assert_close(out, expected, **(dict(rtol=0.02, atol=0.05) if dtype == torch.bfloat16 else {}))


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_to_float64_and_half_then_float_like_conv2d(backend, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7, dtype=F64)
    conv.to(F64), layer.to(F64)
    assert layer(x).dtype == F64 and all(p.dtype == F64 for p in layer.parameters())
    assert_close(layer(x), conv(x))
    conv.half().float(), layer.half().float()
    assert all(p.dtype == torch.float32 for p in layer.parameters())
    assert_close(layer(x.float()), conv(x.float()))


@pytest.mark.parametrize("backend", ["torchvision", "auto", "torch"])
def test_autocast_bfloat16_returns_bfloat16_like_conv2d(backend, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected, out = conv(x), layer(x)
    assert out.dtype == expected.dtype == torch.bfloat16
    assert_close(out.float(), expected.float(), rtol=0.02, atol=0.05)


@pytest.mark.parametrize("layouts", ["input", "weight", "both"])
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_channels_last_input_or_weight_gives_the_memory_format_of_conv2d(backend, layouts, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7)
    if layouts != "input":
        conv, layer = conv.to(memory_format=torch.channels_last), layer.to(memory_format=torch.channels_last)
    if layouts != "weight":
        x = x.to(memory_format=torch.channels_last)
    expected, out = conv(x), layer(x)
    assert out.is_contiguous(memory_format=torch.channels_last) == \
        expected.is_contiguous(memory_format=torch.channels_last) == True  # noqa: E712
    assert_close(out, expected)


VIEWS = {"columns 1-": lambda x: x[..., 1:], "every other row": lambda x: x[:, :, ::2],
         "every other image": lambda x: x[::2], "channels 1-3": lambda x: torch.cat([x, x], 1)[:, 1:4],
         "one image": lambda x: x[:1], "one row": lambda x: x[:, :, :1], "one pixel": lambda x: x[:, :, :1, :1],
         "transposed": lambda x: x.transpose(2, 3)}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("layout", [torch.contiguous_format, torch.channels_last], ids=["contiguous", "channels_last"])
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_views_of_an_input_give_the_memory_format_of_conv2d(backend, layout, view, conv_and_layer, randn):
    """nn.Conv2d's output takes the layout that ATen reads from the input's strides (suggest_memory_format),
    also for views that are not dense: sliced, strided, transposed."""
    conv, layer = conv_and_layer(backend)
    x = VIEWS[view](randn(4, 3, 8, 9).contiguous(memory_format=layout))
    expected, out = conv(x), layer(x)
    for memory_format in (torch.channels_last, torch.contiguous_format):
        assert out.is_contiguous(memory_format=memory_format) == expected.is_contiguous(memory_format=memory_format)
    assert_close(out, expected)


@pytest.mark.parametrize("case", ["1x1 output", "1x1 output, channels-last weights", "one output channel",
                                  "empty batch", "empty batch, channels-last weights", "from a channels-last conv"])
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_outputs_that_fit_either_layout_get_the_strides_of_conv2d(backend, case, available, randn):
    """Where an output is contiguous in both layouts (one pixel, one channel, no image), its strides still
    tell the next layer which layout to take: they are nn.Conv2d's."""
    out_channels, kernel, shape = {"1x1 output": (4, 1, (2, 4, 1, 1)), "one output channel": (1, 3, (2, 4, 6, 7)),
                                   "empty batch": (4, 3, (0, 4, 6, 7)),
                                   "empty batch, channels-last weights": (4, 3, (0, 4, 6, 7)),
                                   "from a channels-last conv": (4, 3, (2, 4, 6, 7))}.get(case, (4, 3, (2, 4, 1, 1)))
    conv = nn.Conv2d(4, out_channels, kernel, padding=kernel // 2)
    x = randn(*shape)
    if "channels-last" in case:
        conv = conv.to(memory_format=torch.channels_last)
    if case == "one output channel":
        x = x.contiguous(memory_format=torch.channels_last)
    out, expected = DeformableConv2d.from_conv(conv, backend=available(backend))(x), conv(x)
    assert out.stride() == expected.stride()
    assert_close(out, expected)


def test_weight_and_bias_assigned_to_the_layer_go_to_regular_conv_so_batch_norm_folds_in():
    """``layer.weight = ...`` sets ``regular_conv``'s, as the attribute reads it; so torch's conv-BN folding
    (which assigns both) gives the layer followed by the BatchNorm in eval mode."""
    torch.manual_seed(0)
    layer = DeformableConv2d(4, 6).eval()
    nn.init.normal_(layer.offset_conv.weight, std=0.2)
    bn = nn.BatchNorm2d(6).eval()
    for tensor in (bn.running_mean, bn.weight, bn.bias):
        nn.init.normal_(tensor)
    nn.init.uniform_(bn.running_var, 0.5, 2.0)
    x = torch.randn(2, 4, 7, 7)
    fused = torch.nn.utils.fusion.fuse_conv_bn_eval(layer, bn)
    assert fused.bias is fused.regular_conv.bias is not None and "bias" not in fused._parameters
    assert_close(fused(x), bn(layer(x)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_unbatched_input_equals_batched(backend, deform):
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(3, 4, bias=True, backend=backend)).double()
    x = torch.randn(3, 6, 7, dtype=torch.float64)
    out = layer(x)
    assert out.shape == (4, 6, 7)
    torch.testing.assert_close(out, layer(x.unsqueeze(0))[0], **EXACT)
    d = layer.deformation(x)
    assert d.locations.shape == (1, 1, 9, 6, 7, 2)
    torch.testing.assert_close(d.locations, layer.deformation(x.unsqueeze(0)).locations, **EXACT)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
@pytest.mark.parametrize("view", ["unbatched", "permuted", "sliced"])
def test_unbatched_and_non_contiguous_inputs_like_conv2d(backend, view, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend)
    x = {"unbatched": randn(3, 6, 7), "permuted": randn(2, 7, 6, 3).permute(0, 3, 2, 1),
         "sliced": randn(2, 6, 6, 14)[:, ::2, :, ::2]}[view]
    assert_close(layer(x), conv(x))


@pytest.mark.parametrize("backend", ["auto", *BACKENDS])
def test_empty_batch_gives_an_empty_output_and_zero_gradients(backend):
    layer = DeformableConv2d(4, 6, stride=2, bias=True, backend=backend)
    conv = nn.Conv2d(4, 6, 3, stride=2, padding=1)
    x = torch.randn(0, 4, 9, 8, requires_grad=True)
    out = layer(x)
    assert out.shape == conv(x).shape == (0, 6, 5, 4)
    out.sum().backward()
    assert x.grad.shape == x.shape
    assert all(p.grad is not None and not p.grad.any() for p in layer.parameters())


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_empty_batch_forward_and_backward_like_conv2d(backend, conv_and_layer):
    conv, layer = conv_and_layer(backend)
    x = torch.zeros(0, 3, 6, 7, requires_grad=True)
    grads = []
    for module in (conv, layer):
        out = module(x)
        assert out.shape == (0, 4, 6, 7)
        grads.append(torch.autograd.grad(out.sum(), [x, module.weight, module.bias]))
    assert_close(grads[1], grads[0])


def output_flags(module, x):
    """out.requires_grad: by default, under no_grad, inference_mode, with frozen parameters (+ input grad)."""
    flags = [module(x).requires_grad]
    with torch.no_grad():
        flags.append(module(x).requires_grad)
    with torch.inference_mode():
        flags.append(module(x).requires_grad)
    module.requires_grad_(False)
    flags += [module(x).requires_grad, module(x.clone().requires_grad_()).requires_grad]
    module.requires_grad_(True)
    return flags


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_requires_grad_of_output_like_conv2d(backend, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7)
    assert output_flags(layer, x) == output_flags(conv, x) == [True, False, False, False, True]


# ----------------------------------------------------------------------------------------------------
# Bad input: refused as nn.Conv2d refuses it
# ----------------------------------------------------------------------------------------------------
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


@pytest.mark.parametrize("backend", OWN_BACKENDS)
@pytest.mark.parametrize("shape, padding", [((2, 5, 6, 7), 1), ((2, 3, 2, 7), 0)],
                         ids=["wrong channel count", "too small"])
def test_bad_input_raises_the_exception_type_of_conv2d(backend, shape, padding, conv_and_layer, randn):
    conv, layer = conv_and_layer(backend, padding=padding)
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        conv(x)
    with pytest.raises(type(expected.value), match="in_channels=3" if shape[1] != 3 else ""):  # not the offset conv
        layer(x)


# ----------------------------------------------------------------------------------------------------
# Pruning, hooks and parametrizations on the submodules
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_pruned_weight_is_used_and_follows_weight_orig(backend, make_layer, randn):
    layer, x = make_layer(backend), randn(2, 3, 6, 7)
    prune.l1_unstructured(layer.regular_conv, "weight", amount=0.5)

    def by_hand():  # the same layer with the pruned weight written in
        reference = make_layer(backend)
        with torch.no_grad():
            reference.regular_conv.weight.copy_(layer.regular_conv.weight_orig * layer.regular_conv.weight_mask)
        return reference(x)

    assert_close(layer(x), by_hand())
    with torch.no_grad():
        layer.regular_conv.weight_orig.mul_(-2.0).add_(0.25)
    assert_close(layer(x), by_hand())


@pytest.mark.parametrize("backend", OWN_BACKENDS)
@pytest.mark.parametrize("modulation", [True, False])
def test_forward_hooks_on_submodules_fire_on_every_forward(backend, modulation, make_layer, randn):
    layer, x = make_layer(backend, modulation=modulation), randn(2, 3, 6, 7)
    calls = collections.Counter()
    names = [name for name in ("regular_conv", "offset_conv", "modulator_conv") if getattr(layer, name) is not None]
    for name in names:
        getattr(layer, name).register_forward_pre_hook(lambda m, args, name=name: calls.update([name + " pre"]))
        getattr(layer, name).register_forward_hook(lambda m, args, out, name=name: calls.update([name + " post"]))
    layer(x)
    layer(x)
    assert dict(calls) == {f"{name} {when}": 2 for name in names for when in ("pre", "post")}


@pytest.mark.parametrize("hooked", ["offset_conv", "modulator_conv", "global"])
def test_a_hook_that_changes_nothing_changes_no_number(hooked, make_layer, randn):
    """Without hooks the offset and modulator convs run as one conv; with any hook (also a global module
    hook) as their modules: both give the same numbers, forward and backward, up to rounding (oneDNN may
    sum a 27-channel conv in another order than an 18- and a 9-channel one)."""
    layer, x = make_layer("torch", dtype=torch.float64), randn(2, 3, 6, 7, dtype=torch.float64).requires_grad_()
    plain = layer(x)
    plain_grads = torch.autograd.grad(plain.square().sum(), [x, *layer.parameters()])
    identity = lambda module, args, out: out  # noqa: E731
    handle = (nn.modules.module.register_module_forward_hook(identity) if hooked == "global"
              else getattr(layer, hooked).register_forward_hook(identity))
    try:
        hooked_out = layer(x)
        hooked_grads = torch.autograd.grad(hooked_out.square().sum(), [x, *layer.parameters()])
    finally:
        handle.remove()
    assert_close(hooked_out, plain, rtol=1e-12, atol=1e-12)
    for a, b in zip(hooked_grads, plain_grads):
        assert_close(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
@pytest.mark.parametrize("modulation", [True, False])
def test_forward_hook_output_of_offset_conv_is_used(backend, modulation, randn, make_layer):
    layer, reference = make_layer(backend, modulation=modulation), make_layer(backend, modulation=modulation)
    layer.offset_conv.register_forward_hook(lambda m, args, out: torch.zeros_like(out))
    with torch.no_grad():
        reference.offset_conv.weight.zero_()
        reference.offset_conv.bias.zero_()
    x = randn(2, 3, 6, 7)
    assert_close(layer(x), reference(x))


class _Double(nn.Module):
    def forward(self, weight):
        return 2 * weight


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_weight_parametrization_changes_the_output(backend, make_layer, randn):
    layer, reference, x = make_layer(backend), make_layer(backend), randn(2, 3, 6, 7)
    parametrize.register_parametrization(layer.regular_conv, "weight", _Double())
    with torch.no_grad():
        reference.regular_conv.weight.mul_(2)
    assert_close(layer(x), reference(x))


# ----------------------------------------------------------------------------------------------------
# deformation(): where each kernel point samples
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
def test_bilinear_sample_at_locations_reproduces_the_output(backend, options, deform):
    torch.manual_seed(0)
    layer = deform(DeformableConv2d(4, 4, bias=True, backend=backend, **options), scale=0.8).double()
    x = torch.randn(2, 4, 7, 6, dtype=torch.float64)
    d = layer.deformation(x)
    assert d.offset.abs().max() > 1.0  # really deformed
    with torch.no_grad():
        torch.testing.assert_close(_output_from_locations(layer, x), layer(x), **EXACT)


# ----------------------------------------------------------------------------------------------------
# The original layer's checkpoint
# ----------------------------------------------------------------------------------------------------
CHECKPOINT = ROOT / "tests" / "compat" / "dcnv2_mnist_32ch_state_dict.pth"  # see tests/compat/README.md
DATA_DIR = Path(os.environ.get("DATA_DIR", "data"))
ORIGINAL_ACCURACY = 99.09  # tests/compat/README.md: measured with the original layer


@pytest.fixture(scope="module")
def mnist_test_set():
    """The MNIST test set from DATA_DIR/MNIST/raw, downloaded there first if it is missing."""
    try:
        images, labels = mnist_lab.load_mnist(str(DATA_DIR), train=False)
    except RuntimeError as error:  # neither the files nor a connection
        pytest.skip(str(error))
    return mnist_lab.normalize(images), labels


@pytest.fixture(scope="module")
def original_model():
    model = mnist_lab.MnistNet(width=32, variant="dcnv2")
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
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    model = mnist_lab.MnistNet(width=32, variant="dcnv2")
    result = model.load_state_dict(state, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert isinstance(model.conv4, DeformableConv2d) and isinstance(model.conv5, DeformableConv2d)
    assert torch.equal(model.conv4.offset_conv.weight, state["conv4.offset_conv.weight"])
    assert torch.equal(model.conv5.modulator_conv.bias, state["conv5.modulator_conv.bias"])
    assert model.conv5.offset_conv.weight.abs().max() > 0  # a trained, deforming layer


@pytest.mark.parametrize("backend", BACKENDS)
def test_original_checkpoint_accuracy(original_model, mnist_test_set, conv4_inputs, backend):
    """99.09% on the full MNIST test set, as the original layer measured (tests/compat/README.md)."""
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


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_a_pre_hook_on_regular_conv_sees_and_may_replace_the_input_as_on_conv2d(backend, make_layer, randn):
    """regular_conv's pre-hooks receive ``(input,)``, as nn.Conv2d's do; offsets and mask travel as keywords,
    so a hook that returns a new input changes the input only."""
    layer, reference, x = make_layer(backend), make_layer(backend), randn(2, 3, 6, 7)
    seen = []
    layer.regular_conv.register_forward_pre_hook(lambda module, args: seen.append(len(args)) or (2 * args[0],))
    offset, mask = reference._offset_and_mask(x)
    assert_close(layer(x), reference.regular_conv(2 * x, offset=offset, mask=mask, backend=backend))
    assert seen == [1]


@pytest.mark.parametrize("replaced", ["dilated", "reflect", "one_by_one"])
def test_offset_and_modulator_convs_of_other_geometry_run_as_themselves(replaced, make_layer, randn):
    """The two convs run as one only when they are alike; replaced by convs of another geometry, each runs
    as itself, and the layer equals the functional form computed from their outputs."""
    layer, x = make_layer("torch"), randn(2, 3, 6, 7)
    layer.modulator_conv = {"dilated": nn.Conv2d(3, 9, 3, padding=2, dilation=2),
                            "reflect": nn.Conv2d(3, 9, 3, padding=1, padding_mode="reflect"),
                            "one_by_one": nn.Conv2d(3, 9, 1)}[replaced]
    offset, mask = layer.offset_conv(x), 2 * torch.sigmoid(layer.modulator_conv(x))
    assert_close(layer(x), dcn.deform_conv2d(x, offset, layer.weight, layer.bias, padding=1, mask=mask))


def test_pip_installs_dcn_py_as_the_module_dcn():
    """pyproject.toml as setuptools reads it to build: the one module dcn.py, its __version__, torch's floor."""
    pyprojecttoml = pytest.importorskip("setuptools.config.pyprojecttoml")
    config = pyprojecttoml.read_configuration(ROOT / "pyproject.toml", expand=True)
    assert config["tool"]["setuptools"]["py-modules"] == ["dcn"]
    assert config["project"]["version"] == dcn.__version__
    torch_floor = next(line.split()[0] for line in (ROOT / "requirements.txt").read_text().splitlines()
                       if line.startswith("torch>="))
    assert config["project"]["dependencies"] == [torch_floor]
