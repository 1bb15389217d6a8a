"""On phones and edge devices: models with deformable layers in ExecuTorch and Core ML.

Both go through torch.export, which records the pure-PyTorch path: standard operators that both runtimes
know, no custom operator. ExecuTorch programs run here (portable kernels and XNNPACK) against eager; Core ML
cannot run a prediction on Linux, so its tests check the conversion and the converted model's shapes.
Without the two packages these tests are skipped; ``pip install executorch coremltools`` enables them.
"""
from __future__ import annotations

import pytest
import torch
from torch import nn

import dcn
from dcn import DeformableConv2d, convert_to_deformable

pytestmark = [pytest.mark.usefixtures("one_thread"), pytest.mark.filterwarnings("ignore::DeprecationWarning")]
INSTALL = "needs executorch and coremltools: pip install executorch coremltools"


def mnist_model() -> nn.Module:
    """The experiment's DCNv2 network, its offsets and modulation away from their zero start."""
    from mnist_lab import MnistNet

    torch.manual_seed(0)
    model = MnistNet(width=32, variant="dcnv2").eval()
    for layer in (model.conv4, model.conv5):
        for conv in (layer.offset_conv, layer.modulator_conv):
            nn.init.normal_(conv.weight, std=0.05)
    return model


def resnet18_model() -> nn.Module:
    """torchvision's resnet18 with its layer3 and layer4 3x3 convs made deformable, offsets non-zero."""
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    for layer in convert_to_deformable(model, prefixes=["layer3", "layer4"]).values():
        nn.init.normal_(layer.offset_conv.weight, std=0.01)
    return model


MODELS = {"mnist": (mnist_model, (2, 1, 28, 28)), "resnet18": (resnet18_model, (1, 3, 128, 128))}


def exported(model: nn.Module, x: torch.Tensor) -> torch.export.ExportedProgram:
    return torch.export.export(model, (x,))


@pytest.mark.parametrize("offset_groups, modulation", [(1, True), (2, True), (2, False)])
def test_exported_pure_path_keeps_every_tensor_at_rank_5_or_less(offset_groups, modulation):
    """Core ML takes tensors of at most 5 dimensions: no node of an exported layer has more, and the graph
    holds no dcn operator, only standard ones."""
    layer = DeformableConv2d(4, 6, offset_groups=offset_groups, modulation=modulation).eval()
    nn.init.normal_(layer.offset_conv.weight, std=0.3)
    x = torch.randn(2, 4, 9, 11)
    layer(x)  # an eager call first, as a user's training or evaluation would
    program = exported(layer, x)
    for graph in (program.graph, program.run_decompositions({}).graph, program.run_decompositions().graph):
        values = [node.meta.get("val") for node in graph.nodes]
        ranks = {value.dim() for value in values if isinstance(value, torch.Tensor)}
        assert max(ranks) <= 5, ranks
        assert not [node for node in graph.nodes if "dcn" in str(node.target)]


@pytest.mark.parametrize("name", MODELS)
def test_executorch_program_matches_eager_with_portable_kernels_and_xnnpack(name):
    """Exported before or after the model first runs, the program is the same; lowered with ExecuTorch's
    portable kernels and with XNNPACK, its .pte runs in executorch.runtime and matches eager (relative 1e-5)."""
    pytest.importorskip("executorch", reason=INSTALL)
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower
    from executorch.runtime import Runtime

    make, shape = MODELS[name]
    model, x = make(), torch.randn(shape)
    before = exported(model, x)
    with torch.no_grad():
        expected = model(x)
    after = exported(model, x)
    assert str(before.graph) == str(after.graph)
    assert dcn._choose_backend("auto", x) == "cpp"  # eager ran the compiled kernel; the export did not
    for partitioner in ([], [XnnpackPartitioner()]):
        program = to_edge_transform_and_lower(after, partitioner=partitioner).to_executorch()
        method = Runtime.get().load_program(program.buffer).load_method("forward")
        output = method.execute([x])[0]
        scale = expected.abs().max()
        assert (output - expected).abs().max() <= 1e-5 * scale, (partitioner, (output - expected).abs().max())


@pytest.mark.parametrize("mask", [True, False], ids=["DCNv2", "DCNv1"])
def test_executorch_program_gives_nan_where_eager_does(mask, nan_offset_conv):
    """ExecuTorch's grid_sampler reads 0 at a NaN point; the program still gives NaN exactly where eager does."""
    pytest.importorskip("executorch", reason=INSTALL)
    from executorch.exir import to_edge_transform_and_lower
    from executorch.runtime import Runtime

    conv = nan_offset_conv(mask)
    program = to_edge_transform_and_lower(torch.export.export(conv, (conv.x, conv.offset))).to_executorch()
    method = Runtime.get().load_program(program.buffer).load_method("forward")
    torch.testing.assert_close(method.execute([conv.x, conv.offset])[0], conv.expected, rtol=1e-5, atol=1e-5,
                               equal_nan=True)


@pytest.mark.parametrize("modulation", [True, False])
def test_executorch_program_with_a_dynamic_batch_runs_every_batch(modulation):
    """Exported with a dynamic batch (and, for the portable kernels, dynamic height and width), the program
    runs at batch sizes and images other than the example's, matching eager, as nn.Conv2d's does."""
    pytest.importorskip("executorch", reason=INSTALL)
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower
    from executorch.runtime import Runtime

    torch.manual_seed(0)
    layer = DeformableConv2d(4, 6, modulation=modulation).eval()
    nn.init.normal_(layer.offset_conv.weight, std=0.3)
    batch, height, width = (torch.export.Dim(name, min=1, max=16) for name in ("batch", "height", "width"))
    example = torch.randn(2, 4, 10, 12)
    for partitioner, sizes, dynamic in (([], [(1, 7, 9), (3, 12, 8)], {0: batch, 2: height, 3: width}),
                                        ([XnnpackPartitioner()], [(1, 10, 12), (3, 10, 12)], {0: batch})):
        program = to_edge_transform_and_lower(torch.export.export(layer, (example,), dynamic_shapes=(dynamic,)),
                                              partitioner=partitioner).to_executorch()
        method = Runtime.get().load_program(program.buffer).load_method("forward")
        for n, h, w in sizes:
            x = torch.randn(n, 4, h, w)
            with torch.no_grad():
                expected = layer(x)
            output = method.execute([x])[0]
            assert output.shape == expected.shape and torch.allclose(output, expected, rtol=0, atol=1e-5), \
                (partitioner, (n, h, w))


@pytest.mark.parametrize("name", MODELS)
def test_core_ml_converts_without_custom_layers(name):
    """After an eager call, the exported program converts to a Core ML mlprogram (iOS 17) made of Core ML's
    own operations, with the model's input and output shapes. (Predictions need macOS: not run here.)"""
    ct = pytest.importorskip("coremltools", reason=INSTALL)
    make, shape = MODELS[name]
    model, x = make(), torch.randn(shape)
    with torch.no_grad():
        expected = model(x)
    program = exported(model, x).run_decompositions({})  # the dialect coremltools asks for
    mlmodel = ct.convert(program, convert_to="mlprogram", minimum_deployment_target=ct.target.iOS17,
                         compute_precision=ct.precision.FLOAT32)  # float16 would round the sampling coordinates
    spec = mlmodel.get_spec()
    shapes = [tuple(feature.type.multiArrayType.shape) for feature in (*spec.description.input,
                                                                         *spec.description.output)]
    assert shapes == [tuple(x.shape), tuple(expected.shape)]
    operations = {op.type for function in spec.mlProgram.functions.values()
                  for block in function.block_specializations.values() for op in block.operations}
    assert "resample" in operations and "conv" in operations, sorted(operations)
    assert not [op for op in operations if "custom" in op.lower() or "dcn" in op.lower()], sorted(operations)
