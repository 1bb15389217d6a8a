"""What a PyTorch user expects of DeformableConv2d and deform_conv2d, through the public API only:
torch.func transforms and forward-mode AD, operand dtype checks, pruning, hooks and parametrizations,
torch.export / jit.trace / compile / FX, a safe kernel cache, a quiet fallback without a compiler,
torchvision's kernel on CPU, and, side by side with nn.Conv2d, the same dtypes, memory formats,
shapes, flags, errors and module utilities."""
from __future__ import annotations

import collections
import copy
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import warnings

import pytest
import torch
import torch.autograd.forward_ad as fwAD
from torch import nn
from torch.nn.utils import parametrize, prune
from torch.testing import assert_close

from dcn import DeformableConv2d, convert_to_deformable, deform_conv2d

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKENDS = ["auto", "torch", "cpp"]
F64 = torch.float64


# --- Helpers: seeded layers that really deform, functional operands, a small model, fresh processes ---
@functools.lru_cache(maxsize=None)
def _cpp_builds() -> bool:
    try:
        return DeformableConv2d(1, 1, backend="cpp") is not None
    except RuntimeError:
        return False


def available(backend: str) -> str:
    if backend == "cpp" and not _cpp_builds():
        pytest.skip("no C++ compiler builds the kernel here")
    if backend == "torchvision":
        pytest.importorskip("torchvision")
    return backend


def deform(layer: DeformableConv2d, seed: int = 0, scale: float = 0.5) -> DeformableConv2d:
    """Small seeded random offset (and modulator) weights, so the layer really deforms."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for conv in (layer.offset_conv, layer.modulator_conv):
            for p in () if conv is None else (conv.weight, conv.bias):
                p.copy_(torch.randn(p.shape, generator=g, dtype=F64) * scale)
    return layer


def make_layer(backend, cin=3, cout=4, *, dtype=torch.float32, seed=0, **options):
    """A deforming 3x3, padding 1 layer with bias; the same seed gives the same weights on every backend."""
    available(backend)  # before seeding: checking may build a layer
    torch.manual_seed(seed)
    return deform(DeformableConv2d(cin, cout, 3, padding=1, bias=True, backend=backend, dtype=dtype, **options), seed)


def conv_and_layer(backend, dtype=torch.float32, padding=1):
    """An nn.Conv2d and a fresh DeformableConv2d made from it (which computes exactly the same)."""
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 4, 3, padding=padding).to(dtype)
    return conv, DeformableConv2d.from_conv(conv, backend=available(backend))


def randn(*shape, dtype=torch.float32, seed=1):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def functional_operands(dtype=F64):
    """input (1, 2, 5, 5), offset, weight (3, 2, 3, 3), bias and mask for deform_conv2d with padding=1."""
    return dict(input=randn(1, 2, 5, 5, dtype=dtype, seed=1), offset=0.7 * randn(1, 18, 5, 5, dtype=dtype, seed=2),
                weight=randn(3, 2, 3, 3, dtype=dtype, seed=3), bias=randn(3, dtype=dtype, seed=4),
                mask=torch.rand(1, 9, 5, 5, generator=torch.Generator().manual_seed(5), dtype=dtype))


def small_model(backend):
    """DeformableConv2d(2 -> 3) -> ReLU -> Flatten -> Linear(75 -> 2) on (N, 2, 5, 5) inputs."""
    layer = make_layer(backend, 2, 3)
    torch.manual_seed(1)
    return nn.Sequential(layer, nn.ReLU(), nn.Flatten(), nn.Linear(75, 2))


def finite_difference(f, primals, tangents, eps=1e-6):
    with torch.no_grad():
        plus = f(*[p + eps * t for p, t in zip(primals, tangents)])
        minus = f(*[p - eps * t for p, t in zip(primals, tangents)])
    return (plus - minus) / (2 * eps)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh Python process (no kernel loaded yet) that imports dcn from this checkout."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, "PYTHONPATH": ROOT, **env},
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def last_json(result: subprocess.CompletedProcess):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Forward-mode AD and torch.func ---
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_jvp_of_functional_matches_finite_differences_for_each_operand(backend):
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_jacfwd_of_layer_matches_reverse_mode_jacobian(backend):
    def run():
        layer, x = make_layer(backend, 2, 2, dtype=F64), randn(1, 2, 4, 4, dtype=F64)
        forward = torch.func.jacfwd(layer)(x)
        assert forward.abs().max() > 1e-2, "zero Jacobian"
        assert_close(forward, torch.autograd.functional.jacobian(layer, x))
    forward_ad_or_clear_error(run)


@pytest.mark.parametrize("backend", BACKENDS)
def test_forward_ad_dual_tensor_gives_the_directional_derivative(backend):
    def run():
        layer = make_layer(backend, 2, 3, dtype=F64)
        x, t = randn(2, 2, 5, 6, dtype=F64), randn(2, 2, 5, 6, dtype=F64, seed=2)
        with fwAD.dual_level():
            tangent = fwAD.unpack_dual(layer(fwAD.make_dual(x, t))).tangent
        assert tangent is not None and tangent.abs().max() > 1e-2, "zero tangent"
        assert_close(tangent, finite_difference(layer, (x,), (t,)), rtol=1e-6, atol=1e-6)
    forward_ad_or_clear_error(run)


def _loss(model, params, x, y):
    """Cross-entropy of one (C, H, W) sample with label y."""
    return nn.functional.cross_entropy(torch.func.functional_call(model, params, (x.unsqueeze(0),)), y.unsqueeze(0))


def _reference_grads(x, y):
    """The gradients by ordinary autograd on backend="torch"."""
    model = small_model("torch")
    _loss(model, dict(model.named_parameters()), x, y).backward()
    return {name: p.grad for name, p in model.named_parameters()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_func_grad_matches_autograd_on_torch_backend(backend):
    model = small_model(backend)
    params = {name: p.detach() for name, p in model.named_parameters()}
    x, y = randn(2, 5, 5), torch.tensor(1)
    grads = torch.func.grad(functools.partial(_loss, model))(params, x, y)
    assert_close(grads, _reference_grads(x, y), rtol=1e-4, atol=1e-5)


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8: vmap(grad) fails in its own grid_sample backward (sym_strides)")
@pytest.mark.parametrize("backend", BACKENDS)
def test_vmap_of_grad_gives_per_sample_gradients(backend):
    model = small_model(backend)
    params = {name: p.detach() for name, p in model.named_parameters()}
    x, y = randn(3, 2, 5, 5), torch.tensor([0, 1, 1])
    per_sample = torch.func.vmap(torch.func.grad(functools.partial(_loss, model)), in_dims=(None, 0, 0))(params, x, y)
    for i in range(3):
        assert_close({name: g[i] for name, g in per_sample.items()}, _reference_grads(x[i], y[i]),
                     rtol=1e-4, atol=1e-5)


# --- Operands of another dtype than the input ---
@pytest.mark.parametrize("backend", [*BACKENDS, "torchvision"])
@pytest.mark.parametrize("operand, dtype", [("offset", F64), ("offset", torch.int64), ("mask", F64),
                                            ("weight", F64), ("weight", torch.int64), ("bias", F64)])
def test_operand_of_another_dtype_is_rejected_naming_it(backend, operand, dtype):
    ops = functional_operands(torch.float32)
    ops[operand] = ops[operand].to(dtype)
    with pytest.raises((TypeError, RuntimeError)) as info:
        deform_conv2d(**ops, padding=1, backend=available(backend))
    assert operand in str(info.value) and "float32" in str(info.value), str(info.value)


# --- Pruning, hooks and parametrizations on the submodules ---
@pytest.mark.parametrize("backend", BACKENDS)
def test_pruned_weight_is_used_and_follows_weight_orig(backend):
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


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("modulation", [True, False])
def test_forward_hooks_on_submodules_fire_on_every_forward(backend, modulation):
    layer, x = make_layer(backend, modulation=modulation), randn(2, 3, 6, 7)
    calls = collections.Counter()
    names = [name for name in ("regular_conv", "offset_conv", "modulator_conv") if getattr(layer, name) is not None]
    for name in names:
        getattr(layer, name).register_forward_pre_hook(lambda m, args, name=name: calls.update([name + " pre"]))
        getattr(layer, name).register_forward_hook(lambda m, args, out, name=name: calls.update([name + " post"]))
    layer(x)
    layer(x)
    assert dict(calls) == {f"{name} {when}": 2 for name in names for when in ("pre", "post")}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("modulation", [True, False])
def test_forward_hook_output_of_offset_conv_is_used(backend, modulation):
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_weight_parametrization_changes_the_output(backend):
    layer, reference, x = make_layer(backend), make_layer(backend), randn(2, 3, 6, 7)
    parametrize.register_parametrization(layer.regular_conv, "weight", _Double())
    with torch.no_grad():
        reference.regular_conv.weight.mul_(2)
    assert_close(layer(x), reference(x))


# --- torch.export, torch.jit.trace, torch.compile, torch.fx ---
@pytest.mark.parametrize("backend", BACKENDS)
def test_export_of_trained_layer_with_dynamic_batch_height_width(backend):
    layer, Dim = make_layer(backend).eval(), torch.export.Dim
    dynamic = {0: Dim("batch", min=1, max=16), 2: Dim("h", min=4, max=64), 3: Dim("w", min=4, max=64)}
    exported = torch.export.export(layer, (randn(2, 3, 10, 12),), dynamic_shapes=(dynamic,))
    for shape in [(3, 3, 7, 9), (5, 3, 16, 5)]:
        x = randn(*shape, seed=7)
        assert_close(exported.module()(x), layer(x))


def trace_and_warnings(module, x):
    """torch.jit.trace(module, x) with its default check_trace=True, and the TracerWarnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", torch.jit.TracerWarning)
        traced = torch.jit.trace(module, x)
    return traced, [f"{w.filename}:{w.lineno}: {w.message}" for w in caught if w.category is torch.jit.TracerWarning]


@pytest.mark.parametrize("backend", ["auto", "torch"])
def test_jit_trace_passes_its_check_and_generalises_to_other_sizes(backend):
    x = randn(2, 3, 8, 8)
    assert trace_and_warnings(nn.Conv2d(3, 4, 3, padding=1), x)[1] == []  # nn.Conv2d traces without any
    layer = make_layer(backend).eval()
    traced, tracer_warnings = trace_and_warnings(layer, x)
    assert tracer_warnings == []
    y = randn(3, 3, 11, 7, seed=2)
    assert_close(traced(y), layer(y))


def compiled_graph_counts(module, sizes):
    """(graphs compiled by the first call, graphs compiled in all) for torch.compile(module, dynamic=True)
    called on inputs of ``sizes``; each output is checked against eager."""
    torch._dynamo.reset()
    graphs, counts = [], []
    compiled = torch.compile(module, backend=lambda gm, inputs: graphs.append(gm) or gm.forward, dynamic=True)
    for i, size in enumerate(sizes):
        x = randn(*size, seed=i)
        assert_close(compiled(x), module(x))
        counts.append(len(graphs))
    torch._dynamo.reset()
    return counts[0], counts[-1]


@pytest.mark.skipif(OLD_TORCH, reason="torch 2.8 breaks the graph on the layer once before dynamic sizes settle")
@pytest.mark.parametrize("backend", BACKENDS)
def test_compile_dynamic_compiles_once_for_three_sizes(backend):
    sizes = [(2, 3, 7, 9), (2, 3, 10, 13), (2, 3, 15, 11)]  # no two sizes equal: no duck-sizing guards
    assert compiled_graph_counts(nn.Conv2d(3, 4, 3, padding=1), sizes) == (1, 1)  # as nn.Conv2d does
    first, total = compiled_graph_counts(make_layer(backend).eval(), sizes)
    assert total == first >= 1, f"{total} graphs compiled in all, {first} for the first size"


@pytest.mark.parametrize("backend", BACKENDS)
def test_fx_symbolic_trace_and_feature_extraction_of_a_converted_model(backend):
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


# --- The compiled kernel's cache, and running without a compiler (fresh processes: no kernel loaded yet) ---
def check_backends_code(backends) -> str:
    """Code printing, as JSON, how far a deforming layer on each of ``backends`` is from backend="torch",
    and the files the process has mapped (shared libraries it loaded)."""
    return f"""
        import json, os, torch, dcn
        def layer(backend):
            torch.manual_seed(0)
            layer = dcn.DeformableConv2d(3, 4, backend=backend)
            with torch.no_grad():
                layer.offset_conv.weight.normal_(0, 0.5)
            return layer
        x = torch.randn(2, 3, 6, 7)
        expected = layer("torch")(x)
        diffs = {{b: float((layer(b)(x) - expected).abs().max()) for b in {list(backends)!r}}}
        maps = open("/proc/self/maps").read().split() if os.path.exists("/proc/self/maps") else []
        print(json.dumps({{"diffs": diffs, "maps": sorted({{m for m in maps if m.startswith("/")}})}}))
    """


def snapshot(folder):
    """{relative path: (mtime, sha256)} of every file below ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory):
    """A kernel cache folder (XDG_CACHE_HOME/dcn) as a fresh process leaves it after building the kernel."""
    available("cpp")
    root = tmp_path_factory.mktemp("trusted")
    report = last_json(run_python(check_backends_code(["cpp"]), XDG_CACHE_HOME=str(root), TMPDIR=str(root)))
    assert report["diffs"]["cpp"] < 1e-5 and snapshot(root / "dcn"), "no kernel cached in XDG_CACHE_HOME/dcn"
    return root / "dcn"


@pytest.mark.parametrize("danger", ["writable by others", "owned by another user"])
def test_kernel_is_neither_loaded_from_nor_written_to_an_unsafe_cache(built_cache, tmp_path, danger):
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    shutil.copytree(built_cache, cache / "dcn")  # a complete, valid kernel planted there
    tmp.mkdir()
    if danger == "writable by others":
        os.chmod(cache / "dcn", 0o777)
    elif os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    else:
        os.chown(cache / "dcn", 4242, 4242)
    planted = snapshot(cache / "dcn")
    report = last_json(run_python(check_backends_code(["cpp"]), XDG_CACHE_HOME=str(cache), TMPDIR=str(tmp)))
    assert report["diffs"]["cpp"] < 1e-5
    assert [path for path in report["maps"] if path.startswith(str(cache))] == []
    assert snapshot(cache / "dcn") == planted


def test_layer_runs_when_the_cache_folder_cannot_be_created(tmp_path):
    available("cpp")
    not_a_folder, tmp = tmp_path / "file", tmp_path / "tmp"
    not_a_folder.write_text("")
    tmp.mkdir()
    report = last_json(run_python(check_backends_code(["auto", "cpp"]), XDG_CACHE_HOME=str(not_a_folder),
                                  TMPDIR=str(tmp)))
    assert max(report["diffs"].values()) < 1e-5, report["diffs"]


def test_default_backend_without_a_compiler_runs_and_warns_once(tmp_path):
    code = """
        import json, warnings, torch, dcn
        def layer(**backend):
            torch.manual_seed(0)
            layer = dcn.DeformableConv2d(3, 4, **backend)
            with torch.no_grad():
                layer.offset_conv.weight.normal_(0, 0.5)
            return layer
        x = torch.randn(2, 3, 6, 7)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            default = layer()
            outs = [default(x), default(x)]
            outs[0].sum().backward()
            dcn.deform_conv2d(x, torch.rand(2, 18, 6, 7), default.weight, padding=1)
        expected = layer(backend="torch")(x)
        print(json.dumps({"diff": max(float((out - expected).abs().max()) for out in outs),
                          "warnings": [[w.category.__name__, str(w.message)] for w in caught]}))
    """
    report = last_json(run_python(code, CXX="no-such-compiler", XDG_CACHE_HOME=str(tmp_path / "cache"),
                                  TMPDIR=str(tmp_path)))
    assert report["diff"] < 1e-5
    runtime_warnings = [message for category, message in report["warnings"] if category == "RuntimeWarning"]
    assert len(runtime_warnings) == 1, report["warnings"]
    assert 'backend="cpp"' not in runtime_warnings[0]


# --- backend="torchvision" on CPU: NaN offsets and autocast ---
def test_torchvision_backend_survives_a_nan_offset():
    available("torchvision")
    result = run_python("""
        import torch, dcn
        x, offset = torch.randn(1, 2, 5, 5), torch.zeros(1, 18, 5, 5)
        offset[0, 3, 2, 2] = float("nan")
        try:
            out = dcn.deform_conv2d(x, offset, torch.randn(3, 2, 3, 3), padding=1, backend="torchvision")
        except Exception as error:
            print("error:", type(error).__name__, error)
        else:
            print("nan" if out.isnan().any() else "finite")
    """)
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stderr[-2000:]}"
    last = result.stdout.strip().splitlines()[-1]
    assert last == "nan" or (last.startswith("error:") and "offset" in last), last


@pytest.mark.parametrize("backend", ["torchvision", "auto", "torch"])
def test_autocast_bfloat16_returns_bfloat16_like_conv2d(backend):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected, out = conv(x), layer(x)
    assert out.dtype == expected.dtype == torch.bfloat16
    assert_close(out.float(), expected.float(), rtol=0.02, atol=0.05)


# --- Side by side with nn.Conv2d: a fresh layer computes exactly its plain convolution ---
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", [torch.float32, F64, torch.bfloat16])
def test_output_dtype_and_values_like_conv2d(backend, dtype):
    conv, layer = conv_and_layer(backend, dtype)
    x = randn(2, 3, 6, 7, dtype=dtype)
    expected, out = conv(x), layer(x)
    assert out.dtype == expected.dtype == dtype
    assert_close(out, expected, **(dict(rtol=0.02, atol=0.05) if dtype == torch.bfloat16 else {}))


@pytest.mark.parametrize("backend", BACKENDS)
def test_channels_last_input_gives_the_memory_format_of_conv2d(backend):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7).to(memory_format=torch.channels_last)
    expected, out = conv(x), layer(x)
    assert out.is_contiguous(memory_format=torch.channels_last) == \
        expected.is_contiguous(memory_format=torch.channels_last)
    assert_close(out, expected)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("view", ["unbatched", "permuted", "sliced"])
def test_unbatched_and_non_contiguous_inputs_like_conv2d(backend, view):
    conv, layer = conv_and_layer(backend)
    x = {"unbatched": randn(3, 6, 7), "permuted": randn(2, 7, 6, 3).permute(0, 3, 2, 1),
         "sliced": randn(2, 6, 6, 14)[:, ::2, :, ::2]}[view]
    assert_close(layer(x), conv(x))


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_batch_forward_and_backward_like_conv2d(backend):
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


@pytest.mark.parametrize("backend", BACKENDS)
def test_requires_grad_of_output_like_conv2d(backend):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7)
    assert output_flags(layer, x) == output_flags(conv, x) == [True, False, False, False, True]


@pytest.mark.parametrize("modulation", [True, False])
def test_state_dict_keeps_the_submodule_keys(modulation):
    conv, _ = conv_and_layer("torch")
    state = DeformableConv2d.from_conv(conv, modulation=modulation).state_dict()
    convs = ["offset_conv", "regular_conv"] + (["modulator_conv"] if modulation else [])
    assert set(state) == {f"{name}.{p}" for name in convs for p in ("weight", "bias")}
    assert_close(state["regular_conv.weight"], conv.weight)
    fresh = DeformableConv2d(3, 4, bias=True, modulation=modulation)
    fresh.load_state_dict(state)
    x = randn(2, 3, 6, 7)
    assert_close(fresh(x), conv(x))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape, padding", [((2, 5, 6, 7), 1), ((2, 3, 2, 7), 0)],
                         ids=["wrong channel count", "too small"])
def test_bad_input_raises_the_exception_type_of_conv2d(backend, shape, padding):
    conv, layer = conv_and_layer(backend, padding=padding)
    x = randn(*shape)
    with pytest.raises(Exception) as expected:
        conv(x)
    with pytest.raises(type(expected.value)):
        layer(x)


@pytest.mark.parametrize("backend", BACKENDS)
def test_to_float64_and_half_then_float_like_conv2d(backend):
    conv, layer = conv_and_layer(backend)
    x = randn(2, 3, 6, 7, dtype=F64)
    conv.to(F64), layer.to(F64)
    assert layer(x).dtype == F64 and all(p.dtype == F64 for p in layer.parameters())
    assert_close(layer(x), conv(x))
    conv.half().float(), layer.half().float()
    assert all(p.dtype == torch.float32 for p in layer.parameters())
    assert_close(layer(x.float()), conv(x.float()))


@pytest.mark.parametrize("backend", BACKENDS)
def test_deepcopy_and_whole_module_pickling_give_equal_independent_layers(backend):
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
