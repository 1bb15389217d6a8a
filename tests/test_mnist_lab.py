"""The experiment's shared code: the offline error message, the zoom protocols, settings, saved runs and training records."""
from __future__ import annotations

import json

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


@pytest.mark.parametrize("width", [16, 32])
def test_plain_matched_has_dcnv2s_parameters_and_conv_multiply_adds(width):
    dcnv2, matched = lab.MnistNet(width, "dcnv2"), lab.MnistNet(width, "plain_matched")
    assert abs(lab.trainable_parameters(matched) / lab.trainable_parameters(dcnv2) - 1) < 0.05
    assert lab.multiply_adds(matched)["convs"] == lab.multiply_adds(dcnv2)["convs"]
    assert lab.multiply_adds(matched)["sampling"] == 0 < lab.multiply_adds(dcnv2)["sampling"]
    assert matched.conv4.out_channels == lab.matched_hidden(width) == {16: 43, 32: 59}[width]


def test_multiply_adds_by_hand():
    w = 8
    plain = 28 * 28 * w * 9 + 14 * 14 * w * w * 9 + 3 * 7 * 7 * w * w * 9 + w * 10
    assert lab.multiply_adds(lab.MnistNet(w, "plain")) == {"convs": plain, "sampling": 0}
    per_layer_offsets = 7 * 7 * 27 * w * 9  # 18 offset + 9 modulator channels
    assert lab.multiply_adds(lab.MnistNet(w, "dcnv2")) == {"convs": plain + 2 * per_layer_offsets,
                                                         "sampling": 2 * 7 * 7 * 9 * w * 5}
    dcnv1 = lab.multiply_adds(lab.MnistNet(w, "dcnv1"))
    assert dcnv1 == {"convs": plain + 2 * 7 * 7 * 18 * w * 9, "sampling": 2 * 7 * 7 * 9 * w * 4}


def test_modulation_only_keeps_its_offsets_at_zero_while_training():
    torch.manual_seed(0)
    model = lab.MnistNet(8, "modulation_only")
    frozen = sum(p.numel() for p in model.conv4.offset_conv.parameters()) * 2
    assert lab.trainable_parameters(model) == lab.trainable_parameters(lab.MnistNet(8, "dcnv2")) - frozen
    images, labels = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))
    lab.train(model, images, labels, epochs=1, seed=0, device=torch.device("cpu"), batch_size=32)
    for conv in (model.conv4, model.conv5):
        assert conv.offset_conv.weight.abs().sum() == 0 and conv.offset_conv.bias.abs().sum() == 0
        assert conv.modulator_conv.weight.abs().sum() > 0  # the modulation did learn
        assert conv.deformation(torch.rand(1, 8, 7, 7)).offset.abs().sum() == 0


def test_paired_gains_are_per_seed_differences():
    runs = [{"model": m, "width": 4, "seed": s, "protocol": "p", "accuracy": [acc + s * 10, acc]}
            for m, acc in (("plain", 50.0), ("dcnv2", 53.0)) for s in (0, 1, 2)]
    runs[-1]["accuracy"] = [53.0 + 20 + 6, 53.0]  # seed 2: a gain of 9 at the first scale instead of 3
    gains = lab.paired_gains({"runs": runs, "scales": [0.5, 1.0]}, "p")
    assert list(gains) == [("dcnv2", 4)]
    assert gains["dcnv2", 4]["mean"] == pytest.approx([5.0, 3.0, 4.0])  # per scale, then the mean over scales
    assert gains["dcnv2", 4]["std"] == pytest.approx([torch.tensor([3.0, 3.0, 9.0]).std().item(), 0.0,
                                                      torch.tensor([3.0, 3.0, 6.0]).std().item()])


def test_models_env_var_picks_a_subset_and_rejects_typos(monkeypatch):
    monkeypatch.setenv("MODELS", "plain, dcnv1")
    assert lab.settings()["models"] == ["plain", "dcnv1"]
    monkeypatch.setenv("MODELS", "plain,dcn2")
    with pytest.raises(ValueError, match="MODELS must be .* got dcn2"):
        lab.settings()
    monkeypatch.delenv("MODELS")
    assert lab.settings()["models"] == list(lab.VARIANTS)
    with pytest.raises(ValueError, match="variant must be one of"):
        lab.MnistNet(8, "deformable")


def test_train_and_evaluate_saves_each_run_and_resumes_from_it(tmp_path):
    torch.manual_seed(0)
    train_set = (torch.rand(48, 1, 28, 28), torch.randint(0, 10, (48,)))
    images, labels = torch.rand(20, 1, 28, 28), torch.randint(0, 10, (20,))
    tests = {(p, s): lab.zoom(images, s, p) for p in ("black_bilinear", "original") for s in (0.5, 1.0)}
    args = ("dcnv1", 4, 3, train_set, tests, labels)
    runs, weights, cached = lab.train_and_evaluate(*args, epochs=1, device=torch.device("cpu"), cache_dir=tmp_path)
    assert not cached and [r["protocol"] for r in runs] == ["black_bilinear", "original"]
    assert all(len(r["accuracy"]) == 2 and r["seed"] == 3 and r["model"] == "dcnv1" for r in runs)
    assert runs[0]["parameters"] == lab.trainable_parameters(lab.MnistNet(4, "dcnv1"))
    torch.manual_seed(0)  # the run seeds itself: the same result whatever the global state
    model = lab.MnistNet(4, "dcnv1")
    model.load_state_dict(weights)
    assert lab.accuracy(model, tests["original", 0.5], labels, torch.device("cpu")) == runs[1]["accuracy"][0]

    again, saved, cached = lab.train_and_evaluate(*args, epochs=1, device=torch.device("cpu"), cache_dir=tmp_path)
    assert cached and again == runs and all(torch.equal(saved[k], weights[k]) for k in weights)
    # other settings are another run: retrained, not read from the saved one
    other, _, cached = lab.train_and_evaluate(*args, epochs=2, device=torch.device("cpu"), cache_dir=tmp_path)
    assert not cached and len(other[0]["train_loss"]) == 2
    fresh, _, cached = lab.train_and_evaluate(*args, epochs=1, device=torch.device("cpu"))
    assert not cached and [r["accuracy"] for r in fresh] == [r["accuracy"] for r in runs]  # same seed, same run


def test_contrasts_average_each_seeds_difference_over_a_band_of_scales():
    accuracy = {"plain": [50.0, 90.0, 60.0], "plain_matched": [52.0, 90.0, 58.0], "dcnv2": [60.0, 91.0, 60.0]}
    runs = [{"model": m, "width": 8, "seed": s, "protocol": "p", "accuracy": [a + s for a in acc]}
            for m, acc in accuracy.items() for s in (0, 1, 2)]
    runs[-1]["accuracy"] = [58.0 + 2, 91.0 + 2, 61.0 + 2]  # dcnv2, seed 2: gains 8, 1, 1 over plain
    results = {"runs": runs, "scales": [0.5, 1.0, 1.5]}
    found = {(c["model"], c["baseline"]): c["bands"] for c in lab.contrasts(results, "p", width=8)}
    assert list(found) == [("plain_matched", "plain"), ("dcnv2", "plain"), ("dcnv2", "plain_matched")]  # no dcnv1 runs
    small, large, overall = found["dcnv2", "plain"]["x0.5-x0.8"], found["dcnv2", "plain"]["x1.2-x1.5"], \
        found["dcnv2", "plain"]["all scales"]
    assert small["mean"] == pytest.approx((10 + 10 + 8) / 3) and small["above_zero"] == 3 and small["seeds"] == 3
    assert large["mean"] == pytest.approx(1 / 3) and large["above_zero"] == 1
    assert overall["mean"] == pytest.approx((11 / 3 + 11 / 3 + 10 / 3) / 3)
    assert overall["std"] == pytest.approx(torch.tensor([11 / 3, 11 / 3, 10 / 3]).std().item())
    assert found["plain_matched", "plain"]["x0.9-x1.1"] == {"mean": 0.0, "std": 0.0, "above_zero": 0, "seeds": 3}
    table = lab.contrasts_table(results, "p", width=8)
    assert "| dcnv2 - plain_matched | DCNv2 beyond its parameters | +7.33 ± 1.15 (3/3) | +1.00 ± 0.00 (3/3) |" in table
    assert "no pair" in lab.contrasts_table(results, "p", width=16)


def test_models_table_reports_size_cost_and_mean_train_time_per_model():
    cost = {"convs": 1000, "sampling": 50}
    runs = [{"model": m, "width": 8, "seed": s, "protocol": p, "parameters": n, "multiply_adds": cost,
             "train_time_s": 10.0 * (s + 1), "threads": 1}
            for m, n in (("dcnv2", 2345), ("plain", 1234)) for s in (0, 1) for p in ("a", "b")]
    table = lab.models_table({"runs": runs, "environment": {"device": "cpu"}})
    lines = table.splitlines()
    assert lines[2] == "| plain | 8 | 1,234 | 1,000 | 50 | 15 |"  # plain first; time: mean of the 2 seeds, not 4 rows
    assert lines[3] == "| dcnv2 | 8 | 2,345 | 1,000 | 50 | 15 |"
    assert lines[-1].endswith("all epochs on cpu, 1 thread(s) per run")


def test_settings_follow_the_form_and_the_environment_overrides_it(monkeypatch):
    for name in ("RUN", "SMOKE_TEST", "MODELS"):
        monkeypatch.delenv(name, raising=False)
    headline = lab.settings("headline")
    assert (headline["models"], headline["widths"], headline["smoke"]) == (["plain_matched", "dcnv2"], [32], False)
    assert lab.settings()["models"] == list(lab.VARIANTS) and lab.settings()["widths"] == [16, 32]
    assert lab.settings("smoke test")["smoke"]
    monkeypatch.setenv("RUN", "all five models")
    assert lab.settings("headline")["models"] == list(lab.VARIANTS)
    monkeypatch.setenv("SMOKE_TEST", "1")
    monkeypatch.setenv("MODELS", "plain,dcnv2")
    run = lab.settings("headline")
    assert run["smoke"] and run["models"] == ["plain", "dcnv2"] and str(run["results_dir"]) == "results/smoke"
    monkeypatch.delenv("SMOKE_TEST")
    monkeypatch.setenv("RUN", "everything")
    with pytest.raises(ValueError, match="headline"):
        lab.settings()


def test_saved_runs_are_reused_only_with_the_same_settings(tmp_path):
    runs = [{"model": "dcnv2", "width": 32, "seed": s, "protocol": p, "accuracy": [90.0] * len(lab.SCALES)}
            for s in (0, 1) for p in ("black_bilinear", "original")]
    environment = {"torch": "2.14.1", "device": "cpu"}
    path = tmp_path / "scaled_mnist.json"
    path.write_text(json.dumps({"scales": lab.SCALES, "runs": runs, "environment": environment,
                                "config": {"epochs": 14, "train_images": 60000, "test_images": 10000}}))
    found, made_in = lab.saved_runs(path, 14, 60000, 10000)
    assert sorted(found) == [("dcnv2", 32, 0), ("dcnv2", 32, 1)] and made_in == environment
    assert [r["protocol"] for r in found["dcnv2", 32, 1]] == ["black_bilinear", "original"]
    assert lab.saved_runs(path, 1, 60000, 10000) == ({}, {})  # another recipe: nothing reused
    assert lab.saved_runs(tmp_path / "missing.json", 14, 60000, 10000) == ({}, {})


def test_training_records_loss_accuracy_and_time_per_epoch():
    torch.manual_seed(0)
    images, labels = torch.rand(96, 1, 28, 28), torch.randint(0, 10, (96,))
    history = lab.train(lab.MnistNet(4, "dcnv2"), images, labels, epochs=2, seed=0, device=torch.device("cpu"))
    assert sorted(history) == ["accuracy", "loss", "time_s"] and all(len(v) == 2 for v in history.values())
    assert all(0 <= a <= 100 for a in history["accuracy"]) and all(t >= 0 for t in history["time_s"])
    assert history["loss"][1] < history["loss"][0]
