"""CUDA paths, run by tools/gpu_check.sh on a GPU machine (skipped without CUDA): each GPU
result is compared with the same computation on the CPU."""
import numpy as np
import pytest
import torch

from densepre_test_helpers import run_tool

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU')


def test_event_voxel_grid_on_cuda_equals_cpu():
    from projects.common.events import EventStream, voxel_grid
    rng = np.random.default_rng(0)
    n = 200_000
    events = EventStream(rng.uniform(0, 63, n), rng.uniform(0, 47, n),
                         np.sort(rng.integers(0, 50_000, n)),
                         rng.choice([-1, 1], n).astype(np.int8))
    cpu = voxel_grid(events, 5, 48, 64)
    gpu = voxel_grid(events, 5, 48, 64, device='cuda')
    assert np.allclose(cpu, gpu, atol=1e-4)  # atomics sum in another order


def test_spunet_forward_backward_on_cuda_matches_cpu():
    import spconv.pytorch as spconv

    from projects.common.models import SpUNet
    torch.manual_seed(0)
    net = SpUNet(in_channels=6, num_classes=5, base_channels=16).eval()
    coords = torch.unique(torch.randint(0, 40, (3000, 3)), dim=0)
    indices = torch.cat([torch.zeros(len(coords), 1, dtype=torch.long), coords], 1).int()
    feats = torch.randn(len(indices), 6)
    outs = []
    for device in ('cpu', 'cuda'):
        net.to(device).zero_grad()
        x = spconv.SparseConvTensor(feats.to(device), indices.to(device), [40] * 3, 1)
        out = net(x).features
        out.square().mean().backward()
        outs.append((out.detach().cpu(), net.stem[0].weight.grad.detach().cpu()))
    for cpu, gpu in zip(*outs):
        assert torch.allclose(cpu, gpu, rtol=1e-3, atol=1e-4)


def test_pdbev_lift_on_cuda_matches_cpu():
    from projects.common.cameras import intrinsics, lidar2cam_from_pose, lidar2img
    from projects.pdbev.lifting import VoxelGrid, lift
    torch.manual_seed(0)
    grid = VoxelGrid((-12.8, -12.8, -2.0, 12.8, 12.8, 2.0), (0.8, 0.8, 1.0))
    mats = torch.tensor(np.array([lidar2img(intrinsics(60, 60, 44, 16),
                                            lidar2cam_from_pose(yaw, (0, 0, 0)))
                                  for yaw in (0.0, np.pi)]), dtype=torch.float32)
    feats, mu, b = torch.randn(2, 8, 4, 11), torch.rand(2, 4, 11) * 10 + 1, torch.rand(2, 4, 11)
    results = []
    for device in ('cpu', 'cuda'):
        inputs = [t.to(device).requires_grad_() for t in (feats, mu, b + 0.1)]
        bev = lift(*inputs, mats.to(device), (32, 88), grid)[0]
        bev.square().sum().backward()
        results.append([bev.detach().cpu()] + [t.grad.cpu() for t in inputs])
    for cpu, gpu in zip(*results):
        assert torch.allclose(cpu, gpu, rtol=1e-3, atol=1e-4)


def test_mmcv_cuda_ops_run():
    from mmcv.ops import nms
    boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30.]], device='cuda')
    _, keep = nms(boxes, torch.tensor([0.9, 0.8, 0.7], device='cuda'), 0.5)
    assert keep.tolist() == [0, 2]


def test_pixpro_trains_on_cuda_with_amp(samples, tmp_path):
    res = run_tool('tools/train.py', 'tests/configs/pixpro_tiny_resume.py', '--amp',
                   '--work-dir', str(tmp_path), '--cfg-options', 'train_cfg.max_epochs=1')
    assert res.returncode == 0, res.stderr[-3000:]
    log = res.stdout + res.stderr
    assert 'AmpOptimWrapper' in log or 'amp' in log.lower()
    state = torch.load(tmp_path / 'epoch_1.pth', map_location='cpu', weights_only=False)
    assert all(torch.isfinite(v).all() for v in state['state_dict'].values()
               if v.is_floating_point())
