"""DSEC-Semantic and DDD17 in the layouts the ESS / EV-WSSS releases read, with random
events (uniform in space and time: they test the path, not learning).

DSEC (``train_events.zip`` + ``train_semantic_segmentation.zip`` as ESS arranges them)::

    dsec/{train,test}/<sequence>/events/left/events.h5     events/{x,y,p,t} (uint16, uint16,
                       uint8, uint32 us after t_offset), ms_to_idx (uint64), t_offset
                       (int64); blosc-compressed as released (hdf5plugin)
    dsec/{train,test}/<sequence>/events/left/rectify_map.h5   rectify_map (480, 640, 2)
    dsec/{train,test}/<sequence>/semantic/left/11classes/data/<6 digits>.png   640x440
    dsec/{train,test}/<sequence>/semantic/timestamps.txt   one label time [us] per line

DSEC Night-Point (the EV-WSSS release: DSEC events + the authors' files + CMDA labels)::

    dsec_night/<sequence>/events/left/{events.h5,rectify_map.h5}, timestamps.txt,
                          warp_images/<6 digits>.png, labels/<6 digits>.png (points),
                          labels_test/<sequence>_<6 digits>_grey_gtFine_labelTrainIds.png

DDD17 (the Ev-SegNet / ESS / EV-WSSS memmap release; 7 recordings, split by their order)::

    ddd17/dir<N>/events.dat.t     int64 [us], events.dat.xyp  int16 (N, 3): x, y, p in 0/1
    ddd17/dir<N>/index/index_50ms.npy   (frames, 3): time, first event after it, start
    ddd17/dir<N>/segmentation_masks/segmentation_<k>.png   200x346, 6 classes (frame k - 1)
    ddd17/dir<N>/weak_1point_per_class/segmentation_<k>.png   the authors' point labels

The paper windows need millions of events around every label (DSEC: 2 M before and 10 M
after), so each sequence holds 8 labels and 13.5 M events; the event files are written once
and hard-linked into every sequence to save disk (readers see separate files).
"""
import os
import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

from projects.common.events import sample_point_labels

from .scenes2d import labelled_scene, semantic_map

DSEC_SEQUENCES = {'train': ('zurich_city_00_a', 'zurich_city_08_a'),
                  'test': ('zurich_city_13_a', )}
DSEC_NIGHT_SEQUENCES = ('zurich_city_09_a', 'zurich_city_09_b')
DDD17_RECORDINGS = ('dir0', 'dir1', 'dir3', 'dir4', 'dir6', 'dir7', 'dir8')  # 7, sorted


def random_events(rng, num: int, width: int, height: int, t0: int, t1: int) -> dict:
    """``num`` events uniform over the sensor and over [t0, t1) us, time-sorted."""
    return dict(x=rng.integers(0, width, num, dtype=np.uint16),
                y=rng.integers(0, height, num, dtype=np.uint16),
                p=rng.integers(0, 2, num, dtype=np.uint8),
                t=np.sort(rng.integers(t0, t1, num, dtype=np.int64)))


def label_maps(rng, num: int, height: int, width: int, num_classes: int) -> list:
    return [semantic_map(labelled_scene(rng, height, width, num_classes - 1, 4)[1], height,
                         width, background=0, label_offset=1) for _ in range(num)]


def _link(src: str, dst: str) -> None:
    if osp.exists(dst):
        os.remove(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_dsec_events(path: str, events: dict, t_offset: int) -> None:
    import h5py
    import hdf5plugin
    t = events['t'] - t_offset
    ms_to_idx = np.searchsorted(t, np.arange(0, t[-1] // 1000 + 1) * 1000).astype(np.uint64)
    blosc = hdf5plugin.Blosc(cname='zstd', clevel=1, shuffle=hdf5plugin.Blosc.SHUFFLE)
    with h5py.File(path, 'w') as f:
        for key, value in (('x', events['x']), ('y', events['y']), ('p', events['p']),
                           ('t', t.astype(np.uint32))):
            f.create_dataset(f'events/{key}', data=value, chunks=True, **blosc)
        f.create_dataset('ms_to_idx', data=ms_to_idx, **blosc)
        f.create_dataset('t_offset', data=np.int64(t_offset))


def write_rectify_map(path: str, height: int = 480, width: int = 640) -> None:
    import h5py
    yy, xx = np.mgrid[:height, :width].astype(np.float32)
    r2 = ((xx - width / 2) ** 2 + (yy - height / 2) ** 2) / (width / 2) ** 2
    rectified = np.stack([width / 2 + (xx - width / 2) * (1 - 0.02 * r2),
                          height / 2 + (yy - height / 2) * (1 - 0.02 * r2)], -1)
    with h5py.File(path, 'w') as f:
        f.create_dataset('rectify_map', data=rectified.astype(np.float32))


def _dsec_recording(root: str, rng, num_events: int):
    """One events.h5 + rectify_map.h5 under ``root/.events`` and 8 label times at 20 Hz.
    Of the events, 16 % fall in the 20 ms before label 6, 4 % between labels 6 and 7 and
    80 % in the 100 ms after label 7: with 13.5 M events, >= 2 M before and >= 10 M after
    each of labels 6 and 7 (the paper's forward and 5x reversed windows)."""
    t_offset = 59_000_000_000  # DSEC's absolute clock (us)
    stamps = t_offset + 1_000_000 + np.arange(8) * 50_000
    t6, t7 = int(stamps[6]), int(stamps[7])
    parts = [random_events(rng, int(num_events * share), 640, 480, t0, t1)
             for share, t0, t1 in ((0.16, t6 - 20_000, t6), (0.04, t6, t7),
                                   (0.80, t7, t7 + 100_000))]
    events = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    cache = osp.join(root, '.events')
    os.makedirs(cache, exist_ok=True)
    write_dsec_events(osp.join(cache, 'events.h5'), events, t_offset)
    write_rectify_map(osp.join(cache, 'rectify_map.h5'))
    return cache, stamps


def _link_recording(cache: str, seq_dir: str) -> None:
    os.makedirs(osp.join(seq_dir, 'events', 'left'), exist_ok=True)
    for name in ('events.h5', 'rectify_map.h5'):
        _link(osp.join(cache, name), osp.join(seq_dir, 'events', 'left', name))


def write_dsec(root: str, seed: int = 0, num_events: int = 13_500_000) -> str:
    rng = np.random.default_rng(seed)
    cache, stamps = _dsec_recording(root, rng, num_events)
    for split, sequences in DSEC_SEQUENCES.items():
        for seq in sequences:
            base = osp.join(root, split, seq)
            _link_recording(cache, base)
            data = osp.join(base, 'semantic', 'left', '11classes', 'data')
            os.makedirs(data, exist_ok=True)
            for i, label in enumerate(label_maps(rng, len(stamps), 440, 640, 11)):
                Image.fromarray(label).save(osp.join(data, f'{i:06d}.png'))
            np.savetxt(osp.join(base, 'semantic', 'timestamps.txt'), stamps, fmt='%d')
    shutil.rmtree(cache)
    return (f'{sum(map(len, DSEC_SEQUENCES.values()))} sequences of {len(stamps)} labels, '
            f'{num_events / 1e6:.1f} M events each')


def write_dsec_night(root: str, seed: int = 0, num_events: int = 13_500_000) -> str:
    """DSEC Night-Point as the EV-WSSS release arranges it (the DSEC events of each night
    sequence, the authors' warp images, timestamps and point labels, CMDA's dense labels in
    Cityscapes train ids): frames 0 (no events before it: dropped), 6 and 7 are labelled."""
    rng = np.random.default_rng(seed)
    cache, stamps = _dsec_recording(root, rng, num_events)
    for seq in DSEC_NIGHT_SEQUENCES:
        base = osp.join(root, seq)
        _link_recording(cache, base)
        for sub in ('warp_images', 'labels', 'labels_test'):
            os.makedirs(osp.join(base, sub), exist_ok=True)
        np.savetxt(osp.join(base, 'timestamps.txt'), stamps, fmt='%d')
        for k in range(len(stamps)):
            grey = rng.integers(0, 60, (480, 640), dtype=np.uint8)  # a dark frame
            Image.fromarray(grey).save(osp.join(base, 'warp_images', f'{k:06d}.png'))
        for k in (0, 6, 7):
            dense = label_maps(rng, 1, 480, 640, 19)[0]  # Cityscapes train ids 0..18
            Image.fromarray(dense).save(osp.join(
                base, 'labels_test', f'{seq}_{k:06d}_grey_gtFine_labelTrainIds.png'))
            Image.fromarray(sample_point_labels(dense, k=1, seed=k)).save(
                osp.join(base, 'labels', f'{k:06d}.png'))
    shutil.rmtree(cache)
    return f'{len(DSEC_NIGHT_SEQUENCES)} night sequences, frames 0, 6, 7 labelled'


def write_ddd17(root: str, seed: int = 0, num_events: int = 2_000_000) -> str:
    rng = np.random.default_rng(seed)
    stamps = 1_000_000 + np.arange(2) * 50_000
    events = random_events(rng, num_events, 346, 260, int(stamps[0]) - 300_000,
                           int(stamps[-1]) + 300_000)
    first_after = np.searchsorted(events['t'], stamps, side='right')
    assert first_after[0] >= 640_000 and num_events - first_after[-1] >= 640_000
    cache = osp.join(root, '.events')
    os.makedirs(cache, exist_ok=True)
    events['t'].astype(np.int64).tofile(osp.join(cache, 'events.dat.t'))
    polarity = events['p'].astype(np.int16)  # 0 / 1, as released
    np.stack([events['x'].astype(np.int16), events['y'].astype(np.int16), polarity],
             1).tofile(osp.join(cache, 'events.dat.xyp'))
    window_start = np.maximum(first_after - 32_000, 0)
    for rec in DDD17_RECORDINGS:
        base = osp.join(root, rec)
        for sub in ('index', 'segmentation_masks', 'weak_1point_per_class'):
            os.makedirs(osp.join(base, sub), exist_ok=True)
        for name in ('events.dat.t', 'events.dat.xyp'):
            _link(osp.join(cache, name), osp.join(base, name))
        np.save(osp.join(base, 'index', 'index_50ms.npy'),
                np.stack([stamps, first_after, window_start], 1).astype(np.int64))
        for k, mask in enumerate(label_maps(rng, len(stamps), 200, 346, 6)):
            name = f'segmentation_{k + 1}.png'  # frame k, 1-based as released
            Image.fromarray(mask).save(osp.join(base, 'segmentation_masks', name))
            Image.fromarray(sample_point_labels(mask, k=1, seed=k)).save(
                osp.join(base, 'weak_1point_per_class', name))
    shutil.rmtree(cache)
    return (f'{len(DDD17_RECORDINGS)} recordings of {len(stamps)} labels, '
            f'{num_events / 1e6:.1f} M events each')


def make_point_labels(dataset: str, root: str, splits=('train', 'test'), *options) -> None:
    """Point labels of every split (tools/data/make_point_labels.py)."""
    tool = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'make_point_labels.py')
    for split in splits:
        subprocess.run([sys.executable, tool, dataset, root, '--split', split, '--k', '1',
                        *options], check=True)


def write_dsec_with_points(root: str, seed: int = 0) -> str:
    summary = write_dsec(root, seed)
    make_point_labels('DSECSemantic', root)
    return summary


def write_ddd17_with_points(root: str, seed: int = 0) -> str:
    """DDD17 with the authors' point labels taken (checked) into points_1/."""
    summary = write_ddd17(root, seed)
    make_point_labels('DDD17Seg', root, ('train', 'valid', 'test'), '--from-release')
    return summary
