"""PixPro losses and the propagation module against hand computations."""
import math

import pytest
import torch
import torch.nn.functional as F

from projects.pixpro.losses import (instance_consistency_loss, pixcontrast_loss,
                                    pixel_to_propagation_loss)
from projects.pixpro.propagation import PixelPropagation


def test_pixel_to_propagation_loss_by_hand():
    # Image 0: pred cells (1,0),(0,1); target cells (1,0),(0.6,0.8); 3 positive pairs with
    # cosines 1, 0.6 and 0.8 -> mean 0.8. Image 1 has no positives: contributes 0 but
    # counts in the batch mean. Loss = -2 * (0.8 + 0) / 2 = -0.8.
    pred = torch.tensor([[[1., 0.], [0., 1.]], [[1., 0.], [0., 1.]]])  # (N, C, P)
    target = torch.tensor([[[1., 0.6], [0., 0.8]], [[1., 0.6], [0., 0.8]]])
    mask = torch.tensor([[[1., 1.], [0., 1.]], [[0., 0.], [0., 0.]]])
    loss = pixel_to_propagation_loss(pred, target, mask)
    assert loss.item() == pytest.approx(-0.8, abs=1e-5)


def test_pixcontrast_loss_by_hand():
    # One query cell (1,0); keys (1,0), (0,1), (0.6,0.8); positives 0 and 2; tau = 0.5.
    # logits 2, 0, 1.2 -> -log((e^2 + e^1.2) / (e^2 + e^0 + e^1.2)).
    query = torch.tensor([[[1.], [0.]]])
    key = torch.tensor([[[1., 0., 0.6], [0., 1., 0.8]]])
    mask = torch.tensor([[[1., 0., 1.]]])
    expected = -math.log((math.e ** 2 + math.e ** 1.2) / (math.e ** 2 + 1 + math.e ** 1.2))
    assert pixcontrast_loss(query, key, mask, 0.5).item() == pytest.approx(expected, rel=1e-5)


def test_pixcontrast_averages_over_overlap_cells_only():
    query = torch.tensor([[[1., 1.], [0., 0.]]])  # two identical query cells
    key = torch.tensor([[[1., 0., 0.6], [0., 1., 0.8]]])
    one = pixcontrast_loss(query[..., :1], key, torch.tensor([[[1., 0., 1.]]]), 0.5)
    # The second cell has no positive: it is outside the overlap and ignored.
    both = pixcontrast_loss(query, key, torch.tensor([[[1., 0., 1.], [0., 0., 0.]]]), 0.5)
    assert both.item() == pytest.approx(one.item(), rel=1e-6)
    none = pixcontrast_loss(query, key, torch.zeros(1, 2, 3), 0.5)
    assert none.item() == 0.0


def test_instance_loss_by_hand():
    pred = torch.tensor([[1., 0.], [1., 0.]])
    target = torch.tensor([[0., 1.], [2., 0.]])  # cosines 0 and 1
    assert instance_consistency_loss(pred, target).item() == pytest.approx(-1.0)


def test_propagation_by_hand():
    # Identity g, gamma 2, cells x0=(1,0), x1=(0.6,0.8), x2=(-1,0) on a 1x3 map.
    ppm = PixelPropagation(channels=2, transform_layers=0, gamma=2.0)
    x = torch.tensor([[1., 0.6, -1.], [0., 0.8, 0.]]).reshape(1, 2, 1, 3)
    out = ppm(x)[0]  # (C, 3)
    # s(0,1) = 0.6^2 = 0.36; s(0,2) = max(-1, 0)^2 = 0; s(1,2) = max(-0.6, 0)^2 = 0.
    y0 = torch.tensor([1., 0.]) + 0.36 * torch.tensor([0.6, 0.8])
    y1 = 0.36 * torch.tensor([1., 0.]) + torch.tensor([0.6, 0.8])
    y2 = torch.tensor([-1., 0.])
    expected = F.normalize(torch.stack([y0, y1, y2], 1), dim=0)
    assert torch.allclose(out, expected, atol=1e-6)


@pytest.mark.parametrize('layers,n_params', [(0, 0), (1, 2), (2, 6)])
def test_value_transform_depths(layers, n_params):
    ppm = PixelPropagation(channels=4, transform_layers=layers)
    assert len(list(ppm.parameters())) == n_params
    with pytest.raises(ValueError, match='0, 1 or 2'):
        PixelPropagation(channels=4, transform_layers=3)


def test_head_loss_on_two_images_with_2x2_maps_by_hand():
    """PixProHead end to end: PPM (identity g), masks from crop boxes, both directions.

    Image 1: view 2 is view 1 flipped, so each cell has exactly one positive (4 pairs).
    Online maps are constant, so PPM returns that vector: y1 = (1,0), y2 = (0,1).
    1 -> 2: cos((1,0), target-2 cells (1,0),(1,0),(0,1),(0,1)) -> mean 0.5
    2 -> 1: cos((0,1), target-1 cells (1,0),(0,1),(.6,.8),(.8,.6)) -> mean 0.6
    Image 2: the views do not overlap -> 0 in both directions, but counted in the mean.
    Loss = -2 * 0.5 / 2 + -2 * 0.6 / 2 = -1.1.
    """
    from projects.pixpro.heads import PixProHead
    head = PixProHead(channels=2, transform_layers=0, gamma=2.0)

    def const(vec):  # (2, 2, 2, 2) map whose cells all equal vec, for both images
        return torch.tensor(vec).view(1, 2, 1, 1).expand(2, 2, 2, 2).clone()

    def cells(vectors):  # row-major cells -> (2, C=2, 2, 2), same for both images
        return torch.tensor(vectors).T.reshape(1, 2, 2, 2).expand(2, 2, 2, 2).clone()

    online = [const([1., 0.]).requires_grad_(True), const([0., 1.]).requires_grad_(True)]
    target_1 = cells([[1., 0.], [0., 1.], [0.6, 0.8], [0.8, 0.6]]).requires_grad_(True)
    target_2 = cells([[1., 0.], [1., 0.], [0., 1.], [0., 1.]])
    coords = [torch.tensor([[0., 0., 1., 1.], [0., 0., .3, .3]]),
              torch.tensor([[1., 0., 0., 1.], [.7, .7, 1., 1.]])]
    loss = head.loss(online, [target_1, target_2], coords)
    assert loss.item() == pytest.approx(-1.1, abs=1e-5)
    loss.backward()
    assert online[0].grad is not None
    assert target_1.grad is None  # no gradient into the momentum branch
