"""FAC losses against hand computations on tiny inputs."""
import math

import pytest
import torch

from projects.fac.losses import (foreground_background_contrast, foreground_point_contrast,
                                 segment_pool)


def test_point_contrast_by_hand():
    # Three pairs; pairs 0 and 1 are in segment 5, pair 2 in segment 7. t = 1.
    z1 = torch.tensor([[1., 0.], [0., 1.], [1., 0.]])
    z2 = torch.tensor([[1., 0.], [0., 1.], [0., 1.]])
    seg = torch.tensor([5, 5, 7])
    # Row 0 logits (1, 0, 0): positives k=0,1 -> -(log p0 + log p1)/2
    # Row 1 logits (0, 1, 1): positives k=0,1; row 2 logits (1, 0, 0): positive k=2.

    def log_softmax(row, k):
        return row[k] - math.log(sum(math.exp(v) for v in row))
    r0 = -(log_softmax([1, 0, 0], 0) + log_softmax([1, 0, 0], 1)) / 2
    r1 = -(log_softmax([0, 1, 1], 0) + log_softmax([0, 1, 1], 1)) / 2
    r2 = -log_softmax([1, 0, 0], 2)
    expected = (r0 + r1 + r2) / 3
    assert foreground_point_contrast(z1, z2, seg, 1.0).item() == pytest.approx(expected, rel=1e-6)


def test_segment_pool_by_hand():
    feats = torch.tensor([[1., 0.], [3., 2.], [5., 5.]])
    pooled = segment_pool(feats, torch.tensor([0, 0, 2]), 3)
    assert pooled.tolist() == [[2., 1.], [0., 0.], [5., 5.]]  # empty segment 1 -> zeros


def test_foreground_background_contrast_by_hand():
    # Segments: 0 background, 1 and 2 foreground. t = 0.5.
    f1 = torch.tensor([[1., 0.], [0., 1.], [0.6, 0.8]])
    f2 = torch.tensor([[1., 0.], [0., 1.], [0.8, 0.6]])
    fg = torch.tensor([False, True, True])

    def nll(row, k):
        return -(row[k] - math.log(sum(math.exp(v) for v in row)))
    row1 = [0.0 / 0.5, 1.0 / 0.5, 0.6 / 0.5]   # f1[1] . f2[t] / t
    row2 = [0.6 / 0.5, 0.8 / 0.5, 0.96 / 0.5]  # f1[2] . f2[t] / t
    expected = (nll(row1, 1) + nll(row2, 2)) / 2
    loss = foreground_background_contrast(f1, f2, fg, 0.5)
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_segment_correlation_by_hand_and_disabled():
    from projects.fac.correlation import SegmentCorrelation
    module = SegmentCorrelation(channels=2)
    for layer in (module.query, module.key, module.value):  # identity projections
        layer.weight.data.copy_(torch.eye(2))
        layer.bias.data.zero_()
    f1 = torch.tensor([[1., 0.]])
    f2 = torch.tensor([[1., 0.], [0., 1.]])
    g1, g2 = module(f1, f2)
    # f1 attends to f2 with weights softmax([1, 0] / sqrt(2)).
    w = torch.softmax(torch.tensor([1., 0.]) / math.sqrt(2), 0)
    assert torch.allclose(g1, f1 + w[0] * f2[0] + w[1] * f2[1])
    assert torch.allclose(g2, f2 + f1)  # one segment to attend to: weight 1
    off = SegmentCorrelation(channels=2, enabled=False)
    assert off(f1, f2)[0] is f1
