"""Speed of dcn.py's DeformableConv2d: a benchmark command, not a test (pytest does not collect it).

    python tests/benchmark.py [--device cpu|cuda|mps] [--repeats N] [--quick] [--markdown] [--json PATH]
                              [--threads N] [--cpu-time] [--memory] [--floor] [--triton]

Every ratio is measured in this one process, on the same inputs, with interleaved repeats
(A, B, A, B, ... after a warm-up) and compares medians, so slow drifts of a shared machine hit both
sides alike. Measurements:

1. layer forward+backward, ``DeformableConv2d(backend="auto")`` vs ``backend="torchvision"``
   (target: auto >= 6x faster), at (N=64, 16->16, 7x7) and (N=8, 64->64, 56x56); the offset and
   modulator convs get random weights (std 0.1), so offsets and masks are not trivial;
2. the same layer vs a plain ``nn.Conv2d`` of the same shape (aim: <= 6x slower);
3. a whole training step (cross-entropy, backward, Adam step) of ``notebooks/mnist_lab.py``'s
   ``MnistNet``, width 16 and 32, batch 64: DCNv2 / plain time (target <= 2.0); and (3d-3f) each model's
   torch.compile'd step against its eager step, and the DCNv2 layer's alone (target: compiled DCNv2 >= eager);
4. inference throughput (eval, no_grad, batch 1000): DCNv2 / plain images/s (target >= 0.6).
5. with ``--memory`` instead of 1-4: the peak memory of one layer training step (forward + backward,
   after a warm-up step, each in a fresh process) per backend and for a plain ``nn.Conv2d``, at
   (N=8, 64->64, 128x128) and (N=2, 256->256, 100x152); targets: "auto" <= torchvision's peak, the
   pure path <= 1.5x torchvision's.
7. batch-1 thread scaling of the default backend: all of torch's threads against one.
8. with ``--floor`` instead of 1-7: at MNIST's, ResNet-50's four stages' and a detection neck's shapes
   (C -> C), the layer against its floor, the two convolutions any DCNv2 layer runs (C -> C and C -> 27):
   training (forward + backward) at the shape's batch, aim auto / floor <= 1.5 (<= 2 at MNIST's 16 and 32
   channels); inference at batch 1, aim <= 2 (<= 3 at MNIST's) and faster than torchvision and the pure path.

Where ``"auto"`` is not the pure path (on CPU it is the compiled kernel, ``backend="cpp"``), rows 1b-4b
time ``backend="torch"`` in the same run, for reference.

It prints the machine (device, CPU model, thread count, load average) and the versions, then one
table row per ratio with both absolute times and a PASS/FAIL target column. The exit status is 0
whatever the ratios are; only a crash makes it non-zero. ``--markdown`` prints the same as Markdown
for the README. Each measurement stops early (after at least 3 repeats) once it has used its time
budget, so the default run stays within ~3 minutes and ``--quick`` within ~30 s on an otherwise
idle 2-core machine.

On a shared machine, multi-threaded CPU timings are dominated by waiting for descheduled worker
threads (each parallel region can cost a scheduler time slice); ``--threads 1 --cpu-time`` times
the CPU time of the one working thread instead, which is far steadier. The allocator matters too:
glibc hands every freed buffer above its mmap threshold back to the kernel, so each new
column-sized temporary of the pure path is page-faulted in again; the "environment" line shows
MALLOC_* / THP / LD_PRELOAD settings when they are set.
"""
from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
LAYER_SHAPES = [(64, 16, 16, 7), (8, 64, 64, 56)]  # (batch, C_in, C_out, H = W)
WIDTHS = [16, 32]
TRAIN_BATCH, INFER_BATCH = 64, 1000
OFFSET_STD = 0.1
MIN_REPEATS = 3
TUNING_VARIABLES = {"OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME",
                    "THP_MEM_ALLOC_ENABLE", "LD_PRELOAD", "CUDA_VISIBLE_DEVICES", "PYTORCH_CUDA_ALLOC_CONF"}


# ----------------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------------
def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


class Timings(NamedTuple):
    seconds: Dict[str, List[float]]  # candidate -> one time per round
    skipped: Dict[str, str]  # candidate -> why it could not run


def interleaved(candidates: Dict[str, Callable[[], None]], device: torch.device, repeats: int,
                warmup: int, budget: float, clock: Callable[[], float] = time.perf_counter) -> Timings:
    """Time the candidates round-robin (A, B, A, B, ...): ``warmup`` untimed rounds, then up to ``repeats``.

    A candidate that raises during warm-up (e.g. torchvision on MPS) is dropped and reported as
    skipped. Rounds stop early, after at least MIN_REPEATS, once ``budget`` seconds have passed.
    """
    skipped = {}
    for _ in range(max(1, warmup)):
        for name, fn in list(candidates.items()):
            try:
                fn()
                synchronize(device)
            except Exception as error:  # noqa: BLE001 - report any backend failure as a skip
                skipped[name] = f"{type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
                del candidates[name]
    seconds = {name: [] for name in candidates}
    start = time.perf_counter()
    for i in range(repeats):
        for name, fn in candidates.items():
            synchronize(device)
            t0 = clock()
            fn()
            synchronize(device)
            seconds[name].append(clock() - t0)
        if i + 1 >= min(MIN_REPEATS, repeats) and time.perf_counter() - start > budget:
            break
    return Timings(seconds, skipped)


# ----------------------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------------------
class Row(NamedTuple):
    measurement: str
    shape: str
    subject: str  # "name: time" of the thing under test
    reference: str  # "name: time" of what it is compared with
    ratio: Optional[float]
    target: str
    met: Optional[bool]  # None: skipped, or no target
    spread: str  # 25th-75th percentile of the per-round ratios
    repeats: int
    note: str = ""


def quartiles(values: Sequence[float]) -> Tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return q[0], q[2]


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


def ratio_row(measurement: str, shape: str, timings: Timings, a: str, b: str, label_a: str, label_b: str,
              kind: str, target: float, target_text: str = "") -> Row:
    """kind "speedup": median(b) / median(a) >= target; "slowdown": median(a) / median(b) <= target;
    "throughput": images/s of a over b, i.e. median(b) / median(a), >= target."""
    missing = [name for name in (a, b) if name not in timings.seconds]
    if missing:
        why = "; ".join(f"{name}: {timings.skipped.get(name, 'not available')}" for name in missing)
        return Row(measurement, shape, label_a, label_b, None, target_text, None, "", 0, f"skipped: {why}")
    ta, tb = timings.seconds[a], timings.seconds[b]
    ma, mb = statistics.median(ta), statistics.median(tb)
    if kind == "slowdown":
        ratio, per_round, met, text = ma / mb, [x / y for x, y in zip(ta, tb)], ma / mb <= target, f"<= {target:g}"
    else:
        ratio, per_round, met, text = mb / ma, [y / x for x, y in zip(ta, tb)], mb / ma >= target, f">= {target:g}"
    if kind == "throughput":
        images = int(shape.split("N=")[1].split(",")[0]) if "N=" in shape else 1
        subject = f"{label_a}: {images / ma:,.0f} img/s ({fmt_time(ma)})"
        reference = f"{label_b}: {images / mb:,.0f} img/s ({fmt_time(mb)})"
    else:
        subject, reference = f"{label_a}: {fmt_time(ma)}", f"{label_b}: {fmt_time(mb)}"
    lo, hi = quartiles(per_round)
    return Row(measurement, shape, subject, reference, ratio, target_text or text, met,
               f"{lo:.2f}-{hi:.2f}", len(ta))


# ----------------------------------------------------------------------------------------------------
# Measurements
# ----------------------------------------------------------------------------------------------------
def randomize_offsets(model: nn.Module, dcn) -> None:
    """Non-zero offset/modulator weights (std OFFSET_STD), as after some training."""
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, dcn.DeformableConv2d):
                for conv in (layer.offset_conv, layer.modulator_conv):
                    if conv is not None:
                        conv.weight.normal_(0.0, OFFSET_STD)
                        conv.bias.normal_(0.0, OFFSET_STD)


def forward_backward(module: nn.Module, x: torch.Tensor, grad: torch.Tensor,
                     autocast: Optional[torch.dtype] = None) -> Callable[[], None]:
    """One forward and backward of ``module`` (under autocast to ``autocast`` when given)."""
    params = [p for p in module.parameters() if p.requires_grad]

    def run() -> None:
        for p in params:
            p.grad = None
        x.grad = None
        with torch.autocast(x.device.type, dtype=autocast or torch.float32, enabled=autocast is not None):
            out = module(x)
        out.backward(grad.to(out.dtype))

    return run


def layer_rows(dcn, device: torch.device, settings: dict) -> List[Row]:
    rows = []
    for n, c_in, c_out, size in LAYER_SHAPES:
        shape = f"N={n}, {c_in}->{c_out}, {size}x{size}"
        torch.manual_seed(0)
        x = torch.randn(n, c_in, size, size, device=device, requires_grad=True)
        grad = torch.randn(n, c_out, size, size, device=device)
        auto = dcn.DeformableConv2d(c_in, c_out, 3, padding=1, bias=True, backend="auto").to(device)
        randomize_offsets(auto, dcn)
        plain = nn.Conv2d(c_in, c_out, 3, padding=1, bias=True).to(device)
        plain.load_state_dict(auto.regular_conv.state_dict())
        resolved = dcn._choose_backend("auto", x)  # what "auto" runs on this device
        candidates = {"auto": forward_backward(auto, x, grad), "plain": forward_backward(plain, x, grad)}
        skipped = {}
        backends = ["torchvision"] + (["torch"] if resolved != "torch" else [])
        for backend in backends:
            try:
                layer = dcn.DeformableConv2d(c_in, c_out, 3, padding=1, bias=True, backend=backend).to(device)
            except (ValueError, ImportError) as error:  # torchvision not installed
                skipped[backend] = str(error).split(";")[0]
                continue
            layer.load_state_dict(auto.state_dict())
            candidates[backend] = forward_backward(layer, x, grad)
        timings = interleaved(candidates, device, **settings)
        timings.skipped.update(skipped)
        auto_label = f"auto (={resolved})"
        # the 6x target is about dcn.py's own CPU paths; where "auto" means torchvision it is only reported
        target_text = "" if resolved in ("torch", "cpp") else "report"
        rows.append(ratio_row("1. layer fwd+bwd: auto speed-up over torchvision", shape, timings,
                              "auto", "torchvision", auto_label, "torchvision", "speedup", 6.0, target_text))
        if "torch" in backends:
            rows.append(ratio_row("1b. layer fwd+bwd: torch speed-up over torchvision", shape, timings,
                                  "torch", "torchvision", "torch", "torchvision", "speedup", 0.0, "report"))
        rows.append(ratio_row("2. layer fwd+bwd: DCNv2 / plain nn.Conv2d", shape, timings,
                              "auto", "plain", auto_label, "nn.Conv2d", "slowdown", 6.0, "<= 6 (aim)"))
        if "torch" in backends:
            rows.append(ratio_row("2b. layer fwd+bwd: torch / plain nn.Conv2d", shape, timings,
                                  "torch", "plain", "torch", "nn.Conv2d", "slowdown", 0.0, "report"))
    return rows


def thread_rows(dcn, device: torch.device, settings: dict) -> List[Row]:
    """Batch 1, the default backend: inference and fwd+bwd on one thread against all of torch's threads (CPU)."""
    threads = torch.get_num_threads()
    if device.type != "cpu" or threads < 2:
        return []
    rows = []
    for n, c, size in ((1, 64, 56), (1, 256, 14)):
        shape = f"N={n}, {c}->{c}, {size}x{size}"
        torch.manual_seed(0)
        x = torch.randn(n, c, size, size, requires_grad=True)
        layer = dcn.DeformableConv2d(c, c, 3, padding=1, bias=True)
        randomize_offsets(layer, dcn)
        train = forward_backward(layer, x, torch.randn(n, c, size, size))

        def infer() -> None:
            with torch.no_grad():
                layer(x)

        def on(count: int, run: Callable[[], None]) -> Callable[[], None]:
            def run_on() -> None:
                torch.set_num_threads(count)
                try:
                    run()
                finally:
                    torch.set_num_threads(threads)
            return run_on

        for kind, run in (("inference", infer), ("fwd+bwd", train)):
            timings = interleaved({"one": on(1, run), "all": on(threads, run)}, device, **settings)
            rows.append(ratio_row(f"7. batch-1 {kind}: {threads} threads' speed-up over 1", shape, timings, "all",
                                  "one", f"{threads} threads", "1 thread", "speedup", 0.0, "report"))
    return rows


# The floor: the two convolutions every DCNv2 layer runs whatever its sampling costs, C -> C and C -> 27
FLOOR_SHAPES = [(64, 16, 7, 7), (64, 32, 7, 7), (8, 64, 56, 56), (8, 128, 28, 28), (8, 256, 14, 14), (8, 512, 7, 7),
                (2, 256, 100, 152)]  # (batch, C, H, W): MNIST, ResNet-50's four stages, a detection neck


def floor_rows(dcn, device: torch.device, settings: dict) -> List[Row]:
    """Each FLOOR_SHAPES layer (C -> C, 3x3, offsets non-zero) against its floor and torchvision: training
    (forward + backward at the shape's batch) and inference at batch 1; the pure path beside "auto" at batch 1."""
    rows = []
    for n, c, h, w in FLOOR_SHAPES:
        torch.manual_seed(0)
        layers = {}
        for backend in ("auto", "torch", "torchvision"):
            try:
                layers[backend] = dcn.DeformableConv2d(c, c, 3, padding=1, bias=True, backend=backend).to(device)
            except (ValueError, ImportError):  # torchvision not installed
                continue
            if backend == "auto":
                randomize_offsets(layers["auto"], dcn)
            else:
                layers[backend].load_state_dict(layers["auto"].state_dict())
        floor = nn.ModuleList([nn.Conv2d(c, c, 3, padding=1), nn.Conv2d(c, 27, 3, padding=1)]).to(device)
        floor.forward = lambda x: floor[0](x) + floor[1](x).sum()  # both convolutions, one output to differentiate
        mnist = c <= 32
        for kind, batch in (("train", n), ("infer N=1", 1)):
            shape = f"N={batch}, {c}->{c}, {h}x{w}"
            x = torch.randn(batch, c, h, w, device=device, requires_grad=kind == "train")
            grad = torch.randn(batch, c, h, w, device=device)
            subjects = {"auto": layers["auto"], "floor": floor, "torchvision": layers.get("torchvision")}
            if kind != "train":
                subjects["torch"] = layers["torch"]

            def infer(module: nn.Module) -> Callable[[], None]:
                def run() -> None:
                    with torch.no_grad():
                        module(x)
                return run

            candidates = {name: forward_backward(m, x, grad) if kind == "train" else infer(m)
                          for name, m in subjects.items() if m is not None}
            timings = interleaved(candidates, device, **settings)
            limit = (2.0 if mnist else 1.5) if kind == "train" else (3.0 if mnist else 2.0)
            rows.append(ratio_row(f"8. {kind}: torchvision / auto", shape, timings, "auto", "torchvision", "auto",
                                  "torchvision", "speedup", 1.0 if kind != "train" else 0.0,
                                  "> 1" if kind != "train" else "report"))
            rows.append(ratio_row(f"8. {kind}: auto / floor", shape, timings, "auto", "floor", "auto",
                                  "floor (2 convs)", "slowdown", limit))
            if kind != "train":
                rows.append(ratio_row(f"8. {kind}: pure / auto", shape, timings, "auto", "torch", "auto", "torch",
                                      "speedup", 1.0, "> 1"))
    return rows


# backend="triton" (issue 16): ResNet-50's four stages at batch 32 and a detection head's shape; C_in = C_out
TRITON_SHAPES = [(32, 64, 56, 56), (32, 128, 28, 28), (32, 256, 14, 14), (32, 512, 7, 7), (2, 256, 100, 152)]
TRITON_TINY_SHAPES = [(2, 16, 6, 6)]  # --triton on the CPU under TRITON_INTERPRET=1: checks the code path only


def triton_rows(dcn, device: torch.device, settings: dict) -> List[Row]:
    """backend="triton" against torchvision's kernel and cuDNN's plain conv, float32 and bfloat16 autocast."""
    if not dcn._HAS_TRITON:
        return [Row("6. layer fwd+bwd: triton", "", "", "", None, "", None, "", 0,
                    "skipped: Triton is not available (needs a CUDA GPU, or TRITON_INTERPRET=1)")]
    rows = []
    shapes = TRITON_SHAPES if device.type == "cuda" else TRITON_TINY_SHAPES
    for n, c, h, w in shapes:
        shape = f"N={n}, {c}->{c}, {h}x{w}"
        torch.manual_seed(0)
        x = torch.randn(n, c, h, w, device=device, requires_grad=True)
        grad = torch.randn(n, c, h, w, device=device)
        layers = {}
        for backend in ("triton", "torchvision"):
            layer = dcn.DeformableConv2d(c, c, 3, padding=1, bias=True, backend=backend).to(device)
            if layers:
                layer.load_state_dict(layers["triton"].state_dict())
            else:
                randomize_offsets(layer, dcn)
            layers[backend] = layer
        layers["cuDNN"] = nn.Conv2d(c, c, 3, padding=1, bias=True).to(device)
        candidates = {f"{name} {kind}": forward_backward(layer, x, grad, dtype)
                      for name, layer in layers.items() for kind, dtype in (("fp32", None), ("bf16", torch.bfloat16))}
        timings = interleaved(candidates, device, **settings)
        rows += [
            ratio_row("6. layer fwd+bwd float32: triton speed-up over torchvision", shape, timings, "triton fp32",
                      "torchvision fp32", "triton", "torchvision", "speedup", 2.0),
            ratio_row("6b. layer fwd+bwd bfloat16 autocast: triton speed-up over torchvision", shape, timings,
                      "triton bf16", "torchvision bf16", "triton (bf16)", "torchvision (autocast: float32)", "speedup", 3.0),
            ratio_row("6c. layer fwd+bwd float32: triton / cuDNN conv", shape, timings, "triton fp32", "cuDNN fp32",
                      "triton", "nn.Conv2d", "slowdown", 0.0, "report"),
            ratio_row("6d. layer fwd+bwd bfloat16 autocast: triton / cuDNN conv", shape, timings, "triton bf16",
                      "cuDNN bf16", "triton (bf16)", "nn.Conv2d (bf16)", "slowdown", 0.0, "report")]
    return rows


MEMORY_SHAPES = [(8, 64, 64, 128, 128), (2, 256, 256, 100, 152)]  # (batch, C_in, C_out, H, W)
MEMORY_SUBJECTS = ["nn.Conv2d", "torchvision", "auto", "cpp", "torch"]


def peak_step_memory(subject: str, shape: Tuple[int, ...], device: torch.device) -> float:
    """Peak memory (MiB) of one layer training step (forward + backward) over what the inputs hold.

    Runs in this process after one untimed warm-up step: on CUDA the allocator's peak, on CPU the peak
    resident set (VmHWM, reset through /proc/self/clear_refs) over the resident set before the step, once
    glibc has returned the memory the warm-up freed (else a step that reuses it would count nothing).
    """
    import dcn

    n, c_in, c_out, h, w = shape
    torch.manual_seed(0)
    if subject == "nn.Conv2d":
        layer = nn.Conv2d(c_in, c_out, 3, padding=1, bias=True)
    else:
        layer = dcn.DeformableConv2d(c_in, c_out, 3, padding=1, bias=True, backend=subject)
        randomize_offsets(layer, dcn)
    layer = layer.to(device)
    x = torch.randn(n, c_in, h, w, device=device, requires_grad=True)
    grad = torch.randn(n, c_out, h, w, device=device)
    step = forward_backward(layer, x, grad)
    step()  # warm-up: kernels built, gradient buffers allocated
    synchronize(device)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        step()
        synchronize(device)
        return (torch.cuda.max_memory_allocated(device) - before) / 2**20
    getattr(ctypes.CDLL(None), "malloc_trim", lambda pad: None)(0)  # glibc hands back what the warm-up freed
    with open("/proc/self/clear_refs", "w") as file:
        file.write("5")  # resets the peak resident set to the current one
    before = _status_kib("VmRSS")
    step()
    return (_status_kib("VmHWM") - before) / 1024


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as file:
        return next(int(line.split()[1]) for line in file if line.startswith(field + ":"))


def memory_rows(device: torch.device) -> List[Row]:
    """Each subject in a fresh process (peaks are per process), then the ratio to torchvision's peak."""
    rows = []
    subjects = [s for s in MEMORY_SUBJECTS if s != "cpp" or device.type == "cpu"] + (["triton"] if device.type == "cuda" else [])
    for shape in MEMORY_SHAPES:
        n, c_in, c_out, h, w = shape
        label = f"N={n}, {c_in}->{c_out}, {h}x{w}"
        peaks = {}
        for subject in subjects:
            command = [sys.executable, __file__, "--device", device.type, "--memory-of", subject, ",".join(map(str, shape))]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode == 0:
                peaks[subject] = float(done.stdout.split()[-1])
        for subject in subjects:
            if subject not in peaks:
                rows.append(Row("5. peak training-step memory", label, f"{subject}: failed", "", None, "", None, "", 1))
                continue
            reference = peaks.get("torchvision")
            ratio = peaks[subject] / reference if reference else None
            target, limit = {"auto": ("<= 1 x torchvision", 1.0), "torch": ("<= 1.5 x torchvision", 1.5),
                             "triton": ("<= 1 x torchvision", 1.0)}.get(subject, ("report", None))
            met = None if limit is None or ratio is None else ratio <= limit
            rows.append(Row("5. peak training-step memory over the inputs", label, f"{subject}: {peaks[subject]:.0f} MiB",
                            f"torchvision: {reference:.0f} MiB" if reference else "-", ratio, target, met, "", 1))
    return rows


def import_mnist_net():
    for path in (ROOT, ROOT / "notebooks"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    from mnist_lab import MnistNet  # noqa: E402 - notebooks/mnist_lab.py

    return MnistNet


def model_rows(dcn, device: torch.device, settings: dict) -> List[Row]:
    try:
        MnistNet = import_mnist_net()
    except Exception as error:  # noqa: BLE001 - the notebook module is optional for the layer rows
        note = f"skipped: cannot import notebooks/mnist_lab.py ({type(error).__name__}: {error})"
        return [Row(f"{m}, width {w}", "", "", "", None, t, None, "", 0, note)
                for m, t in (("3. train step DCNv2 / plain", "<= 2"), ("4. inference img/s DCNv2 / plain", ">= 0.6"))
                for w in WIDTHS]

    def build(width: int, deformable: bool, backend: str = "auto") -> nn.Module:
        torch.manual_seed(0)
        model = MnistNet(width, "dcnv2" if deformable else "plain", backend=backend).to(device)
        randomize_offsets(model, dcn)
        return model

    # where "auto" is not the pure path, the pure path (backend="torch") is timed alongside, for reference
    models = [("dcn", True, "auto"), ("plain", False, "auto")]
    if dcn._choose_backend("auto", torch.zeros(1, device=device)) != "torch":
        models.append(("dcn_torch", True, "torch"))
    if device.type == "cuda" and dcn._HAS_TRITON:
        models.append(("dcn_triton", True, "triton"))

    def pure_path_row(measurement: str, shape: str, timings, kind: str) -> List[Row]:
        if "dcn_torch" not in timings.seconds:
            return []
        return [ratio_row(measurement, shape, timings, "dcn_torch", "plain", "DCNv2 (torch)", "plain", kind,
                          0.0, "report")]

    rows = []
    for width in WIDTHS:
        torch.manual_seed(1)
        x = torch.randn(TRAIN_BATCH, 1, 28, 28, device=device)
        y = torch.randint(0, 10, (TRAIN_BATCH,), device=device)
        candidates = {}
        for name, deformable, backend in models:
            model = build(width, deformable, backend).train()
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

            def step(model=model, optimizer=optimizer) -> None:
                optimizer.zero_grad(set_to_none=True)
                F.cross_entropy(model(x), y).backward()
                optimizer.step()

            candidates[name] = step
        timings = interleaved(candidates, device, **settings)
        rows.append(ratio_row(f"3. train step (Adam) DCNv2 / plain, width {width}",
                              f"N={TRAIN_BATCH}, 1x28x28", timings, "dcn", "plain", "DCNv2", "plain",
                              "slowdown", 2.0))
        rows += pure_path_row(f"3b. train step (Adam) DCNv2 with backend=\"torch\" / plain, width {width}",
                              f"N={TRAIN_BATCH}, 1x28x28", timings, "slowdown")
        if "dcn_triton" in candidates:
            rows.append(ratio_row(f"3c. train step (Adam) DCNv2 with backend=\"triton\" / plain, width {width}",
                                  f"N={TRAIN_BATCH}, 1x28x28", timings, "dcn_triton", "plain", "DCNv2 (triton)",
                                  "plain", "slowdown", 1.5))
    # inside a compiled model: each model's torch.compile'd training step against its own eager step
    torch.manual_seed(1)
    x = torch.randn(TRAIN_BATCH, 1, 28, 28, device=device)
    y = torch.randint(0, 10, (TRAIN_BATCH,), device=device)
    candidates = {}
    for name, deformable in (("dcn", True), ("plain", False)):
        for compiled in (False, True):
            model = build(WIDTHS[-1], deformable).train()
            optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
            forward = torch.compile(model) if compiled else model

            def step(forward=forward, optimizer=optimizer) -> None:
                optimizer.zero_grad(set_to_none=True)
                F.cross_entropy(forward(x), y).backward()
                optimizer.step()

            candidates[name + ("_compiled" if compiled else "")] = step
    timings = interleaved(candidates, device, **settings)
    shape = f"N={TRAIN_BATCH}, 1x28x28, width {WIDTHS[-1]}"
    rows.append(ratio_row("3d. train step: torch.compile speed-up over eager, DCNv2", shape, timings, "dcn_compiled",
                          "dcn", "DCNv2 compiled", "DCNv2 eager", "speedup", 1.0))
    rows.append(ratio_row("3e. train step: torch.compile speed-up over eager, plain CNN", shape, timings,
                          "plain_compiled", "plain", "plain compiled", "plain eager", "speedup", 0.0, "report"))
    # the deformable layer alone (the model's conv4), to tell its share from the rest of the compiled model's
    torch.manual_seed(1)
    layer = dcn.DeformableConv2d(WIDTHS[-1], WIDTHS[-1], 3, padding=1, bias=True).to(device)
    randomize_offsets(layer, dcn)
    x = torch.randn(TRAIN_BATCH, WIDTHS[-1], 7, 7, device=device, requires_grad=True)
    grad = torch.randn(TRAIN_BATCH, WIDTHS[-1], 7, 7, device=device)
    timings = interleaved({"layer": forward_backward(layer, x, grad),
                           "layer_compiled": forward_backward(torch.compile(layer), x, grad)}, device, **settings)
    rows.append(ratio_row("3f. forward + backward: torch.compile speed-up over eager, the DCNv2 layer alone",
                          f"N={TRAIN_BATCH}, {WIDTHS[-1]}->{WIDTHS[-1]}, 7x7", timings, "layer_compiled", "layer",
                          "layer compiled", "layer eager", "speedup", 1.0))
    for width in WIDTHS:
        torch.manual_seed(2)
        x = torch.randn(INFER_BATCH, 1, 28, 28, device=device)
        candidates = {}
        for name, deformable, backend in models:
            model = build(width, deformable, backend).eval()

            def infer(model=model) -> None:
                with torch.no_grad():
                    model(x)

            candidates[name] = infer
        timings = interleaved(candidates, device, **settings)
        rows.append(ratio_row(f"4. inference img/s DCNv2 / plain, width {width}",
                              f"N={INFER_BATCH}, 1x28x28", timings, "dcn", "plain", "DCNv2", "plain",
                              "throughput", 0.6))
        rows += pure_path_row(f"4b. inference img/s DCNv2 with backend=\"torch\" / plain, width {width}",
                              f"N={INFER_BATCH}, 1x28x28", timings, "throughput")
    return rows


# ----------------------------------------------------------------------------------------------------
# Environment and output
# ----------------------------------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Hardware", "Model", "cpu model") and value.strip():
                return value.strip()
    except OSError:
        pass
    if platform.system() == "Darwin":
        try:
            return subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True,
                                  text=True, timeout=5).stdout.strip() or platform.processor()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown"


def environment(dcn, device: torch.device, args, settings: dict) -> List[Tuple[str, str]]:
    if importlib.util.find_spec("torchvision") is not None:
        import torchvision

        tv = torchvision.__version__
    else:
        tv = "not installed (torchvision rows skipped)"
    hardware = f"{device}"
    if device.type == "cuda":
        hardware += f" ({torch.cuda.get_device_name(device)})"
    items = [("device", hardware), ("CPU", cpu_model()),
             ("threads", f"torch.get_num_threads() = {torch.get_num_threads()}, interop "
                         f"{torch.get_num_interop_threads()}, os.cpu_count() = {os.cpu_count()}")]
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()
        text = " / ".join(f"{v:.2f}" for v in load) + " (1/5/15 min)"
        if load[0] > 0.5 * (os.cpu_count() or 1):
            text += (" - busy machine: other processes compete for the cores, absolute times are noisy"
                     + (" (--threads 1 is steadier)" if torch.get_num_threads() > 1 else ""))
        items.append(("load average", text))
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=5,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    items += [("versions", f"torch {torch.__version__}, torchvision {tv}, dcn {dcn.__version__}, "
                           f"python {platform.python_version()}"),
              ("platform", platform.platform()),
              ("date", time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + (f", commit {commit}" if commit else ""))]
    resolved = dcn._choose_backend("auto", torch.zeros(1, device=device))
    items.append(('backend="auto" runs', resolved + (f" (the compiled kernel, built with {os.environ.get('CXX') or 'c++'})"
                                                     if resolved == "cpp" else "")))
    tuning = [f"{k}={v}" for k, v in sorted(os.environ.items()) if k in TUNING_VARIABLES or k.startswith("MALLOC_")]
    if tuning:
        items.append(("environment", " ".join(tuning)))
    if args.memory:
        items.append(("memory", "one step after a warm-up step, each subject in a fresh process; "
                                f"offset/modulator weights ~ N(0, {OFFSET_STD})"))
        return items
    items.append(("timing", f"{'quick, ' if args.quick else ''}up to {settings['repeats']} interleaved repeats "
                            f"(at least {min(MIN_REPEATS, settings['repeats'])}, "
                            f"{settings['budget']:g} s budget each), {settings['warmup']} warm-up, medians of "
                            f"{'thread CPU time' if args.cpu_time else 'wall time'}; "
                            f"offset/modulator weights ~ N(0, {OFFSET_STD})"))
    return items


HEADERS = ["measurement", "shape", "subject (median)", "reference (median)", "ratio", "target", "result",
           "ratio IQR", "n"]


def cells(row: Row) -> List[str]:
    if row.ratio is None:
        result = "skip" if row.note else "-"
    elif row.met is None or row.target == "report":
        result = "-"
    else:
        result = "PASS" if row.met else "FAIL"
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    return [row.measurement, row.shape, row.subject, row.reference, ratio, row.target, result, row.spread,
            str(row.repeats) if row.repeats else ""]


def print_text(env: List[Tuple[str, str]], rows: List[Row]) -> None:
    print("dcn.py benchmark")
    for key, value in env:
        print(f"  {key:<13}: {value}")
    table = [HEADERS] + [cells(r) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADERS))]
    print()
    for i, line in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    notes = [f"  {r.measurement} [{r.shape}]: {r.note}" for r in rows if r.note]
    if notes:
        print("\nnotes:")
        print("\n".join(notes))


def print_markdown(env: List[Tuple[str, str]], rows: List[Row]) -> None:
    for key, value in env:
        print(f"- **{key}**: {value}")
    print()
    print("| " + " | ".join(HEADERS) + " |")
    print("|" + "---|" * len(HEADERS))
    for r in rows:
        print("| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |")
    notes = [f"- {r.measurement} [{r.shape}]: {r.note}" for r in rows if r.note]
    if notes:
        print()
        print("\n".join(notes))


def summary(rows: List[Row]) -> str:
    judged = [r for r in rows if r.met is not None and r.target != "report" and r.ratio is not None]
    failed = [f"{r.measurement} [{r.shape}]" for r in judged if not r.met]
    text = f"targets met: {len(judged) - len(failed)}/{len(judged)}"
    skipped = sum(1 for r in rows if r.ratio is None)
    if skipped:
        text += f", {skipped} skipped"
    return text + ("" if not failed else "; not met: " + "; ".join(failed))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "mps"], help="default: cpu")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed interleaved repeats per measurement, fewer once the time budget is spent "
                             "(default 51, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="few repeats, short budgets: ~30 s on 2 cores")
    parser.add_argument("--markdown", action="store_true", help="print the results as Markdown")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch.set_num_threads(N) first (default: torch's own choice)")
    parser.add_argument("--memory", action="store_true",
                        help="measure peak training-step memory per backend instead of times (Linux or CUDA)")
    parser.add_argument("--memory-of", nargs=2, metavar=("SUBJECT", "SHAPE"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true",
                        help="only rows 8: every FLOOR_SHAPES layer against its two convolutions and torchvision, "
                             "training and batch-1 inference (~10 min on 2 cores)")
    parser.add_argument("--triton", action="store_true",
                        help='only the backend="triton" rows (6-6d; with --device cuda they follow rows 1-4 anyway); '
                             "on the CPU under TRITON_INTERPRET=1 at a tiny shape, to check the code path")
    parser.add_argument("--json", metavar="PATH", help="also write the environment and every row to PATH as JSON")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time the CPU time of this thread (time.thread_time) instead of wall time: "
                             "steadier on a shared machine; needs --device cpu --threads 1")
    args = parser.parse_args(argv)
    if args.cpu_time and (args.device != "cpu" or args.threads != 1):
        parser.error("--cpu-time counts only the calling thread: use it with --device cpu --threads 1")
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be >= 1")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be >= 1")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: CUDA is not available")
    if device.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        sys.exit("--device mps: MPS is not available")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import dcn

    if args.memory_of:  # a child of --memory: one measurement, printed alone
        subject, shape = args.memory_of
        print(f"{peak_step_memory(subject, tuple(int(v) for v in shape.split(',')), device):.1f}")
        return 0

    settings = dict(repeats=args.repeats or (3 if args.quick else 51),
                    warmup=1 if args.quick else 2,
                    budget=2.0 if args.quick else 20.0,
                    clock=time.thread_time if args.cpu_time else time.perf_counter)
    env = environment(dcn, device, args, settings)
    start = time.perf_counter()
    if args.memory:
        rows = memory_rows(device)
    elif args.floor:
        rows = floor_rows(dcn, device, settings)
    elif args.triton:
        rows = triton_rows(dcn, device, settings)
    else:
        rows = layer_rows(dcn, device, settings) + model_rows(dcn, device, settings) + thread_rows(dcn, device, settings)
        if device.type == "cuda":
            rows += triton_rows(dcn, device, settings)
    env.append(("wall time", f"{time.perf_counter() - start:.0f} s of measurements"))
    if getattr(dcn, "_triton_stages", None):  # the pipeline depths dcn._triton_launch found to fit this GPU
        depths: Dict[str, set] = {}
        for (kernel, *_), stages in dcn._triton_stages.items():
            depths.setdefault(kernel, set()).add(stages)
        env.append(("triton stages", ", ".join(f"{k} {sorted(v)}" for k, v in sorted(depths.items()))))
    (print_markdown if args.markdown else print_text)(env, rows)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps({"environment": dict(env), "rows": [r._asdict() for r in rows],
                                               "summary": summary(rows)}, indent=1))
    print()
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
