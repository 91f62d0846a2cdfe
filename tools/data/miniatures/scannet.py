"""ScanNet v2 in its release layout, taken through the preparation a user runs
(``tools/data/scannet_export.py``, mmdet3d's ``create_data.py scannet``,
``tools/data/scannet_superpoints.py``)::

    scannet/scans/<scene>/<scene>_vh_clean_2.ply              binary mesh: x y z float,
                                                               red green blue alpha uchar, faces
    scannet/scans/<scene>/<scene>_vh_clean_2.labels.ply       the same vertices + ushort label
    scannet/scans/<scene>/<scene>_vh_clean_2.0.010000.segs.json   {"segIndices": [...]}
    scannet/scans/<scene>/<scene>.aggregation.json            {"segGroups": [{objectId, label,
                                                               segments}, ...]}
    scannet/scans/<scene>/<scene>.txt                         axisAlignment = 16 numbers
    scannet/scans_test/<scene>/...                            mesh, segs.json, .txt only
    scannet/meta_data/scannetv2-labels.combined.tsv, scannetv2_{train,val,test}.txt
    scannet/tasks/scenes/{1,5,10,20}.txt                      limited-scene lists (scene names)
    scannet/tasks/points/points{20,50,100,200}                torch file {scene: vertex indices}

Each scene is a generated room (floor, four walls, furniture of several categories, one
object of a category outside the 20 classes and a few vertices no object holds), scanned in
its own frame (the axis alignment rotates and moves it); faces join consecutive vertices
(the format, not a surface). The data-efficient files have the official names and kinds of
content; which scenes and points they list is drawn here.
"""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
SPLITS = {'train': ('scans', ['scene0000_00', 'scene0000_01', 'scene0001_00',
                              'scene0002_00']),
          'val': ('scans', ['scene0011_00']),
          'test': ('scans_test', ['scene0707_00'])}
# raw_category: (nyu40 id, colour); 'object' (otherprop, 40) is none of the 20 classes
CATEGORIES = {'floor': (2, (150, 120, 90)), 'wall': (1, (200, 200, 190)),
              'cabinet': (3, (120, 60, 30)), 'chair': (5, (40, 40, 160)),
              'table': (7, (160, 110, 60)), 'bookshelf': (10, (90, 50, 20)),
              'object': (40, (30, 160, 30))}
FURNITURE = ('cabinet', 'chair', 'table', 'bookshelf', 'object')
TSV_COLUMNS = ('id', 'raw_category', 'category', 'count', 'nyu40id', 'eigen13id',
               'nyuClass', 'nyu40class', 'eigen13class', 'ModelNet40', 'ModelNet10',
               'ShapeNetCore55', 'synsetoffset', 'wnsynsetid', 'wnsynsetkey', 'mpcat40',
               'mpcat40index')
LIMITED_SCENES = {1: 1, 5: 1, 10: 2, 20: 2}  # percent: scenes of the 4 listed
LIMITED_POINTS = (20, 50, 100, 200)


def _grid(rng, low, high, step):
    """Jittered grid points filling the box [low, high] (one axis may be flat)."""
    axes = [np.arange(lo, hi + 1e-9, step) if hi > lo else np.array([lo])
            for lo, hi in zip(low, high)]
    xyz = np.stack(np.meshgrid(*axes, indexing='ij'), -1).reshape(-1, 3)
    return xyz + rng.normal(0, step / 10, xyz.shape)


def room(rng):
    """Vertices (N, 3) in the aligned frame, colours (N, 3), segment id per vertex and the
    objects as (raw category, segment ids)."""
    half = rng.uniform([2.0, 1.8], [3.0, 2.5])
    parts, objects, next_segment = [], [], [100]

    def add(xyz, category, cell=1.0):
        # segments: cells of `cell` metres (ScanNet's over-segmentation is finer and
        # irregular; the ids are arbitrary integers as there)
        key = np.floor(xyz / cell).astype(np.int64)
        _, inverse = np.unique(key, axis=0, return_inverse=True)
        segments = next_segment[0] + 7 * inverse.ravel()
        next_segment[0] = segments.max() + 7
        colour = np.asarray(CATEGORIES.get(category, (CATEGORIES['object']))[1])
        rgb = np.clip(colour + rng.normal(0, 12, xyz.shape), 0, 255)
        parts.append((xyz, rgb, segments))
        if category is not None:
            objects.append((category, sorted(set(segments.tolist()))))

    add(_grid(rng, [-half[0], -half[1], 0], [half[0], half[1], 0], 0.08), 'floor')
    for axis in (0, 1):
        for sign in (-1, 1):
            low = [-half[0], -half[1], 0]
            high = [half[0], half[1], 2.5]
            low[axis] = high[axis] = sign * half[axis]
            add(_grid(rng, low, high, 0.1), 'wall')
    for category in FURNITURE:
        size = rng.uniform([0.4, 0.4, 0.5], [1.2, 0.9, 1.6])
        centre = rng.uniform(-half + size[:2], half - size[:2])
        low = np.r_[centre - size[:2] / 2, 0]
        xyz = _grid(rng, low, low + size, 0.06)
        shell = (np.abs(xyz - (low + size / 2)) > size / 2 - 0.07).any(1)  # its surface
        add(xyz[shell], category, cell=0.5)
    add(rng.uniform([-0.3, -0.3, 2.3], [0.3, 0.3, 2.4], (60, 3)), None)  # no object: label 0
    xyz, rgb, segments = (np.concatenate(p) for p in zip(*parts))
    return xyz, rgb.round().astype(np.uint8), segments, objects


def write_ply(path, xyz, rgb, labels=None):
    """ScanNet's binary mesh ply (plus ``label`` for the .labels.ply)."""
    fields = [('x', '<f4'), ('y', '<f4'), ('z', '<f4'), ('red', 'u1'), ('green', 'u1'),
              ('blue', 'u1'), ('alpha', 'u1')] + ([('label', '<u2')] if labels is not None
                                                  else [])
    vertices = np.zeros(len(xyz), fields)
    for i, name in enumerate('xyz'):
        vertices[name] = xyz[:, i]
    for i, name in enumerate(('red', 'green', 'blue')):
        vertices[name] = rgb[:, i]
    vertices['alpha'] = 255
    if labels is not None:
        vertices['label'] = labels
    faces = np.zeros(len(xyz) // 3, [('n', 'u1'), ('v', '<i4', (3, ))])
    faces['n'] = 3
    faces['v'] = np.arange(3 * len(faces)).reshape(-1, 3)
    types = {'<f4': 'float', 'u1': 'uchar', '<u2': 'ushort'}
    header = ['ply', 'format binary_little_endian 1.0', f'element vertex {len(xyz)}']
    header += [f'property {types[t]} {name}' for name, t in fields]
    header += [f'element face {len(faces)}', 'property list uchar int vertex_indices',
               'end_header']
    with open(path, 'wb') as f:
        f.write(('\n'.join(header) + '\n').encode())
        f.write(vertices.tobytes())
        f.write(faces.tobytes())


def axis_alignment(rng) -> np.ndarray:
    yaw = rng.uniform(0, 2 * np.pi)
    align = np.eye(4)
    align[:2, :2] = [[np.cos(yaw), -np.sin(yaw)], [np.sin(yaw), np.cos(yaw)]]
    align[:3, 3] = [*rng.uniform(-4, -2, 2), 0]
    return align


def write_scene(folder, scene, rng, labelled):
    os.makedirs(folder, exist_ok=True)
    xyz, rgb, segments, objects = room(rng)
    align = axis_alignment(rng)
    raw = (np.c_[xyz, np.ones(len(xyz))] @ np.linalg.inv(align).T)[:, :3]  # the scan frame
    write_ply(osp.join(folder, f'{scene}_vh_clean_2.ply'), raw, rgb)
    with open(osp.join(folder, f'{scene}_vh_clean_2.0.010000.segs.json'), 'w') as f:
        json.dump(dict(params=dict(kThresh='0.0001', segMinVerts='20'), sceneId=scene,
                       segIndices=segments.tolist()), f)
    with open(osp.join(folder, f'{scene}.txt'), 'w') as f:
        if labelled:
            f.write(f'axisAlignment = {" ".join(f"{v:.6f}" for v in align.ravel())}\n')
        f.write('numColorFrames = 0\nsceneType = Bedroom / Hotel\n')
    if not labelled:
        return
    groups = [dict(id=i, objectId=i, segments=segs, label=category)
              for i, (category, segs) in enumerate(objects)]
    with open(osp.join(folder, f'{scene}.aggregation.json'), 'w') as f:
        json.dump(dict(sceneId=f'scannet.{scene}', appId='Aggregator.v2', segGroups=groups,
                       segmentsFile=f'scannet.{scene}_vh_clean_2.0.010000.segs.json'), f)
    labels = np.zeros(len(xyz), np.uint16)
    for category, segs in objects:
        labels[np.isin(segments, segs)] = CATEGORIES[category][0]
    write_ply(osp.join(folder, f'{scene}_vh_clean_2.labels.ply'), raw, rgb, labels)
    return labels


def write_meta(root):
    meta = osp.join(root, 'meta_data')
    os.makedirs(meta, exist_ok=True)
    with open(osp.join(meta, 'scannetv2-labels.combined.tsv'), 'w') as f:
        f.write('\t'.join(TSV_COLUMNS) + '\n')
        for i, (category, (nyu40, _)) in enumerate(CATEGORIES.items()):
            row = dict(id=i + 1, raw_category=category, category=category, count=100,
                       nyu40id=nyu40, nyu40class=category, mpcat40=category)
            f.write('\t'.join(str(row.get(c, '')) for c in TSV_COLUMNS) + '\n')
    for split, (_, scenes) in SPLITS.items():
        with open(osp.join(meta, f'scannetv2_{split}.txt'), 'w') as f:
            f.write(''.join(f'{s}\n' for s in scenes))


def write_tasks(root, labels: dict, rng):
    """The data-efficient benchmark's files: limited scenes and limited annotations."""
    import torch
    train = SPLITS['train'][1]
    os.makedirs(osp.join(root, 'tasks', 'scenes'), exist_ok=True)
    os.makedirs(osp.join(root, 'tasks', 'points'), exist_ok=True)
    for percent, count in LIMITED_SCENES.items():
        chosen = sorted(rng.choice(train, count, replace=False))
        with open(osp.join(root, 'tasks', 'scenes', f'{percent}.txt'), 'w') as f:
            f.write(''.join(f'{s}\n' for s in chosen))
    for count in LIMITED_POINTS:
        points = {scene: np.sort(rng.choice(np.flatnonzero(labels[scene]), count,
                                            replace=False))
                  for scene in train}
        torch.save(points, osp.join(root, 'tasks', 'points', f'points{count}'))


def _tool(*args):
    subprocess.run([sys.executable, *args], check=True, cwd=ROOT)


def write(root: str, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    labels = {}
    for split, (folder, scenes) in SPLITS.items():
        for scene in scenes:
            labels[scene] = write_scene(osp.join(root, folder, scene), scene, rng,
                                        split != 'test')
    write_meta(root)
    write_tasks(root, labels, rng)
    _tool('tools/data/scannet_export.py', root)
    _tool('tools/data/mmdet3d_create_data.py', 'scannet', '--root-path', root, '--out-dir',
          root, '--extra-tag', 'scannet', '--workers', '1')
    _tool('tools/data/scannet_superpoints.py', root)
    return (f'{sum(len(s) for _, s in SPLITS.values())} scenes '
            f'({", ".join(f"{k} {len(s)}" for k, (_, s) in SPLITS.items())}), through '
            "scannet_export.py, mmdet3d's create_data.py and scannet_superpoints.py")
