"""backend="triton" compiled for real GPUs without one: run by tests/test_triton.py in a subprocess
with DCN_TRITON_COMPILE=1 (it pretends CUDA is there, so dcn.py defines its kernels).

Triton's interpreter (tests/triton_interpreted.py) checks what the kernels compute, but it neither
type-checks them as the compiler does nor knows a GPU's limits. Here Triton compiles every kernel for
the GPUs Colab and most users have, down to machine code (its bundled ptxas), and the shared memory
each needs is held against what that GPU gives one program. Nothing runs: no GPU is needed.
"""
from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import torch

if os.environ.get("DCN_TRITON_COMPILE") != "1" or os.environ.get("TRITON_INTERPRET", "0") not in ("", "0"):
    pytest.skip("run by tests/test_triton.py with DCN_TRITON_COMPILE=1 (and without TRITON_INTERPRET)",
                allow_module_level=True)
triton = pytest.importorskip("triton")
if "nvidia" not in getattr(triton.backends, "backends", {}):
    pytest.skip("this Triton has no NVIDIA backend", allow_module_level=True)
torch.cuda.is_available = lambda: True  # dcn.py defines its kernels only where a GPU may run them

import dcn  # noqa: E402
from triton.backends.compiler import GPUTarget  # noqa: E402
from triton.compiler import ASTSource  # noqa: E402

# The most shared memory one program may use (cudaDevAttrMaxSharedMemoryPerBlockOptin), in KiB, from
# the CUDA C++ Programming Guide's table of compute capabilities; Triton checks it before each launch.
GPUS = {75: ("T4", 64), 80: ("A100", 163), 86: ("A10, RTX 30xx", 99), 89: ("L4, RTX 40xx", 99), 90: ("H100/H200", 227)}
KERNELS = {"forward": dcn._tl_forward, "backward_sampling": dcn._tl_backward_sampling,
           "backward_weight": dcn._tl_backward_weight}
SIZES = ("N", "H", "W", "C", "G", "K", "P", "C_OUT", "GROUPS", "ROWS_PER_PROGRAM")  # int32 arguments
TENSOR_DTYPE = ("X", "WT", "OUT", "GRAD")  # pointers in the input's dtype; the other pointers are float32
POINTER = {torch.float32: "*fp32", torch.float16: "*fp16", torch.bfloat16: "*bf16"}


def compile_kernel(name, arch, dtype, precision="ieee", out_channels=64, has_mask=False, one_offset_group=False,
                   stages=3):
    """Compile one kernel as dcn._triton_launch launches it for a layer with ``out_channels`` per group."""
    kernel = KERNELS[name]
    bm, bn, bk = dcn._triton_blocks(out_channels)
    constants = dict(HAS_MASK=has_mask, ONE_OFFSET_GROUP=one_offset_group, PRECISION=precision,
                     BM=bm, BN=bn, BK=bk, NEED_INPUT=True, NEED_MASK=has_mask)
    constants = {key: value for key, value in constants.items() if key in kernel.arg_names}
    signature = {arg: "constexpr" if arg in constants else "i32" if arg in SIZES
                 else POINTER[dtype] if arg in TENSOR_DTYPE else "*fp32" for arg in kernel.arg_names}
    target = GPUTarget("cuda", arch, 32)
    options = triton.compiler.make_backend(target).parse_options(
        {"num_warps": dcn._TRITON_WARPS, "num_stages": stages, "enable_fp_fusion": True})
    return triton.compile(ASTSource(fn=kernel, signature=signature, constexprs=constants), target=target,
                          options=options.__dict__)


def local_memory_bytes(compiled) -> int:
    """Bytes of local memory (registers spilled to memory) per thread, read from the cubin by cuobjdump."""
    cuobjdump = Path(triton.__file__).parent / "backends" / "nvidia" / "bin" / "cuobjdump"
    if not cuobjdump.exists():
        pytest.skip("this Triton does not ship cuobjdump")
    with tempfile.TemporaryDirectory() as folder:
        cubin = Path(folder) / "kernel.cubin"
        cubin.write_bytes(compiled.asm["cubin"])
        usage = subprocess.run([str(cuobjdump), "--dump-resource-usage", str(cubin)], capture_output=True,
                               text=True, check=True).stdout
    return int(re.search(r"STACK:(\d+)", usage).group(1))


@pytest.mark.parametrize("arch", list(GPUS))
@pytest.mark.parametrize("name", list(KERNELS))
def test_the_largest_tiles_fit_every_gpu_with_one_stage(name, arch):
    """float32 with TF32, the widest output-channel tile, several offset groups: the most shared memory
    a launch asks for. With one pipeline stage it must fit, so dcn._triton_launch always finds a depth."""
    shared_kib = compile_kernel(name, arch, torch.float32, "tf32", stages=1).metadata.shared / 1024
    gpu, limit_kib = GPUS[arch]
    assert shared_kib <= limit_kib, f"{name} needs {shared_kib:.0f} KiB of shared memory; {gpu} gives {limit_kib}"


@pytest.mark.parametrize("arch", [75, 80, 90])
@pytest.mark.parametrize("dtype, precision", [(torch.float32, "tf32"), (torch.bfloat16, "ieee")])
@pytest.mark.parametrize("name", list(KERNELS))
def test_the_kernels_keep_their_values_in_registers(name, dtype, precision, arch):
    """At the widest tiles, with the 3 stages tried first, in both branches of each kernel (one offset group
    with a mask; several without), ptxas spills at most a few registers. The first tiles (64 x 64 x 64,
    4 warps) spilled up to 4.3 KiB per thread on an H100."""
    for has_mask, one_offset_group in ((True, True), (False, False)):
        compiled = compile_kernel(name, arch, dtype, precision, 64, has_mask, one_offset_group, stages=3)
        assert local_memory_bytes(compiled) <= 64, (name, has_mask, one_offset_group)


@pytest.mark.parametrize("dtype, precision", [(torch.float32, "ieee"), (torch.float16, "ieee")])
@pytest.mark.parametrize("name", list(KERNELS))
def test_float16_and_exact_float32_compile_at_the_smallest_tiles(name, dtype, precision):
    for has_mask, one_offset_group in ((True, True), (False, False)):
        compile_kernel(name, 80, dtype, precision, 16, has_mask, one_offset_group)
