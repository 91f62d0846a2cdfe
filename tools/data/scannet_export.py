"""ScanNet v2 raw scans to the per-scene arrays mmdet3d's ScanNet converter reads (the step
its repository's ``data/scannet/batch_load_scannet_data.py`` does; that script is not in
the mmdet3d wheel).

    python tools/data/scannet_export.py data/scannet
    python tools/data/mmdet3d_create_data.py scannet --root-path data/scannet \
        --out-dir data/scannet --extra-tag scannet     # mmdet3d's own converter

Reads, under ``ROOT``::

    meta_data/scannetv2-labels.combined.tsv     (ScanNet's label table: raw_category -> nyu40id)
    meta_data/scannetv2_{train,val,test}.txt    (ScanNet's benchmark splits, one scene a line)
    scans/<scene>/<scene>_vh_clean_2.ply, <scene>_vh_clean_2.0.010000.segs.json,
                  <scene>.aggregation.json, <scene>.txt (axisAlignment)
    scans_test/<scene>/<scene>_vh_clean_2.ply, <scene>.txt          (optional)

and writes ``scannet_instance_data/<scene>_vert.npy`` (float32 x, y, z, r, g, b of every mesh
vertex, in mesh order), ``_sem_label.npy`` (nyu40 id per vertex, 0 unannotated),
``_ins_label.npy`` (object id + 1 per vertex, 0 none), ``_unaligned_bbox.npy`` /
``_aligned_bbox.npy`` ((K, 7) centre, size, nyu40 id of the objects of the 18 detection
classes, before / after the axis alignment) and ``_axis_align_matrix.npy`` (4 x 4), the
arrays and dtypes mmdet3d's script writes. Every vertex is kept (mmdet3d's default; its
``--max_num_point`` subsampling is for detection only): the official data-efficient
annotation lists index mesh vertices, and so index these points.

A missing file, a segs.json of another length than the mesh, an aggregation naming a
segment the scene does not have or a category the label table does not list stops with one
line naming the file. A scene already exported is skipped (``--force`` redoes it).
"""
import argparse
import csv
import json
import os
import os.path as osp

import numpy as np

# nyu40 ids of the 18 ScanNet detection classes (the boxes mmdet3d keeps)
DETECTION_IDS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39)
OUTPUTS = ('vert', 'sem_label', 'ins_label', 'unaligned_bbox', 'aligned_bbox',
           'axis_align_matrix')


def read_label_table(path: str) -> dict:
    """{raw_category: nyu40 id} from ScanNet's ``scannetv2-labels.combined.tsv``."""
    from projects.common.errors import SampleFileError, check_file
    check_file(path)
    with open(path, newline='') as f:
        rows = list(csv.DictReader(f, delimiter='\t'))
    if not rows or not {'raw_category', 'nyu40id'} <= set(rows[0]):
        raise SampleFileError(f'{path}: expected tab-separated columns raw_category and '
                              'nyu40id (ScanNet\'s scannetv2-labels.combined.tsv)')
    return {row['raw_category']: int(row['nyu40id']) for row in rows
            if row['nyu40id'].strip().isdigit()}


def read_mesh_vertices(path: str) -> np.ndarray:
    """(N, 6) float32 x, y, z, r, g, b (0-255) of a ScanNet mesh's vertices, in order."""
    import open3d as o3d

    from projects.common.errors import SampleFileError, check_file
    check_file(path)
    cloud = o3d.io.read_point_cloud(path)
    xyz = np.asarray(cloud.points)
    if not len(xyz):
        raise SampleFileError(f'{path}: no vertices (not a ScanNet mesh?)')
    if not cloud.has_colors():
        raise SampleFileError(f'{path}: vertices without red / green / blue')
    rgb = np.round(np.asarray(cloud.colors) * 255)
    return np.concatenate([xyz, rgb], 1).astype(np.float32)


def read_axis_alignment(path: str) -> np.ndarray:
    """The scene's ``axisAlignment`` (4 x 4); identity where the file has none (test scans)."""
    from projects.common.errors import SampleFileError, check_file
    check_file(path)
    with open(path) as f:
        for line in f:
            if line.startswith('axisAlignment'):
                values = line.split('=', 1)[1].split()
                if len(values) != 16:
                    raise SampleFileError(f'{path}: axisAlignment has {len(values)} values, '
                                          'not 16')
                return np.asarray(values, np.float64).reshape(4, 4)
    return np.eye(4)


def boxes(vertices: np.ndarray, instance_ids: np.ndarray, object_labels: dict) -> np.ndarray:
    """(K, 7) axis-parallel box (centre, size) and nyu40 id of each object, row object id
    - 1; an object left without vertices keeps a zero row (class 0: dropped later)."""
    out = np.zeros((max(object_labels, default=0), 7))
    for object_id, label in object_labels.items():
        xyz = vertices[instance_ids == object_id, :3]
        if len(xyz):
            low, high = xyz.min(0), xyz.max(0)
            out[object_id - 1] = [*(low + high) / 2, *(high - low), label]
    return out


def read_segment_ids(path: str, num_vertices: int) -> np.ndarray:
    """``segIndices`` of a ``segs.json`` (one segment id per mesh vertex), checked against
    the mesh's vertex count."""
    from projects.common.errors import SampleFileError, check_file
    check_file(path)
    with open(path) as f:
        segments = np.asarray(json.load(f)['segIndices'], np.int64)
    if len(segments) != num_vertices:
        raise SampleFileError(f'{path}: {len(segments)} segment ids for a mesh of '
                              f'{num_vertices} vertices')
    return segments


def scene_labels(scan_dir: str, scene: str, num_vertices: int, table: dict):
    """Per-vertex nyu40 ids and object ids (+1), and {object id: nyu40 id}."""
    from projects.common.errors import SampleFileError, check_file
    segs_path = osp.join(scan_dir, f'{scene}_vh_clean_2.0.010000.segs.json')
    agg_path = osp.join(scan_dir, f'{scene}.aggregation.json')
    for path in (segs_path, agg_path):
        check_file(path)
    segments = read_segment_ids(segs_path, num_vertices)
    with open(agg_path) as f:
        groups = json.load(f)['segGroups']
    known = set(np.unique(segments).tolist())
    for group in groups:
        if group['label'] not in table:
            raise SampleFileError(f'{agg_path}: category "{group["label"]}" is not in the '
                                  'label table (scannetv2-labels.combined.tsv)')
        unknown = set(group['segments']) - known
        if unknown:
            raise SampleFileError(f'{agg_path}: object {group["objectId"]} names segment '
                                  f'{min(unknown)}, which {segs_path} does not have')
    # as mmdet3d's export: classes painted a category at a time (in order of first
    # appearance), then objects in order; an object's class is that of the first vertex of
    # its first segment
    by_category = {}
    for group in groups:
        by_category.setdefault(group['label'], []).extend(group['segments'])
    semantic = np.zeros(num_vertices, np.uint32)
    for category, segs in by_category.items():
        semantic[np.isin(segments, segs)] = table[category]
    instance = np.zeros(num_vertices, np.uint32)
    object_labels = {}
    for group in groups:
        instance[np.isin(segments, group['segments'])] = group['objectId'] + 1
        if group['segments']:
            first = np.flatnonzero(segments == group['segments'][0])[0]
            object_labels[group['objectId'] + 1] = int(semantic[first])
    return semantic, instance, object_labels


def export_scene(scan_dir: str, scene: str, table: dict, labelled: bool) -> dict:
    """The arrays of one scene, keyed as the output files' suffixes."""
    vertices = read_mesh_vertices(osp.join(scan_dir, f'{scene}_vh_clean_2.ply'))
    align = read_axis_alignment(osp.join(scan_dir, f'{scene}.txt'))
    out = dict(vert=vertices)
    if not labelled:
        return out
    semantic, instance, object_labels = scene_labels(scan_dir, scene, len(vertices), table)
    aligned = vertices.astype(np.float64).copy()
    aligned[:, :3] = np.c_[aligned[:, :3], np.ones(len(aligned))] @ align.T[:, :3]
    unaligned_boxes = boxes(vertices, instance, object_labels)
    aligned_boxes = boxes(aligned, instance, object_labels)
    detected = np.isin(unaligned_boxes[:, -1], DETECTION_IDS)
    return dict(vert=vertices, sem_label=semantic, ins_label=instance,
                unaligned_bbox=unaligned_boxes[detected], aligned_bbox=aligned_boxes[detected],
                axis_align_matrix=align)


def read_split(path: str) -> list:
    from projects.common.errors import SampleFileError
    if not osp.isfile(path):
        raise SampleFileError(f'{path}: file not found (ScanNet\'s benchmark split list, '
                              'one scene a line)')
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument('--out', default='scannet_instance_data')
    parser.add_argument('--force', action='store_true', help='redo scenes already exported')
    args = parser.parse_args()

    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.common.engine.atomic_io import atomic_save_npy

    with one_line_errors():
        meta = osp.join(args.root, 'meta_data')
        table = read_label_table(osp.join(meta, 'scannetv2-labels.combined.tsv'))
        jobs = [(scene, 'scans', True) for split in ('train', 'val')
                for scene in read_split(osp.join(meta, f'scannetv2_{split}.txt'))]
        test_list = osp.join(meta, 'scannetv2_test.txt')
        if osp.isdir(osp.join(args.root, 'scans_test')) and osp.isfile(test_list):
            jobs += [(scene, 'scans_test', False) for scene in read_split(test_list)]
        out_dir = osp.join(args.root, args.out)
        os.makedirs(out_dir, exist_ok=True)
        done = 0
        for scene, folder, labelled in tqdm(jobs, desc='ScanNet scenes'):
            prefix = osp.join(out_dir, scene)
            if osp.isfile(f'{prefix}_vert.npy') and not args.force:
                continue
            arrays = export_scene(osp.join(args.root, folder, scene), scene, table, labelled)
            for suffix in OUTPUTS:  # _vert last: its presence marks a finished scene
                if suffix in arrays and suffix != 'vert':
                    atomic_save_npy(arrays[suffix], f'{prefix}_{suffix}.npy')
            atomic_save_npy(arrays['vert'], f'{prefix}_vert.npy')
            done += 1
    print(f'exported {done} of {len(jobs)} scenes to {out_dir}')


if __name__ == '__main__':
    main()
