"""SAM-lifted segments: projection and lifting geometry by hand, tiny random SAM end to end."""
import numpy as np
import pytest

from projects.common.errors import SampleFileError
from projects.common.cameras import pixels_in_image
from projects.fac.sam_lifting import SAMLiftedSegments, lift_masks, majority

K = np.array([[50.0, 0, 32], [0, 50.0, 24], [0, 0, 1]])
H, W = 48, 64


def camera(tx=0.0):
    extrinsic = np.eye(4)
    extrinsic[0, 3] = tx  # world -> camera: x_cam = x + tx
    return extrinsic


def test_projection_by_hand():
    points = np.array([[0.0, 0.0, 2.0], [0.4, -0.2, 2.0], [0.0, 0.0, -1.0], [5.0, 0, 2.0]])
    row, col, visible = pixels_in_image(points, K, camera(), H, W)
    # u = 50 x / z + 32, v = 50 y / z + 24: (32, 24) and (42, 19).
    assert (row[0], col[0]) == (24, 32) and (row[1], col[1]) == (19, 42)
    assert visible.tolist() == [True, True, False, False]  # behind / outside the image


def test_two_frames_are_associated_by_overlap():
    xs, ys = np.meshgrid(np.arange(-0.49, 0.5, 0.02), np.arange(-0.39, 0.4, 0.02))
    points = np.c_[xs.ravel(), ys.ravel(), np.full(xs.size, 2.0)]
    cols = np.arange(W)[None, :].repeat(H, 0)
    frame_a = dict(masks=[cols < 32], intrinsic=K, extrinsic=camera())            # x < 0
    frame_b = dict(masks=[cols < 32, cols >= 32], intrinsic=K, extrinsic=camera(0.2))
    # Frame b's first mask (x < -0.2) lies inside segment 0 -> joins it. Its second mask
    # (x >= -0.2) holds only 29% of segment-0 points -> new segment 1. Points in
    # [-0.2, 0) have one vote for each: the tie goes to 0.
    ids = lift_masks(points, [frame_a, frame_b], overlap=0.5)
    x = points[:, 0]
    assert (ids[x < 0] == 0).all() and (ids[x > 0] == 1).all()


def test_majority_by_hand():
    out = majority(np.array([0, 0, 0, 2, 2]), np.array([1, 1, 0, 3, 0]), 4)
    assert out.tolist() == [1, -1, 0, -1]  # point 2: a tie of 3 and 0 -> the smaller id


def test_majority_matches_counting_and_stays_small_on_a_scannet_size_scene():
    from collections import Counter
    import tracemalloc
    rng = np.random.default_rng(0)
    points, votes = rng.integers(0, 300, 5000), rng.integers(0, 40, 5000)
    expected = np.full(320, -1)
    for p in range(320):
        held = Counter(votes[points == p].tolist())
        if held:
            best = max(held.values())
            expected[p] = min(v for v, c in held.items() if c == best)
    assert majority(points, votes, 320).tolist() == expected.tolist()
    # 150k points, 5000 mask ids, 8 votes a point: a points x ids table would be 6 GB
    n = 150_000
    points, votes = np.repeat(np.arange(n), 8), rng.integers(0, 5000, 8 * n)
    tracemalloc.start()
    majority(points, votes, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 200 * 2 ** 20


def test_tiny_random_sam_end_to_end_and_calibration_errors():
    provider = SAMLiftedSegments(tiny_random=True, foreground_quantile=0.9, generator=dict(
        points_per_side=4, points_per_batch=16, pred_iou_thresh=0.0,
        stability_score_thresh=0.0))
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (H, W, 3)).astype(np.uint8)
    points = np.c_[rng.uniform(-0.5, 0.5, (300, 2)), np.full(300, 2.0)]
    sample = dict(lidar_path='scene.bin',
                  frames=[dict(img=image, intrinsic=K, extrinsic=camera())])
    ids, fg = provider(points, sample)
    assert ids.shape == (300, ) and ids.max() < len(fg) and ids.min() >= -1
    assert len(fg) >= 1 and (ids >= 0).any()  # the random SAM's masks reach the points
    with pytest.raises(SampleFileError, match='scene.bin: frame 0 has no extrinsic'):
        provider(points, dict(lidar_path='scene.bin',
                              frames=[dict(img=image, intrinsic=K, extrinsic=None)]))
    with pytest.raises(SampleFileError, match='needs posed RGB frames'):
        provider(points, dict(lidar_path='scene.bin'))
    with pytest.raises(ValueError, match='segment-anything needs a checkpoint'):
        SAMLiftedSegments()
