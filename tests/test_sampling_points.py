"""The 81 sampling points drawn by notebooks/sampling_points are the layers' own (mnist_lab.sampling_points).

With known offsets we compute by hand where conv5's centre unit samples conv4's output, and where conv4
samples its input from each of those locations, and compare with what the function reads from the layers.
"""
from __future__ import annotations

import itertools
import math

import pytest
import torch

import mnist_lab as lab

KERNEL = list(itertools.product((-1, 0, 1), repeat=2))  # kernel point i * 3 + j at (i - 1, j - 1)
EXACT = dict(rtol=0.0, atol=1e-12)  # float64: exact up to rounding in bilinear_sample's [-1, 1] coordinates


def constant_offsets(conv, dy: float, dx: float, mask_logit: float = 0.0) -> None:
    """Every kernel point of ``conv`` at every position shifted by (dy, dx), with mask 2 * sigmoid(logit)."""
    with torch.no_grad():
        conv.offset_conv.weight.zero_()
        conv.offset_conv.bias[0::2] = dy
        conv.offset_conv.bias[1::2] = dx
        conv.modulator_conv.weight.zero_()
        conv.modulator_conv.bias.fill_(mask_logit)


def expected_points(unit, shift5, shift4) -> torch.Tensor:
    """By hand: conv5's grid around ``unit`` + shift5, conv4's grid around each + shift4, mapped as 4p + 1.5."""
    rows = []
    for a in KERNEL:
        at = (unit[0] + a[0] + shift5[0], unit[1] + a[1] + shift5[1])
        for b in KERNEL:
            rows.append((at[0] + b[0] + shift4[0], at[1] + b[1] + shift4[1]))
    return 4.0 * torch.tensor(rows, dtype=torch.float64) + 1.5


def model(deformable: bool) -> lab.MnistNet:
    torch.manual_seed(0)
    return lab.MnistNet(width=4, variant="dcnv2" if deformable else "plain").double().eval()


def images(n: int = 3) -> torch.Tensor:
    return torch.randn(n, 1, 28, 28, generator=torch.Generator().manual_seed(1), dtype=torch.float64)


@pytest.mark.parametrize("unit, shift5, shift4", [
    ((3, 3), (0.0, 1.0), (0.0, 1.0)),  # +1 px in x at every kernel point of both layers
    ((3, 3), (-0.25, 0.5), (1.0, -0.75)),  # fractional: conv4 is read between its units
    ((2, 4), (0.5, 0.0), (0.0, 0.0)),  # another unit; conv4 not deformed
])
def test_constant_offsets_give_the_hand_computed_points(unit, shift5, shift4):
    net = model(deformable=True)
    constant_offsets(net.conv5, *shift5)
    constant_offsets(net.conv4, *shift4)
    found = lab.sampling_points(net, images(), unit)
    expected = expected_points(unit, shift5, shift4)
    for points in found.points:
        torch.testing.assert_close(points, expected, **EXACT)
    torch.testing.assert_close(found.weights, torch.ones(3, 81, dtype=torch.float64), **EXACT)
    conv5 = 4.0 * (torch.tensor(unit, dtype=torch.float64) + torch.tensor(KERNEL) + torch.tensor(shift5)) + 1.5
    torch.testing.assert_close(found.conv5_points, conv5.expand(3, 9, 2), **EXACT)


def test_weights_are_the_product_of_both_masks():
    net = model(deformable=True)
    constant_offsets(net.conv5, 0.0, 0.0, mask_logit=1.0)
    constant_offsets(net.conv4, 0.0, 0.0, mask_logit=-2.0)
    weights = lab.sampling_points(net, images()).weights
    mask = lambda logit: 2 * torch.sigmoid(torch.tensor(logit, dtype=torch.float64))  # noqa: E731
    torch.testing.assert_close(weights, (mask(1.0) * mask(-2.0)).expand(3, 81), **EXACT)


def test_learned_conv4_offsets_are_read_where_conv5_samples():
    """conv4 with arbitrary offsets, conv5 shifted by whole cells: the 81 points are conv4's locations there."""
    net = model(deformable=True)
    torch.nn.init.normal_(net.conv4.offset_conv.weight, std=0.5)
    torch.nn.init.normal_(net.conv4.modulator_conv.weight, std=0.5)
    constant_offsets(net.conv5, 1.0, -1.0)
    x = images()
    found = lab.sampling_points(net, x)
    d4 = net.conv4.deformation(net.features(x)["conv4_in"])
    for n, a in itertools.product(range(3), range(9)):
        row, col = 3 + KERNEL[a][0] + 1, 3 + KERNEL[a][1] - 1
        group = slice(9 * a, 9 * a + 9)
        torch.testing.assert_close(found.points[n, group], 4.0 * d4.locations[n, 0, :, row, col] + 1.5, **EXACT)
        torch.testing.assert_close(found.weights[n, group], d4.mask[n, 0, :, row, col], **EXACT)


def test_outside_the_map_the_grid_extends_and_the_weight_fades():
    net = model(deformable=True)
    constant_offsets(net.conv4, 0.0, 0.0)
    constant_offsets(net.conv5, 0.0, 3.5)  # conv5's right column reads x = 3 + 1 + 3.5 = 7.5: beyond the map (0..6)
    found = lab.sampling_points(net, images(1))
    torch.testing.assert_close(found.points[0], expected_points((3, 3), (0.0, 3.5), (0.0, 0.0)), **EXACT)
    right = [9 * a + b for a in range(9) if KERNEL[a][1] == 1 for b in range(9)]
    assert found.weights[0, right].abs().max() == 0  # conv5 reads only zeros there
    middle = [9 * a + b for a in range(9) if KERNEL[a][1] == 0 for b in range(9)]  # x = 6.5: half inside
    torch.testing.assert_close(found.weights[0, middle], torch.full((27,), 0.5, dtype=torch.float64), **EXACT)


def test_plain_model_has_the_fixed_grid_and_known_measures():
    found = lab.sampling_points(model(deformable=False), images())
    expected = expected_points((3, 3), (0.0, 0.0), (0.0, 0.0))
    for points in found.points:
        torch.testing.assert_close(points, expected, **EXACT)
    torch.testing.assert_close(found.weights, torch.ones(3, 81, dtype=torch.float64), **EXACT)
    centre = lab.to_input_pixels(torch.tensor([3.0, 3.0], dtype=torch.float64))
    assert centre.tolist() == [13.5, 13.5]
    # 81 offsets 4 * (a + b) px: mean of their lengths
    by_hand = sum(4 * math.hypot(a[0] + b[0], a[1] + b[1]) for a in KERNEL for b in KERNEL) / 81
    full = lambda value: torch.full((3,), value, dtype=torch.float64)  # noqa: E731
    torch.testing.assert_close(lab.mean_distance(found.points, centre), full(by_hand), **EXACT)
    torch.testing.assert_close(lab.effective_dilation(found.points), full(4.0), **EXACT)


def test_measures_scale_with_the_points():
    points = expected_points((3, 3), (0.0, 0.0), (0.0, 0.0)).unsqueeze(0)
    centre = torch.tensor([13.5, 13.5], dtype=torch.float64)
    stretched = centre + 1.5 * (points - centre)
    torch.testing.assert_close(lab.effective_dilation(stretched), torch.tensor([6.0], dtype=torch.float64), **EXACT)
    torch.testing.assert_close(lab.mean_distance(stretched, centre), 1.5 * lab.mean_distance(points, centre), **EXACT)
