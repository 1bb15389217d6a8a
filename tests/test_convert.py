"""DeformableConv2d.from_conv, convert_to_deformable and offset_param_groups.

A converted conv or model must compute exactly what it did before (offsets zero, modulation one),
keep its device, dtype, training mode and frozen parameters, train its offsets, and round-trip
through a state_dict. Everything runs on CPU with small inputs (at most 64x64 for the ResNets).
"""
from __future__ import annotations

import io
import warnings

import pytest
import torch
from torch import nn

import dcn
from dcn import DeformableConv2d, convert_to_deformable, offset_param_groups

torchvision = pytest.importorskip("torchvision")

RESNET_PREFIXES = ["layer3", "layer4"]
RESNET18_LAYER34_3X3 = [f"layer{s}.{b}.conv{c}" for s in (3, 4) for b in (0, 1) for c in (1, 2)]
# ResNet-50 bottlenecks: conv1 and conv3 are 1x1, conv2 is the 3x3 (strided in the first block).
RESNET50_LAYER34_3X3 = [f"layer3.{b}.conv2" for b in range(6)] + [f"layer4.{b}.conv2" for b in range(3)]


def resnet(arch: str, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return getattr(torchvision.models, arch)(weights=None)


def relative_error(out: torch.Tensor, ref: torch.Tensor) -> float:
    return ((out - ref).abs().max() / ref.abs().max()).item()


# ----------------------------------------------------------------------------------------------------
# DeformableConv2d.from_conv
# ----------------------------------------------------------------------------------------------------
CONVS = {
    "plain": dict(in_channels=8, out_channels=16, kernel_size=3, padding=1),
    "stride2": dict(in_channels=8, out_channels=16, kernel_size=3, stride=2, padding=1),
    "stride2-nopad": dict(in_channels=8, out_channels=16, kernel_size=3, stride=2),
    "dilation2": dict(in_channels=8, out_channels=16, kernel_size=3, padding=2, dilation=2),
    "groups4-bias": dict(in_channels=8, out_channels=16, kernel_size=3, padding=1, groups=4, bias=True),
    "depthwise": dict(in_channels=8, out_channels=8, kernel_size=3, padding=1, groups=8),
    "bias-false": dict(in_channels=8, out_channels=16, kernel_size=3, padding=1, bias=False),
    "same": dict(in_channels=8, out_channels=16, kernel_size=3, padding="same"),
    "same-even-kernel-dilated": dict(in_channels=8, out_channels=16, kernel_size=(2, 4), padding="same",
                                     dilation=(1, 3)),
    "valid": dict(in_channels=8, out_channels=16, kernel_size=3, padding="valid"),
    "non-square": dict(in_channels=8, out_channels=16, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2)),
    "asymmetric-padding": dict(in_channels=8, out_channels=16, kernel_size=(5, 3), padding=(0, 2),
                               dilation=(2, 1)),
    "1x1": dict(in_channels=8, out_channels=16, kernel_size=1),
    "7x7-stem": dict(in_channels=3, out_channels=8, kernel_size=7, stride=2, padding=3),
}


EVEN_SAME = "ignore:Using padding='same' with even kernel:UserWarning"  # PyTorch's own note, conv(x) too


@pytest.mark.filterwarnings(EVEN_SAME)
@pytest.mark.parametrize("bias", [False, True], ids=["nobias", "bias"])
@pytest.mark.parametrize("config", CONVS.values(), ids=list(CONVS))
def test_from_conv_equals_conv(config, bias):
    torch.manual_seed(0)
    config = {"bias": bias, **config}
    conv = nn.Conv2d(**config)
    x = torch.randn(2, conv.in_channels, 13, 14)
    layer = DeformableConv2d.from_conv(conv)
    assert isinstance(layer, DeformableConv2d)
    assert (layer.kernel_size, layer.stride, layer.dilation, layer.groups) == \
        (conv.kernel_size, conv.stride, conv.dilation, conv.groups)
    assert layer.padding == conv.padding
    assert (layer.bias is None) == (conv.bias is None)
    with torch.no_grad():
        torch.testing.assert_close(layer(x), conv(x), rtol=1e-5, atol=1e-5)
        deformation = layer.deformation(x)
    assert deformation.offset.abs().max() == 0 and torch.all(deformation.mask == 1)


@pytest.mark.parametrize("config", [CONVS["stride2"], CONVS["groups4-bias"], CONVS["same-even-kernel-dilated"],
                                    CONVS["non-square"]], ids=["stride2", "groups4-bias", "same-even", "non-square"])
@pytest.mark.filterwarnings(EVEN_SAME)
def test_from_conv_float64_is_exact(config):
    torch.manual_seed(0)
    conv = nn.Conv2d(**config).double()
    layer = DeformableConv2d.from_conv(conv)
    assert {p.dtype for p in layer.parameters()} == {torch.float64}
    x = torch.randn(2, conv.in_channels, 11, 12, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(layer(x), conv(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("options", [dict(offset_groups=2), dict(offset_groups=8), dict(modulation=False),
                                     dict(backend="torch"), dict(backend="torchvision")],
                         ids=["offset_groups2", "offset_groups8", "dcnv1", "torch", "torchvision"])
def test_from_conv_options_keep_the_output(options):
    torch.manual_seed(0)
    conv = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=True)
    layer = DeformableConv2d.from_conv(conv, **options)
    for name, value in options.items():
        assert getattr(layer, name) == value
    x = torch.randn(2, 8, 15, 15)
    with torch.no_grad():
        torch.testing.assert_close(layer(x), conv(x), rtol=1e-5, atol=1e-5)


def test_from_conv_copies_rather_than_shares_weights():
    conv = nn.Conv2d(4, 8, 3, padding=1, bias=True)
    layer = DeformableConv2d.from_conv(conv)
    assert layer.weight is not conv.weight and layer.bias is not conv.bias
    with torch.no_grad():
        layer.weight.add_(1.0)
    assert not torch.equal(layer.weight, conv.weight)


@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16, torch.float16])
def test_from_conv_follows_dtype(dtype):
    conv = nn.Conv2d(4, 8, 3, padding=1, bias=True).to(dtype)
    layer = DeformableConv2d.from_conv(conv)
    assert {p.dtype for p in layer.parameters()} == {dtype}
    assert torch.equal(layer.weight, conv.weight) and torch.equal(layer.bias, conv.bias)


def test_from_conv_follows_device():
    conv = nn.Conv2d(4, 8, 3, padding=1, device="meta")
    layer = DeformableConv2d.from_conv(conv)
    assert {p.device.type for p in layer.parameters()} == {"meta"}
    cpu = DeformableConv2d.from_conv(nn.Conv2d(4, 8, 3))
    assert {p.device.type for p in cpu.parameters()} == {"cpu"}


@pytest.mark.parametrize("training", [True, False])
def test_from_conv_copies_training_mode(training):
    conv = nn.Conv2d(4, 8, 3).train(training)
    layer = DeformableConv2d.from_conv(conv)
    assert all(m.training == training for m in layer.modules())


def test_from_conv_copies_requires_grad():
    conv = nn.Conv2d(4, 8, 3, bias=True)
    conv.weight.requires_grad_(False)
    layer = DeformableConv2d.from_conv(conv)
    assert not layer.weight.requires_grad and layer.bias.requires_grad
    assert all(p.requires_grad for p in layer.offset_conv.parameters())
    assert all(p.requires_grad for p in layer.modulator_conv.parameters())


@pytest.mark.parametrize("conv, error, message", [
    (nn.ConvTranspose2d(4, 8, 3), TypeError, r"conv must be a torch\.nn\.Conv2d, got ConvTranspose2d"),
    (nn.Conv1d(4, 8, 3), TypeError, r"conv must be a torch\.nn\.Conv2d, got Conv1d"),
    (nn.Conv3d(4, 8, 3), TypeError, r"conv must be a torch\.nn\.Conv2d, got Conv3d"),
    (nn.LazyConv2d(8, 3), TypeError, r"conv is a LazyConv2d that has not run yet"),
    (nn.Linear(4, 8), TypeError, r"conv must be a torch\.nn\.Conv2d, got Linear"),
    (nn.Conv2d(4, 8, 3, padding=1, padding_mode="reflect"), ValueError, r"padding_mode.*'reflect'"),
    (nn.Conv2d(4, 8, 3, padding=1, padding_mode="circular"), ValueError, r"padding_mode.*'circular'"),
], ids=["ConvTranspose2d", "Conv1d", "Conv3d", "LazyConv2d", "Linear", "reflect", "circular"])
def test_from_conv_rejects_what_it_cannot_represent(conv, error, message):
    with pytest.raises(error, match=message):
        DeformableConv2d.from_conv(conv)


@pytest.mark.parametrize("options, error, message", [
    (dict(bogus=1), TypeError, r"unexpected options \['bogus'\]"),
    (dict(dtype=torch.float64), TypeError, r"unexpected options \['dtype'\]"),
    (dict(stride=2), TypeError, r"unexpected options \['stride'\]"),
    (dict(offset_groups=3), ValueError, r"offset_groups"),
    (dict(backend="cuda"), ValueError, r"backend"),
], ids=["bogus", "dtype", "stride", "offset_groups", "backend"])
def test_from_conv_rejects_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        DeformableConv2d.from_conv(nn.Conv2d(4, 8, 3), **options)


# ----------------------------------------------------------------------------------------------------
# convert_to_deformable
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("arch, expected", [("resnet18", RESNET18_LAYER34_3X3), ("resnet50", RESNET50_LAYER34_3X3)])
def test_convert_resnet_layer3_layer4_keeps_outputs(arch, expected):
    model = resnet(arch).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        before = model(x)
    replaced = convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    assert list(replaced) == expected
    for name, layer in replaced.items():
        assert model.get_submodule(name) is layer and isinstance(layer, DeformableConv2d)
        assert layer.kernel_size == (3, 3) and not layer.training
    # the strided 3x3s are among them; the 1x1 downsample convs and everything before layer3 are not
    strided = {"resnet18": ["layer3.0.conv1", "layer4.0.conv1"], "resnet50": ["layer3.0.conv2", "layer4.0.conv2"]}
    assert [name for name, layer in replaced.items() if layer.stride == (2, 2)] == strided[arch]
    deformable = {name for name, m in model.named_modules() if isinstance(m, DeformableConv2d)}
    assert deformable == set(expected)
    assert type(model.layer3[0].downsample[0]) is nn.Conv2d and type(model.layer2[0].conv1) is nn.Conv2d
    with torch.no_grad():
        after = model(x)
    assert relative_error(after, before) <= 1e-5


def test_convert_default_is_every_3x3_conv():
    model = resnet("resnet18")
    expected = [name for name, m in model.named_modules()
                if isinstance(m, nn.Conv2d) and m.kernel_size == (3, 3)]
    replaced = convert_to_deformable(model)
    assert list(replaced) == expected and len(expected) == 16
    assert type(model.conv1) is nn.Conv2d  # the 7x7 stem is left alone


def test_convert_by_predicate():
    model = resnet("resnet18").eval()
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        before = model(x)
    seen = []

    def strided(name: str, conv: nn.Conv2d) -> bool:
        seen.append(name)
        return conv.stride == (2, 2)

    replaced = convert_to_deformable(model, predicate=strided)
    # the predicate replaces the 3x3 default: the 7x7 stem and the strided 1x1 downsamples are in
    assert list(replaced) == ["conv1", "layer2.0.conv1", "layer2.0.downsample.0", "layer3.0.conv1",
                              "layer3.0.downsample.0", "layer4.0.conv1", "layer4.0.downsample.0"]
    assert "fc" not in seen and len(seen) == 20  # called once per nn.Conv2d, with its qualified name
    with torch.no_grad():
        assert relative_error(model(x), before) <= 1e-5


def test_convert_by_predicate_and_prefixes_together():
    model = resnet("resnet18")
    replaced = convert_to_deformable(model, prefixes=["layer4", "layer2.1"],
                                     predicate=lambda name, conv: name.endswith("conv2"))
    assert list(replaced) == ["layer2.1.conv2", "layer4.0.conv2", "layer4.1.conv2"]


def test_convert_exact_module_name_as_prefix():
    model = resnet("resnet18")
    assert list(convert_to_deformable(model, prefixes=["layer4.1.conv2"])) == ["layer4.1.conv2"]
    # a prefix matches whole names only: "layer4.1.conv" is no module
    with pytest.raises(ValueError, match=r"layer4\.1\.conv'\] name no submodule"):
        convert_to_deformable(model, prefixes=["layer4.1.conv"])


def test_convert_passes_options():
    model = resnet("resnet18")
    replaced = convert_to_deformable(model, prefixes=["layer4"], offset_groups=4, modulation=False, backend="torch")
    assert all(layer.offset_groups == 4 and layer.modulator_conv is None and layer.backend == "torch"
               for layer in replaced.values())


def test_convert_is_idempotent():
    model = resnet("resnet18")
    first = convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    structure = [(name, type(m)) for name, m in model.named_modules()]
    assert convert_to_deformable(model, prefixes=RESNET_PREFIXES) == {}
    assert [(name, type(m)) for name, m in model.named_modules()] == structure
    # even a predicate that takes every conv leaves the offset/modulator/regular convs inside alone
    rest = convert_to_deformable(model, predicate=lambda name, conv: True)
    assert "conv1" in rest and "layer3.0.downsample.0" in rest
    assert not any(name.startswith(tuple(f"{n}." for n in first)) for name in rest)
    for name, layer in first.items():
        assert model.get_submodule(name) is layer
        assert all(type(conv) is dcn.OffsetPredictor for conv in (layer.offset_conv, layer.modulator_conv))
    assert type(layer.regular_conv) is dcn.DeformableWeights
    assert convert_to_deformable(model, predicate=lambda name, conv: True) == {}


def test_convert_keeps_shared_convs_shared():
    shared = nn.Conv2d(4, 4, 3, padding=1)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    x = torch.randn(1, 4, 8, 8)
    before = model(x)
    replaced = convert_to_deformable(model)
    assert list(replaced) == ["0", "2"] and replaced["0"] is replaced["2"] is model[0] is model[2]
    torch.testing.assert_close(model(x), before, rtol=1e-5, atol=1e-5)


def test_convert_keeps_the_convs_parameters_so_ties_and_optimizers_hold():
    """Two convs tied to one weight stay tied, and an optimizer made before the conversion trains the layers."""
    first, second = nn.Conv2d(4, 4, 3, padding=1, bias=True), nn.Conv2d(4, 4, 3, padding=1, bias=False)
    second.weight = first.weight
    model = nn.Sequential(first, nn.ReLU(), second)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    convert_to_deformable(model)
    assert model[0].weight is model[2].weight is first.weight and model[0].bias is first.bias
    assert model[2].bias is None and len(list(model.parameters())) == 2 + 2 * 4  # no untied copy
    before = first.weight.detach().clone()
    model(torch.randn(1, 4, 6, 6)).square().sum().backward()
    optimizer.step()
    assert not torch.equal(model[0].weight, before) and model[0].weight is model[2].weight


def test_convert_copies_a_weight_that_is_not_a_parameter():
    conv = nn.Conv2d(4, 4, 3, padding=1)
    weight = conv.weight.detach().clone()
    del conv.weight
    conv.register_buffer("weight", weight)
    model = nn.Sequential(conv)
    x = torch.randn(1, 4, 6, 6)
    expected = model(x)
    convert_to_deformable(model)
    assert isinstance(model[0].weight, nn.Parameter)
    torch.testing.assert_close(model(x), expected, rtol=1e-5, atol=1e-5)


def test_another_projects_layer_named_deformableconv2d_is_an_ordinary_module():
    class DeformableConv2d(nn.Module):  # e.g. a wrapper around torchvision.ops.DeformConv2d
        def __init__(self):
            super().__init__()
            self.offset = nn.Conv2d(4, 18, 3, padding=1)

    model = nn.Sequential(DeformableConv2d())
    assert [len(g["params"]) for g in offset_param_groups(model, lr=1.0)] == [2, 0]
    assert list(convert_to_deformable(model, predicate=lambda name, conv: True)) == ["0.offset"]


def test_convert_with_the_root_as_prefix_converts_everything():
    model = nn.Sequential(nn.Conv2d(3, 3, 3), nn.Sequential(nn.Conv2d(3, 3, 3)))
    assert list(convert_to_deformable(model, prefixes=[""])) == ["0", "1.0"]


def test_convert_of_a_lazy_conv_says_to_run_the_model_first():
    model = nn.Sequential(nn.LazyConv2d(4, 3, padding=1))
    with pytest.raises(TypeError, match="LazyConv2d that has not run yet; run the model once"):
        convert_to_deformable(model)
    model(torch.randn(1, 3, 5, 5))
    assert list(convert_to_deformable(model)) == ["0"]


def test_convert_is_all_or_nothing_and_names_the_failing_conv():
    model = nn.Sequential(nn.Conv2d(8, 4, 3, padding=1), nn.Conv2d(4, 6, 3, padding=1))
    with pytest.raises(ValueError, match=r"cannot convert '1'.*offset_groups"):
        convert_to_deformable(model, offset_groups=8)
    assert [type(m) for m in model] == [nn.Conv2d, nn.Conv2d]
    model = nn.Sequential(nn.Conv2d(4, 4, 3), nn.Conv2d(4, 4, 3, padding=1, padding_mode="reflect"))
    with pytest.raises(ValueError, match=r"cannot convert '1'.*padding_mode"):
        convert_to_deformable(model)
    assert [type(m) for m in model] == [nn.Conv2d, nn.Conv2d]


def test_convert_accepts_any_iterable_of_prefixes():
    model = resnet("resnet18")
    replaced = convert_to_deformable(model, prefixes=(p for p in ["layer4"]))
    assert list(replaced) == [name for name in RESNET18_LAYER34_3X3 if name.startswith("layer4")]
    assert convert_to_deformable(resnet("resnet18"), prefixes=[]) == {}


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(prefixes="layer3"), TypeError, r"prefixes must be a list of module names, got the string 'layer3'"),
    (dict(prefixes=["layer3", 4]), TypeError, r"prefixes must be a list of module names"),
    (dict(prefixes=["layer_3"]), ValueError, r"prefixes \['layer_3'\] name no submodule"),
    (dict(predicate="conv2"), TypeError, r"predicate must be callable"),
    (dict(bogus=True), TypeError, r"convert_to_deformable got unexpected options \['bogus'\]"),
    (dict(prefixes=["fc"], bogus=True), TypeError, r"unexpected options \['bogus'\]"),  # even if nothing matches
    (dict(prefixes=["fc"], modulation="no"), TypeError, r"^modulation must be True \(DCNv2\) or False"),
    (dict(backend="cuda"), ValueError, r"^backend must be one of"),
    (dict(offset_groups=0), ValueError, r"^offset_groups must be a positive int"),
], ids=["prefixes-str", "prefixes-int", "prefixes-typo", "predicate-str", "option", "option-nothing-matched",
        "modulation", "backend", "offset_groups"])
def test_convert_rejects_bad_arguments(kwargs, error, message):
    model = nn.Sequential()
    model.add_module("layer3", nn.Sequential(nn.Conv2d(3, 8, 3)))
    model.add_module("fc", nn.Linear(8, 2))
    with pytest.raises(error, match=message):
        convert_to_deformable(model, **kwargs)
    assert type(model.layer3[0]) is nn.Conv2d


def test_convert_rejects_non_modules_and_a_bare_conv():
    with pytest.raises(TypeError, match=r"model must be a torch\.nn\.Module, got dict"):
        convert_to_deformable({"conv": nn.Conv2d(3, 3, 3)})
    with pytest.raises(ValueError, match=r"from_conv"):
        convert_to_deformable(nn.Conv2d(3, 3, 3))


class _StdConv2d(nn.Conv2d):
    """Like timm's StdConv2d: standardises its weight in forward."""

    def forward(self, x):
        weight = (self.weight - self.weight.mean((1, 2, 3), keepdim=True)) / (self.weight.std((1, 2, 3), keepdim=True) + 1e-5)
        return self._conv_forward(x, weight, self.bias)


@pytest.mark.parametrize("make, match", [
    (lambda: _StdConv2d(4, 4, 3, padding=1), "got _StdConv2d \\(a subclass of nn.Conv2d"),
    (lambda: nn.utils.parametrizations.spectral_norm(nn.Conv2d(4, 4, 3, padding=1)), "parametrized"),
    (lambda: nn.utils.parametrizations.weight_norm(nn.Conv2d(4, 4, 3, padding=1)), "parametrized"),
    (lambda: nn.utils.weight_norm(nn.Conv2d(4, 4, 3, padding=1)), "forward hooks"),
], ids=["subclass", "spectral_norm", "weight_norm", "old_weight_norm"])
def test_convert_refuses_convs_it_cannot_take_over_and_says_how_to_skip_them(make, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.nn.utils.weight_norm is deprecated
        model = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), make())
    with pytest.raises(TypeError, match=f"cannot convert '2': .*{match}.*predicate="):
        dcn.convert_to_deformable(model)
    assert type(model[0]) is nn.Conv2d  # nothing replaced
    model.eval()  # spectral_norm runs a power iteration (and changes its weight) at every training-mode call
    x = torch.randn(1, 4, 6, 6)
    before = model(x)
    replaced = dcn.convert_to_deformable(model, predicate=lambda name, conv: name == "0")
    assert list(replaced) == ["0"]
    torch.testing.assert_close(model(x), before, rtol=1e-5, atol=1e-5)


def test_convert_refuses_a_conv_inside_a_fused_module():
    """torch.ao quantization rebuilds a fused ConvReLU2d as a plain convolution from its first child's weight, so a
    deformable layer there would lose its offsets without a word."""
    model = torch.ao.quantization.fuse_modules_qat(nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.ReLU()).train(),
                                                   [["0", "1"]])
    with pytest.raises(TypeError, match="cannot convert '0.0': conv is part of a fused ConvReLU2d.*predicate="):
        dcn.convert_to_deformable(model)
    assert type(model[0][0]) is nn.Conv2d


# ----------------------------------------------------------------------------------------------------
# offset_param_groups
# ----------------------------------------------------------------------------------------------------
def _ids(params) -> set:
    return {id(p) for p in params}


def test_offset_param_groups_partition_a_converted_resnet():
    model = resnet("resnet18")
    replaced = convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    groups = offset_param_groups(model, lr=0.1, offset_lr_mult=0.1)
    assert [group["lr"] for group in groups] == [0.1, pytest.approx(0.01)]
    regular, offsets = (_ids(group["params"]) for group in groups)
    assert not regular & offsets and regular | offsets == _ids(model.parameters())
    assert sum(len(group["params"]) for group in groups) == len(list(model.parameters()))
    expected = _ids(p for layer in replaced.values()
                    for p in [*layer.offset_conv.parameters(), *layer.modulator_conv.parameters()])
    assert offsets == expected and len(offsets) == 4 * len(replaced)
    optimizer = torch.optim.SGD(groups, lr=1.0, momentum=0.9)
    assert [group["lr"] for group in optimizer.param_groups] == [0.1, pytest.approx(0.01)]


def test_layers_of_another_copy_of_dcn_are_recognised():
    """A model may hold layers of another copy of dcn.py (vendored twice, or reloaded in a notebook): their
    offsets still get the offset group's learning rate, and conversion leaves them alone."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dcn_copy_for_test", dcn.__file__)
    other = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other)
    model = nn.Sequential(other.DeformableConv2d(4, 4), nn.Conv2d(4, 4, 1))
    assert not isinstance(model[0], DeformableConv2d)
    groups = offset_param_groups(model, lr=1.0, offset_lr_mult=0.1)
    assert [len(g["params"]) for g in groups] == [3, 4]
    assert convert_to_deformable(model, predicate=lambda name, conv: True) == {"1": model[1]}


def test_offset_param_groups_defaults_and_edge_multipliers():
    model = nn.Sequential(DeformableConv2d(3, 8, modulation=False), nn.Conv2d(8, 8, 1))
    default = offset_param_groups(model, lr=0.5)
    assert [group["lr"] for group in default] == [0.5, 0.5]
    assert _ids(default[1]["params"]) == _ids(model[0].offset_conv.parameters())  # no modulator
    assert offset_param_groups(model, lr=0.5, offset_lr_mult=0)[1]["lr"] == 0.0
    assert offset_param_groups(model, lr=0.5, offset_lr_mult=2)[1]["lr"] == 1.0


@pytest.mark.parametrize("mult", [-0.1, -1, float("nan")])
def test_offset_param_groups_rejects_bad_multiplier(mult):
    with pytest.raises(ValueError, match="offset_lr_mult must be >= 0"):
        offset_param_groups(nn.Sequential(DeformableConv2d(3, 8)), lr=0.1, offset_lr_mult=mult)


def test_offset_param_groups_leave_out_frozen_params():
    model = resnet("resnet18")
    convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    for module in (model.conv1, model.bn1, model.layer1):
        module.requires_grad_(False)
    model.layer4[1].conv2.offset_conv.bias.requires_grad_(False)
    groups = offset_param_groups(model, lr=0.1, offset_lr_mult=0.1)
    grouped = _ids(p for group in groups for p in group["params"])
    assert grouped == _ids(p for p in model.parameters() if p.requires_grad)
    assert id(model.conv1.weight) not in grouped and id(model.layer4[1].conv2.offset_conv.bias) not in grouped
    assert id(model.layer4[1].conv2.offset_conv.weight) in _ids(groups[1]["params"])


def test_offset_param_groups_without_deformable_layers():
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
    groups = offset_param_groups(model, lr=0.1)
    assert _ids(groups[0]["params"]) == _ids(model.parameters()) and groups[1]["params"] == []
    torch.optim.SGD(groups)  # an empty second group is fine for torch.optim


def test_offset_param_groups_needs_a_module():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got list"):
        dcn.offset_param_groups([nn.Conv2d(1, 1, 3)], lr=0.1)


# ----------------------------------------------------------------------------------------------------
# Training and checkpoints
# ----------------------------------------------------------------------------------------------------
def test_training_a_converted_resnet18_moves_the_offsets():
    model = resnet("resnet18").train()
    replaced = convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    optimizer = torch.optim.SGD(offset_param_groups(model, lr=0.05, offset_lr_mult=0.5), momentum=0.9)
    torch.manual_seed(1)
    x, y = torch.randn(2, 3, 64, 64), torch.randint(0, 1000, (2,))
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(torch.isfinite(torch.tensor(losses)))
    for name, layer in replaced.items():
        assert layer.offset_conv.weight.abs().max() > 0, name
        assert layer.modulator_conv.weight.abs().max() > 0, name
    # and the layers really sample off the grid now
    model.eval()
    with torch.no_grad():
        features = model.layer2(model.layer1(model.maxpool(model.relu(model.bn1(model.conv1(x))))))
        deformation = model.layer3[0].conv2.deformation(model.layer3[0].relu(model.layer3[0].bn1(
            model.layer3[0].conv1(features))))
    assert deformation.offset.abs().max() > 0
    assert (deformation.mask - 1).abs().max() > 0


def test_state_dict_round_trip():
    model = resnet("resnet18", seed=0)
    replaced = convert_to_deformable(model, prefixes=RESNET_PREFIXES)
    with torch.no_grad():  # non-zero offsets and modulation, so the round trip carries them
        for layer in replaced.values():
            for conv in (layer.offset_conv, layer.modulator_conv):
                nn.init.normal_(conv.weight, std=0.01)
                nn.init.normal_(conv.bias, std=0.1)
    model.eval()
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    assert "layer3.0.conv1.offset_conv.weight" in model.state_dict()
    assert "layer3.0.conv1.regular_conv.weight" in model.state_dict()

    fresh = resnet("resnet18", seed=1)
    convert_to_deformable(fresh, prefixes=RESNET_PREFIXES)
    fresh.eval()
    x = torch.randn(1, 3, 48, 48)
    with torch.no_grad():
        expected = model(x)
        assert not torch.allclose(fresh(x), expected)
        buffer.seek(0)
        fresh.load_state_dict(torch.load(buffer, weights_only=True))
        torch.testing.assert_close(fresh(x), expected, rtol=0, atol=0)
    # an unconverted model cannot load it silently
    with pytest.raises(RuntimeError, match="offset_conv"):
        buffer.seek(0)
        resnet("resnet18").load_state_dict(torch.load(buffer, weights_only=True))
