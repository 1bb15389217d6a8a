"""Fixtures and helpers shared by the test modules.

A helper that several modules call is a fixture returning the function (``deform``, ``randn``,
``make_layer``, ...): a test names it among its arguments and calls it. dcn and torchvision are imported
inside the fixtures and helpers, never at module level: tests/triton_compiled.py must set up its process
before dcn.py is first imported.
"""
import copy
import functools

import pytest
import torch
import torch.nn.functional as F


# ----------------------------------------------------------------------------------------------------
# Running environment
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def one_thread():
    """One thread for a whole module (``pytestmark = pytest.mark.usefixtures("one_thread")``). Its tensors
    are tiny or medium, where a second thread buys little; on a busy 2-core machine MKL's threads wait for
    each other, making tiny float64 matmuls take milliseconds and torchvision's CPU kernel 4x slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def fresh_kernel_cache(monkeypatch, tmp_path):
    """An empty kernel cache, an empty temporary directory and no kernel loaded yet, as in a new process on a
    new machine; returns the cache folder (not created yet)."""
    import dcn

    monkeypatch.setattr(dcn, "_cpp_kernels", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(dcn.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path / "dcn"


@pytest.fixture
def no_kernels(monkeypatch):
    """Any convolution, sampling or matmul kernel fails the test (it must not run before the error)."""
    import dcn

    torchvision = pytest.importorskip("torchvision")
    import torchvision.ops

    def fail(*args, **kwargs):
        raise AssertionError("a kernel ran before the argument error")

    for name in ("conv2d", "pad"):
        monkeypatch.setattr(F, name, fail)
    monkeypatch.setattr(torch, "bmm", fail)
    for name in ("_sample_torch", "_cpp_call"):
        monkeypatch.setattr(dcn, name, fail)
    monkeypatch.setattr(torchvision.ops, "deform_conv2d", fail)
    monkeypatch.setattr(dcn, "sampling_locations", fail)
    monkeypatch.setattr(dcn, "_sampling_locations", fail)
    monkeypatch.setattr(dcn, "bilinear_sample", fail)


@functools.lru_cache(maxsize=None)
def _cpp_builds() -> bool:
    from dcn import DeformableConv2d

    try:
        return DeformableConv2d(1, 1, backend="cpp") is not None
    except RuntimeError:
        return False


def _available(backend: str) -> str:
    if backend == "cpp" and not _cpp_builds():
        pytest.skip("no C++ compiler builds the kernel here")
    if backend == "torchvision":
        pytest.importorskip("torchvision")
    return backend


@pytest.fixture(scope="session")
def available():
    """available(backend): the backend, or the test is skipped where it cannot run (no C++ compiler for
    "cpp", no torchvision for "torchvision")."""
    return _available


# ----------------------------------------------------------------------------------------------------
# Seeded tensors and layers that really deform
# ----------------------------------------------------------------------------------------------------
def _randn(*shape, dtype=torch.float32, seed=1):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


@pytest.fixture(scope="session")
def randn():
    """randn(*shape, dtype=torch.float32, seed=1): standard normal values, the same for the same seed."""
    return _randn


def _deform(layer, scale: float = 0.5, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for conv in (layer.offset_conv, layer.modulator_conv):
            if conv is not None:
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * scale)
                conv.bias.copy_(torch.randn(conv.bias.shape, generator=g) * scale)
    return layer


@pytest.fixture(scope="session")
def deform():
    """deform(layer, scale=0.5, seed=0): seeded random offset (and modulator) weights and biases times
    ``scale``, so the layer really deforms; returns the layer."""
    return _deform


def _make_layer(backend, cin=3, cout=4, *, dtype=torch.float32, seed=0, **options):
    from dcn import DeformableConv2d

    _available(backend)  # before seeding: checking may build a layer
    torch.manual_seed(seed)
    return _deform(DeformableConv2d(cin, cout, 3, padding=1, bias=True, backend=backend, dtype=dtype, **options),
                   seed=seed)


@pytest.fixture(scope="session")
def make_layer():
    """make_layer(backend, cin=3, cout=4, *, dtype=torch.float32, seed=0, **options): a deforming 3x3,
    padding 1 layer with bias; the same seed gives the same weights on every backend."""
    return _make_layer


def _functional_operands(dtype=torch.float64):
    return dict(input=_randn(1, 2, 5, 5, dtype=dtype, seed=1), offset=0.7 * _randn(1, 18, 5, 5, dtype=dtype, seed=2),
                weight=_randn(3, 2, 3, 3, dtype=dtype, seed=3), bias=_randn(3, dtype=dtype, seed=4),
                mask=torch.rand(1, 9, 5, 5, generator=torch.Generator().manual_seed(5), dtype=dtype))


@pytest.fixture(scope="session")
def functional_operands():
    """functional_operands(dtype=torch.float64): seeded input (1, 2, 5, 5), offset, weight (3, 2, 3, 3),
    bias and mask for deform_conv2d with padding=1, as a dict of its argument names."""
    return _functional_operands


def _outputs_and_grads(layer, x, backend):
    layer = copy.deepcopy(layer)
    layer.backend = backend
    x = x.clone().requires_grad_()
    out = layer(x)
    (out * torch.linspace(-1, 1, out.numel(), dtype=out.dtype).view(out.shape)).sum().backward()
    return [out, x.grad] + [p.grad for p in layer.parameters()]


@pytest.fixture(scope="session")
def outputs_and_grads():
    """outputs_and_grads(layer, x, backend): a copy of ``layer`` on ``backend`` applied to ``x`` under a fixed
    weighting of the output: [output, the input's gradient, every parameter's gradient]."""
    return _outputs_and_grads


class _NanOffsetConv(torch.nn.Module):
    def __init__(self, mask: bool):
        super().__init__()
        self.weight, self.mask = _randn(2, 3, 3, 3), torch.rand(1, 9, 6, 6) if mask else None
        self.x, self.offset = _randn(1, 3, 6, 6, seed=2), _randn(1, 18, 6, 6, seed=3)
        self.offset[0, 4, 2, 3] = float("nan")
        self.expected = self(self.x, self.offset)
        assert self.expected.isnan().sum() == 2

    def forward(self, x, offset):
        import dcn

        return dcn.deform_conv2d(x, offset, self.weight, None, 1, 1, 1, self.mask, backend="torch")


@pytest.fixture(scope="session")
def nan_offset_conv():
    """nan_offset_conv(mask: bool): a module ``(x, offset) -> deform_conv2d`` on the pure path, with example
    ``.x`` and ``.offset``, the offset NaN at one point, and eager's ``.expected`` output: NaN at the one
    output position that reads the point (both output channels), finite elsewhere."""
    return _NanOffsetConv


# ----------------------------------------------------------------------------------------------------
# Double backward
# ----------------------------------------------------------------------------------------------------
@pytest.fixture
def double_backward_inputs():
    """Seeded float64 input (1, 2, 5, 4), offset, mask, weight (3, 2, 3, 3) and bias, all requiring grad, for
    deform_conv2d with stride, padding and dilation 1."""
    g = torch.Generator().manual_seed(5)
    return (torch.randn(1, 2, 5, 4, dtype=torch.float64, generator=g).requires_grad_(),
            (torch.randn(1, 18, 5, 4, dtype=torch.float64, generator=g) * 0.7).requires_grad_(),
            torch.rand(1, 9, 5, 4, dtype=torch.float64, generator=g).requires_grad_(),
            torch.randn(3, 2, 3, 3, dtype=torch.float64, generator=g).requires_grad_(),
            torch.randn(3, dtype=torch.float64, generator=g).requires_grad_())


@pytest.fixture(scope="session")
def torch_differentiates_grid_sample_twice() -> bool:
    """Whether this torch has a derivative for grid_sample's backward (2.14 has, 2.8 has not)."""
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
