"""DINO loss, centring, InfoNCE and the teacher's EMA schedule against hand computations."""
import math

import pytest
import torch

from projects.point_distill.losses import dino_loss, info_nce, updated_center

LN3 = math.log(3.0)


def test_dino_loss_by_hand():
    # Teacher softmaxes: crop 0 -> (.75, .25), crop 1 -> (.25, .75).
    teacher = [torch.tensor([[LN3, 0.0]]), torch.tensor([[0.0, LN3]])]
    # Student softmaxes: (.5, .5), (.75, .25), (.25, .75).
    student = [torch.tensor([[0.0, 0.0]]), torch.tensor([[LN3, 0.0]]),
               torch.tensor([[0.0, LN3]])]
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))  # teacher crop i vs student crop j:
    expected = (h                                              # (0, 1)
                - (0.75 * math.log(0.25) + 0.25 * math.log(0.75))  # (0, 2)
                + math.log(2.0)                                # (1, 0)
                + h) / 4                                       # (1, 2); (0, 0), (1, 1) skipped
    loss = dino_loss(student, teacher, torch.zeros(1, 2), student_temp=1.0, teacher_temp=1.0)
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_centring_and_teacher_temperature_act_on_the_teacher_only():
    teacher = [torch.tensor([[LN3, 0.0]]), torch.tensor([[LN3, 0.0]])]
    student = [torch.tensor([[0.0, 0.0]]), torch.tensor([[0.0, 0.0]])]
    # A centre equal to the teacher output makes its target uniform: CE with uniform = ln 2.
    centred = dino_loss(student, teacher, torch.tensor([[LN3, 0.0]]), 1.0, 1.0)
    assert centred.item() == pytest.approx(math.log(2.0), rel=1e-6)
    # A sharp teacher temperature makes the target one-hot (1, 0): CE = -ln 0.75.
    student = [torch.tensor([[LN3, 0.0]])] * 2  # student (.75, .25)
    sharp = dino_loss(student, teacher, torch.zeros(1, 2), 1.0, teacher_temp=1e-3)
    assert sharp.item() == pytest.approx(-math.log(0.75), rel=1e-5)


def test_center_update_by_hand():
    teacher = [torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[5.0, 6.0], [7.0, 8.0]])]
    center = updated_center(torch.tensor([[10.0, 0.0]]), teacher, momentum=0.9)
    assert torch.allclose(center, torch.tensor([[0.9 * 10 + 0.1 * 4, 0.1 * 5]]))


def test_info_nce_by_hand():
    q = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    # logits = q k^T / 0.5 = [[2, 0], [0, 2]]: each row -log(e^2 / (e^2 + 1)).
    assert info_nce(q, q, temperature=0.5).item() == pytest.approx(
        math.log(1 + math.exp(-2)), rel=1e-6)
    # With keys from two processes, this rank's positives sit at offset 2.
    keys = torch.cat([torch.tensor([[-1.0, 0.0], [0.0, -1.0]]), q])
    expected = -math.log(math.exp(2) / (math.exp(2) + 2 * math.exp(0) + math.exp(-2)))
    assert info_nce(q, keys, 0.5, offset=2).item() == pytest.approx(expected, rel=1e-6)
