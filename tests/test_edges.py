"""Edge behaviours a drop-in for nn.Conv2d must get right: empty batches, one gradient convention at
integer and border positions, tensors on other devices and fake tensors, a damaged kernel cache, the
kernel's threads, double backward, tracing tools and unchecked inputs. Each test here failed on the
code before it was written (README, "Backends and support")."""
from __future__ import annotations

import copy
import os
import stat
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import dcn
from dcn import DeformableConv2d

torchvision = pytest.importorskip("torchvision")
import torchvision.ops  # noqa: E402

from test_dcn import _deform as _deformed  # noqa: E402 - random offset/modulator weights

BACKENDS = ["torch", "cpp", "torchvision"]
EXACT = dict(rtol=0.0, atol=1e-10)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# ----------------------------------------------------------------------------------------------------
# Empty batches
# ----------------------------------------------------------------------------------------------------
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_batch_functional_and_bilinear_sample(backend):
    x, offset, weight = torch.randn(0, 2, 5, 5), torch.randn(0, 18, 5, 5), torch.randn(3, 2, 3, 3)
    assert dcn.deform_conv2d(x, offset, weight, padding=1, mask=torch.rand(0, 9, 5, 5), backend=backend).shape == (0, 3, 5, 5)
    assert dcn.bilinear_sample(x, torch.zeros(0, 7, 2)).shape == (0, 2, 7)


# ----------------------------------------------------------------------------------------------------
# One gradient convention: torchvision's, at integer positions and at the border
# ----------------------------------------------------------------------------------------------------
def _grads(layer: DeformableConv2d, x: torch.Tensor, backend: str):
    layer = copy.deepcopy(layer)
    layer.backend = backend
    x = x.clone().requires_grad_()
    out = layer(x)
    (out * torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view(out.shape)).sum().backward()
    return [out, x.grad] + [p.grad for p in layer.parameters()]


@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_fresh_layer_offset_gradient_equals_torchvision(backend):
    """A fresh layer samples exactly at integers (and at y = -1 / H, x = -1 / W with padding): the
    offset gradient must be torchvision's one-sided one there, on every backend (was 129% off on "torch")."""
    layer = DeformableConv2d(8, 8, bias=True).double()
    x = torch.randn(2, 8, 28, 28, dtype=torch.float64)
    for a, b in zip(_grads(layer, x, backend), _grads(layer, x, "torchvision")):
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


def test_compiled_fresh_layer_trains_like_eager():
    layer = DeformableConv2d(4, 4).double()
    x = torch.randn(1, 4, 12, 12, dtype=torch.float64)
    eager, compiled = copy.deepcopy(layer), copy.deepcopy(layer)
    eager(x).square().sum().backward()
    torch.compile(compiled, fullgraph=True)(x).square().sum().backward()
    for p, q in zip(eager.parameters(), compiled.parameters()):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-9, atol=1e-9)


# ----------------------------------------------------------------------------------------------------
# Tensors on other devices, meta and fake tensors: clear errors or proper shapes, never a crash
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["auto", "torch", "cpp"])
@pytest.mark.parametrize("moved", ["offset", "mask", "weight"])
def test_a_tensor_on_another_device_is_an_error(backend, moved):
    tensors = dict(input=torch.randn(1, 2, 5, 5), offset=torch.randn(1, 18, 5, 5), weight=torch.randn(3, 2, 3, 3),
                   mask=torch.rand(1, 9, 5, 5))
    tensors[moved] = tensors[moved].to("meta")
    with pytest.raises(ValueError, match=f"{moved} must be on the input's device cpu, got meta"):
        dcn.deform_conv2d(tensors["input"], tensors["offset"], tensors["weight"], padding=1, mask=tensors["mask"],
                          backend=backend)


@pytest.mark.parametrize("with_mask", [True, False], ids=["mask", "no_mask"])
def test_the_registered_operator_passes_opcheck(with_mask):
    """torch.library.opcheck: schema, fake (meta) implementation, autograd registration, FakeTensor."""
    g = torch.Generator().manual_seed(7)
    n, h, w, c, k, points = 3, 5, 4, 4, 9, 20
    args = (torch.randn(n, c, h, w, generator=g, dtype=torch.float64).requires_grad_(),
            (torch.rand(n, 2, k, points, 2, generator=g, dtype=torch.float64) * 5 - 1).requires_grad_(),
            torch.rand(n, 2, k, points, generator=g, dtype=torch.float64).requires_grad_() if with_mask else None)
    torch.library.opcheck(torch.ops.dcn.cpp_sample.default, args)


def test_meta_tensors_and_fake_tensor_mode_give_shapes():
    from torch._subclasses.fake_tensor import FakeTensorMode

    layer = _deformed(DeformableConv2d(2, 3, stride=2, bias=True))
    assert layer.to("meta")(torch.randn(2, 2, 9, 8, device="meta")).shape == (2, 3, 5, 4)
    with FakeTensorMode():
        fake_layer = _deformed(DeformableConv2d(2, 3, stride=2, bias=True))
        out = fake_layer(torch.randn(2, 2, 9, 8))
        assert out.shape == (2, 3, 5, 4)
        out.sum().backward()
        assert fake_layer.offset_conv.weight.grad.shape == fake_layer.offset_conv.weight.shape


# ----------------------------------------------------------------------------------------------------
# The compiled kernel's cache and compiler
# ----------------------------------------------------------------------------------------------------
def _cpp_matches_torch():
    layer = _deformed(DeformableConv2d(2, 3, backend="cpp")).double()
    x = torch.randn(2, 2, 6, 5, dtype=torch.float64)
    reference = copy.deepcopy(layer)
    reference.backend = "torch"
    torch.testing.assert_close(layer(x), reference(x), **EXACT)


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage"])
def test_a_damaged_cached_kernel_is_rebuilt(monkeypatch, fresh_kernel_cache, damage):
    dcn._cpp_kernel()
    library = next(p for p in fresh_kernel_cache.iterdir() if p.suffix == ".so")
    data = library.read_bytes()
    damaged = library.with_name("damaged")  # a new file: this process has the old one mapped
    damaged.write_bytes({"truncated": data[:len(data) // 3], "empty": b"", "garbage": b"\x7fELF" + b"\0" * 100}[damage])
    os.replace(damaged, library)
    monkeypatch.setattr(dcn, "_cpp_kernels", {})  # a new process
    dcn._cpp_kernel()
    assert library.read_bytes() == data
    _cpp_matches_torch()


def test_an_unwritable_cache_falls_back_to_the_temporary_directory(monkeypatch, fresh_kernel_cache):
    if os.geteuid() == 0:  # root writes anywhere: make the cache folder a file instead
        fresh_kernel_cache.write_text("not a folder")
    else:
        fresh_kernel_cache.mkdir()
        fresh_kernel_cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    dcn._cpp_kernel()
    assert any(p.suffix == ".so" for p in (fresh_kernel_cache.parent / "tmp").glob("dcn-*/*"))
    _cpp_matches_torch()


def test_cxx_may_hold_arguments(monkeypatch, fresh_kernel_cache):
    monkeypatch.setenv("CXX", "env c++")  # like "ccache g++"
    dcn._cpp_kernel()
    _cpp_matches_torch()


def test_a_hanging_compiler_times_out_with_the_reason(monkeypatch, fresh_kernel_cache, tmp_path):
    hanging = tmp_path / "hanging-compiler"
    hanging.write_text("#!/bin/sh\nsleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("CXX", str(hanging))
    monkeypatch.setattr(dcn, "_COMPILE_TIMEOUT_S", 1)
    with pytest.warns(RuntimeWarning, match="did not finish in 1 s"):
        assert dcn._cpp_kernel() is None


def test_a_failed_build_is_retried_with_another_compiler(monkeypatch, fresh_kernel_cache):
    monkeypatch.setenv("CXX", "false")
    with pytest.warns(RuntimeWarning, match="'false'"):
        assert dcn._cpp_kernel() is None
    monkeypatch.setenv("CXX", "c++")
    dcn._cpp_kernel()
    _cpp_matches_torch()


def test_the_kernel_shares_torchs_openmp_runtime():
    """A second OpenMP runtime would fight torch's threads: the kernel links torch's own, or none."""
    dcn._cpp_kernel()
    maps = open("/proc/self/maps").read() if os.path.exists("/proc/self/maps") else ""
    openmp = {line.split()[-1] for line in maps.splitlines() if "libgomp" in line or "libiomp" in line}
    torch_lib = os.path.realpath(os.path.join(os.path.dirname(torch.__file__), "lib"))
    assert all(os.path.realpath(path).startswith(torch_lib) for path in openmp), openmp
    assert dcn._threads(dcn._PARALLEL_MIN_WORK - 1) == 1  # small calls wake no threads


@pytest.mark.parametrize("threads", [2, 3])
def test_kernel_shares_on_several_threads_equal_one(monkeypatch, threads):
    monkeypatch.setattr(dcn, "_PARALLEL_MIN_WORK", 0)
    layer = _deformed(DeformableConv2d(4, 5, groups=1, offset_groups=2, bias=True, backend="cpp"), seed=4).double()
    x = torch.randn(5, 4, 7, 6, dtype=torch.float64)
    one = _grads(layer, x, "cpp")
    torch.set_num_threads(threads)
    try:
        several = _grads(layer, x, "cpp")
    finally:
        torch.set_num_threads(1)
    for a, b in zip(several, one):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


# ----------------------------------------------------------------------------------------------------
# Double backward: right on the pure path, a clear error elsewhere, never silently missing terms
# ----------------------------------------------------------------------------------------------------
def _double_backward_inputs():
    g = torch.Generator().manual_seed(5)
    return (torch.randn(1, 2, 5, 4, dtype=torch.float64, generator=g).requires_grad_(),
            (torch.randn(1, 18, 5, 4, dtype=torch.float64, generator=g) * 0.7).requires_grad_(),
            torch.rand(1, 9, 5, 4, dtype=torch.float64, generator=g).requires_grad_(),
            torch.randn(3, 2, 3, 3, dtype=torch.float64, generator=g).requires_grad_(),
            torch.randn(3, dtype=torch.float64, generator=g).requires_grad_())


def _torch_differentiates_grid_sample_twice() -> bool:
    """Newer torch has a derivative for grid_sample's backward (2.14 has, 2.8 has not)."""
    grid = torch.zeros(1, 1, 1, 2, dtype=torch.float64, requires_grad=True)
    out = F.grid_sample(torch.ones(1, 1, 2, 2, dtype=torch.float64), grid, align_corners=True)
    (grad,) = torch.autograd.grad(out.sum(), grid, create_graph=True)
    try:
        torch.autograd.grad(grad.sum(), grid, allow_unused=True)
        return True
    except RuntimeError as error:
        if "grid_sampler_2d_backward" not in str(error):
            raise
        return False


def _pure_conv(x, offset, mask, weight, bias):
    return dcn.deform_conv2d(x, offset, weight, bias, 1, 1, 1, mask, backend="torch")


def test_double_backward_of_the_pure_path_is_right_or_torchs_clear_error():
    """Right (gradgradcheck) where torch differentiates grid_sample twice; else torch's own clear error."""
    if _torch_differentiates_grid_sample_twice():
        assert torch.autograd.gradgradcheck(_pure_conv, _double_backward_inputs())
    else:
        inputs = _double_backward_inputs()
        grads = torch.autograd.grad(_pure_conv(*inputs).square().sum(), inputs[:2], create_graph=True)
        with pytest.raises(RuntimeError, match="derivative for aten::grid_sampler_2d_backward is not implemented"):
            torch.autograd.grad(sum(g.square().sum() for g in grads), inputs[:2])


@pytest.mark.parametrize("backend, match", [("cpp", 'double backward.*backend="torch"'),
                                            ("auto", 'double backward.*backend="torch"'),
                                            ("torchvision", "double backwards")])
def test_double_backward_elsewhere_is_a_clear_error(backend, match):
    x, offset, mask, weight, bias = _double_backward_inputs()
    out = dcn.deform_conv2d(x, offset, weight, bias, 1, 1, 1, mask, backend=backend)
    grads = torch.autograd.grad(out.square().sum(), (x, offset, mask, weight), create_graph=True)
    with pytest.raises(RuntimeError, match=match):
        torch.autograd.grad(sum(g.square().sum() for g in grads), (x, offset, mask, weight))


# ----------------------------------------------------------------------------------------------------
# Tracing tools
# ----------------------------------------------------------------------------------------------------
def _traceable_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), _deformed(DeformableConv2d(4, 3, bias=True)))


def test_jit_trace_with_autograd_runs_other_sizes():
    model = _traceable_model()
    traced = torch.jit.trace(model, torch.randn(2, 2, 8, 9), check_trace=False)
    x = torch.randn(3, 2, 10, 7, requires_grad=True)
    out = traced(x)
    torch.testing.assert_close(out, model(x), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    assert x.grad is not None and model[2].offset_conv.weight.grad is not None


@pytest.mark.parametrize("backend", BACKENDS)
def test_cpu_backends_run_and_repeat_under_deterministic_algorithms(backend):
    """torch.use_deterministic_algorithms(True) on the CPU: every backend runs, and the output and
    gradients of two runs are equal bit for bit."""
    torch.manual_seed(0)
    leaves = [torch.randn(2, 8, 9, 9), torch.randn(2, 18, 9, 9), torch.randn(8, 8, 3, 3), torch.rand(2, 9, 9, 9)]
    was, warn_only = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    runs = []
    try:
        torch.use_deterministic_algorithms(True)
        for _ in range(2):
            x, offset, weight, mask = [t.clone().requires_grad_() for t in leaves]
            out = dcn.deform_conv2d(x, offset, weight, padding=1, mask=mask, backend=backend)
            out.square().sum().backward()
            runs.append([out.detach()] + [t.grad for t in (x, offset, weight, mask)])
    finally:
        torch.use_deterministic_algorithms(was, warn_only=warn_only)
    assert all(torch.equal(a, b) for a, b in zip(*runs))


def test_jit_script_says_what_to_use_instead():
    """TorchScript cannot compile the layer; scripting it, alone or inside a model, says so and names the
    tools that work rather than failing on an attribute deep in the layer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit.script is deprecated in newer PyTorch
        for model in (DeformableConv2d(2, 3), _traceable_model()):
            with pytest.raises(RuntimeError, match="torch.jit.script .*use torch.compile, torch.export"):
                torch.jit.script(model)


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
def test_torch_export_with_dynamic_batch_height_and_width(grad_mode):
    from torch.export import Dim, export

    model = _traceable_model()
    with torch.set_grad_enabled(grad_mode):
        program = export(model, (torch.randn(2, 2, 8, 9),),
                         dynamic_shapes=({0: Dim("n", max=64), 2: Dim("h", min=3, max=512), 3: Dim("w", min=3, max=512)},))
    x = torch.randn(3, 2, 13, 6)
    torch.testing.assert_close(program.module()(x), model(x), rtol=1e-5, atol=1e-5)


def _assert_onnxruntime_matches(path: str, model: nn.Module) -> None:
    """The exported model, run by onnxruntime at sizes other than the traced (2, 2, 8, 9), equals PyTorch's."""
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    for shape in [(3, 2, 13, 6), (1, 2, 5, 11)]:
        other = torch.randn(shape)
        (out,) = session.run(None, {"x": other.numpy()})
        with torch.no_grad():
            torch.testing.assert_close(torch.from_numpy(out), model(other), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("dynamo", [True, False], ids=["dynamo", "torchscript"])
@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
def test_onnx_export_with_dynamic_sizes_is_right_at_other_sizes(tmp_path, dynamo, grad_mode):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    model = _traceable_model()
    path = str(tmp_path / "dcn.onnx")
    x = torch.randn(2, 2, 8, 9)
    with warnings.catch_warnings(), torch.set_grad_enabled(grad_mode):
        warnings.simplefilter("ignore")
        if dynamo:
            from torch.export import Dim

            torch.onnx.export(model, (x,), path, dynamo=True, input_names=["x"],
                              dynamic_shapes=({0: Dim("n"), 2: Dim("h"), 3: Dim("w")},))
        else:
            torch.onnx.export(model, (x,), path, dynamo=False, input_names=["x"], output_names=["y"],
                              dynamic_axes={"x": {0: "n", 2: "h", 3: "w"}, "y": {0: "n", 2: "h", 3: "w"}})
    _assert_onnxruntime_matches(path, model)


def _onnx_models():
    torch.manual_seed(1)
    grouped_v1 = DeformableConv2d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2, offset_groups=2, modulation=False)
    return {"dcnv2": _traceable_model(),
            "dcnv1 grouped strided": nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), _deformed(grouped_v1))}


@pytest.mark.parametrize("model_name", list(_onnx_models()))
@pytest.mark.parametrize("opset", [17, 18, 19, None], ids=["opset17", "opset18", "opset19", "default_opset"])
def test_onnx_export_holds_standard_operators_at_every_opset(tmp_path, opset, model_name):
    """The dynamo exporter writes the pure path's standard operators (GridSample, MatMul, ...) at any opset;
    the model passes ONNX's checker and runs in onnxruntime, matching PyTorch at sizes other than the traced one."""
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    model = _onnx_models()[model_name].eval()
    path = str(tmp_path / "dcn.onnx")
    from torch.export import Dim

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.randn(2, 2, 8, 9),), path, dynamo=True, input_names=["x"], opset_version=opset,
                          dynamic_shapes=({0: Dim("n"), 2: Dim("h", min=4), 3: Dim("w", min=4)},))
    exported = onnx.load(path)
    onnx.checker.check_model(exported, full_check=True)
    ops = {node.op_type for node in exported.graph.node}
    assert "GridSample" in ops and not any(op.startswith("DeformConv") for op in ops), sorted(ops)
    _assert_onnxruntime_matches(path, model)


# ----------------------------------------------------------------------------------------------------
# Unchecked inputs
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("input, locations, match", [
    (torch.randn(2, 5, 5), torch.zeros(2, 3, 2), "input must be a 4-D"),
    (torch.randn(2, 1, 5, 5), torch.zeros(3, 4, 2), r"locations must have shape \(2, \*, 2\)"),
    (torch.randn(2, 1, 5, 5), torch.zeros(2, 4, 3), r"locations must have shape \(2, \*, 2\)"),
    (torch.randn(2, 1, 0, 5), torch.zeros(2, 4, 2), "at least one channel, row and column"),
], ids=["3d_input", "batch_mismatch", "not_yx", "zero_height"])
def test_bilinear_sample_checks_its_arguments(input, locations, match):
    with pytest.raises(ValueError, match=match):
        dcn.bilinear_sample(input, locations)


def test_deform_conv2d_checks_missing_offset_and_empty_weight():
    x = torch.randn(1, 2, 5, 5)
    with pytest.raises(TypeError, match="offset must be a torch.Tensor, got NoneType"):
        dcn.deform_conv2d(x, None, torch.randn(3, 2, 3, 3))
    with pytest.raises(ValueError, match="weight must have shape"):
        dcn.deform_conv2d(x, torch.randn(1, 18, 3, 3), torch.randn(3, 0, 3, 3))


def test_offset_param_groups_needs_a_module():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got list"):
        dcn.offset_param_groups([nn.Conv2d(1, 1, 3)], lr=0.1)


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


# the layer below samples 9 kernel points x 4 channels x 8 bytes = 288 bytes per output position, 21 per image
@pytest.mark.parametrize("chunk_bytes", [1, 5 * 288, 2 * 21 * 288], ids=["one position", "runs of 5 positions",
                                                                        "two images"])
@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_working_through_the_batch_in_chunks_changes_nothing(monkeypatch, backend, chunk_bytes):
    """Both paths keep no whole-batch column buffer for the backward (README, Memory): they work through
    the batch in chunks (runs of images, or runs of one image's output positions when an image's columns
    are larger than a chunk) and sample again in the backward. Every chunking must give the same numbers."""
    layer = _deformed(DeformableConv2d(4, 6, stride=(1, 2), groups=2, bias=True, offset_groups=2), seed=3).double()
    x = torch.randn(5, 4, 7, 6, dtype=torch.float64)
    whole = _grads(layer, x, backend)
    monkeypatch.setattr(dcn, "_CHUNK_BYTES", chunk_bytes)
    chunked = _grads(layer, x, backend)
    for a, b in zip(chunked, whole):
        torch.testing.assert_close(a, b, **EXACT)
    if backend == "torch" and chunk_bytes == 2 * 21 * 288 and _torch_differentiates_grid_sample_twice():  # checkpointed
        inputs = [t[:3] if t.dim() == 4 and t.shape[0] == 1 else t for t in _double_backward_inputs()]
        assert torch.autograd.gradgradcheck(
            lambda x, o, m, w, b: dcn.deform_conv2d(x.expand(3, -1, -1, -1), o.expand(3, -1, -1, -1), w, b, 1, 1, 1,
                                                    m.expand(3, -1, -1, -1), backend="torch"), inputs)
