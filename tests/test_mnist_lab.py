"""The experiment's shared code: the offline error message and the zoom protocols."""
from __future__ import annotations

import pytest
import torch

import mnist_lab as lab


def test_missing_mnist_offline_says_where_to_put_the_files(tmp_path, monkeypatch):
    import torchvision

    def no_internet(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(torchvision.datasets, "MNIST", no_internet)
    with pytest.raises(RuntimeError) as error:
        lab.load_mnist(str(tmp_path), train=True)
    message = str(error.value)
    assert str((tmp_path / "MNIST" / "raw").resolve()) in message
    assert all(name in message for name in lab.MNIST_FILES) and "DATA_DIR" in message


def test_zoom_protocols_fill_black_or_grey():
    images = torch.zeros(2, 1, 28, 28)
    images[:, :, 4:24, 4:24] = 1.0
    ours, original = lab.zoom(images, 0.5), lab.zoom(images, 0.5, "original")
    background = (0.0 - lab.MEAN) / lab.STD
    assert torch.allclose(ours[..., 0, 0], torch.tensor(background))  # new border: black, like MNIST's background
    assert torch.equal(original[..., 0, 0], torch.zeros(2, 1))  # the original's: 0 after normalising, i.e. grey
    assert torch.allclose(lab.zoom(images, 1.0), lab.normalize(images))
    # pytest.approx wants Python numbers (pytest >= 9.2 iterates over a tensor it is given)
    assert (ours * lab.STD + lab.MEAN).sum().item() == pytest.approx(images.sum().item() / 4, rel=0.05)  # area shrinks 4x
    with pytest.raises(ValueError, match="protocol"):
        lab.zoom(images, 1.0, "nearest")
