"""DSEC-Semantic and DDD17 read in place: tiny recordings in the real layouts."""
import os

import h5py
import numpy as np
import pytest
from PIL import Image

from densepre_test_helpers import run_tool
from projects.common.errors import SampleFileError
from projects.common.events import (load_events, open_events, read_rectify_map,
                                    window_by_count)
from projects.evwsss import DDD17Seg, DSECSemantic, LoadEventSequence


def _events(num, height, width, t_span, seed=0):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.integers(0, t_span, num))
    return (rng.integers(0, width, num), rng.integers(0, height, num), t,
            rng.integers(0, 2, num))


@pytest.fixture
def dsec(tmp_path):
    """One sequence: 20k events over 200 ms (t_offset 1 s), 10 labels every 20 ms, a
    rectify map shifting x by +0.5 px and y by +0.25 px."""
    seq = tmp_path / 'dsec' / 'train' / 'zurich_city_00_a'
    (seq / 'semantic' / 'left' / '11classes' / 'data').mkdir(parents=True)
    (seq / 'events' / 'left').mkdir(parents=True)
    x, y, t, p = _events(20_000, 480, 640, 200_000)
    ms_to_idx = np.searchsorted(t, np.arange(0, 201) * 1000, side='left')
    with h5py.File(seq / 'events' / 'left' / 'events.h5', 'w') as f:
        for k, v in zip('xytp', (x.astype(np.uint16), y.astype(np.uint16), t.astype(np.uint32),
                                 p.astype(np.uint8))):
            f[f'events/{k}'] = v
        f['ms_to_idx'] = ms_to_idx.astype(np.uint64)
        f['t_offset'] = np.int64(1_000_000)
    cols, rows = np.meshgrid(np.arange(640), np.arange(480))
    with h5py.File(seq / 'events' / 'left' / 'rectify_map.h5', 'w') as f:
        f['rectify_map'] = np.stack([cols + 0.5, rows + 0.25], -1).astype(np.float32)
    stamps = 1_000_000 + 20_000 * np.arange(1, 11)
    np.savetxt(seq / 'semantic' / 'timestamps.txt', stamps, fmt='%d')
    rng = np.random.default_rng(1)
    for i in range(10):
        Image.fromarray(rng.integers(0, 11, (480, 640)).astype(np.uint8)).save(
            seq / 'semantic' / 'left' / '11classes' / 'data' / f'{i:06d}.png')
    return tmp_path / 'dsec', (x, y, t + 1_000_000, p), stamps


def test_dsec_lazy_reading_matches_reading_everything(dsec):
    root, (x, y, t, p), _ = dsec
    path = f'{root}/train/zurich_city_00_a/events/left/events.h5'
    lazy, full = open_events(path, 480, 640), load_events(path, 480, 640)
    assert len(lazy) == len(full) == 20_000 and np.array_equal(full.t, t)
    queries = np.concatenate([[t[0] - 5, t[-1] + 5, 1_000_000, 1_100_000], t[::997],
                              t[::991] + 1])
    for value in queries:
        for side in ('left', 'right'):
            assert lazy.t.searchsorted(value, side=side) == np.searchsorted(t, value, side)
    window = window_by_count(lazy, 1_100_000, 3000, path)
    expected = window_by_count(full, 1_100_000, 3000, path)
    assert np.array_equal(window.t, expected.t) and np.array_equal(window.x, expected.x)
    stop = np.searchsorted(t, 1_100_000, 'right')
    assert window.p.tolist() == (2 * p[stop - 3000:stop] - 1).tolist()


def test_dsec_events_without_ms_to_idx_are_named(dsec):
    """Finding a label's window must not read every timestamp: a file without DSEC's
    millisecond index is refused in one line naming it."""
    root, _, _ = dsec
    path = f'{root}/train/zurich_city_00_a/events/left/events.h5'
    with h5py.File(path, 'a') as f:
        del f['ms_to_idx']
    with pytest.raises(SampleFileError, match=r'left/events.h5: no ms_to_idx \(a DSEC '
                                              r'events.h5 holds events/\{x,y,t,p\}'):
        open_events(path, 480, 640)


def test_dsec_items_windows_rectification_and_crop(dsec):
    root, (x, y, t, p), stamps = dsec
    ds = DSECSemantic(str(root), split='train', label_stride=2,
                      points_dir='semantic/left/11classes/points_1')
    # the first 6 labels dropped, then every 2nd: labels 6 and 8
    assert [ds.get_data_info(i)['sample_id'] for i in range(len(ds))] == \
        ['zurich_city_00_a/000006', 'zurich_city_00_a/000008']
    assert ds.get_data_info(0)['t_label'] == stamps[6] and len(ds.metainfo['classes']) == 11
    load = LoadEventSequence(num_chunks=2, events_per_chunk=1000, bins=2,
                             reversed_multiplier=2.0, crop_bottom=40)
    with pytest.raises(SampleFileError, match='points_1/000006.png: point labels not found '
                                              r'\(write them with tools/data/make_point'):
        load(dict(ds.get_data_info(0)))
    out = run_tool('tools/data/make_point_labels.py', 'DSECSemantic', str(root), '--k', '1')
    assert 'wrote 4 point label maps' in out.stdout  # every label after the first 6
    res = load(dict(ds.get_data_info(0)))
    assert res['inputs'].shape == (2, 2, 2, 440, 640) and res['gt_points'].shape == (440, 640)
    dense = np.array(Image.open(ds.get_data_info(0)['seg_map_path']))[:440]
    assert np.array_equal(res['gt_seg_map'], dense)
    # rectification moves every event by (+0.5, +0.25) and drops those that leave the
    # sensor (raw column 639 or row 479); the uncropped grid holds exactly their polarity
    path = ds.get_data_info(0)['events_path']
    rect = open_events(path, 480, 640, read_rectify_map(path.replace('events.h5',
                                                                     'rectify_map.h5')))
    stop = np.searchsorted(t, stamps[6], 'right')
    sl = slice(stop - 2000, stop)
    kept = (x[sl] < 639) & (y[sl] < 479)
    window = rect[stop - 2000:stop]
    assert np.array_equal(window.x, x[sl][kept] + 0.5)
    assert np.array_equal(window.y, y[sl][kept] + 0.25)
    uncropped = LoadEventSequence(num_chunks=2, events_per_chunk=1000, bins=2)(
        dict(ds.get_data_info(0)))
    assert uncropped['inputs'].sum() == pytest.approx((2 * p[sl] - 1)[kept].sum(), abs=1e-2)


def test_released_point_labels_are_taken_by_their_file_names_and_checked(dsec):
    """The authors ship <sequence>/11classes_weak_1point_per_class/000006.png for the dense
    000006.png; --from-release copies them (labels 6-9: the first 6 are skipped), checked
    against the dense labels."""
    root, _, _ = dsec
    seq = root / 'train' / 'zurich_city_00_a'
    release = seq / '11classes_weak_1point_per_class'
    release.mkdir()
    for name, (row, col) in (('000006.png', (10, 20)), ('000007.png', (5, 5)),
                             ('000008.png', (300, 600)), ('000009.png', (479, 639))):
        dense = np.array(Image.open(seq / 'semantic' / 'left' / '11classes' / 'data' / name))
        points = np.full_like(dense, 255)
        points[row, col] = dense[row, col]
        Image.fromarray(points).save(release / name)
    out = run_tool('tools/data/make_point_labels.py', 'DSECSemantic', str(root), '--k', '1',
                   '--from-release')
    assert 'wrote 4 point label maps (from the release)' in out.stdout, out.stderr
    written = np.array(Image.open(seq / 'semantic' / 'left' / '11classes' / 'points_1' /
                                  '000008.png'))
    assert (written != 255).sum() == 1 and written[300, 600] != 255
    # a click that disagrees with the dense label is named with its file
    dense = np.array(Image.open(seq / 'semantic' / 'left' / '11classes' / 'data' /
                                '000006.png'))
    bad = np.full_like(dense, 255)
    bad[10, 20] = (dense[10, 20] + 1) % 11
    Image.fromarray(bad).save(release / '000006.png')
    out = run_tool('tools/data/make_point_labels.py', 'DSECSemantic', str(root), '--k', '1',
                   '--from-release')
    assert out.returncode == 1
    assert '11classes_weak_1point_per_class/000006.png: 1 of 1 clicked pixels disagree' \
        in out.stderr


def _ddd17_recording(rec, x, y, t, p, index):
    (rec / 'index').mkdir(parents=True)
    (rec / 'segmentation_masks').mkdir()
    t.astype(np.int64).tofile(rec / 'events.dat.t')
    np.stack([x, y, p], 1).astype(np.int16).tofile(rec / 'events.dat.xyp')
    np.save(rec / 'index' / 'index_50ms.npy', index)
    masks = np.random.default_rng(0).integers(0, 6, (2, 200, 346)).astype(np.uint8)
    for k, mask in enumerate(masks):  # frame k is segmentation_<k + 1>.png, as released
        Image.fromarray(mask).save(rec / 'segmentation_masks' / f'segmentation_{k + 1}.png')
    return masks


def test_ddd17_release_layout_splits_event_index_and_cropped_masks(tmp_path):
    """Seven recordings without split folders, split by their sorted order as the release
    does; index rows (time, first event after the frame, window start)."""
    root = tmp_path / 'ddd17'
    x, y, t, p = _events(9000, 260, 346, 300_000)
    index = np.array([[100_000, 3000, 2000], [200_000, 6000, 5000]])
    names = ['dir0', 'dir1', 'dir3', 'dir4', 'dir6', 'dir7', 'dir8']
    for name in names:
        masks = _ddd17_recording(root / name, x, y, t, p, index)
    splits = {split: DDD17Seg(str(root), split=split, points_dir='points_2')
              for split in ('train', 'valid', 'test')}
    assert {s: sorted({splits[s].get_data_info(i)['sample_id'].split('/')[0]
                       for i in range(len(splits[s]))}) for s in splits} == dict(
        train=['dir0', 'dir3', 'dir4', 'dir7', 'dir8'], valid=['dir1'], test=['dir6'])
    ds = splits['test']
    assert ds.get_data_info(1)['sample_id'] == 'dir6/segmentation_2'
    assert ds.get_data_info(1)['event_index'] == 6000  # the second column
    out = run_tool('tools/data/make_point_labels.py', 'DDD17Seg', str(root), '--split',
                   'test', '--k', '2')
    assert 'wrote 2 point label maps' in out.stdout, out.stderr[-2000:]
    points = np.array(Image.open(root / 'dir6' / 'points_2' / 'segmentation_2.png'))
    assert points.shape == (200, 346) and (points != 255).sum() == 2 * 6
    assert np.all(masks[1][points != 255] == points[points != 255])
    load = LoadEventSequence(num_chunks=2, events_per_chunk=1000, bins=2, reversed_multiplier=1,
                             crop_bottom=60)
    res = load(dict(ds.get_data_info(1)))
    assert res['inputs'].shape == (2, 2, 2, 200, 346)
    assert np.array_equal(res['gt_seg_map'], masks[1])
    # the forward stream holds exactly the 2000 events before index 6000 (net polarity sum
    # of those in the kept rows), the reversed one the 2000 from 6000 on, negated
    for s, sl in ((0, slice(4000, 6000)), (1, slice(6000, 8000))):
        inside = y[sl] < 200
        sign = 1 if s == 0 else -1
        assert res['inputs'][s].sum() == pytest.approx(sign * (2 * p[sl] - 1)[inside].sum(),
                                                       abs=1e-3)
    np.save(root / 'dir6' / 'index' / 'index_50ms.npy', index[:1])
    with pytest.raises(SampleFileError, match=r'dir6/segmentation_masks/segmentation_2.png: '
                                              r'frame 2, but .*index_50ms.npy holds 1 frames'):
        DDD17Seg(str(root), split='test')
    import shutil
    shutil.rmtree(root / 'dir8')
    with pytest.raises(SampleFileError, match=r"ddd17: 6 recordings \(dir\*\); the release's "
                                              r'train split takes recordings \(0, 2, 3, 5, 6\)'):
        DDD17Seg(str(root), split='train')


def test_ddd17_released_point_labels_are_taken_by_their_file_names(tmp_path):
    root = tmp_path / 'ddd17'
    x, y, t, p = _events(9000, 260, 346, 300_000)
    index = np.array([[100_000, 3000, 2000], [200_000, 6000, 5000]])
    for name in ('dir0', 'dir1', 'dir3', 'dir4', 'dir6', 'dir7', 'dir8'):
        masks = _ddd17_recording(root / name, x, y, t, p, index)
    weak = root / 'dir1' / 'weak_1point_per_class'
    weak.mkdir()
    for k, mask in enumerate(masks):
        clicks = np.full_like(mask, 255)
        clicks[7, 9] = mask[7, 9]
        Image.fromarray(clicks).save(weak / f'segmentation_{k + 1}.png')
    out = run_tool('tools/data/make_point_labels.py', 'DDD17Seg', str(root), '--split',
                   'valid', '--k', '1', '--from-release')
    assert 'wrote 2 point label maps (from the release)' in out.stdout, out.stderr[-2000:]
    taken = np.array(Image.open(root / 'dir1' / 'points_1' / 'segmentation_2.png'))
    assert (taken != 255).sum() == 1 and taken[7, 9] == masks[1][7, 9]
    clicks[7, 9] = (masks[1][7, 9] + 1) % 6  # a click that disagrees with the dense label
    Image.fromarray(clicks).save(weak / 'segmentation_2.png')
    out = run_tool('tools/data/make_point_labels.py', 'DDD17Seg', str(root), '--split',
                   'valid', '--k', '1', '--from-release')
    assert out.returncode == 1 and out.stderr.strip().splitlines()[-1].startswith(
        f'error: {weak}/segmentation_2.png: 1 of 1 clicked pixels disagree')


def test_validation_sequences_are_held_out_of_train(samples):
    from projects.evwsss import EventSegFolder
    root = f'{samples}/events'
    train = EventSegFolder(root, 'train', exclude_sequences=['seq_000', 'seq_005'])
    val = EventSegFolder(root, 'train', sequences=['seq_000', 'seq_005'])
    train_ids = {train.get_data_info(i)['sample_id'] for i in range(len(train))}
    val_ids = {val.get_data_info(i)['sample_id'] for i in range(len(val))}
    assert val_ids == {'seq_000', 'seq_005'} and len(train_ids) == 22
    assert not train_ids & val_ids
    with pytest.raises(FileNotFoundError, match='train/seq_999: sequence named in the config'):
        EventSegFolder(root, 'train', sequences=['seq_999'])


@pytest.mark.parametrize('config', ['configs/evwsss/evwsss_e2vid_1xb1-50e_dsec.py',
                                    'configs/evwsss/evwsss_e2vid_1xb1-50e_dsec-night.py',
                                    'configs/evwsss/evwsss_e2vid_1xb4-20e_ddd17.py'])
def test_paper_configs_select_on_held_out_data_not_test(config):
    """DSEC (day and night): sequences held out of training; DDD17: the release's valid
    recording. Test is the test split, whole."""
    from mmengine.config import Config
    cfg = Config.fromfile(config)
    train, val = cfg.train_dataloader.dataset, cfg.val_dataloader.dataset
    if 'ddd17' in config:
        assert (train.split, val.split) == ('train', 'valid')
    else:
        assert val.sequences == train.exclude_sequences == cfg.val_sequences
        assert val.split == ('test' if 'night' in config else 'train')  # night: dense labels
    assert cfg.test_dataloader.dataset.split == 'test'
    assert 'sequences' not in cfg.test_dataloader.dataset
    assert cfg.default_hooks.checkpoint.save_best == 'mIoU'


def test_event_tensor_cache_is_read_back_and_follows_settings_and_files(dsec, tmp_path):
    root, _, _ = dsec
    run_tool('tools/data/make_point_labels.py', 'DSECSemantic', str(root), '--k', '1')
    info = DSECSemantic(str(root), split='train').get_data_info(0)
    window = dict(num_chunks=2, events_per_chunk=1000, bins=2, reversed_multiplier=2.0,
                  crop_bottom=40)
    plain = LoadEventSequence(**window)(dict(info))['inputs']
    cache = tmp_path / 'cache'
    exact = LoadEventSequence(**window, cache_dir=str(cache), cache_dtype='float32')
    first = exact(dict(info))['inputs']
    files = sorted(cache.rglob('*.npy'))
    assert len(files) == 1 and np.array_equal(first, plain)
    np.save(files[0], np.full_like(plain, 7.0))  # the second call must read the file
    assert (exact(dict(info))['inputs'] == 7.0).all()
    half = LoadEventSequence(**window, cache_dir=str(cache))(dict(info))['inputs']
    assert len(list(cache.rglob('*.npy'))) == 2  # float16: its own settings folder
    assert np.allclose(half, plain, rtol=1e-3, atol=1e-3) and half.dtype == np.float32
    events = info['events_path']
    os.utime(events, ns=(0, 0))  # the events file changed: computed again
    assert np.array_equal(exact(dict(info))['inputs'], plain)
    assert len(list(cache.rglob('*.npy'))) == 3


def test_dsec_night_point_frames_times_and_label_mapping(tmp_path):
    """Night-Point as the release arranges it: frame k <-> k-th warp image and timestamp,
    frame 0 dropped, Cityscapes train ids mapped to the DSEC classes by name (person and
    rider -> person, car -> car, sky -> background, pole -> pole, unknown -> ignore)."""
    from projects.evwsss import DSECNightPoint
    from tools.data.miniatures.events import write_dsec_night
    root = tmp_path / 'night'
    write_dsec_night(str(root), num_events=40_000)
    seq = root / 'zurich_city_09_a'
    dense = np.full((480, 640), 255, np.uint8)
    dense[:10, :4] = [[11, 12, 13, 10]]  # person, rider, car, sky
    dense[10:20, :2] = [[5, 19]]  # pole, id 19 does not exist in Cityscapes
    Image.fromarray(dense).save(
        seq / 'labels_test' / 'zurich_city_09_a_000006_grey_gtFine_labelTrainIds.png')
    test = DSECNightPoint(str(root), split='test')
    assert [test.get_data_info(i)['sample_id'] for i in range(len(test))] == [
        'zurich_city_09_a/000006', 'zurich_city_09_a/000007', 'zurich_city_09_b/000006',
        'zurich_city_09_b/000007']
    stamps = np.loadtxt(seq / 'timestamps.txt', dtype=np.int64)
    assert test.get_data_info(1)['t_label'] == stamps[7]
    load = LoadEventSequence(num_chunks=1, events_per_chunk=100, bins=2, crop_bottom=40)
    out = load(dict(test.get_data_info(0)))
    assert out['gt_seg_map'][0, :4].tolist() == [3, 3, 8, 0]
    assert out['gt_seg_map'][10, :2].tolist() == [4, 255]
    assert (out['gt_points'] == 255).all()  # test items have no clicks
    train = DSECNightPoint(str(root), split='train', exclude_sequences=['zurich_city_09_b'])
    clicks = load(dict(train.get_data_info(0)))['gt_points']
    assert len(train) == 2 and 0 < (clicks != 255).sum() <= 11
    (seq / 'warp_images' / '000003.png').unlink()
    with pytest.raises(SampleFileError, match=r'zurich_city_09_a/timestamps.txt: 8 timestamps '
                                              r'but 7 frames in warp_images/'):
        DSECNightPoint(str(root), split='train')
