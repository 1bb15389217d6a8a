"""PyTorch's tools on the layer and the functional op: transforms, compilers, tracers and exporters.

torch.func (grad, vmap, jvp, jacfwd) and forward-mode AD, double backward, torch.compile, torch.export,
torch.jit.trace (and torch.jit.script's refusal), torch.fx and feature extraction, meta tensors and
FakeTensor, torch.library.opcheck of the registered operator, and ONNX through both exporters, run in
onnxruntime.
"""
from __future__ import annotations

import copy
import functools
import warnings

import pytest
import torch
import torch.autograd.forward_ad as fwAD
from torch import nn
from torch.testing import assert_close

import dcn
from dcn import DeformableConv2d, convert_to_deformable, deform_conv2d

pytestmark = pytest.mark.usefixtures("one_thread")

OWN_BACKENDS = ["auto", "torch", "cpp"]  # the default and dcn.py's own two paths
F64 = torch.float64


# ----------------------------------------------------------------------------------------------------
# torch.func and forward-mode AD
# ----------------------------------------------------------------------------------------------------
def finite_difference(f, primals, tangents, eps=1e-6):
    with torch.no_grad():
        plus = f(*[p + eps * t for p, t in zip(primals, tangents)])
        minus = f(*[p - eps * t for p, t in zip(primals, tangents)])
    return (plus - minus) / (2 * eps)


def _grid_sample_has_forward_ad() -> bool:
    """torch 2.8's F.grid_sample, which the pure path uses, has no forward-mode AD formula."""
    try:
        torch.func.jvp(lambda x: nn.functional.grid_sample(x, torch.zeros(1, 1, 1, 2), align_corners=True),
                       (torch.ones(1, 1, 2, 2),), (torch.ones(1, 1, 2, 2),))
        return True
    except (NotImplementedError, RuntimeError):
        return False


FORWARD_AD = _grid_sample_has_forward_ad()
OLD_TORCH = tuple(int(part) for part in torch.__version__.split("+")[0].split(".")[:2]) < (2, 9)


def forward_ad_or_clear_error(run):
    """run() where PyTorch differentiates the pure path forward; elsewhere the call must raise, not return zeros."""
    if FORWARD_AD:
        run()
    else:
        with pytest.raises((NotImplementedError, RuntimeError), match="forward AD|forward-mode|jvp"):
            run()


def _functional(input, offset, weight, bias, mask, backend):
    return deform_conv2d(input, offset, weight, bias, padding=1, mask=mask, backend=backend)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_jvp_of_functional_matches_finite_differences_for_each_operand(backend, functional_operands, available, randn):
    def run():
        f = functools.partial(_functional, backend=available(backend))
        primals = tuple(functional_operands().values())
        for i, name in enumerate(functional_operands()):
            tangents = tuple(randn(*p.shape, dtype=F64, seed=10 + i) if j == i else torch.zeros_like(p)
                             for j, p in enumerate(primals))
            out, tangent = torch.func.jvp(f, primals, tangents)
            assert tangent.abs().max() > 1e-2, f"zero tangent for {name}"
            assert_close(out, f(*primals))
            assert_close(tangent, finite_difference(f, primals, tangents), rtol=1e-6, atol=1e-6, msg=name)
    forward_ad_or_clear_error(run)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_jacfwd_of_layer_matches_reverse_mode_jacobian(backend, make_layer, randn):
    def run():
        layer, x = make_layer(backend, 2, 2, dtype=F64), randn(1, 2, 4, 4, dtype=F64)
        forward = torch.func.jacfwd(layer)(x)
        assert forward.abs().max() > 1e-2, "zero Jacobian"
        assert_close(forward, torch.autograd.functional.jacobian(layer, x))
    forward_ad_or_clear_error(run)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_forward_ad_dual_tensor_gives_the_directional_derivative(backend, make_layer, randn):
    def run():
        layer = make_layer(backend, 2, 3, dtype=F64)
        x, t = randn(2, 2, 5, 6, dtype=F64), randn(2, 2, 5, 6, dtype=F64, seed=2)
        with fwAD.dual_level():
            tangent = fwAD.unpack_dual(layer(fwAD.make_dual(x, t))).tangent
        assert tangent is not None and tangent.abs().max() > 1e-2, "zero tangent"
        assert_close(tangent, finite_difference(layer, (x,), (t,)), rtol=1e-6, atol=1e-6)
    forward_ad_or_clear_error(run)


@pytest.fixture(scope="session")
def small_model(make_layer):
    """small_model(backend): DeformableConv2d(2 -> 3) -> ReLU -> Flatten -> Linear(75 -> 2) on (N, 2, 5, 5)
    inputs."""
    def small_model(backend):
        layer = make_layer(backend, 2, 3)
        torch.manual_seed(1)
        return nn.Sequential(layer, nn.ReLU(), nn.Flatten(), nn.Linear(75, 2))
    return small_model


def _loss(model, params, x, y):
    """Cross-entropy of one (C, H, W) sample with label y."""
    return nn.functional.cross_entropy(torch.func.functional_call(model, params, (x.unsqueeze(0),)), y.unsqueeze(0))


@pytest.fixture(scope="session")
def reference_grads(small_model):
    """reference_grads(x, y): the gradients of small_model's loss by ordinary autograd on backend="torch"."""
    def reference_grads(x, y):
        model = small_model("torch")
        _loss(model, dict(model.named_parameters()), x, y).backward()
        return {name: p.grad for name, p in model.named_parameters()}
    return reference_grads


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_func_grad_matches_autograd_on_torch_backend(backend, small_model, randn, reference_grads):
    model = small_model(backend)
    params = {name: p.detach() for name, p in model.named_parameters()}
    x, y = randn(2, 5, 5), torch.tensor(1)
    grads = torch.func.grad(functools.partial(_loss, model))(params, x, y)
    assert_close(grads, reference_grads(x, y), rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8: vmap(grad) fails in its own grid_sample backward (sym_strides)")
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_vmap_of_grad_gives_per_sample_gradients(backend, small_model, randn, reference_grads):
    model = small_model(backend)
    params = {name: p.detach() for name, p in model.named_parameters()}
    x, y = randn(3, 2, 5, 5), torch.tensor([0, 1, 1])
    per_sample = torch.func.vmap(torch.func.grad(functools.partial(_loss, model)), in_dims=(None, 0, 0))(params, x, y)
    for i in range(3):
        assert_close({name: g[i] for name, g in per_sample.items()}, reference_grads(x[i], y[i]),
                     rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------------------------------
# Double backward: right on the pure path, a clear error elsewhere, never silently missing terms
# ----------------------------------------------------------------------------------------------------
def _pure_conv(x, offset, mask, weight, bias):
    return dcn.deform_conv2d(x, offset, weight, bias, 1, 1, 1, mask, backend="torch")


def test_double_backward_of_the_pure_path_is_right_or_torchs_clear_error(double_backward_inputs,
                                                                         torch_differentiates_grid_sample_twice):
    """Right (gradgradcheck) where torch differentiates grid_sample twice; else torch's own clear error."""
    if torch_differentiates_grid_sample_twice:
        assert torch.autograd.gradgradcheck(_pure_conv, double_backward_inputs)
    else:
        inputs = double_backward_inputs
        grads = torch.autograd.grad(_pure_conv(*inputs).square().sum(), inputs[:2], create_graph=True)
        with pytest.raises(RuntimeError, match="derivative for aten::grid_sampler_2d_backward is not implemented"):
            torch.autograd.grad(sum(g.square().sum() for g in grads), inputs[:2])


@pytest.mark.parametrize("backend, match", [("cpp", 'double backward.*backend="torch"'),
                                            ("auto", 'double backward.*backend="torch"'),
                                            ("torchvision", "double backwards")])
def test_double_backward_elsewhere_is_a_clear_error(backend, match, double_backward_inputs):
    x, offset, mask, weight, bias = double_backward_inputs
    out = dcn.deform_conv2d(x, offset, weight, bias, 1, 1, 1, mask, backend=backend)
    grads = torch.autograd.grad(out.square().sum(), (x, offset, mask, weight), create_graph=True)
    with pytest.raises(RuntimeError, match=match):
        torch.autograd.grad(sum(g.square().sum() for g in grads), (x, offset, mask, weight))


# ----------------------------------------------------------------------------------------------------
# torch.compile
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["auto", "torchvision"])
def test_torch_compile_matches_eager(backend, deform, available):
    """Inductor (the default backend), whole graph, forward and one backward."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(),
                          deform(DeformableConv2d(4, 3, bias=True, offset_groups=2, backend=available(backend)),
                                 scale=0.5))
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


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8 lacks grid_sample's double backward, which a compiled grad needs")
@pytest.mark.parametrize("backend", ["auto", "torchvision"])
def test_torch_compile_of_torch_func_transforms_matches_eager(backend, deform, available):
    """A compiled region sees the transforms too (per-sample gradients, whole graph; vmap, whose repr of the
    layer breaks the graph): the pure path runs under them, as in eager mode."""
    layer = deform(DeformableConv2d(2, 3, bias=True, backend=available(backend)), scale=0.5).double()
    x = torch.randn(3, 2, 6, 7, dtype=torch.float64)
    per_sample_grads = lambda t: torch.func.vmap(torch.func.grad(lambda u: layer(u).square().sum()))(t)  # noqa: E731
    torch._dynamo.reset()
    for transformed, fullgraph in [(per_sample_grads, True), (torch.func.vmap(layer), False)]:
        torch.testing.assert_close(torch.compile(transformed, fullgraph=fullgraph)(x), transformed(x), rtol=1e-9,
                                   atol=1e-9)


@pytest.mark.parametrize("channels_last", ["input", "weights"])
def test_torch_compile_trains_channels_last_like_eager(channels_last, deform):
    """Inductor checks each operator's outputs against the strides its fake implementation declares, also the
    gradients of a modulation mask that a channels-last convolution predicted."""
    torch._dynamo.reset()
    layer = deform(DeformableConv2d(4, 3, bias=True), scale=0.5)
    x = torch.randn(2, 4, 8, 9)
    if channels_last == "weights":
        layer = layer.to(memory_format=torch.channels_last)
    else:
        x = x.to(memory_format=torch.channels_last)
    compiled = copy.deepcopy(layer)
    x_eager, x_compiled = x.clone().requires_grad_(), x.clone().requires_grad_()
    layer(x_eager).square().sum().backward()
    torch.compile(compiled, fullgraph=True)(x_compiled).square().sum().backward()
    torch.testing.assert_close(x_compiled.grad, x_eager.grad, rtol=1e-4, atol=1e-4)
    for p, q in zip(layer.parameters(), compiled.parameters()):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("mask", [True, False], ids=["DCNv2", "DCNv1"])
@pytest.mark.parametrize("graph", ["inductor", "export", "jit.trace"])
def test_nan_offsets_give_nan_in_compiled_exported_and_traced_graphs(graph, mask, nan_offset_conv):
    """NaN in, NaN out, exactly where eager puts it, also where grid_sample itself reads 0 at a NaN point
    (inductor's grid_sample; ExecuTorch's, in tests/test_on_device.py)."""
    conv = nan_offset_conv(mask)
    run = {"inductor": lambda: torch.compile(conv, fullgraph=True)(conv.x, conv.offset),
           "export": lambda: torch.export.export(conv, (conv.x, conv.offset)).module()(conv.x, conv.offset),
           "jit.trace": lambda: torch.jit.trace(conv, (conv.x, conv.offset))(conv.x, conv.offset)}[graph]
    assert_close(run(), conv.expected, rtol=1e-4, atol=1e-4, equal_nan=True)


@pytest.mark.parametrize("backend", ["auto", "torch", "cpp", "torchvision"])
def test_the_choice_of_backend_compiles_into_one_graph(backend, available):
    """Whether a kernel runs the input is a constant to torch.compile (on CUDA "auto" asks torchvision)."""
    x, backend = torch.randn(1, 2, 3, 3), available(backend)
    torch.compile(lambda x: x + len(dcn._choose_backend(backend, x)), backend="eager", fullgraph=True)(x)


def test_compiled_fresh_layer_trains_like_eager():
    torch._dynamo.reset()  # a graph compiled by an earlier test would make this one dynamic
    layer = DeformableConv2d(4, 4).double()
    x = torch.randn(1, 4, 12, 12, dtype=torch.float64)
    eager, compiled = copy.deepcopy(layer), copy.deepcopy(layer)
    eager(x).square().sum().backward()
    torch.compile(compiled, fullgraph=True)(x).square().sum().backward()
    for p, q in zip(eager.parameters(), compiled.parameters()):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-9, atol=1e-9)


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8's inductor fails on a reshape of the mask's gradient once a second "
                                      "size makes the graph dynamic (cannot determine truth value of Relational)")
def test_a_second_input_size_recompiles_dynamic_and_trains_like_eager(deform):
    torch._dynamo.reset()
    layer = deform(DeformableConv2d(4, 4), scale=0.5).double()
    compiled = torch.compile(copy.deepcopy(layer), fullgraph=True)
    for shape in [(2, 4, 8, 9), (1, 4, 12, 12)]:  # the second call compiles with dynamic sizes
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        torch.testing.assert_close(torch.autograd.grad(compiled(x).square().sum(), x),
                                   torch.autograd.grad(layer(x).square().sum(), x), rtol=1e-9, atol=1e-9)
    torch._dynamo.reset()


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8's inductor fails once a second size makes the graph dynamic (above)")
def test_a_graph_compiled_for_fixed_sizes_keeps_the_columns_as_eager_mode_does(available, make_layer, monkeypatch):
    """A training step samples once, in the forward, eagerly and in a graph compiled for fixed sizes; with
    dynamic sizes the backward samples again (their test would make a graph per size)."""
    calls, cpp_call = [], dcn._cpp_call
    monkeypatch.setattr(dcn, "_cpp_call", lambda name, *args, **kw: calls.append(name) or cpp_call(name, *args, **kw))
    layer = make_layer(available("cpp"))
    torch._dynamo.reset()
    compiled = torch.compile(layer, fullgraph=True)
    for run, size, sampled in [(layer, 7, ["sample", "sample_backward"]), (compiled, 7, ["sample", "sample_backward"]),
                               (compiled, 9, ["sample", "sample", "sample_backward"])]:  # the last one dynamic
        calls.clear()
        run(torch.randn(2, 3, size, size)).sum().backward()
        assert calls == sampled, (run is compiled, size)
    torch._dynamo.reset()


@pytest.mark.parametrize("kernel", ["builds", "missing"])
def test_compiling_before_any_eager_call_makes_one_graph(kernel, tmp_path):
    """In a fresh process, torch.compile(fullgraph=True) of a layer that has never run: the kernel is loaded (or
    found missing) once instead of being traced, so the whole layer is one graph, and it trains like eager."""
    import os
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import torch, dcn
        if {kernel == "missing"}:  # as on a machine without a C++ compiler (inductor keeps its own)
            def no_compiler(command):
                raise RuntimeError("no C++ compiler here")
            dcn._build_cpp_kernel = no_compiler
        torch.manual_seed(0)
        layer = dcn.DeformableConv2d(4, 4)
        torch.nn.init.normal_(layer.offset_conv.weight, std=0.3)
        x = torch.randn(2, 4, 8, 8, requires_grad=True)
        out = torch.compile(layer, fullgraph=True)(x)
        grad, = torch.autograd.grad(out.square().sum(), x)
        x2 = x.detach().clone().requires_grad_()
        expected, = torch.autograd.grad(layer(x2).square().sum(), x2)
        torch.testing.assert_close(grad, expected, rtol=1e-4, atol=1e-4)
        print("cpp" if dcn._cpp_available() else "pure")
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root, "XDG_CACHE_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-1] == ("cpp" if kernel == "builds" else "pure")


@pytest.fixture(scope="session")
def compiled_graph_counts(randn):
    """compiled_graph_counts(module, sizes): (graphs compiled by the first call, graphs compiled in all) for
    torch.compile(module, dynamic=True) called on inputs of ``sizes``; each output is checked against eager."""
    def compiled_graph_counts(module, sizes):
        torch._dynamo.reset()
        graphs, counts = [], []
        compiled = torch.compile(module, backend=lambda gm, inputs: graphs.append(gm) or gm.forward, dynamic=True)
        for i, size in enumerate(sizes):
            x = randn(*size, seed=i)
            assert_close(compiled(x), module(x))
            counts.append(len(graphs))
        torch._dynamo.reset()
        return counts[0], counts[-1]
    return compiled_graph_counts


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8 breaks the graph on the layer once before dynamic sizes settle")
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_compile_dynamic_compiles_once_for_three_sizes(backend, compiled_graph_counts, make_layer, monkeypatch):
    sizes = [(2, 3, 7, 9), (2, 3, 10, 13), (2, 3, 15, 11)]  # no two sizes equal: no duck-sizing guards
    for name in ("_TILE_BYTES", "_SAVE_BYTES"):  # the first size's columns are one tile and kept, the others' not
        monkeypatch.setattr(dcn, name, 20_000)
    assert compiled_graph_counts(nn.Conv2d(3, 4, 3, padding=1), sizes) == (1, 1)  # as nn.Conv2d does
    first, total = compiled_graph_counts(make_layer(backend).eval(), sizes)
    assert total == first >= 1, f"{total} graphs compiled in all, {first} for the first size"


# ----------------------------------------------------------------------------------------------------
# torch.export, torch.jit, torch.fx
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def traceable_model(deform):
    """traceable_model(): nn.Conv2d(2 -> 4) -> ReLU -> a deforming DeformableConv2d(4 -> 3) with bias."""
    def traceable_model() -> nn.Module:
        torch.manual_seed(0)
        return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), deform(DeformableConv2d(4, 3, bias=True)))
    return traceable_model


@pytest.mark.parametrize("grad_mode", [True, False], ids=["grad", "no_grad"])
def test_torch_export_with_dynamic_batch_height_and_width(grad_mode, traceable_model):
    from torch.export import Dim, export

    model = traceable_model()
    with torch.set_grad_enabled(grad_mode):
        program = export(model, (torch.randn(2, 2, 8, 9),),
                         dynamic_shapes=({0: Dim("n", max=64), 2: Dim("h", min=3, max=512), 3: Dim("w", min=3, max=512)},))
    x = torch.randn(3, 2, 13, 6)
    torch.testing.assert_close(program.module()(x), model(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_export_of_trained_layer_with_dynamic_batch_height_width(backend, randn, make_layer):
    layer, Dim = make_layer(backend).eval(), torch.export.Dim
    dynamic = {0: Dim("batch", min=1, max=16), 2: Dim("h", min=4, max=64), 3: Dim("w", min=4, max=64)}
    exported = torch.export.export(layer, (randn(2, 3, 10, 12),), dynamic_shapes=(dynamic,))
    for shape in [(3, 3, 7, 9), (5, 3, 16, 5)]:
        x = randn(*shape, seed=7)
        assert_close(exported.module()(x), layer(x))


def test_jit_trace_with_autograd_runs_other_sizes(traceable_model):
    model = traceable_model()
    traced = torch.jit.trace(model, torch.randn(2, 2, 8, 9), check_trace=False)
    x = torch.randn(3, 2, 10, 7, requires_grad=True)
    out = traced(x)
    torch.testing.assert_close(out, model(x), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    assert x.grad is not None and model[2].offset_conv.weight.grad is not None


def trace_and_warnings(module, x):
    """torch.jit.trace(module, x) with its default check_trace=True, and the TracerWarnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", torch.jit.TracerWarning)
        traced = torch.jit.trace(module, x)
    return traced, [f"{w.filename}:{w.lineno}: {w.message}" for w in caught if w.category is torch.jit.TracerWarning]


@pytest.mark.parametrize("backend", ["auto", "torch"])
def test_jit_trace_passes_its_check_and_generalises_to_other_sizes(backend, randn, make_layer):
    x = randn(2, 3, 8, 8)
    assert trace_and_warnings(nn.Conv2d(3, 4, 3, padding=1), x)[1] == []  # nn.Conv2d traces without any
    layer = make_layer(backend).eval()
    traced, tracer_warnings = trace_and_warnings(layer, x)
    assert tracer_warnings == []
    y = randn(3, 3, 11, 7, seed=2)
    assert_close(traced(y), layer(y))


@pytest.mark.parametrize("kernel_size", [2, 3])
def test_jit_trace_of_same_padding_warns_nothing_and_generalises(kernel_size, randn):
    """padding="same" (with an even kernel, an extra bottom/right zero row and column): as nn.Conv2d, no
    TracerWarning, and the trace is right at another size."""
    x = randn(2, 3, 9, 11)
    assert trace_and_warnings(nn.Conv2d(3, 4, kernel_size, padding="same"), x)[1] == []
    torch.manual_seed(0)
    layer = DeformableConv2d(3, 4, kernel_size, padding="same").eval()
    nn.init.normal_(layer.offset_conv.weight, std=0.3)
    traced, tracer_warnings = trace_and_warnings(layer, x)
    assert tracer_warnings == []
    y = randn(3, 3, 6, 13, seed=2)
    assert_close(traced(y), layer(y))


def test_jit_script_says_what_to_use_instead(traceable_model):
    """TorchScript cannot compile the layer; scripting it, alone or inside a model, says so and names the
    tools that work rather than failing on an attribute deep in the layer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit.script is deprecated in newer PyTorch
        for model in (DeformableConv2d(2, 3), traceable_model()):
            with pytest.raises(RuntimeError, match="torch.jit.script .*use torch.compile, torch.export"):
                torch.jit.script(model)


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_fx_symbolic_trace_and_feature_extraction_of_a_converted_model(backend, randn, deform, available):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1))
    for layer in convert_to_deformable(model, backend=available(backend)).values():
        deform(layer)
    x = randn(2, 3, 6, 7)
    assert_close(torch.fx.symbolic_trace(model)(x), model(x))
    feature_extraction = pytest.importorskip("torchvision.models.feature_extraction")
    features = feature_extraction.create_feature_extractor(model, return_nodes={"1": "relu", "2": "out"})(x)
    assert_close(features["relu"], model[:2](x))
    assert_close(features["out"], model(x))


# ----------------------------------------------------------------------------------------------------
# Meta tensors, FakeTensor and the registered operator
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["auto", "torch", "cpp", "torchvision"])
def test_meta_tensors_and_fake_tensor_mode_give_shapes(backend, deform, available):
    from torch._subclasses.fake_tensor import FakeTensorMode

    layer = deform(DeformableConv2d(2, 3, stride=2, bias=True, backend=available(backend)))
    assert layer.to("meta")(torch.randn(2, 2, 9, 8, device="meta")).shape == (2, 3, 5, 4)
    offset, weight = torch.zeros(1, 18, 5, 5), torch.randn(3, 2, 3, 3)
    with FakeTensorMode(allow_non_fake_inputs=True):  # a real offset and weight with a fake input too
        out = deform_conv2d(torch.empty(1, 2, 5, 5), offset, weight, padding=1, backend=available(backend))
        assert out.shape == (1, 3, 5, 5)
    with FakeTensorMode():  # shape inference without data (e.g. FLOP counters): no guard may read values
        fake_layer = deform(DeformableConv2d(2, 3, stride=2, bias=True, backend=available(backend)))
        out = fake_layer(torch.randn(2, 2, 9, 8))
        assert out.shape == (2, 3, 5, 4)
        out.sum().backward()
        assert fake_layer.offset_conv.weight.grad.shape == fake_layer.offset_conv.weight.shape


@pytest.mark.parametrize("n", [3, 0], ids=["batch", "empty"])
@pytest.mark.parametrize("input_grad", [True, False], ids=["input_grad", "data_input"])
@pytest.mark.parametrize("with_mask", [True, False], ids=["mask", "no_mask"])
def test_the_registered_operator_passes_opcheck(with_mask, input_grad, n):
    """torch.library.opcheck: schema, fake (meta) implementation, autograd registration, FakeTensor; also
    for an input that needs no gradient (a model's first layer) and an empty batch."""
    g = torch.Generator().manual_seed(7)
    h, w, c, k = 5, 4, 4, 9  # 3x3 kernel, stride 1, padding 1, dilation 1: output 5x4; 2 offset groups
    args = (torch.randn(n, c, h, w, generator=g, dtype=torch.float64).requires_grad_(input_grad),
            (torch.randn(n, 2 * 2 * k, h, w, generator=g, dtype=torch.float64) * 2).requires_grad_(),
            torch.rand(n, 2 * k, h, w, generator=g, dtype=torch.float64).requires_grad_() if with_mask else None,
            torch.randn(2, 3, k * c // 2, generator=g, dtype=torch.float64).requires_grad_(),  # 2 groups, 6 outputs
            [3, 3, 1, 1, 1, 1, 1, 1])
    for save in (True, False):  # the forward's columns left to the backward, or sampled again there
        torch.library.opcheck(torch.ops.dcn.cpp_deform_conv.default, (*args, save))


@pytest.mark.parametrize("change, match", [
    (dict(offset=torch.zeros(1, 18, 5, 4)), "operands must be"),  # a smaller batch than the input's
    (dict(mask=torch.ones(2, 8, 5, 4)), "operands must be"),
    (dict(offset=torch.zeros(2, 18, 5, 4, dtype=torch.float64)), "operands must be"),
    (dict(geometry=[3, 3]), "geometry must be"), (dict(geometry=[3, 3, 0, 1, 1, 1, 1, 1]), "geometry must be")],
    ids=["offset batch", "mask channels", "offset dtype", "short geometry", "zero stride"])
@pytest.mark.parametrize("backward", [False, True], ids=["forward", "backward"])
def test_the_registered_operator_refuses_operands_it_cannot_index(available, change, match, backward):
    """torch.ops.dcn.* called directly, past deform_conv2d's checks: a clear error, not memory outside a tensor."""
    available("cpp")
    operands = dict(input=torch.randn(2, 4, 5, 4), offset=torch.zeros(2, 18, 5, 4), mask=torch.ones(2, 9, 5, 4),
                    rows=torch.randn(1, 3, 4 * 9), geometry=[3, 3, 1, 1, 1, 1, 1, 1])
    args = list({**operands, **change}.values())
    with pytest.raises(ValueError, match=match):
        if backward:
            torch.ops.dcn.cpp_deform_conv_backward(torch.randn(2, 20, 3), *args, torch.empty(0), [True] * 4)
        else:
            torch.ops.dcn.cpp_deform_conv(*args, False)


# ----------------------------------------------------------------------------------------------------
# ONNX
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def stacked_model(deform):
    """stacked_model(seed=0): nn.Conv2d(2 -> 4) -> ReLU -> two deforming DeformableConv2d layers (4 -> 4 with
    two offset groups, then 4 -> 3 with an even kernel and "same" padding) with a ReLU between."""
    def stacked_model(seed: int = 0) -> nn.Module:
        torch.manual_seed(seed)
        model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(),
                              deform(DeformableConv2d(4, 4, bias=True, offset_groups=2), scale=0.5, seed=seed),
                              nn.ReLU(), deform(DeformableConv2d(4, 3, 2, padding="same"), scale=0.5, seed=seed + 1))
        return model
    return stacked_model


@pytest.mark.parametrize("dynamo", [True, False], ids=["dynamo", "torchscript"])
def test_onnx_export_runs_in_onnxruntime(tmp_path, dynamo, stacked_model):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    if dynamo:
        pytest.importorskip("onnxscript")
    model = stacked_model().eval()
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
def test_onnx_export_with_dynamic_sizes_is_right_at_other_sizes(tmp_path, dynamo, grad_mode, traceable_model):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    model = traceable_model()
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


@pytest.fixture(scope="session")
def onnx_models(deform, traceable_model):
    """onnx_models(): {name: model} of the models exported at every opset."""
    def onnx_models():
        torch.manual_seed(1)
        grouped_v1 = DeformableConv2d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2, offset_groups=2,
                                      modulation=False)
        return {"dcnv2": traceable_model(),
                "dcnv1 grouped strided": nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), deform(grouped_v1))}
    return onnx_models


@pytest.mark.parametrize("model_name", ["dcnv2", "dcnv1 grouped strided"])
@pytest.mark.parametrize("opset", [18, 19, None], ids=["opset18", "opset19", "default_opset"])
def test_onnx_export_holds_standard_operators_at_every_opset(tmp_path, opset, model_name, onnx_models):
    """The dynamo exporter writes the pure path's standard operators (GridSample, MatMul, ...) at any opset;
    the model passes ONNX's checker and runs in onnxruntime, matching PyTorch at sizes other than the traced one."""
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    model = onnx_models()[model_name].eval()
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
# Transforms inside torch.compile, at sizes that work in chunks, and vmap of the layer itself
# ----------------------------------------------------------------------------------------------------
@pytest.mark.skipif(not FORWARD_AD, reason="torch 2.8 has no forward AD for grid_sample")
@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_jvp_inside_torch_compile_is_the_eager_tangent(backend, functional_operands, available):
    """A compiled jvp and a compiled function of dual tensors give eager's tangent, never zeros."""
    t = functional_operands()
    f = lambda offset: deform_conv2d(t["input"], offset, t["weight"], padding=1, backend=available(backend))  # noqa: E731
    tangent = torch.randn_like(t["offset"])
    eager = torch.func.jvp(f, (t["offset"],), (tangent,))[1]
    assert eager.abs().max() > 0.1
    torch._dynamo.reset()
    assert_close(torch.compile(lambda o, v: torch.func.jvp(f, (o,), (v,))[1], backend="eager")(t["offset"], tangent),
                 eager)
    with fwAD.dual_level():
        out = torch.compile(f, backend="eager")(fwAD.make_dual(t["offset"], tangent))
        assert_close(fwAD.unpack_dual(out).tangent, eager)
    torch._dynamo.reset()


@pytest.mark.parametrize("backend", OWN_BACKENDS)
def test_func_grad_and_vmap_at_sizes_that_work_in_chunks(backend, monkeypatch, make_layer, randn):
    """Where eager training works through the batch in chunks under checkpointing, torch.func's
    transforms (which refuse checkpointing) still run, unchunked, and give autograd's gradients."""
    layer, x = make_layer(backend, dtype=F64), randn(3, 3, 6, 7, dtype=F64)
    expected = torch.autograd.grad(layer(x).square().sum(), list(layer.parameters()))
    monkeypatch.setattr(dcn, "_TILE_BYTES" if backend == "cpp" else "_CHUNK_BYTES", 1)  # every position its own chunk
    params = {name: p.detach() for name, p in layer.named_parameters()}
    grads = torch.func.grad(lambda p: torch.func.functional_call(layer, p, (x,)).square().sum())(params)
    for (name, grad), want in zip(grads.items(), expected):
        assert_close(grad, want, msg=name)
    assert_close(torch.func.vmap(layer)(x[:, None]).squeeze(1), layer(x))  # vmap of the layer, as of nn.Conv2d
    with torch.no_grad():
        assert_close(torch.func.vmap(layer)(x[:, None]).squeeze(1), layer(x))
