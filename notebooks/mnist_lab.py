"""The scaled-MNIST experiment's building blocks, shared by the notebooks in this folder.

The notebooks carry this file and ``dcn.py`` (packed by ``tests/notebook_pack.py``) so that each runs alone in
Colab; ``tests/test_notebooks.py`` checks that those copies equal the files in the repository.
"""
from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

with warnings.catch_warnings():  # without ipywidgets, tqdm.auto falls back to text bars: fine
    warnings.simplefilter("ignore")
    from tqdm.auto import tqdm

import dcn
from dcn import DeformableConv2d

MEAN, STD = 0.1307, 0.3081  # MNIST training-set statistics, as in the original
SCALES = [round(0.5 + 0.1 * i, 1) for i in range(11)]  # 0.5, 0.6, ..., 1.5
MNIST_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
               "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]


def pick_device() -> torch.device:
    """CUDA when present, then Apple's MPS, else the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def load_mnist(root: str, train: bool) -> tuple[Tensor, Tensor]:
    """MNIST as tensors: images (N, 1, 28, 28) float in [0, 1], labels (N,) int64.

    Uses the files under ``<root>/MNIST/raw/`` when present, else downloads them (needs internet).
    """
    import torchvision

    raw = Path(root) / "MNIST" / "raw"
    have_files = all((raw / name).exists() for name in MNIST_FILES)
    try:
        dataset = torchvision.datasets.MNIST(root, train=train, download=not have_files)
    except Exception as error:  # no internet, blocked mirror, ...
        raise RuntimeError(
            f"MNIST is not in {raw.resolve()} and could not be downloaded ({error}). Put the four files "
            f"{', '.join(MNIST_FILES)} (uncompressed, or as .gz) in that folder, or set DATA_DIR to the "
            f"folder that holds MNIST/raw/.") from error
    return dataset.data.unsqueeze(1).float().div(255.0), dataset.targets.clone()


def normalize(images: Tensor) -> Tensor:
    return (images - MEAN) / STD


VARIANTS = {  # name -> what conv4 and conv5 are; the rest of MnistNet is the same in all five
    "plain": "plain 3x3 convs (the baseline)",
    "plain_matched": "plain 3x3 convs, conv4 widened so the model has DCNv2's parameter count",
    "dcnv1": "deformable, offsets only (modulation=False)",
    "modulation_only": "DCNv2 with its offsets held at zero: a learned weight per kernel point, fixed grid",
    "dcnv2": "deformable, offsets and modulation (DCNv2)",
}


def matched_hidden(width: int) -> int:
    """conv4's output channels that give the plain model DCNv2's parameter count (the nearest integer).

    conv4 (width -> h) and conv5 (h -> width) hold 18 * h * width + h + width parameters; DCNv2's
    two layers hold their regular conv plus the offset and modulator convs (27 channels each).
    Both run on the same 7x7 map, so matching their parameters also matches their conv multiply-adds.
    """
    layer = DeformableConv2d(width, width, 3, padding=1, bias=True)
    target = 2 * sum(p.numel() for p in layer.parameters())
    return round((target - width) / (18 * width + 1))


class MnistNet(nn.Module):
    """The original's classifier: five 3x3 convs, the last two plain or deformable (see ``VARIANTS``).

    conv1 -> relu -> maxpool2 -> conv2 -> relu -> maxpool2 -> conv3 -> relu -> conv4 -> relu -> conv5
    -> relu -> global average pool -> fc. Input: (N, 1, 28, 28), normalised; output: (N, 10) logits.
    ``"modulation_only"`` freezes the offset convs at their initial zeros (``requires_grad=False``).
    """

    def __init__(self, width: int = 32, variant: str = "dcnv2", backend: str = "auto") -> None:
        super().__init__()
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {', '.join(VARIANTS)}; got {variant!r}")
        self.width, self.variant = width, variant
        self.conv1 = nn.Conv2d(1, width, 3, padding=1)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)
        self.conv3 = nn.Conv2d(width, width, 3, padding=1)
        if variant.startswith("plain"):
            hidden = matched_hidden(width) if variant == "plain_matched" else width
            self.conv4 = nn.Conv2d(width, hidden, 3, padding=1)
            self.conv5 = nn.Conv2d(hidden, width, 3, padding=1)
        else:
            options = dict(padding=1, bias=True, modulation=variant != "dcnv1", backend=backend)
            self.conv4 = DeformableConv2d(width, width, 3, **options)
            self.conv5 = DeformableConv2d(width, width, 3, **options)
            if variant == "modulation_only":
                self.conv4.offset_conv.requires_grad_(False)
                self.conv5.offset_conv.requires_grad_(False)
        self.fc = nn.Linear(width, 10)

    def features(self, x: Tensor) -> Dict[str, Tensor]:
        """The inputs of conv4 and conv5 and the logits, (N, width, 7, 7) / (N, 10)."""
        x = F.max_pool2d(F.relu(self.conv1(x)), 2, 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2, 2)
        conv4_in = F.relu(self.conv3(x))
        conv5_in = F.relu(self.conv4(conv4_in))
        x = F.relu(self.conv5(conv5_in))
        return {"conv4_in": conv4_in, "conv5_in": conv5_in, "logits": self.fc(x.mean(dim=(2, 3)))}

    def forward(self, x: Tensor) -> Tensor:
        return self.features(x)["logits"]


def trainable_parameters(model: nn.Module) -> int:
    """Parameters that training changes (modulation_only's frozen zero offsets are not counted)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


@torch.no_grad()
def multiply_adds(model: nn.Module, image_size: int = 28) -> Dict[str, int]:
    """Multiply-adds of one forward pass of a (1, 1, image_size, image_size) image.

    ``convs``: every conv and linear layer, a deformable layer's offset/modulator convs included
    (C_out * C_in / groups * kh * kw per output position). ``sampling``: what a deformable layer adds
    to read its input at fractional points: 4 per sampled value for the bilinear blend, plus 1 for
    the modulation (DCNv2), per input channel, kernel point and output position.
    """
    counts = {"convs": 0, "sampling": 0}
    inside = {id(m) for d in model.modules() if isinstance(d, DeformableConv2d) for m in d.modules() if m is not d}

    def count(module, inputs, output):
        if isinstance(module, DeformableConv2d):
            positions = output.shape[-2] * output.shape[-1]
            k = module.kernel_size[0] * module.kernel_size[1]
            regular = module.out_channels * module.in_channels // module.groups
            predicted = module.offset_conv.out_channels + (module.offset_groups * k if module.modulation else 0)
            counts["convs"] += positions * k * (regular + predicted * module.in_channels)
            counts["sampling"] += positions * k * module.in_channels * (5 if module.modulation else 4)
        elif isinstance(module, nn.Conv2d) and id(module) not in inside:
            k = module.kernel_size[0] * module.kernel_size[1]
            counts["convs"] += output[0].numel() * module.in_channels // module.groups * k
        elif isinstance(module, nn.Linear):
            counts["convs"] += module.in_features * module.out_features

    hooks = [m.register_forward_hook(count) for m in model.modules()]
    try:
        parameter = next(model.parameters())
        model(torch.zeros(1, 1, image_size, image_size, device=parameter.device, dtype=parameter.dtype))
    finally:
        for hook in hooks:
            hook.remove()
    return counts


def zoom(images: Tensor, scale: float, protocol: str = "black_bilinear") -> Tensor:
    """Zoom images (N, 1, 28, 28) about their centre by ``scale`` on the same canvas; returns them normalised.

    ``"black_bilinear"`` (ours): bilinear, on [0, 1] images, so new borders are black like the background.
    ``"original"`` (the original notebook's): nearest, applied after normalisation with fill 0, so new
    borders are grey (0 is the mean intensity).
    """
    from torchvision.transforms import InterpolationMode
    from torchvision.transforms.v2 import functional as TF

    affine = dict(angle=0.0, translate=[0, 0], scale=scale, shear=[0.0, 0.0], fill=0.0)
    if protocol == "black_bilinear":
        return normalize(TF.affine(images, interpolation=InterpolationMode.BILINEAR, **affine))
    if protocol == "original":
        return TF.affine(normalize(images), interpolation=InterpolationMode.NEAREST, **affine)
    raise ValueError(f'protocol must be "black_bilinear" or "original", got {protocol!r}')


def train(model: nn.Module, images: Tensor, labels: Tensor, epochs: int, seed: int, device: torch.device,
          batch_size: int = 64, lr: float = 1e-3, gamma: float = 0.7, desc: str = "") -> Dict[str, List[float]]:
    """The original's recipe: Adam, StepLR(step_size=1, gamma), no augmentation. Returns, per epoch, the mean
    training loss (``"loss"``), the accuracy in % on the training batches as they were trained (``"accuracy"``)
    and the wall time in seconds (``"time_s"``).

    ``seed`` fixes the shuffling (the caller seeds the initialisation before building the model).
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=gamma)
    generator = torch.Generator().manual_seed(seed)
    model.to(device).train()
    history = {"loss": [], "accuracy": [], "time_s": []}
    epochs_bar = tqdm(range(epochs), desc=desc or "epochs", leave=False)
    for _ in epochs_bar:
        clock, order = Timer(), torch.randperm(len(images), generator=generator)
        total, correct = 0.0, 0
        for batch in order.split(batch_size):
            x, y = normalize(images[batch]).to(device), labels[batch].to(device)
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
            correct += (logits.argmax(1) == y).sum().item()
        scheduler.step()
        for key, value in (("loss", total / len(images)), ("accuracy", 100.0 * correct / len(images)),
                           ("time_s", round(clock(), 1))):
            history[key].append(value)
        epochs_bar.set_postfix(loss=f"{history['loss'][-1]:.4f}", accuracy=f"{history['accuracy'][-1]:.2f}%")
    return history


@torch.no_grad()
def accuracy(model: nn.Module, inputs: Tensor, labels: Tensor, device: torch.device, batch_size: int = 1000) -> float:
    """Top-1 accuracy in % of ``model`` on already-normalised ``inputs``."""
    model.to(device).eval()
    correct = 0
    for x, y in zip(inputs.split(batch_size), labels.split(batch_size)):
        correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    return 100.0 * correct / len(labels)


def train_and_evaluate(variant: str, width: int, seed: int, train_set: Tuple[Tensor, Tensor],
                       test_sets: Dict[Tuple[str, float], Tensor], test_labels: Tensor, epochs: int,
                       device: torch.device, cache_dir: Optional[Path] = None) -> Tuple[List[dict], dict, bool]:
    """One run: seed, build ``MnistNet(width, variant)``, train, evaluate once on every test set.

    ``test_sets`` maps ``(protocol, scale)`` to normalised images. Returns one record per protocol (accuracy
    per scale, parameters, multiply-adds, losses, times), the trained ``state_dict`` on the CPU, and whether
    the run came from ``cache_dir``: there each finished run is saved, and loaded instead of retrained when
    the same run with the same settings comes again, so an interrupted experiment resumes where it stopped.
    """
    protocols = list(dict.fromkeys(p for p, _ in test_sets))
    scales = list(dict.fromkeys(s for _, s in test_sets))
    key = {"epochs": epochs, "train_images": len(train_set[0]), "test_images": len(test_labels),
           "protocols": protocols, "scales": scales, "dcn": dcn.__version__}
    path = None if cache_dir is None else Path(cache_dir) / f"{variant}_w{width}_s{seed}.pt"
    if path is not None and path.exists():
        saved = torch.load(path, weights_only=True)
        if saved["key"] == key:
            return saved["runs"], saved["weights"], True
    torch.manual_seed(seed)
    model = MnistNet(width, variant)
    size = {"parameters": trainable_parameters(model), "multiply_adds": multiply_adds(model)}
    clock = Timer()
    history = train(model, *train_set, epochs, seed, device, desc=f"{variant} w{width} s{seed}")
    train_time, clock = clock(), Timer()
    accuracies = {p: [accuracy(model, test_sets[p, s], test_labels, device) for s in scales] for p in protocols}
    eval_time = clock()  # all protocols and scales
    runs = [{"model": variant, "width": width, "seed": seed, "protocol": p, "accuracy": accuracies[p], **size,
             "train_loss": history["loss"], "train_accuracy": history["accuracy"], "epoch_time_s": history["time_s"],
             "train_time_s": round(train_time, 1), "eval_time_s": round(eval_time, 1),
             "threads": torch.get_num_threads()} for p in protocols]
    weights = {k: v.cpu() for k, v in model.state_dict().items()}
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"key": key, "runs": runs, "weights": weights}, path)
    return runs, weights, False


def environment(device: torch.device) -> Dict[str, object]:
    """Versions and hardware, for the results file."""
    import platform

    env = {"torch": torch.__version__, "dcn": dcn.__version__, "python": platform.python_version(),
           "device": str(device), "threads": torch.get_num_threads(), "platform": platform.platform(),
           "dcn_backend": dcn._choose_backend("auto", torch.zeros(1, device=device))}  # what "auto" runs
    try:
        import torchvision

        env["torchvision"] = torchvision.__version__
    except ImportError:
        pass
    if device.type == "cuda":
        env["gpu"] = torch.cuda.get_device_name(device)
    return env


RUNS = {"headline": (["plain_matched", "dcnv2"], [32]), "all five models": (list(VARIANTS), [16, 32])}


def settings(choice: str = "all five models") -> Dict[str, object]:
    """Run settings: ``choice`` (a notebook's form: "headline", "all five models" or "smoke test": all five, tiny),
    overridden by the environment variables RUN (a choice), SMOKE_TEST=1 (the smoke test, for CI) and MODELS (a
    comma-separated subset of ``VARIANTS``); DATA_DIR: the folder holding MNIST/raw/ (default ``data``)."""
    choice = os.environ.get("RUN") or choice
    if os.environ.get("SMOKE_TEST", "0") not in ("", "0"):
        choice = "smoke test"
    smoke = choice == "smoke test"
    if choice not in RUNS and choice != "smoke test":
        raise ValueError(f"the run must be one of {', '.join(RUNS)} or smoke test; got {choice!r}")
    models, widths = RUNS.get(choice, RUNS["all five models"])
    models = [m.strip() for m in os.environ.get("MODELS", "").split(",") if m.strip()] or models
    unknown = [m for m in models if m not in VARIANTS]
    if unknown:
        raise ValueError(f"MODELS must be a comma-separated list of {', '.join(VARIANTS)}; got {', '.join(unknown)}")
    return {"smoke": smoke, "data_dir": os.environ.get("DATA_DIR", "data"), "models": models, "widths": widths,
            "results_dir": Path("results/smoke" if smoke else "results")}


def saved_runs(path: Path, epochs: int, train_images: int, test_images: int) -> Tuple[Dict[tuple, List[dict]], dict]:
    """The runs recorded in a results file made with these settings: ({(model, width, seed): one record per
    protocol}, the environment they were made in); nothing when the file is missing or its settings differ."""
    if not Path(path).exists():
        return {}, {}
    saved = json.loads(Path(path).read_text())
    config = saved["config"]
    if (config["epochs"], config["train_images"], config["test_images"]) != (epochs, train_images, test_images) \
            or saved["scales"] != SCALES:
        return {}, {}
    runs: Dict[tuple, List[dict]] = {}
    for record in saved["runs"]:
        runs.setdefault((record["model"], record["width"], record["seed"]), []).append(record)
    return runs, saved.get("trained_in", saved["environment"])


def _with_mean(accuracy: List[float]) -> List[float]:
    return accuracy + [sum(accuracy) / len(accuracy)]


def _mean_std(rows: List[List[float]]) -> Dict[str, object]:
    values = torch.tensor(rows, dtype=torch.float64)
    std = values.std(dim=0, unbiased=True) if len(rows) > 1 else torch.zeros(values.shape[1], dtype=torch.float64)
    return {"mean": values.mean(dim=0).tolist(), "std": std.tolist(), "seeds": len(rows)}


def summarise(results: dict, protocol: str) -> Dict[tuple, Dict[str, object]]:
    """{(model, width): {"mean", "std": per scale + mean over scales, "seeds": count}} over seeds."""
    per_run = {}
    for r in results["runs"]:
        if r["protocol"] == protocol:
            per_run.setdefault((r["model"], r["width"]), []).append(_with_mean(r["accuracy"]))
    return {key: _mean_std(rows) for key, rows in per_run.items()}


def _paired_differences(results: dict, protocol: str, baseline: str) -> Dict[tuple, List[List[float]]]:
    """{(model, width): one row per seed of (model - baseline) accuracy per scale, plus the mean over scales}."""
    by_seed = {(r["model"], r["width"], r["seed"]): _with_mean(r["accuracy"])
               for r in results["runs"] if r["protocol"] == protocol}
    differences = {}
    for (model, width, seed), acc in sorted(by_seed.items(), key=lambda item: item[0][2]):
        base = by_seed.get((baseline, width, seed))
        if model != baseline and base is not None:
            differences.setdefault((model, width), []).append([a - b for a, b in zip(acc, base)])
    return differences


def paired_gains(results: dict, protocol: str, baseline: str = "plain") -> Dict[tuple, Dict[str, object]]:
    """{(model, width): mean and std over seeds of (model - baseline) accuracy, same seed paired}.

    Runs with the same seed share the data order, so the per-seed difference removes the part of
    the seed-to-seed noise that both models share. Per scale, plus the mean over scales.
    """
    return {key: _mean_std(rows) for key, rows in _paired_differences(results, protocol, baseline).items()}


BANDS = {"x0.5-x0.8": [0.5, 0.6, 0.7, 0.8], "x0.9-x1.1": [0.9, 1.0, 1.1], "x1.2-x1.5": [1.2, 1.3, 1.4, 1.5]}
CONTRASTS = [  # (model, baseline, what the difference measures)
    ("plain_matched", "plain", "more parameters alone"),
    ("dcnv2", "plain", "DCNv2"),
    ("dcnv2", "plain_matched", "DCNv2 beyond its parameters"),
    ("dcnv1", "plain", "offsets alone"),
    ("modulation_only", "plain", "modulation alone"),
    ("dcnv2", "dcnv1", "modulation on top of offsets"),
    ("dcnv2", "modulation_only", "offsets on top of modulation"),
]


def contrasts(results: dict, protocol: str, width: int) -> List[Dict[str, object]]:
    """Each of ``CONTRASTS`` present in ``results``: the paired difference in points, per band of scales.

    For every band (``BANDS`` and "all" 11 scales) and seed, the difference of the two models' accuracies
    averaged over the band's scales; then its mean and std over seeds, and how many seeds came out above 0.
    """
    scales = results["scales"]
    bands = {name: [scales.index(s) for s in band if s in scales] for name, band in BANDS.items()}
    bands["all scales"] = [len(scales)]  # the per-scale lists end with their mean over the scales
    differences = {b: _paired_differences(results, protocol, b) for b in dict.fromkeys(b for _, b, _ in CONTRASTS)}
    found = []
    for model, baseline, meaning in CONTRASTS:
        rows = differences[baseline].get((model, width))
        if not rows:
            continue
        cells = {}
        for name, columns in bands.items():
            per_seed = [sum(row[c] for c in columns) / len(columns) for row in rows]
            stats = _mean_std([[d] for d in per_seed])
            cells[name] = {"mean": stats["mean"][0], "std": stats["std"][0], "above_zero": sum(d > 0 for d in per_seed),
                           "seeds": len(per_seed)}
        found.append({"model": model, "baseline": baseline, "meaning": meaning, "bands": cells})
    return found


def contrasts_table(results: dict, protocol: str, width: int) -> str:
    """``contrasts`` as a Markdown table: a row per comparison, a column per band of scales."""
    rows = contrasts(results, protocol, width)
    if not rows:
        return f"(no pair of models to compare at width {width})"
    names = list(rows[0]["bands"])
    lines = ["| comparison (same seed) | what it measures | " + " | ".join(names) + " |", "|" + " --- |" * (len(names) + 2)]
    for row in rows:
        cells = [f"{c['mean']:+.2f} ± {c['std']:.2f} ({c['above_zero']}/{c['seeds']})" for c in row["bands"].values()]
        lines.append(f"| {row['model']} - {row['baseline']} | {row['meaning']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + ("\n\naccuracy difference in points, averaged over the scales of each band: mean ± std over "
                               "seed pairs (in brackets: seeds with a difference above 0)")


def _ordered(keys) -> list:
    order = list(VARIANTS)
    return sorted(keys, key=lambda k: (k[1], order.index(k[0]) if k[0] in order else len(order)))


def results_table(results: dict, protocol: str, gains: bool = False) -> str:
    """A Markdown table: a row per scale plus the mean over scales, a column per model and width.

    ``gains=True``: each model's paired gain over the plain model (same seed), in points.
    """
    summary = paired_gains(results, protocol) if gains else summarise(results, protocol)
    keys = _ordered(summary)
    sign = "+" if gains else ""
    header = "| scale | " + " | ".join(f"{m} w{w}" for m, w in keys) + " |"
    lines = [header, "|" + " --- |" * (len(keys) + 1)]
    for i, label in enumerate([f"x{s}" for s in results["scales"]] + ["**mean**"]):
        cells = [f"{summary[k]['mean'][i]:{sign}.2f} ± {summary[k]['std'][i]:.2f}" for k in keys]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    seeds = "/".join(map(str, sorted({summary[k]["seeds"] for k in keys})))
    what = f"gain over plain (same seed), mean ± std over {seeds} seed pairs, points" if gains else \
        f"mean ± std over {seeds} seeds"
    return "\n".join(lines) + f"\n\n{what}"


def models_table(results: dict) -> str:
    """A Markdown table of each model's size and cost: parameters, multiply-adds, training time."""
    rows = {}
    for r in results["runs"]:
        rows.setdefault((r["model"], r["width"]), []).append(r)
    lines = ["| model | width | trainable parameters | multiply-adds: convs | + sampling | train time (s) |",
             "|" + " --- |" * 6]
    for key in _ordered(rows):
        r = rows[key][0]
        times = list({x["seed"]: x["train_time_s"] for x in rows[key]}.values())  # one per seed
        lines.append(f"| {key[0]} | {key[1]} | {r['parameters']:,} | {r['multiply_adds']['convs']:,} | "
                     f"{r['multiply_adds']['sampling']:,} | {sum(times) / len(times):.0f} |")
    threads = "/".join(str(t) for t in sorted({r["threads"] for r in results["runs"] if "threads" in r}))
    on = f" on {results['environment']['device']}" if "environment" in results else ""
    return "\n".join(lines) + (f"\n\nmultiply-adds per 28x28 image; train time: mean over seeds, all epochs{on}"
                               + (f", {threads} thread(s) per run" if threads else ""))


def _colour(model: str) -> str:
    """The same colour for a model in every figure."""
    return f"C{list(VARIANTS).index(model) % 10}" if model in VARIANTS else "k"


def _band(ax, scales: List[float], stats: Dict[str, object], model: str, mean_text: str) -> None:
    """A model's mean over seeds per scale as a line, ± its std as a band; the legend gives the overall mean."""
    mean, std = torch.tensor(stats["mean"][:-1]), torch.tensor(stats["std"][:-1])
    ax.plot(scales, mean, marker="o", ms=4, color=_colour(model), label=f"{model} (mean {mean_text})")
    ax.fill_between(scales, mean - std, mean + std, color=_colour(model), alpha=0.15)


def plot_accuracy(ax, results: dict, width: int, protocol: str) -> None:
    """Accuracy vs scale for every model of one width: mean over seeds with ± std error bars, each model with its
    own marker and line style, the bars dodged sideways so that five models stay apart."""
    summary = summarise(results, protocol)
    scales = torch.tensor(results["scales"])
    models = [model for model, w in _ordered(summary) if w == width]
    for k, model in enumerate(models):
        stats = summary[model, width]
        dodge = 0.012 * (k - (len(models) - 1) / 2)
        ax.errorbar(scales + dodge, stats["mean"][:-1], yerr=stats["std"][:-1], color=_colour(model), capsize=2,
                    marker="os^Dv"[k % 5], ms=4, lw=1.3, ls=["-", "--", "-.", ":", "-"][k % 5],
                    label=f"{model} (mean {stats['mean'][-1]:.2f}%)")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel="top-1 accuracy (%)", title=f"width {width}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower center", fontsize=8)


def plot_gains(ax, results: dict, width: int, protocol: str) -> None:
    """Each model's gain over the plain one vs scale, one width: mean over seed pairs, ± std band."""
    gains = paired_gains(results, protocol)
    scales = results["scales"]
    for model, w in _ordered(gains):
        if w != width:
            continue
        _band(ax, scales, gains[model, w], model, f"{gains[model, w]['mean'][-1]:+.2f}")
    ax.axhline(0.0, color=_colour("plain"), lw=1.5, label="plain")
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel="accuracy - plain's, same seed (points)",
           title=f"width {width}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def training_table(runs: List[dict], origin: Dict[tuple, str]) -> str:
    """A markdown table, one row per run (one record each): epochs, the loss of the first and last epoch, the last
    epoch's training accuracy and time where recorded, the whole training time, and where the run comes from."""
    lines = ["| model | width | seed | epochs | loss: first -> last epoch | last epoch: accuracy, time | training | run |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in runs:
        accuracy, times = r.get("train_accuracy"), r.get("epoch_time_s")
        last = f"{accuracy[-1]:.2f}%, {times[-1]:.0f} s" if accuracy and times else "-"
        lines.append(f"| {r['model']} | {r['width']} | {r['seed']} | {len(r['train_loss'])} | {r['train_loss'][0]:.4f} -> "
                     f"{r['train_loss'][-1]:.4f} | {last} | {r['train_time_s']:.0f} s | "
                     f"{origin.get((r['model'], r['width'], r['seed']), '')} |")
    return "\n".join(lines) + "\n\ntraining accuracy: on the training batches as they were trained"


def plot_headline(ax, results: dict, width: int, protocol: str) -> None:
    """DCNv2 minus the capacity-matched plain CNN vs scale: one line per seed (same data order), their mean."""
    differences = _paired_differences(results, protocol, "plain_matched").get(("dcnv2", width), [])
    scales = results["scales"]
    for seed, row in zip(results["config"]["seeds"], differences):
        ax.plot(scales, row[:-1], marker=".", color=_colour("dcnv2"), alpha=0.45, lw=1,
                label=f"seed {seed}: {row[-1]:+.2f} over all scales")
    if differences:
        mean = torch.tensor(differences, dtype=torch.float64).mean(dim=0).tolist()
        ax.plot(scales, mean[:-1], marker="o", color=_colour("dcnv2"), lw=2.5, label=f"mean: {mean[-1]:+.2f}")
    ax.axhline(0.0, color="k", lw=1)
    ax.set(xlabel="test scale (x1.0 = as trained)", ylabel="DCNv2 - matched plain CNN (points)",
           title=f"width {width}: DCNv2 against a plain CNN of its size, paired by seed")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


TRAINING_RECORDS = {"train_loss": "mean training loss", "train_accuracy": "training accuracy (%)",
                    "epoch_time_s": "epoch time (s)"}


def plot_training(ax, runs: List[dict], width: int, record: str = "train_loss") -> None:
    """One of ``TRAINING_RECORDS`` per epoch for every run of one width (one record per run), coloured by model."""
    for r in runs:
        if r["width"] == width and r.get(record):
            ax.plot(range(1, len(r[record]) + 1), r[record], color=_colour(r["model"]), alpha=0.7,
                    lw=1, label=r["model"] if r["seed"] == min(q["seed"] for q in runs) else None)
    ax.set(xlabel="epoch", ylabel=TRAINING_RECORDS[record], yscale="log" if record == "train_loss" else "linear",
           title=f"width {width}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


class Timer:
    """Wall time since creation, in seconds."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self) -> float:
        return time.perf_counter() - self.start


# ----------------------------------------------------------------------------------------------------
# Where conv4 and conv5 sample: the 81 sampling points of one conv5 unit, in input pixels
# ----------------------------------------------------------------------------------------------------
def to_input_pixels(p: Tensor) -> Tensor:
    """(y, x) on MnistNet's 7x7 feature grid -> (y, x) in 28x28 input pixels (pixel centres at integers).

    conv1..conv5 are stride-1 "same" convs, so only the two 2x max-pools move coordinates: a 14x14
    cell i covers input pixels 2i and 2i + 1 (centre 2i + 0.5), a 7x7 cell p covers 14x14 cells 2p and
    2p + 1, hence 4x4 input pixels centred at 4p + 1.5. The map is affine, so it holds for fractional p.
    """
    return 4.0 * p + 1.5


class SamplingPoints(NamedTuple):
    """The sampling points of one conv5 unit, for N images (see :func:`sampling_points`).

    points: (N, 81, 2) (y, x) in input pixels; point 9 * a + b is conv4's kernel point b read at
        conv5's kernel point a (kernel points numbered i * 3 + j, row by row).
    weights: (N, 81) modulation along each path: conv5's mask at a times conv4's mask read at a.
    conv5_points: (N, 9, 2) conv5's own 9 sampling locations, in input pixels.
    """
    points: Tensor
    weights: Tensor
    conv5_points: Tensor


def _as_deformable(conv: nn.Module) -> DeformableConv2d:
    """A DeformableConv2d as is; a plain conv as the equivalent deformable one (zero offsets, unit masks)."""
    return conv if isinstance(conv, DeformableConv2d) else DeformableConv2d.from_conv(conv)


@torch.no_grad()
def sampling_points(model: MnistNet, inputs: Tensor, unit: Tuple[int, int] = (3, 3)) -> SamplingPoints:
    """Where conv5's output ``unit`` (row, column of its 7x7 map) looks in the input, through conv4.

    conv5 samples conv4's output at 9 fractional locations a (``conv5.deformation``); conv4's output at
    such a location is the bilinear blend of the 4 neighbouring conv4 units, so we read conv4's absolute
    sampling locations and masks (``conv4.deformation``) there with ``dcn.bilinear_sample``: 9 x 9 = 81
    points in conv4's input (the 7x7 grid), mapped to input pixels by :func:`to_input_pixels`. A plain
    model goes through the same code, its convs wrapped by ``DeformableConv2d.from_conv`` (zero
    offsets, unit masks), so its fixed grid comes from the same geometry.

    The location map ``p -> p + grid_b + offset_b(p)`` is affine in p up to the offsets, so its
    bilinear reading is exact wherever conv5's location lies inside the 7x7 map. Outside it
    (rows or columns beyond [0, 6]) conv5 reads zeros; there we read the location at the nearest point
    of the map and shift it by the distance to that point: the regular grid is extended exactly and
    the offsets are those of the map's border. The weight reads conv4's mask with zeros outside, so it
    fades to zero within one cell beyond the border, as much as conv5's own reading does.

    Args:
        model: a MnistNet, deformable or plain; evaluated as is (call ``model.eval()`` first).
        inputs: (N, 1, 28, 28) normalised images (as :func:`zoom` returns), on the model's device.
        unit: (row, column) of the conv5 output unit; (3, 3) is the centre of the 7x7 map.

    Returns:
        :class:`SamplingPoints` (points (N, 81, 2), weights (N, 81), conv5_points (N, 9, 2)), on the
        inputs' device.
    """
    features = model.features(inputs)
    conv4, conv5 = _as_deformable(model.conv4), _as_deformable(model.conv5)
    for conv in (conv4, conv5):
        if conv.kernel_size != (3, 3) or conv.offset_groups != 1:
            raise ValueError("sampling_points expects 3x3 convs with one offset group")
    d5 = conv5.deformation(features["conv5_in"])
    d4 = conv4.deformation(features["conv4_in"])
    row, col = unit
    at = d5.locations[:, 0, :, row, col]  # (N, 9, 2): conv5's locations on conv4's output grid
    mask5 = d5.mask[:, 0, :, row, col]  # (N, 9)
    n, _, k, h, w, _ = d4.locations.shape
    location_map = d4.locations[:, 0].permute(0, 1, 4, 2, 3).reshape(n, 2 * k, h, w)  # (N, 9 * (y, x), 7, 7)
    limit = at.new_tensor([h - 1, w - 1])
    inside = torch.minimum(torch.maximum(at, torch.zeros_like(limit)), limit)
    locations = dcn.bilinear_sample(location_map, inside.unsqueeze(2))  # (N, 18, 9, 1)
    locations = locations.view(n, k, 2, 9).permute(0, 3, 1, 2)  # (N, a, b, (y, x))
    locations = locations + (at - inside).unsqueeze(2)
    mask4 = dcn.bilinear_sample(d4.mask[:, 0], at.unsqueeze(2))[..., 0]  # (N, b, a), zeros outside
    weights = mask5.unsqueeze(2) * mask4.transpose(1, 2)  # (N, a, b)
    return SamplingPoints(points=to_input_pixels(locations.reshape(n, 9 * k, 2)),
                          weights=weights.reshape(n, 9 * k), conv5_points=to_input_pixels(at))


def mean_distance(points: Tensor, centre: Tensor) -> Tensor:
    """Mean Euclidean distance of the points (N, P, 2) from ``centre`` ((2,) or (N, 2)), in their units: (N,)."""
    return (points - centre.view(-1, 1, 2)).norm(dim=-1).mean(dim=1)


def effective_dilation(points: Tensor) -> Tensor:
    """The DCN paper's effective dilation of the 81 points (N, 81, 2): (N,), in their units.

    The mean distance between adjacent kernel points of conv4 within each of conv5's 9 groups: in
    every 3x3 inner grid, the 6 horizontally and 6 vertically neighbouring pairs, 108 pairs in all.
    A plain 3x3 conv on MnistNet's 7x7 grid gives exactly 4.0 input pixels (one 7x7 cell).
    """
    grid = points.view(points.shape[0], 9, 3, 3, 2)
    across = (grid[:, :, :, 1:] - grid[:, :, :, :-1]).norm(dim=-1).flatten(1)
    down = (grid[:, :, 1:, :] - grid[:, :, :-1, :]).norm(dim=-1).flatten(1)
    return torch.cat([across, down], dim=1).mean(dim=1)
