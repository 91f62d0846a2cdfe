"""Segment providers for FAC: each maps a cloud to one segment id per point (-1 = none)
and a foreground flag per segment. One interface, several sources of segments."""
from typing import Tuple

import numpy as np

from ..common.registry import register_in


class SegmentProvider:
    """``__call__(points (N, >=3)) -> (segment_ids (N,) int64, is_foreground (S,) bool)``.

    Segment ids run 0..S-1; points without a segment get -1.
    """

    def __call__(self, points: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


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

    def __call__(self, points):
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
