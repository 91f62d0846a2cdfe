"""Drivable-area rasters on PDBEV's BEV grid for nuScenes samples (``bev/<token>.png``).

    python tools/data/nuscenes_bev_masks.py data/nuscenes/nuscenes_infos_train.pkl \
        --dataroot data/nuscenes --range -50 -50 50 50 --cell 0.25

Needs nuscenes-devkit and the nuScenes map expansion (``maps/expansion/*.json``). For each
sample of an mmdet3d info file, the patch of the map around the LiDAR (its pose from
``ego2global`` @ ``lidar_points.lidar2ego``) is rasterised with ``NuScenesMap.get_map_mask``
(patch rotated by the LiDAR yaw) and written with row = y index, column = x index of the
LiDAR-frame grid (0 background, 1 drivable area). Not run in this repository: the map
expansion cannot be downloaded here.
"""
import argparse
import os
import os.path as osp
import pickle


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('infos')
    parser.add_argument('--dataroot', default='data/nuscenes')
    parser.add_argument('--range', type=float, nargs=4, default=[-50, -50, 50, 50],
                        metavar=('X0', 'Y0', 'X1', 'Y1'))
    parser.add_argument('--cell', type=float, default=0.25)
    parser.add_argument('--layer', default='drivable_area')
    args = parser.parse_args()
    import numpy as np
    from PIL import Image
    from pyquaternion import Quaternion  # noqa: F401  (a nuscenes-devkit dependency)
    from tqdm import tqdm

    from nuscenes import NuScenes
    from nuscenes.map_expansion.map_api import NuScenesMap

    if not osp.isfile(args.infos):
        raise SystemExit(f'error: {args.infos}: info file not found')
    with open(args.infos, 'rb') as f:
        infos = pickle.load(f)
    version = infos.get('metainfo', {}).get('version', 'v1.0-trainval')
    nusc = NuScenes(version=version, dataroot=args.dataroot, verbose=False)
    maps = {}
    x0, y0, x1, y1 = args.range
    width, height = round((x1 - x0) / args.cell), round((y1 - y0) / args.cell)
    out_dir = osp.join(args.dataroot, 'bev')
    os.makedirs(out_dir, exist_ok=True)
    for info in tqdm(infos['data_list'], desc='BEV masks'):
        sample = nusc.get('sample', info['token'])
        location = nusc.get('log', nusc.get('scene', sample['scene_token'])['log_token'])[
            'location']
        if location not in maps:
            maps[location] = NuScenesMap(dataroot=args.dataroot, map_name=location)
        lidar2global = np.asarray(info['ego2global']) @ np.asarray(
            info['lidar_points']['lidar2ego'])
        centre = lidar2global @ np.array([(x0 + x1) / 2, (y0 + y1) / 2, 0, 1])
        yaw = np.degrees(np.arctan2(lidar2global[1, 0], lidar2global[0, 0]))
        # patch_box: (x, y, height along the patch's y, width along its x), angle in degrees
        mask = maps[location].get_map_mask((centre[0], centre[1], y1 - y0, x1 - x0), yaw,
                                           [args.layer], (height, width))[0]
        Image.fromarray(mask.astype(np.uint8)).save(osp.join(out_dir, f'{info["token"]}.png'))
    print(f'wrote {len(infos["data_list"])} rasters to {out_dir}')


if __name__ == '__main__':
    main()
