"""The positive-pair mask against masks worked out by hand."""
import math

import torch

from projects.pixpro.geometry import bin_diagonal, cell_centres, positive_mask


def test_cell_centres_of_a_full_crop():
    # Whole image, 2x2 grid: bins are 0.5 wide, centres at 0.25 and 0.75.
    centres = cell_centres(torch.tensor([[0., 0., 1., 1.]]), 2, 2)[0]
    expected = torch.tensor([[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]])
    assert torch.allclose(centres, expected)


def test_flipped_crop_runs_right_to_left():
    flipped = cell_centres(torch.tensor([[1., 0., 0., 1.]]), 2, 2)[0]
    assert torch.allclose(flipped[:, 0], torch.tensor([0.75, 0.25, 0.75, 0.25]))
    assert torch.allclose(bin_diagonal(torch.tensor([[1., 0., 0., 1.]]), 2, 2),
                          torch.tensor([math.sqrt(0.5)]))


def test_mask_shifted_crops_by_hand():
    # View a covers the whole image, view b the right half; 2x2 grids.
    # a centres x: 0.25, 0.75 (bin 0.5 x 0.5, diag 0.7071)
    # b centres x: 0.625, 0.875 (bin 0.25 x 0.5, diag 0.5590); scale = 0.7071.
    # Same row: |dx| = 0.375 -> 0.530 (<0.7), 0.625 -> 0.884, 0.125 -> 0.177, 0.125 -> 0.177
    # Different rows add dy = 0.5 -> distances >= 0.5/0.7071 = 0.707 -> never positive.
    a = torch.tensor([[0., 0., 1., 1.]])
    b = torch.tensor([[0.5, 0., 1., 1.]])
    mask = positive_mask(a, b, 2, 2, threshold=0.7)[0]
    expected = torch.tensor([
        [1., 0., 0., 0.],   # a(0,0) x=.25: b(0,0) x=.625 d=.530 ; b(0,1) x=.875 d=.884
        [1., 1., 0., 0.],   # a(0,1) x=.75: d=.177 and .177
        [0., 0., 1., 0.],
        [0., 0., 1., 1.],
    ])
    assert torch.equal(mask, expected)


def test_mask_with_flipped_view_by_hand():
    # View b is the whole image flipped: its cell (r, c) looks at column 1 - c of view a.
    a = torch.tensor([[0., 0., 1., 1.]])
    b = torch.tensor([[1., 0., 0., 1.]])
    mask = positive_mask(a, b, 2, 2, threshold=0.7)[0]
    expected = torch.tensor([[0., 1., 0., 0.], [1., 0., 0., 0.],
                             [0., 0., 0., 1.], [0., 0., 1., 0.]])
    assert torch.equal(mask, expected)
    # Masks are symmetric: b -> a is the transpose of a -> b.
    assert torch.equal(positive_mask(b, a, 2, 2)[0], expected.T)


def test_non_overlapping_views_have_no_positives():
    a = torch.tensor([[0., 0., 0.3, 0.3]])
    b = torch.tensor([[0.7, 0.7, 1., 1.]])
    assert positive_mask(a, b, 7, 7).sum() == 0


def test_threshold_is_strict_and_batched():
    a = torch.tensor([[0., 0., 1., 1.], [0., 0., 1., 1.]])
    b = torch.tensor([[0., 0., 1., 1.], [1., 0., 0., 1.]])
    mask = positive_mask(a, b, 7, 7, threshold=0.7)
    assert mask.shape == (2, 49, 49)
    assert torch.equal(mask[0], torch.eye(49))  # identical crops: only the same cell
