"""Segment providers for FAC: each maps a cloud to one segment id per point (-1 = none)
and a foreground flag per segment. One interface, several sources of segments."""
from typing import Optional, Tuple

import numpy as np

from ..common.registry import register_in


class SegmentProvider:
    """``__call__(points (N, >=3), sample) -> (segment_ids (N,) int64, is_foreground (S,))``.

    Segment ids run 0..S-1; points without a segment get -1. ``sample`` is the pipeline's
    results dict (file paths, poses...) for providers that need more than the points.
    """

    def __call__(self, points: np.ndarray, sample: Optional[dict] = None
                 ) -> Tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


def relabel(ids: np.ndarray) -> np.ndarray:
    """Map arbitrary non-negative ids to 0..S-1 (order of first appearance); -1 stays."""
    out = np.full(len(ids), -1, dtype=np.int64)
    valid = ids >= 0
    _, first, inverse = np.unique(ids[valid], return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # rank of each id by first appearance
    out[valid] = order[inverse]
    return out


def small_segments_are_foreground(ids: np.ndarray, quantile: float) -> np.ndarray:
    """Indoor rule (unverified reading): segments no larger than the ``quantile`` of
    segment sizes are foreground; the largest ones (floors, walls) are background."""
    sizes = np.bincount(ids[ids >= 0])
    if len(sizes) == 0:
        return np.zeros(0, dtype=bool)
    return sizes <= np.quantile(sizes, quantile)


@register_in('mmengine', kind='TASK_UTILS')
class GroundClusterSegments(SegmentProvider):
    """Outdoor segments: RANSAC ground plane, then DBSCAN clusters of the rest (open3d).

    Segment 0 is the ground (background); the ``max_clusters`` largest DBSCAN clusters
    are foreground segments 1..K; other non-ground points are unassigned (-1).
    Defaults follow the spec: plane distance 0.25 m, 3 points, 200 iterations;
    DBSCAN eps 0.25 m, min 10 points; 50 clusters.
    """

    def __init__(self, distance_threshold: float = 0.25, ransac_n: int = 3,
                 num_iterations: int = 200, eps: float = 0.25, min_points: int = 10,
                 max_clusters: int = 50, seed: int = 0):
        self.distance_threshold = distance_threshold
        self.ransac_n = ransac_n
        self.num_iterations = num_iterations
        self.eps = eps
        self.min_points = min_points
        self.max_clusters = max_clusters
        self.seed = seed

    def __call__(self, points, sample=None):
        import open3d as o3d
        if len(points) < self.ransac_n:
            raise ValueError(f'need at least {self.ransac_n} points to fit a ground plane, '
                             f'got {len(points)}')
        o3d.utility.random.seed(self.seed)
        cloud = o3d.geometry.PointCloud(
            o3d.utility.Vector3dVector(np.asarray(points[:, :3], dtype=np.float64)))
        _, ground = cloud.segment_plane(self.distance_threshold, self.ransac_n,
                                        self.num_iterations)
        ids = np.full(len(points), -1, dtype=np.int64)
        ids[ground] = 0
        rest = np.setdiff1d(np.arange(len(points)), ground)
        if len(rest):
            labels = np.asarray(cloud.select_by_index(rest).cluster_dbscan(
                self.eps, self.min_points, print_progress=False))
            clusters, sizes = np.unique(labels[labels >= 0], return_counts=True)
            keep = clusters[np.argsort(-sizes, kind='stable')][:self.max_clusters]
            for new_id, cluster in enumerate(keep, start=1):
                ids[rest[labels == cluster]] = new_id
        num_segments = int(ids.max()) + 1
        is_foreground = np.arange(num_segments) > 0
        return ids, is_foreground


@register_in('mmengine', kind='TASK_UTILS')
class PrecomputedSegments(SegmentProvider):
    """Segments read from disk (e.g. ScanNet's over-segmentation converted to one id per point):
    ``{segments_root}/{stem}.npy`` for the sample's point file ``.../{stem}.<ext>``."""

    def __init__(self, segments_root: str, foreground_quantile: float = 0.9):
        self.segments_root = segments_root
        self.foreground_quantile = foreground_quantile

    def __call__(self, points, sample=None):
        import os.path as osp

        from ..common.errors import SampleFileError, check_file
        source = (sample or {}).get('lidar_path') or (sample or {}).get('pts_path')
        if source is None:
            raise KeyError('PrecomputedSegments needs lidar_path in the sample')
        stem = osp.splitext(osp.basename(source))[0]
        path = osp.join(self.segments_root, f'{stem}.npy')
        check_file(path)
        ids = np.load(path).astype(np.int64).reshape(-1)
        if len(ids) != len(points):
            raise SampleFileError(f'{path}: {len(ids)} segment ids for {len(points)} points')
        ids = relabel(ids)
        return ids, small_segments_are_foreground(ids, self.foreground_quantile)


@register_in('mmengine', kind='TASK_UTILS')
class RegionGrowingSegments(SegmentProvider):
    """Indoor segments by region growing: neighbours closer than ``radius`` join one region
    when their normals differ by less than ``max_normal_angle`` degrees and (with colours
    in columns 3:6) their colours by less than ``max_color_diff``. Grown as connected
    components of that neighbour graph; regions under ``min_points`` are unassigned."""

    def __init__(self, radius: float = 0.05, max_normal_angle: float = 15.0,
                 max_color_diff: float = 0.2, min_points: int = 20,
                 foreground_quantile: float = 0.9):
        self.radius = radius
        self.cos_limit = float(np.cos(np.deg2rad(max_normal_angle)))
        self.max_color_diff = max_color_diff
        self.min_points = min_points
        self.foreground_quantile = foreground_quantile

    def __call__(self, points, sample=None):
        import open3d as o3d
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        from scipy.spatial import cKDTree
        xyz = np.asarray(points[:, :3], dtype=np.float64)
        cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(xyz))
        cloud.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=self.radius * 2,
                                                                    max_nn=30))
        normals = np.asarray(cloud.normals)
        pairs = cKDTree(xyz).query_pairs(self.radius, output_type='ndarray')
        keep = np.abs((normals[pairs[:, 0]] * normals[pairs[:, 1]]).sum(1)) >= self.cos_limit
        if points.shape[1] >= 6:
            colour_diff = np.abs(points[pairs[:, 0], 3:6] - points[pairs[:, 1], 3:6]).max(1)
            keep &= colour_diff <= self.max_color_diff
        pairs = pairs[keep]
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])),
                           shape=(len(xyz), len(xyz)))
        _, labels = connected_components(graph, directed=False)
        sizes = np.bincount(labels)
        labels[sizes[labels] < self.min_points] = -1
        ids = relabel(labels)
        return ids, small_segments_are_foreground(ids, self.foreground_quantile)
