"""PDBEV geometry: projection, Laplacian masses along rays, occupancy, NLL, lifting."""
import math

import pytest
import torch

from projects.common.cameras import intrinsics, lidar2cam_from_pose, lidar2img
from projects.common.cameras import camera_centers, project
from projects.pdbev.lifting import (VoxelGrid, column_occupancy, laplace_cdf, lift,
                                    voxel_weights)
from projects.pdbev.losses import depth_targets, laplace_nll


def _camera(yaw=0.0, position=(0.0, 0.0, 0.0), size=(61, 101)):
    h, w = size
    return torch.tensor(lidar2img(intrinsics(100, 100, (w - 1) / 2, (h - 1) / 2),
                                  lidar2cam_from_pose(yaw, position)), dtype=torch.float32)


def test_known_point_projects_to_its_pixel():
    # camera at (1, 2, 0) looking along +x; fx = fy = 100, principal point (50, 30)
    cam = _camera(position=(1.0, 2.0, 0.0))[None]
    uv, depth = project(torch.tensor([[11.0, 1.0, 0.5]]), cam)
    # camera frame: right = -(y - 2) = 1, down = -z = -0.5, forward = 10
    assert depth.item() == pytest.approx(10.0)
    assert uv[0, 0].tolist() == pytest.approx([50 + 100 * 1 / 10, 30 - 100 * 0.5 / 10])
    assert camera_centers(cam)[0].tolist() == pytest.approx([1.0, 2.0, 0.0], abs=1e-5)
    # looking left (+y): a point at (0, 5, 0) sits on the optical axis
    uv, depth = project(torch.tensor([[0.0, 5.0, 0.0]]), _camera(yaw=math.pi / 2)[None])
    assert depth.item() == pytest.approx(5.0) and uv[0, 0].tolist() == pytest.approx([50, 30])


def test_ray_masses_add_up_to_the_probability_of_the_grid_range():
    """The optical axis passes through the centres of a row of 1 m voxels from x = 2 to 10:
    their masses sum to F(10) - F(2) of the Laplacian at the central pixel."""
    grid = VoxelGrid((2.0, -0.5, -0.5, 10.0, 0.5, 0.5), (1.0, 1.0, 1.0))
    mu, b = torch.full((1, 61, 101), 5.3), torch.full((1, 61, 101), 1.7)
    mass, inside, _ = voxel_weights(mu, b, _camera()[None], (61, 101), grid, mode='mass')
    assert inside.all() and mass.shape == (1, 8)
    expected = laplace_cdf(torch.tensor(10.0), 5.3, 1.7) - laplace_cdf(torch.tensor(2.0), 5.3, 1.7)
    assert mass.sum().item() == pytest.approx(expected.item(), abs=1e-5)
    # each voxel holds the mass of its own metre
    for i in range(8):
        cdf = lambda d: laplace_cdf(torch.tensor(d), 5.3, 1.7)  # noqa: E731
        own = cdf(3.0 + i) - cdf(2.0 + i)
        assert mass[0, i].item() == pytest.approx(own.item(), abs=1e-5)


def test_laplace_cdf_and_nll_by_hand():
    assert laplace_cdf(torch.tensor(1.0), 1.0, 2.0).item() == pytest.approx(0.5)
    assert laplace_cdf(torch.tensor(3.0), 1.0, 2.0).item() == pytest.approx(1 - 0.5 * math.exp(-1))
    assert laplace_cdf(torch.tensor(-1.0), 1.0, 2.0).item() == pytest.approx(0.5 * math.exp(-1))
    mu, b = torch.tensor([2.0, 3.0, 4.0]), torch.tensor([1.0, 0.5, 2.0])
    depth = torch.tensor([3.0, 0.0, 5.0])  # the middle pixel has no return
    expected = ((1 / 1 + math.log(1)) + (1 / 2 + math.log(2))) / 2
    assert laplace_nll(mu, b, depth).item() == pytest.approx(expected)
    assert laplace_nll(mu, b, torch.zeros(3)).item() == 0


def test_mass_mode_normalisation_on_a_column():
    mass = torch.tensor([0.2, 0.5, 0.3, 0.0]).view(1, 4, 1)
    inside = torch.tensor([True, True, True, False]).view(1, 4, 1)
    o = column_occupancy(mass, inside, biased_sum=False)[0, :, 0]
    assert o.tolist() == pytest.approx([0.201 / 1.01, 0.501 / 1.01, 0.301 / 1.01, 0.0])


def test_release_normalisation_on_a_full_12_level_column():
    """o = (w + 0.001) / (sum (w + 0.001) + 0.01) over the seen voxels of the column.
    Empty column: 12 x 0.001 / (0.012 + 0.01) = 6/11 < 1, so free space stays suppressed
    (the unbiased sum would give 12 x 0.1 = 1.2). One voxel of density 0.8: it gets
    0.801 / 0.822, the others 0.001 / 0.822 each."""
    inside = torch.ones(1, 12, 1, dtype=torch.bool)
    empty = column_occupancy(torch.zeros(1, 12, 1), inside)[0, :, 0]
    assert empty.tolist() == pytest.approx([1 / 22] * 12)
    assert empty.sum().item() == pytest.approx(6 / 11)
    assert column_occupancy(torch.zeros(1, 12, 1), inside, biased_sum=False).sum().item() == \
        pytest.approx(1.2)
    one = torch.zeros(1, 12, 1)
    one[0, 4] = 0.8
    o = column_occupancy(one, inside)[0, :, 0]
    assert o[4].item() == pytest.approx(0.801 / 0.822)
    assert o[[i for i in range(12) if i != 4]].tolist() == pytest.approx([0.001 / 0.822] * 11)
    # a voxel the camera does not see takes no share, also not of the sum
    inside[0, 11] = False
    o = column_occupancy(one, inside)[0, :, 0]
    assert o[11].item() == 0 and o[4].item() == pytest.approx(0.801 / 0.821)


def test_release_lift_weights_voxels_by_the_laplacian_density():
    """One camera on the optical axis of a 12-voxel row (x = 2..14 m, 1 m voxels), constant
    mu = 6.5, b = 1 and unit features: each voxel's density is exp(-|x - 6.5|) / 2 at its
    centre x; the BEV feature sums the normalised occupancies; a second identical camera
    leaves the average unchanged."""
    grid = VoxelGrid((2.0, -0.5, -0.5, 14.0, 0.5, 0.5), (1.0, 1.0, 1.0))
    mu, b = torch.full((1, 61, 101), 6.5), torch.ones(1, 61, 101)
    feats = torch.ones(1, 1, 61, 101)
    weights, inside, _ = voxel_weights(mu, b, _camera()[None], (61, 101), grid)
    centres = torch.arange(12) + 2.5
    assert inside.all()
    assert torch.allclose(weights[0], torch.exp(-(centres - 6.5).abs()) / 2, atol=1e-6)
    # the voxel grid is 12 x 1 x 1 in x: each column is one voxel of the row here
    bev, occ, count = lift(feats, mu, b, _camera()[None], (61, 101), grid)
    density = torch.exp(-(centres - 6.5).abs()) / 2
    expected = (density + 0.001) / (density + 0.001 + 0.01)
    assert torch.allclose(occ.flatten(), expected, atol=1e-5)
    assert torch.allclose(bev.flatten(), expected, atol=1e-5)
    two = lift(feats.repeat(2, 1, 1, 1), mu.repeat(2, 1, 1), b.repeat(2, 1, 1),
               _camera()[None].repeat(2, 1, 1), (61, 101), grid)
    assert torch.allclose(two[0], bev, atol=1e-6) and two[2].max() == 2
    with pytest.raises(ValueError, match="occupancy must be 'release' or 'mass'"):
        lift(feats, mu, b, _camera()[None], (61, 101), grid, occupancy='lss')


def test_camera_features_land_only_where_that_camera_sees():
    """A front camera with features 1 and a back camera with features 0: BEV features are
    positive only in columns the front camera sees (its own projection test), 0 behind."""
    grid = VoxelGrid((-10.0, -10.0, -1.0, 10.0, 10.0, 1.0), (1.0, 1.0, 1.0))
    cams = torch.stack([_camera(0.0), _camera(math.pi)])
    feats = torch.stack([torch.ones(4, 16, 26), torch.zeros(4, 16, 26)])
    mu, b = torch.full((2, 16, 26), 6.0), torch.full((2, 16, 26), 3.0)
    bev, occ, count = lift(feats, mu, b, cams, (61, 101), grid)
    centers = grid.centers().view(-1, 3)
    uv, depth = project(centers, cams[:1])
    front = ((depth > 0) & (uv[..., 0] >= 0) & (uv[..., 0] <= 100) & (uv[..., 1] >= 0)
             & (uv[..., 1] <= 60))[0].view(grid.shape).any(0)
    assert front.any() and (~front).any()
    assert (bev[0][front] > 0).all() and (bev[:, ~front] == 0).all()
    assert (count[front] >= 1).all() and occ.shape == grid.shape
    # features weighted by occupancies that sum to at most 1 per column and camera
    assert (bev <= 1 + 1e-5).all()


def test_lidar_depth_targets_keep_the_nearest_return():
    cam = _camera()[None]
    points = torch.tensor([[10.0, 0.0, 0.0], [5.0, 0.0, 0.0], [-3.0, 0.0, 0.0],
                           [80.0, 0.0, 0.0]])
    target = depth_targets(points, cam, (61, 101), stride=4)
    assert target.shape == (1, 16, 26)
    # both front points hit pixel (50, 30) -> cell (7, 12); the nearer wins, the one
    # behind the camera and the one beyond 60 m are dropped
    assert target[0, 7, 12].item() == pytest.approx(5.0)
    assert (target > 0).sum().item() == 1


def test_a_camera_without_a_view_of_the_grid_changes_nothing():
    """Documented handling: a camera that sees no voxel (here: 5 m above the grid, looking
    up) adds nothing; the BEV equals the one without it."""
    grid = VoxelGrid((-10.0, -10.0, -1.0, 10.0, 10.0, 1.0), (1.0, 1.0, 1.0))
    up = torch.tensor(lidar2img(intrinsics(100, 100, 50, 30),
                                lidar2cam_from_pose(0.0, (0.0, 0.0, 5.0), pitch=-math.pi / 2)),
                      dtype=torch.float32)
    torch.manual_seed(0)
    feats, mu, b = torch.rand(2, 4, 16, 26), torch.rand(2, 16, 26) * 9, torch.rand(2, 16, 26) + 0.1
    alone = lift(feats[:1], mu[:1], b[:1], _camera()[None], (61, 101), grid)
    both = lift(feats, mu, b, torch.stack([_camera(), up]), (61, 101), grid)
    for x, y in zip(alone, both):
        assert torch.allclose(x.float(), y.float())


def test_scatter_weighted_gradients_match_autograd():
    """Two cameras: points 0-9 sample camera 0, 10-23 camera 1; all add into 6 cells."""
    from projects.pdbev.lifting import ScatterWeighted, _sample
    torch.manual_seed(0)
    feats = torch.rand(2, 3, 5, 7, dtype=torch.float64, requires_grad=True)
    weights = torch.rand(24, dtype=torch.float64, requires_grad=True)
    where = torch.rand(24, 2, dtype=torch.float64) * 2 - 1
    cells = torch.randint(0, 6, (24, ))
    args = (feats, weights, where, cells, 6, (0, 10, 24))
    reference = torch.zeros(3, 6, dtype=torch.float64)
    for k, part in ((0, slice(0, 10)), (1, slice(10, 24))):
        reference = reference.index_add(1, cells[part],
                                        _sample(feats[k], where[part]) * weights[part])
    assert torch.allclose(ScatterWeighted.apply(*args), reference)
    assert torch.autograd.gradcheck(ScatterWeighted.apply, args)
    flat = torch.rand(1, 3, 35, dtype=torch.float64, requires_grad=True)  # gather by index
    index = torch.randint(0, 35, (24, ))
    args = (flat, weights, index, cells, 6, (0, 24))
    assert torch.allclose(ScatterWeighted.apply(*args), torch.zeros(3, 6, dtype=torch.float64)
                          .index_add(1, cells, flat[0][:, index] * weights))
    assert torch.autograd.gradcheck(ScatterWeighted.apply, args)


def dense_lift(feats, mu, b, cams, img_shape, grid, occupancy, align_corners, canvas=None):
    """The lift spelled out over every voxel of every camera, from the hand-tested pieces:
    ``voxel_weights`` (0 where unseen) and ``column_occupancy``, all features sampled."""
    import torch.nn.functional as F
    n, c = feats.shape[:2]
    zn, yn, xn = grid.shape
    weight, inside, norm = voxel_weights(
        mu, b, cams, img_shape, grid, canvas_shape=canvas, align_corners=align_corners,
        mode='density' if occupancy == 'release' else 'mass')
    occ = column_occupancy(weight.view(n, zn, -1), inside.view(n, zn, -1),
                           biased_sum=occupancy == 'release')
    sampled = F.grid_sample(feats, norm[:, None], align_corners=align_corners)[:, :, 0]
    count = inside.view(n, zn, -1).any(1).sum(0).clamp(min=1)
    bev = (sampled.view(n, c, zn, -1) * occ[:, None]).sum((0, 2)) / count
    return bev.view(c, yn, xn), (occ.sum(0) / count).view(zn, yn, xn)


@pytest.mark.parametrize('occupancy,align_corners', [('release', False), ('mass', True)])
def test_lift_over_seen_voxels_equals_the_dense_lift_values_and_gradients(occupancy,
                                                                            align_corners):
    # 12 levels per column, as the paper's grid (the normalisation checked by hand above)
    grid = VoxelGrid((-10.0, -10.0, -1.0, 10.0, 10.0, 2.0), (1.0, 1.0, 0.25))
    cams = torch.stack([_camera(0.0), _camera(2.0, (1.0, 0.5, 0.3)), _camera(math.pi)])
    torch.manual_seed(0)
    feats = torch.rand(3, 4, 16, 28, requires_grad=True)
    mu = (torch.rand(3, 16, 28) * 12).requires_grad_()
    b = (torch.rand(3, 16, 28) + 0.2).requires_grad_()
    args = (cams, (61, 101), grid)
    bev, occ, _ = lift(feats, mu, b, *args, canvas_shape=(64, 112), occupancy=occupancy,
                       align_corners=align_corners)
    ref_bev, ref_occ = dense_lift(feats, mu, b, *args, occupancy, align_corners, (64, 112))
    assert bev.abs().sum() > 0
    assert torch.allclose(bev, ref_bev, rtol=1e-4, atol=1e-6)
    assert torch.allclose(occ, ref_occ, rtol=1e-4, atol=1e-6)
    probe = torch.rand_like(bev), torch.rand_like(occ)
    grads = torch.autograd.grad((bev * probe[0]).sum() + (occ * probe[1]).sum(),
                                (feats, mu, b))
    ref = torch.autograd.grad((ref_bev * probe[0]).sum() + (ref_occ * probe[1]).sum(),
                              (feats, mu, b))
    for g, r in zip(grads, ref):
        assert torch.allclose(g, r, rtol=1e-4, atol=1e-5)
    with torch.no_grad():  # inference accumulates in place: same values
        assert torch.allclose(lift(feats, mu, b, *args, canvas_shape=(64, 112),
                                   occupancy=occupancy, align_corners=align_corners)[0], bev,
                              atol=1e-6)


def test_lift_geometry_is_computed_once_per_calibration():
    from projects.pdbev import lifting
    grid = VoxelGrid((-10.0, -10.0, -1.0, 10.0, 10.0, 1.0), (1.0, 1.0, 1.0))
    first = lifting.lift_geometry(_camera()[None], (61, 101), grid)
    assert lifting.lift_geometry(_camera()[None], (61, 101), grid) is first
    moved = lifting.lift_geometry(_camera(position=(0.5, 0, 0))[None], (61, 101), grid)
    assert moved is not first and len(moved.voxel) != 0
    # the voxels it holds are exactly those voxel_weights finds seen
    _, inside, _ = voxel_weights(torch.ones(1, 61, 101), torch.ones(1, 61, 101),
                                 _camera()[None], (61, 101), grid)
    assert torch.equal(first.voxel, inside[0].nonzero()[:, 0])
