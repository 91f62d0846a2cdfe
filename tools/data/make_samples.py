"""Build the bundled sample data from real data that installed packages carry (one module
per sample set in ``tools/data/samples/``).

Nothing can be downloaded, so the samples come from scikit-image's real photographs:

* ``images/``: real colour and grey photographs, as RGB PNGs (unlabelled pretraining).
* ``textures/``: a composite segmentation set. Each image is a random Voronoi partition of
  a 128x128 canvas; every cell is filled with a patch of one real texture photograph
  (brick, grass, gravel, moon surface) and labelled with that texture. Train images take
  patches from the left 60% of each photograph, val images from the right 40%, so no
  pixel is shared between the splits.
* ``scenes/``: generated (not real) labelled 3D scenes in mmdet3d's Seg3DDataset layout:
  a noisy ground plane (class 0), boxes (1) and cylinders (2) with random sizes and
  poses: ``points/{train,val}/*.bin`` (x, y, z, intensity), uint8
  ``semantic_mask/{train,val}/*.bin`` and ``scenes_infos_{train,val}.pkl``.
  They exist because no labelled point cloud ships with any package.
* ``events/``: simulated event-camera sequences: a virtual 64x48 camera sweeps (0.2 s,
  150-300 px/s, slight rotation) over a texture composite (the textures below, train and
  val from disjoint halves of each photograph); ``projects.common.events.simulator`` emits
  events from log-intensity changes; the texture label map at the label time (0.1 s) is the
  dense ground truth, ``points_1.png`` one seeded click per present class.
* ``objects/``: a generated object set in the ModelNet40 folder layout
  (``<class>/<class>_NNNN.npy``, ``objects_shape_names.txt``, ``objects_{train,test}.txt``):
  ten classes of open3d mesh primitives (box, sphere, cylinder, cone, torus, arrow,
  icosahedron, octahedron, tetrahedron, Moebius strip) under random per-axis scaling,
  tapering, bending and rotation about the up axis (y), plus ``scan_patch``: deformed
  ball-shaped patches of the real stereo point cloud below.
* ``pointclouds/motorcycle.{ply,npy,bin}``: a real coloured point cloud from the
  Middlebury 2014 "Motorcycle" stereo pair with its ground-truth disparity
  (``skimage.data.stereo_motorcycle()``), back-projected with its camera model
  (``samples/pointcloud.py``).

Usage: python tools/data/make_samples.py [--out data/samples] [--num-train 48 --num-val 16]
"""
import argparse
import os.path as osp

from samples import bev, change, events, objects, photos, pointcloud, scenes, textures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default='data/samples')
    parser.add_argument('--num-train', type=int, default=48)
    parser.add_argument('--num-val', type=int, default=16)
    args = parser.parse_args()
    written = photos.write_photos(osp.join(args.out, 'images'))
    textures.write_textures(osp.join(args.out, 'textures'), args.num_train, args.num_val)
    scenes.write_scenes(osp.join(args.out, 'scenes'))
    num_objects = objects.write_objects(osp.join(args.out, 'objects'))
    events.write_event_sequences(osp.join(args.out, 'events'))
    n = pointcloud.write_pointcloud(osp.join(args.out, 'pointclouds'))
    num_pairs = change.write_change_samples(osp.join(args.out, 'change'))
    num_scenes = bev.write_bev_scenes(osp.join(args.out, 'bev'))  # last: tests look for it
    print(f'wrote {len(written)} photographs, {args.num_train}+{args.num_val} texture '
          f'composites, 16+4 generated 3D scenes, {num_objects} generated objects, 24+8 '
          f'simulated event sequences, a {n}-point cloud, {num_pairs} change pairs and '
          f'{num_scenes} multi-camera scenes under {args.out}')


if __name__ == '__main__':
    main()
