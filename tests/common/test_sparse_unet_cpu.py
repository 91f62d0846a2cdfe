"""The spconv CPU shim and the sparse U-Net: forward and backward on the CPU."""
import pytest
import spconv.pytorch as spconv
import torch

from projects.common.models import SpUNet
from projects.common.spconv_cpu import apply_spconv_cpu_shim


def random_voxels(num=600, grid=24, batch=2, channels=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    coords = torch.randint(0, grid, (num, 3), generator=g)
    batch_idx = torch.randint(0, batch, (num, 1), generator=g)
    indices = torch.unique(torch.cat([batch_idx, coords], 1), dim=0).int()
    feats = torch.randn(len(indices), channels, generator=g)
    return spconv.SparseConvTensor(feats, indices, [grid] * 3, batch)


@pytest.mark.skipif(torch.cuda.is_available(), reason='the shim is for CPU-only machines')
def test_shim_is_applied_without_cuda():
    from spconv.pytorch import ops
    assert apply_spconv_cpu_shim() is True
    assert ops.get_current_stream() == 0


def test_tiny_unet_forward_backward_cpu():
    torch.manual_seed(0)
    net = SpUNet(in_channels=4, num_classes=3, base_channels=8,
                     channels=(8, 16, 16, 8), layers=(1, 1, 1, 1))
    x = random_voxels()
    out = net(x)
    # Output voxels are the input voxels, in the same order: per-voxel logits come back.
    assert out.features.shape == (x.features.shape[0], 3)
    assert torch.equal(out.indices, x.indices)
    out.features.pow(2).mean().backward()
    grads = [p.grad for p in net.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert sum(float(g.abs().sum()) for g in grads) > 0


def test_spunet_v1m1_shape():
    net = SpUNet(in_channels=6)
    assert net.out_channels == 96
    assert [len(stage) for stage in net.enc] == [2, 3, 4, 6]
    assert [len(stage) for stage in net.dec] == [2, 2, 2, 2]
    x = random_voxels(num=300, grid=32, channels=6)
    out = net(x)
    assert out.features.shape == (x.features.shape[0], 96)
    out.features.sum().backward()
    assert net.stem[0].weight.grad is not None


def test_mismatched_stage_lists_are_rejected():
    with pytest.raises(AssertionError, match='one entry per encoder and decoder'):
        SpUNet(in_channels=3, channels=(8, 16, 8), layers=(1, 1, 1))


def test_weights_survive_save_extract_and_load(tmp_path):
    """SpUNet kernels keep their layout through mmengine checkpoints, backbone extraction
    and loading (mmdet3d permutes spconv kernels of checkpoints without module versions)."""
    from mmengine.runner.checkpoint import save_checkpoint

    from projects.common.checkpoint import (extract_backbone, load_report,
                                            load_state_dict_file)
    torch.manual_seed(0)
    small = dict(in_channels=4, base_channels=8, channels=(8, 16, 16, 8), layers=(1, 1, 1, 1))
    source = torch.nn.Module()
    source.backbone = SpUNet(**small)
    save_checkpoint({'state_dict': source.state_dict()}, str(tmp_path / 'a.pth'))
    weights = extract_backbone(load_state_dict_file(str(tmp_path / 'a.pth')))
    target = SpUNet(**small)
    report = load_report(target, weights)
    assert report == dict(missing=[], unexpected=[], mismatched=[])
    for key, value in source.backbone.state_dict().items():
        assert torch.equal(target.state_dict()[key], value), key
