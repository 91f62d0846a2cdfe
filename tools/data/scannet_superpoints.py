"""ScanNet superpoints (the released over-segmentation) as one id per point of mmdet3d's
ScanNet points, for FAC's ``PrecomputedSegments``.

    python tools/data/scannet_superpoints.py data/scannet [--scans scans scans_test] \
        [--points points] [--out superpoints]

For every ``<root>/<points>/<scene>.bin`` (mmdet3d's ScanNet preparation: float32 x, y, z,
r, g, b per point, a random subset of the mesh vertices when the scene has more than
``max_num_point``) reads ``<root>/<scans>/<scene>/<scene>_vh_clean_2.ply`` (the first of
the ``--scans`` folders holding the scene) and
``<scene>_vh_clean_2.0.010000.segs.json`` (``segIndices``: a segment per mesh vertex),
finds each point's vertex by its exact coordinates and writes
``<root>/<out>/<scene>.npy`` (int64, one segment id per point). A scene without its ply or
segs.json, a segs.json of another length than the mesh, a point that is no vertex of its
mesh, or a points file that is not rows of 6 floats stops with one line naming the file.
"""
import argparse
import glob
import json
import os
import os.path as osp


def vertex_index(vertices):
    """{float32 xyz bytes: vertex index}."""
    import numpy as np
    return {row.tobytes(): i for i, row in enumerate(np.asarray(vertices, np.float32))}


def superpoints_of(points_path: str, scan_dir: str, scene: str):
    import numpy as np
    import open3d as o3d

    from projects.common.errors import SampleFileError, check_file
    ply = osp.join(scan_dir, f'{scene}_vh_clean_2.ply')
    segs = osp.join(scan_dir, f'{scene}_vh_clean_2.0.010000.segs.json')
    for path in (ply, segs):
        check_file(path)
    vertices = np.asarray(o3d.io.read_point_cloud(ply).points)
    with open(segs) as f:
        seg_indices = np.asarray(json.load(f)['segIndices'], np.int64)
    if len(seg_indices) != len(vertices):
        raise SampleFileError(f'{segs}: {len(seg_indices)} segment ids for the '
                              f'{len(vertices)} vertices of {ply}')
    values = np.fromfile(points_path, np.float32)
    if len(values) % 6:
        raise SampleFileError(f'{points_path}: {len(values)} float32 values, not rows of 6 '
                              '(x, y, z, r, g, b) as mmdet3d writes ScanNet points')
    points = values.reshape(-1, 6)[:, :3]
    index = vertex_index(vertices)
    rows = [index.get(p.tobytes(), -1) for p in np.ascontiguousarray(points)]
    missing = rows.count(-1)
    if missing:
        raise SampleFileError(f'{points_path}: {missing} of {len(points)} points are no vertex '
                              f'of {ply} (not made from this scan?)')
    return seg_indices[rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument('--scans', nargs='+', default=['scans', 'scans_test'])
    parser.add_argument('--points', default='points')
    parser.add_argument('--out', default='superpoints')
    args = parser.parse_args()

    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.engine.atomic_io import atomic_save_npy
    from projects.common.errors import SampleFileError

    with one_line_errors():
        files = sorted(glob.glob(osp.join(args.root, args.points, '*.bin')))
        if not files:
            raise SampleFileError(f'{osp.join(args.root, args.points)}: no *.bin point files '
                                  "(run mmdet3d's ScanNet preparation first)")
        out_dir = osp.join(args.root, args.out)
        os.makedirs(out_dir, exist_ok=True)
        for path in tqdm(files, desc='superpoints'):
            scene = osp.splitext(osp.basename(path))[0]
            folders = [osp.join(args.root, f, scene) for f in args.scans]
            scan_dir = next((f for f in folders if osp.isdir(f)), folders[0])
            ids = superpoints_of(path, scan_dir, scene)
            atomic_save_npy(ids, osp.join(out_dir, f'{scene}.npy'))
    print(f'wrote superpoints of {len(files)} scenes to {out_dir}')


if __name__ == '__main__':
    main()
