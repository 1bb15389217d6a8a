"""Fixtures shared by the test modules (dcn is imported inside them: tests/triton_compiled.py must set up
its process before dcn.py is first imported)."""
import pytest


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
