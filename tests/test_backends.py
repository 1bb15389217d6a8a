"""The backends: which one runs, and each on its own.

The choice of backend ("auto" and the explicit ones); the compiled C++ kernel, its cache and the
handling of a missing, failing, hanging or damaged compiler or cache, also in fresh processes; its
threads and its work through the batch in chunks; torchvision's backend (calls, absence);
deterministic mode; every backend in every dtype, and on CUDA and MPS devices (skipped without one).
"""
from __future__ import annotations

import _ctypes
import copy
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
import warnings

import pytest
import torch

import dcn
from dcn import DeformableConv2d

torchvision = pytest.importorskip("torchvision")
import torchvision.ops  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKENDS = ["torch", "cpp", "torchvision"]  # every backend a CPU tensor can name
EXACT = dict(rtol=0.0, atol=1e-10)  # float64 parity
needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device (none available)")
needs_mps = pytest.mark.skipif(not (getattr(torch.backends, "mps", None) is not None
                                    and torch.backends.mps.is_available()),
                               reason="needs an Apple MPS device (none available)")


# ----------------------------------------------------------------------------------------------------
# Choosing a backend
# ----------------------------------------------------------------------------------------------------
def test_backend_auto_on_cpu_runs_the_compiled_kernel(monkeypatch, deform):
    """float32/float64 on CPU run the compiled kernel; low precision and autocast the pure path; never torchvision."""
    monkeypatch.setattr(torchvision.ops, "deform_conv2d",
                        lambda *a, **kw: pytest.fail("torchvision.ops.deform_conv2d must not run for 'auto' on CPU"))
    x = torch.randn(1, 2, 5, 5)
    assert dcn._choose_backend("auto", x) == "cpp"
    assert dcn._choose_backend("auto", x.double()) == "cpp"
    assert dcn._choose_backend("auto", x.bfloat16()) == "torch"
    assert dcn._choose_backend("auto", x.half()) == "torch"
    layer = deform(DeformableConv2d(2, 3))
    assert layer.backend == "auto"
    with torch.profiler.profile() as profile:
        layer(x).sum().backward()
    ran = {event.name for event in profile.events()}
    assert {"dcn::cpp_deform_conv", "dcn::cpp_deform_conv_backward"} <= ran, sorted(n for n in ran if "dcn" in n)


def test_backend_torchvision_calls_torchvision(monkeypatch, functional_operands):
    calls = []
    original = torchvision.ops.deform_conv2d
    monkeypatch.setattr(torchvision.ops, "deform_conv2d", lambda *a, **kw: calls.append(1) or original(*a, **kw))
    t = functional_operands()
    dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"],
                      backend="torchvision")
    assert calls == [1]
    dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"], backend="torch")
    assert calls == [1]


def test_backend_torchvision_without_torchvision(monkeypatch, no_kernels, functional_operands):
    monkeypatch.delitem(dcn._BACKENDS, "torchvision")
    with pytest.raises(ValueError, match="backend=\"torchvision\".*torchvision"):
        DeformableConv2d(4, 4, backend="torchvision")
    t = functional_operands()
    with pytest.raises(ValueError, match="backend=\"torchvision\""):
        dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"],
                          backend="torchvision")
    assert DeformableConv2d(4, 4).backend == "auto"  # still fine


def test_a_backend_on_a_device_it_does_not_run_is_a_clear_error(monkeypatch, functional_operands):
    """An explicit backend on a device it has no kernel for raises, naming the device (meta tensors, which carry
    no values, run the pure path on every backend instead)."""
    monkeypatch.setitem(dcn._BACKENDS, "cpp", dcn._BACKENDS["cpp"]._replace(devices=("cuda",)))
    t = functional_operands()
    with pytest.raises(ValueError, match='backend="cpp" has no kernel for cpu tensors.*use backend="auto"'):
        dcn.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], padding=1, mask=t["mask"], backend="cpp")


# ----------------------------------------------------------------------------------------------------
# Far and non-finite offsets, the C++ kernel's threads, both paths' chunks of the batch
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["cpp", "torchvision"])
@pytest.mark.parametrize("value", [1e30, -1e30, float("inf"), float("nan")])
def test_far_and_non_finite_offsets(backend, value, functional_operands, available):
    """Far points read zeros, as in torchvision; a NaN offset gives NaN in the output and in the input's, weight's
    and mask's gradients exactly where the pure path does (torchvision's CPU kernel alone would crash on it)."""
    available(backend)
    t = functional_operands()
    t["offset"][:, :4] = value
    results = {}
    for name in (backend, "torch"):
        x, weight, mask = (t[key].clone().requires_grad_() for key in ("input", "weight", "mask"))
        out = dcn.deform_conv2d(x, t["offset"], weight, t["bias"], 1, 1, 1, mask, backend=name)
        out.backward(torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view(out.shape))
        results[name] = [out, x.grad, weight.grad, mask.grad]
    if value == value:  # torchvision itself, for far and infinite offsets
        results["torch"][0] = torchvision.ops.deform_conv2d(t["input"], t["offset"], t["weight"], t["bias"], 1, 1, 1,
                                                            t["mask"])
    for got, expected in zip(results[backend], results["torch"]):
        torch.testing.assert_close(got, expected, **EXACT, equal_nan=True)
    assert results[backend][0].isnan().any() == (value != value)


@pytest.mark.parametrize("backend", ["torch", "cpp", "torchvision"])
def test_float32_operands_under_a_float64_default_dtype(backend, functional_operands, available):
    """What a backend makes for itself (here also for a NaN offset) has the operands' dtype, not torch's default."""
    available(backend)
    t = functional_operands(torch.float32)
    t["offset"][0, 0, 0, 0] = float("nan")
    operands = [t[key] for key in ("input", "offset", "weight", "bias")]
    expected = dcn.deform_conv2d(*operands, 1, 1, 1, t["mask"], backend="torch")
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        out = dcn.deform_conv2d(*operands, 1, 1, 1, t["mask"], backend=backend)
    finally:
        torch.set_default_dtype(default)
    torch.testing.assert_close(out, expected, equal_nan=True)


@pytest.mark.parametrize("threads", [1, 2])
def test_cpp_equals_pure_path_on_a_larger_input(monkeypatch, threads, deform):
    """Both threads' shares of the kernel (one thread's share is tested everywhere else), groups and
    offset groups, batch 1 and 5, a rectangular map; output and every gradient in float64."""
    monkeypatch.setattr(dcn, "_PARALLEL_MIN_WORK", 0)
    torch.set_num_threads(threads)
    try:
        for batch in (1, 5):
            layer = deform(DeformableConv2d(8, 6, 3, stride=(1, 2), padding=2, dilation=2, groups=2, bias=True,
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
    finally:
        torch.set_num_threads(1)


def test_the_kernel_shares_torchs_openmp_runtime():
    """A second OpenMP runtime would fight torch's threads: the kernel links torch's own, or none."""
    dcn._cpp_kernel()
    maps = open("/proc/self/maps").read() if os.path.exists("/proc/self/maps") else ""
    openmp = {line.split()[-1] for line in maps.splitlines() if "libgomp" in line or "libiomp" in line}
    torch_lib = os.path.realpath(os.path.join(os.path.dirname(torch.__file__), "lib"))
    assert all(os.path.realpath(path).startswith(torch_lib) for path in openmp), openmp
    assert dcn._threads(dcn._PARALLEL_MIN_WORK - 1) == 1  # small calls wake no threads


@pytest.mark.parametrize("threads", [2, 3])
def test_kernel_shares_on_several_threads_equal_one(monkeypatch, threads, outputs_and_grads, deform):
    monkeypatch.setattr(dcn, "_PARALLEL_MIN_WORK", 0)
    layer = deform(DeformableConv2d(4, 5, groups=1, offset_groups=2, bias=True, backend="cpp"), seed=4).double()
    x = torch.randn(5, 4, 9, 10, dtype=torch.float64)  # 90 positions: the kernel's blocks of 64 and a rest
    one = outputs_and_grads(layer, x, "cpp")
    torch.set_num_threads(threads)
    try:
        several = outputs_and_grads(layer, x, "cpp")
    finally:
        torch.set_num_threads(1)
    for a, b in zip(several, one):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


@pytest.mark.parametrize("size", [3, 9], ids=["fewer output positions than channels", "more"])
def test_the_columns_gradient_in_either_order_gives_the_same_gradients(outputs_and_grads, deform, size):
    """The backward takes the columns' gradient in (k, C) order where the batch has at least as many output
    positions as the layer output channels (the weight laid out once), else in the weight's (C, k) order (the
    kernel lays out each position's row): the pure path's gradients either way."""
    layer = deform(DeformableConv2d(4, 40, bias=True, offset_groups=2, backend="cpp"), seed=7).double()
    x = torch.randn(2, 4, size, size, dtype=torch.float64)
    for a, b in zip(outputs_and_grads(layer, x, "cpp"), outputs_and_grads(layer, x, "torch")):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-10)


def test_images_too_tall_or_wide_for_the_kernels_coordinates_take_the_pure_path(monkeypatch, deform):
    layer = deform(DeformableConv2d(3, 4, backend="cpp"), seed=2)
    x = torch.randn(2, 3, 5, 7)
    expected = layer(x)
    monkeypatch.setattr(dcn, "_CPP_MAX_SIDE", 6)
    monkeypatch.setattr(dcn, "_cpp_call", None)  # the kernel is not called
    torch.testing.assert_close(layer(x), expected)


@pytest.mark.parametrize("groups", [1, 2])
def test_the_kernel_computes_the_same_without_onednn(monkeypatch, outputs_and_grads, deform, groups):
    """The products with the weight run as oneDNN convolutions in float32, else as torch.bmm: the same numbers."""
    monkeypatch.setattr(dcn, "_ONEDNN_MIN_WORK", 0)  # oneDNN however small the product
    layer = deform(DeformableConv2d(4, 6, groups=groups, offset_groups=2, bias=True, backend="cpp"), seed=6)
    x = torch.randn(3, 4, 7, 6)
    with_onednn = outputs_and_grads(layer, x, "cpp")
    with torch.backends.mkldnn.flags(enabled=False):
        without = outputs_and_grads(layer, x, "cpp")
    for a, b in zip(with_onednn, without):  # float32 sums in other orders (the offset convolution's too)
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("threads", [2, 3])
def test_a_single_image_backward_splits_its_channels_over_the_threads(monkeypatch, threads, outputs_and_grads,
                                                                       deform):
    """With fewer images than threads the backward splits each group's channels into blocks, one per thread,
    and adds the blocks' dot products up: the same gradients up to rounding."""
    monkeypatch.setattr(dcn, "_PARALLEL_MIN_WORK", 0)
    layer = deform(DeformableConv2d(96, 5, offset_groups=2, bias=True, backend="cpp"), seed=5).double()
    x = torch.randn(1, 96, 9, 10, dtype=torch.float64)  # blocks of at least 16 of a group's 48 channels
    one, reference = outputs_and_grads(layer, x, "cpp"), outputs_and_grads(layer, x, "torch")
    torch.set_num_threads(threads)
    try:
        several = outputs_and_grads(layer, x, "cpp")
    finally:
        torch.set_num_threads(1)
    for a, b, c in zip(several, one, reference):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(a, c, rtol=1e-10, atol=1e-10)


# the layer below samples 9 kernel points x 4 channels x 8 bytes = 288 bytes per output position, 21 per image
@pytest.mark.parametrize("chunk_bytes", [1, 5 * 288, 2 * 21 * 288], ids=["one position", "runs of 5 positions",
                                                                        "two images"])
@pytest.mark.parametrize("backend", ["torch", "cpp"])
def test_working_through_the_batch_in_chunks_changes_nothing(monkeypatch, backend, chunk_bytes, deform,
                                                             outputs_and_grads, double_backward_inputs,
                                                             torch_differentiates_grid_sample_twice):
    """Both paths work through the batch in chunks (runs of images, or runs of one image's output positions when
    an image's columns are larger than a chunk) and, past a size (README, Speed and memory), keep no
    whole-batch column buffer for the backward but sample again there. Every chunking must give the same
    numbers, with the columns kept or not."""
    layer = deform(DeformableConv2d(4, 6, stride=(1, 2), groups=2, bias=True, offset_groups=2), seed=3).double()
    x = torch.randn(5, 4, 7, 6, dtype=torch.float64)
    whole = outputs_and_grads(layer, x, backend)
    inference = lambda: layer.regular_conv(x, *layer._offset_and_mask(x), backend)  # noqa: E731
    with torch.no_grad():
        whole_inference = inference()
    monkeypatch.setattr(dcn, "_TILE_BYTES" if backend == "cpp" else "_CHUNK_BYTES", chunk_bytes)
    for save_bytes in ([1 << 30, 0] if backend == "cpp" else [None]):  # the columns kept, or sampled again
        if save_bytes is not None:
            monkeypatch.setattr(dcn, "_SAVE_BYTES", save_bytes)
        chunked = outputs_and_grads(layer, x, backend)
        for a, b in zip(chunked, whole):
            torch.testing.assert_close(a, b, **EXACT)
    with torch.no_grad():  # inference works in the same chunks, without checkpointing
        torch.testing.assert_close(inference(), whole_inference, **EXACT)
    if backend == "torch" and chunk_bytes == 2 * 21 * 288 and torch_differentiates_grid_sample_twice:  # checkpointed
        inputs = [t[:3] if t.dim() == 4 and t.shape[0] == 1 else t for t in double_backward_inputs]
        assert torch.autograd.gradgradcheck(
            lambda x, o, m, w, b: dcn.deform_conv2d(x.expand(3, -1, -1, -1), o.expand(3, -1, -1, -1), w, b, 1, 1, 1,
                                                    m.expand(3, -1, -1, -1), backend="torch"), inputs)


# ----------------------------------------------------------------------------------------------------
# The C++ kernel's cache and compiler
# ----------------------------------------------------------------------------------------------------
@pytest.fixture
def check_cpp_kernel(deform):
    """check_cpp_kernel(): a deforming layer on backend="cpp" computes what it computes on the pure path."""
    def check_cpp_kernel():
        layer = deform(DeformableConv2d(2, 3, backend="cpp")).double()
        x = torch.randn(2, 2, 6, 5, dtype=torch.float64)
        reference = copy.deepcopy(layer)
        reference.backend = "torch"
        torch.testing.assert_close(layer(x), reference(x), **EXACT)
    return check_cpp_kernel


def test_cpp_kernel_is_built_once_into_the_cache(monkeypatch, fresh_kernel_cache, check_cpp_kernel):
    library = dcn._cpp_kernel()
    assert dcn._cpp_kernel() is library
    built = sorted(fresh_kernel_cache.iterdir())
    assert [p.suffix for p in built] == [".so", ".sha256"]  # the kernel, its checksum; no temporary files
    monkeypatch.setattr(dcn, "_cpp_kernels", {})  # a new process: loads the cached file, runs no compiler
    monkeypatch.setattr(dcn.subprocess, "run", lambda *a, **kw: pytest.fail("compiled again"))
    check_cpp_kernel()
    assert sorted(fresh_kernel_cache.iterdir()) == built


@pytest.mark.parametrize("compiler", ["no-such-compiler", "false"], ids=["missing", "failing"])
def test_cpp_kernel_without_a_working_compiler(monkeypatch, fresh_kernel_cache, compiler, deform):
    """Without a compiler the layer warns once, saying why and what to install, and computes the same
    outputs and gradients on the pure path; the warning does not name a backend the user did not choose."""
    monkeypatch.setenv("CXX", compiler)
    x = torch.randn(2, 2, 6, 5, requires_grad=True)
    layer = deform(DeformableConv2d(2, 3))
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


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage"])
def test_a_damaged_cached_kernel_is_rebuilt(monkeypatch, fresh_kernel_cache, damage, check_cpp_kernel):
    dcn._cpp_kernel()
    library = next(p for p in fresh_kernel_cache.iterdir() if p.suffix == ".so")
    data = library.read_bytes()
    damaged = library.with_name("damaged")  # a new file: this process has the old one mapped
    damaged.write_bytes({"truncated": data[:len(data) // 3], "empty": b"", "garbage": b"\x7fELF" + b"\0" * 100}[damage])
    os.replace(damaged, library)
    monkeypatch.setattr(dcn, "_cpp_kernels", {})  # a new process
    dcn._cpp_kernel()
    assert library.read_bytes() == data
    check_cpp_kernel()


def test_an_unwritable_cache_falls_back_to_the_temporary_directory(monkeypatch, fresh_kernel_cache, check_cpp_kernel):
    if os.geteuid() == 0:  # root writes anywhere: make the cache folder a file instead
        fresh_kernel_cache.write_text("not a folder")
    else:
        fresh_kernel_cache.mkdir()
        fresh_kernel_cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    dcn._cpp_kernel()
    assert any(p.suffix == ".so" for p in (fresh_kernel_cache.parent / "tmp").glob("dcn-*/*"))
    check_cpp_kernel()


def test_cxx_may_hold_arguments(monkeypatch, fresh_kernel_cache, check_cpp_kernel):
    monkeypatch.setenv("CXX", "env c++")  # like "ccache g++"
    dcn._cpp_kernel()
    check_cpp_kernel()


def test_a_hanging_compiler_times_out_with_the_reason_and_is_stopped_whole(monkeypatch, fresh_kernel_cache, tmp_path):
    """A compiler driver that hangs is stopped with the processes it started (as g++ starts cc1plus)."""
    hanging = tmp_path / "hanging-compiler"
    hanging.write_text(f"#!/bin/sh\nsleep 30 &\necho $! >> {tmp_path / 'children'}\nwait\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("CXX", str(hanging))
    monkeypatch.setattr(dcn, "_COMPILE_TIMEOUT_S", 1)
    with pytest.warns(RuntimeWarning, match="timed out after 1 seconds"):
        assert dcn._cpp_kernel() is None
    for child in (tmp_path / "children").read_text().split():
        try:
            with open(f"/proc/{child}/stat") as stat:  # gone, or a zombie (Z) waiting to be reaped
                assert stat.read().split()[2] in "ZX", f"the compiler's child {child} still runs"
        except FileNotFoundError:
            pass


def test_a_failed_build_is_retried_with_another_compiler(monkeypatch, fresh_kernel_cache, check_cpp_kernel):
    monkeypatch.setenv("CXX", "false")
    with pytest.warns(RuntimeWarning, match="'false'"):
        assert dcn._cpp_kernel() is None
    monkeypatch.setenv("CXX", "c++")
    dcn._cpp_kernel()
    check_cpp_kernel()


# ----------------------------------------------------------------------------------------------------
# Fresh processes: no kernel loaded yet
# ----------------------------------------------------------------------------------------------------
def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh Python process (no kernel loaded yet) that imports dcn from this checkout."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, "PYTHONPATH": ROOT, **env},
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def last_json(result: subprocess.CompletedProcess):
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_backend_torchvision_traces_before_torchvision_is_imported(available):
    """The check for torchvision's kernel imports it (which calls one of its operators) only outside a trace."""
    available("torchvision")
    report = last_json(run_python("""
        import json, sys, torch, dcn
        assert "torchvision" not in sys.modules
        layer, x = dcn.DeformableConv2d(2, 3, backend="torchvision"), torch.randn(1, 2, 5, 5)
        print(json.dumps(float((torch.jit.trace(layer, x)(x) - layer(x)).abs().max())))
    """))
    assert report < 1e-5


def test_a_second_copy_of_the_file_and_a_reload_share_the_operators():
    """Two copies of dcn.py in one process (one vendored under another name) both run the compiled kernel
    through the operators the first one registered, and importlib.reload(dcn) keeps working."""
    result = run_python("""
        import importlib, importlib.util, json, torch, dcn
        spec = importlib.util.spec_from_file_location("vendored_dcn", dcn.__file__)
        vendored = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(vendored)
        torch.manual_seed(0)
        x = torch.randn(2, 3, 6, 6, requires_grad=True)
        first = dcn.DeformableConv2d(3, 4)
        torch.nn.init.normal_(first.offset_conv.weight, std=0.3)
        reference = dcn.DeformableConv2d(3, 4, backend="torch")
        reference.load_state_dict(first.state_dict())
        outs = [first(x), reference(x)]
        for module in (vendored, importlib.reload(dcn)):
            layer = module.DeformableConv2d(3, 4)
            layer.load_state_dict(first.state_dict())
            outs.append(layer(x))
            outs[-1].sum().backward()
        print(json.dumps([module._choose_backend("auto", x) for module in (vendored, dcn)]
                         + [(out - outs[0]).abs().max().item() for out in outs[1:]]))
    """)
    chosen_vendored, chosen_reloaded, *differences = last_json(result)
    assert (chosen_vendored, chosen_reloaded) == ("cpp", "cpp")
    assert max(differences) < 1e-5, differences


def without_sections(source: str, *names: str) -> str:
    """dcn.py's source with the fenced sections of these backends deleted, as a copier would."""
    for name in names:
        start = source.index(f'# ==== backend="{name}"')
        end = source.index(f'# ==== end of backend="{name}"')
        source = source[:start] + source[source.index("\n", end) + 1:]
    return source


def undefined_names(source: str) -> set:
    """Names read somewhere in ``source`` that nothing in it binds and that are not builtins."""
    import ast
    import builtins

    tree, bound, read = ast.parse(source), set(dir(builtins)), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read - bound


@pytest.mark.parametrize("deleted", [("cpp",), ("triton",), ("cpp", "triton")])
def test_each_kernel_section_can_be_deleted_on_its_own(deleted, tmp_path):
    """Deleting a fenced kernel section (or both) leaves a file that uses no name only that section defined,
    imports, trains like the pure path and refuses the deleted backend by name."""
    with open(dcn.__file__) as file:
        source = without_sections(file.read(), *deleted)
    assert not undefined_names(source)
    path = tmp_path / "dcn_copy.py"
    path.write_text(source)
    result = run_python(f"""
        import importlib.util, json, torch
        spec = importlib.util.spec_from_file_location("dcn_copy", {str(path)!r})
        copy = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(copy)
        torch.manual_seed(0)
        layer = copy.DeformableConv2d(3, 4)
        torch.nn.init.normal_(layer.offset_conv.weight, std=0.3)
        reference = copy.DeformableConv2d(3, 4, backend="torch")
        reference.load_state_dict(layer.state_dict())
        x = torch.randn(2, 3, 7, 7, requires_grad=True)
        grads = [torch.autograd.grad(module(x).square().sum(), x)[0] for module in (layer, reference)]
        refused = []
        for name in {list(deleted)!r}:
            try:
                copy.DeformableConv2d(3, 4, backend=name)
            except ValueError as error:
                refused.append(name in str(error))
        print(json.dumps([(grads[0] - grads[1]).abs().max().item(), refused]))
    """)
    difference, refused = last_json(result)
    assert difference < 1e-5 and refused == [True] * len(deleted), (difference, refused)


def test_import_and_the_first_call_load_no_compiler_exporter_or_triton():
    """``import dcn`` and a first forward and backward on the default backend (its kernel cached) import
    no compiler, exporter or Triton machinery that the call does not use."""
    assert run_python("import torch, dcn; dcn.DeformableConv2d(2, 2)(torch.randn(1, 2, 5, 5))").returncode == 0
    result = run_python("""
        import json, sys, torch
        before = set(sys.modules)
        import dcn
        dcn.DeformableConv2d(8, 8)(torch.randn(2, 8, 16, 16, requires_grad=True)).sum().backward()
        print(json.dumps(sorted(set(sys.modules) - before)))
    """)
    heavy = [name for name in last_json(result) if name.split(".")[0] in ("triton", "sympy", "onnx", "onnxscript")
             or name.startswith(("torch._dynamo", "torch._inductor", "torch.onnx", "torch.export"))]
    assert heavy == []


# The start of a fresh process's code: layer(**backend) is the same deforming 3 -> 4 layer on every backend
LAYER_CODE = textwrap.dedent("""
    import json, os, warnings, torch, dcn
    def layer(**backend):
        torch.manual_seed(0)
        layer = dcn.DeformableConv2d(3, 4, **backend)
        with torch.no_grad():
            layer.offset_conv.weight.normal_(0, 0.5)
        return layer
""")


def check_backends_code(backends) -> str:
    """Code printing, as JSON, how far a deforming layer on each of ``backends`` is from backend="torch",
    and the files the process has mapped (shared libraries it loaded)."""
    return LAYER_CODE + textwrap.dedent(f"""
        x = torch.randn(2, 3, 6, 7)
        expected = layer(backend="torch")(x)
        diffs = {{b: float((layer(backend=b)(x) - expected).abs().max()) for b in {list(backends)!r}}}
        maps = open("/proc/self/maps").read().split() if os.path.exists("/proc/self/maps") else []
        print(json.dumps({{"diffs": diffs, "maps": sorted({{m for m in maps if m.startswith("/")}})}}))
    """)


def snapshot(folder):
    """{relative path: (mtime, sha256)} of every file below ``folder``."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory, available):
    """A kernel cache folder (XDG_CACHE_HOME/dcn) as a fresh process leaves it after building the kernel."""
    available("cpp")
    root = tmp_path_factory.mktemp("trusted")
    report = last_json(run_python(check_backends_code(["cpp"]), XDG_CACHE_HOME=str(root), TMPDIR=str(root)))
    assert report["diffs"]["cpp"] < 1e-5 and snapshot(root / "dcn"), "no kernel cached in XDG_CACHE_HOME/dcn"
    return root / "dcn"


@pytest.mark.parametrize("danger", ["writable by others", "in a folder writable by others", "owned by another user"])
def test_kernel_is_neither_loaded_from_nor_written_to_an_unsafe_cache(built_cache, tmp_path, danger):
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    shutil.copytree(built_cache, cache / "dcn")  # a complete, valid kernel planted there
    tmp.mkdir()
    if danger == "writable by others":
        os.chmod(cache / "dcn", 0o777)
    elif danger == "in a folder writable by others":  # who may rename dcn/ and put another in its place
        os.chmod(cache, 0o777)
    elif os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    else:
        os.chown(cache / "dcn", 4242, 4242)
    planted = snapshot(cache / "dcn")
    report = last_json(run_python(check_backends_code(["cpp"]), XDG_CACHE_HOME=str(cache), TMPDIR=str(tmp)))
    assert report["diffs"]["cpp"] < 1e-5
    assert [path for path in report["maps"] if path.startswith(str(cache))] == []
    assert snapshot(cache / "dcn") == planted


def test_a_cached_file_that_is_not_the_kernel_is_rebuilt(built_cache, tmp_path):
    """A shared library with a matching SHA-256 that lacks the kernel's entry points is not used."""
    cache = tmp_path / "cache"
    shutil.copytree(built_cache, cache / "dcn")
    for library in (cache / "dcn").glob("*.so"):
        shutil.copyfile(_ctypes.__file__, library)  # another shared library
        library.with_name(library.name + ".sha256").write_text(hashlib.sha256(library.read_bytes()).hexdigest())
    report = last_json(run_python(check_backends_code(["cpp"]), XDG_CACHE_HOME=str(cache)))
    assert report["diffs"]["cpp"] < 1e-5


def test_cached_kernels_are_private_whatever_the_umask(built_cache, tmp_path):
    """Built under umask 000, the kernel is still written by this user alone; a cached kernel that others may
    write is built again rather than loaded."""
    cache = tmp_path / "cache"
    shutil.copytree(built_cache, cache / "dcn")
    planted = sorted((cache / "dcn").glob("*.so"))
    for library in planted:
        library.chmod(0o666)
    report = last_json(run_python("import os; os.umask(0)\n" + check_backends_code(["cpp"]), XDG_CACHE_HOME=str(cache)))
    assert report["diffs"]["cpp"] < 1e-5
    assert [path for path in report["maps"] if path.startswith(str(cache))]
    for path in (cache / "dcn").iterdir():
        assert not path.stat().st_mode & 0o022, f"{path.name} may be written by others"


def test_threads_that_call_first_at_once_wait_for_one_build(monkeypatch, fresh_kernel_cache, tmp_path):
    slow_failure = tmp_path / "slow-failing-compiler"
    slow_failure.write_text("#!/bin/sh\nsleep 0.5\nexit 1\n")
    slow_failure.chmod(0o755)
    monkeypatch.setenv("CXX", str(slow_failure))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        threads = [threading.Thread(target=dcn._cpp_kernel) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert [w.category for w in caught] == [RuntimeWarning]


def test_layer_runs_when_the_cache_folder_cannot_be_created(tmp_path, available):
    available("cpp")
    not_a_folder, tmp = tmp_path / "file", tmp_path / "tmp"
    not_a_folder.write_text("")
    tmp.mkdir()
    report = last_json(run_python(check_backends_code(["auto", "cpp"]), XDG_CACHE_HOME=str(not_a_folder),
                                  TMPDIR=str(tmp)))
    assert max(report["diffs"].values()) < 1e-5, report["diffs"]


def test_default_backend_without_a_compiler_runs_and_warns_once(tmp_path):
    code = LAYER_CODE + textwrap.dedent("""
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
    """)
    report = last_json(run_python(code, CXX="no-such-compiler", XDG_CACHE_HOME=str(tmp_path / "cache"),
                                  TMPDIR=str(tmp_path)))
    assert report["diff"] < 1e-5
    runtime_warnings = [message for category, message in report["warnings"] if category == "RuntimeWarning"]
    assert len(runtime_warnings) == 1, report["warnings"]
    assert 'backend="cpp"' not in runtime_warnings[0]


def test_works_without_torchvision():
    """dcn.py imports and trains with torchvision absent (import blocked in a fresh interpreter)."""
    result = run_python("""
        import sys, importlib.util
        _find = importlib.util.find_spec
        importlib.util.find_spec = lambda name, *a: None if name.startswith('torchvision') else _find(name, *a)
        sys.modules['torchvision'] = None
        import torch, dcn
        assert 'torchvision' not in dcn._BACKENDS
        layer = dcn.DeformableConv2d(4, 6, 3, padding=1)
        torch.nn.init.normal_(layer.offset_conv.weight, std=0.5)
        x = torch.randn(2, 4, 9, 9, requires_grad=True)
        layer(x).sum().backward()
        assert x.grad.abs().sum() > 0
        try:
            dcn.DeformableConv2d(4, 6, backend='torchvision')
        except ValueError as error:
            assert 'torchvision' in str(error)
        else:
            raise AssertionError('no error for a missing torchvision')
        print('ok')
    """)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


# ----------------------------------------------------------------------------------------------------
# Deterministic mode
# ----------------------------------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------------------------------
# dtypes and devices
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def dtype_model(deform):
    """dtype_model(seed=0): a deforming 8 -> 8 layer with bias and two offset groups."""
    def dtype_model(seed: int = 0) -> DeformableConv2d:
        torch.manual_seed(seed)
        return deform(DeformableConv2d(8, 8, bias=True, offset_groups=2), scale=0.3, seed=seed)
    return dtype_model


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("backend", BACKENDS)
def test_float32_and_float64(backend, dtype, dtype_model):
    layer = dtype_model()
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
def test_low_precision_on_cpu_uses_the_pure_path(monkeypatch, backend, dtype, dtype_model):
    monkeypatch.setattr(torchvision.ops, "deform_conv2d",
                        lambda *a, **kw: pytest.fail("torchvision must not run for float16/bfloat16 on CPU"))
    layer = dtype_model()
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


def test_cpu_autocast_bfloat16(dtype_model):
    layer = dtype_model()
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
def test_cuda_autocast_float16(backend, dtype_model):
    layer = dtype_model()
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
def test_cuda_matches_cpu(backend, dtype_model):
    layer = dtype_model().double()
    layer.backend = backend
    x = torch.randn(2, 8, 9, 10, dtype=torch.float64, requires_grad=True)
    expected = layer(x)
    expected.square().sum().backward()
    cuda_layer = copy.deepcopy(layer).cuda()
    x_cuda = x.detach().cuda().requires_grad_()
    out = cuda_layer(x_cuda)
    out.square().sum().backward()
    assert out.is_cuda
    assert dcn._choose_backend("auto", x_cuda) == "torchvision"  # native kernels on CUDA
    torch.testing.assert_close(out.cpu(), expected, rtol=1e-8, atol=1e-8)
    torch.testing.assert_close(x_cuda.grad.cpu(), x.grad, rtol=1e-8, atol=1e-8)
    torch.testing.assert_close(cuda_layer.offset_conv.weight.grad.cpu(), layer.offset_conv.weight.grad,
                               rtol=1e-7, atol=1e-7)


@needs_cuda
@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-4), (torch.float16, 1e-2), (torch.bfloat16, 8e-2)])
def test_cuda_triton_matches_the_float64_reference(dtype, tolerance, dtype_model):
    """backend="triton" on a real GPU: output and every gradient against the float64 pure path on the CPU."""
    pytest.importorskip("triton")
    layer = dtype_model().double()
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


@pytest.fixture(scope="session")
def check_against_float64(deform):
    """check_against_float64(device, backend, dtype, tolerance, shape): a layer of ``shape`` (a REAL_SHAPES
    value) on ``backend`` in ``dtype``: output and the gradients of the input and of every parameter against
    the float64 pure path on the same device, both from the same rounded input and weights."""
    def check_against_float64(device: str, backend: str, dtype: torch.dtype, tolerance: float, shape) -> None:
        n, c_in, c_out, size, groups, offset_groups = shape
        torch.manual_seed(0)
        layer = DeformableConv2d(c_in, c_out, groups=groups, offset_groups=offset_groups, bias=True)
        layer = deform(layer, scale=2.0 / (9 * c_in) ** 0.5).to(dtype).double().to(device)  # offsets of ~2 px
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
    return check_against_float64


def test_the_real_shape_check_on_the_cpu_kernel(check_against_float64):
    """The check that the CUDA test below runs for backend="triton", here for the CPU kernel, at the ragged shape."""
    check_against_float64("cpu", "cpp", torch.float32, 1e-4, REAL_SHAPES["ragged: 96->160 channels, groups 2, "
                                                                       "offset groups 4, 17x23"])


@needs_cuda
@pytest.mark.parametrize("dtype, tolerance", [(torch.float32, 1e-4), (torch.bfloat16, 8e-2)])
@pytest.mark.parametrize("shape", list(REAL_SHAPES))
def test_cuda_triton_at_real_shapes(shape, dtype, tolerance, check_against_float64):
    """backend="triton" at the shapes it is built for: many programs, every tile boundary, channels that do not
    fill a tile, against the float64 pure path on the GPU."""
    pytest.importorskip("triton")
    check_against_float64("cuda", "triton", dtype, tolerance, REAL_SHAPES[shape])


@needs_cuda
def test_cuda_triton_under_autocast_and_torch_compile(dtype_model):
    pytest.importorskip("triton")
    layer = dtype_model().cuda()
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
def test_cuda_float16_tensors(dtype_model):
    layer = dtype_model()
    x = torch.randn(2, 8, 9, 10)
    expected = layer(x)
    out = copy.deepcopy(layer).cuda().half()(x.cuda().half())
    assert out.dtype == torch.float16 and out.is_cuda
    assert (out.float().cpu() - expected).abs().max() < LOW_PRECISION_TOLERANCE[torch.float16] * expected.abs().max()


@needs_mps
@pytest.mark.parametrize("backend", ["auto", "torch"])
def test_mps_matches_cpu(backend, dtype_model):
    layer = dtype_model()
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
