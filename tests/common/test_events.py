"""Event streams: voxel grids by hand, reversal, windows, point labels, readers, bad input."""
import numpy as np
import pytest

from projects.common.errors import SampleFileError
from projects.common.events import (event_histogram, load_events, make_stream, reverse_events,
                                    sample_point_labels, save_events, signed_polarity,
                                    voxel_grid,
                                    voxel_grid_chunks, window_after, window_by_count,
                                    window_by_duration)


def stream(x, y, t, p, height=2, width=3):
    return make_stream(np.array(x), np.array(y), np.array(t), np.array(p), height, width)


def test_voxel_grid_of_hand_placed_events():
    # 3 bins; times 0, 25, 50, 100 -> normalised 0, 0.5, 1, 2.
    events = stream(x=[0, 1, 2, 1], y=[0, 0, 1, 1], t=[0, 25, 50, 100], p=[1, 1, 0, 1])
    grid = voxel_grid(events, bins=3, height=2, width=3)
    expected = np.zeros((3, 2, 3), np.float32)
    expected[0, 0, 0] += 1.0                # t=0 -> bin 0, +1
    expected[0, 0, 1] += 0.5                # t=25 -> 0.5: half in bin 0, half in bin 1
    expected[1, 0, 1] += 0.5
    expected[1, 1, 2] += -1.0               # t=50 -> bin 1, polarity 0 -> -1
    expected[2, 1, 1] += 1.0                # t=100 -> bin 2
    assert np.allclose(grid, expected)


def test_sub_pixel_events_spread_bilinearly():
    events = make_stream(np.array([0.25]), np.array([0.5]), np.array([7]), np.array([1]), 2, 2)
    grid = voxel_grid(events, bins=2, height=2, width=2)  # one event: t normalises to 0
    assert np.allclose(grid[0], [[0.75 * 0.5, 0.25 * 0.5], [0.75 * 0.5, 0.25 * 0.5]])
    assert np.allclose(grid[1], 0)


def test_chunks_have_equal_counts_and_their_own_time_axis():
    events = stream(x=[0, 1, 2, 0], y=[0, 0, 0, 1], t=[0, 10, 1000, 3000], p=[1, 1, 1, 1])
    chunks = voxel_grid_chunks(events, num_chunks=2, bins=2, height=2, width=3)
    assert chunks.shape == (2, 2, 2, 3)
    # chunk 0: t 0, 10 -> bins 0, 1; chunk 1: t 1000, 3000 -> bins 0, 1
    assert chunks[0, 0, 0, 0] == 1 and chunks[0, 1, 0, 1] == 1
    assert chunks[1, 0, 0, 2] == 1 and chunks[1, 1, 1, 0] == 1
    assert chunks.sum() == 4


def grid_by_definition(x, y, t, p, bins, height, width):
    """Each event adds p * k(x_i - x) k(y_i - y) k(t_i - t_n) to every cell (t_i, y_i, x_i),
    k(d) = max(0, 1 - |d|), t_n = (bins - 1)(t - t_first) / (t_last - t_first)."""
    def kernel(cells, at):
        return np.maximum(0, 1 - np.abs(np.arange(cells) - at))
    grid = np.zeros((bins, height, width))
    t_norm = (bins - 1) * (t - t[0]) / (t[-1] - t[0])
    for xe, ye, te, pe in zip(x, y, t_norm, p):
        grid += pe * (kernel(bins, te)[:, None, None] * kernel(height, ye)[None, :, None]
                      * kernel(width, xe)[None, None, :])
    return grid


@pytest.mark.parametrize('subpixel', [False, True])
def test_voxel_grid_equals_its_definition_on_random_events(subpixel):
    rng = np.random.default_rng(3)
    height, width, n = 4, 5, 300
    if subpixel:  # up to the last column / row, whose upper neighbour is off the sensor
        x, y = rng.uniform(0, width - 1e-3, n), rng.uniform(0, height - 1e-3, n)
    else:
        x, y = rng.integers(0, width, n), rng.integers(0, height, n)
    t, p = np.sort(rng.integers(0, 1000, n)), rng.choice([-1, 1], n)
    events = make_stream(x, y, t, p, height, width)
    expected = grid_by_definition(x, y, t, p, 3, height, width)
    assert np.allclose(voxel_grid(events, 3, height, width), expected, atol=1e-5)
    # the torch path (the one other devices take) agrees with the compiled CPU pass
    from projects.common.events.representations import _voxel_grid_torch
    assert np.allclose(_voxel_grid_torch(events, 3, height, width, 'cpu'), expected, atol=1e-5)
    chunks = voxel_grid_chunks(events, 4, 3, height, width)
    for i in range(4):  # 300 events in 4 chunks of 75, each normalised on its own
        part = slice(75 * i, 75 * (i + 1))
        assert np.allclose(chunks[i], grid_by_definition(x[part], y[part], t[part], p[part], 3,
                                                         height, width), atol=1e-5)


def test_polarity_encodings_and_unknown_codes():
    assert signed_polarity(np.array([0, 1, 1], np.uint8)).tolist() == [-1, 1, 1]
    assert signed_polarity(np.array([True, False])).tolist() == [1, -1]
    assert signed_polarity(np.array([-1, 1], np.int16)).tolist() == [-1, 1]
    assert signed_polarity(np.array([-1.0, 1.0])).dtype == np.int8
    for bad in ([-1, 0, 1], [0, 2], [0.5, 1.0]):
        with pytest.raises(SampleFileError, match='f.h5: unknown polarity encoding'):
            signed_polarity(np.array(bad), 'f.h5')


def test_histogram_counts_each_polarity():
    events = stream(x=[0, 0, 2], y=[1, 1, 0], t=[0, 1, 2], p=[-1, 1, 1])
    hist = event_histogram(events, 2, 3)
    assert hist[0, 1, 0] == 1 and hist[1, 1, 0] == 1 and hist[1, 0, 2] == 1 and hist.sum() == 3


def test_reversal_flips_time_and_polarity_and_twice_is_identity():
    events = stream(x=[0, 1, 2], y=[0, 1, 0], t=[10, 15, 40], p=[1, -1, 1])
    rev = reverse_events(events)
    assert rev.t.tolist() == [10, 35, 40] and rev.x.tolist() == [2, 1, 0]
    assert rev.p.tolist() == [-1, 1, -1]
    back = reverse_events(rev)
    for a, b in zip((back.x, back.y, back.t, back.p), (events.x, events.y, events.t, events.p)):
        assert np.array_equal(a, b)


def test_windows_by_count_duration_and_after():
    events = stream(x=[0] * 6, y=[0] * 6, t=[0, 10, 20, 30, 40, 50], p=[1] * 6)
    assert window_by_count(events, 30, 3).t.tolist() == [10, 20, 30]
    assert window_by_duration(events, 35, 20).t.tolist() == [20, 30]
    assert window_after(events, 30, 2).t.tolist() == [30, 40]
    with pytest.raises(SampleFileError, match='2 events before the label time, the window needs 5'):
        window_by_count(events, 10, 5)
    with pytest.raises(SampleFileError, match=r'no events in \(100, 200\]'):
        window_by_duration(events, 200, 100)


def test_point_sampler_returns_k_points_per_present_class():
    dense = np.zeros((20, 20), np.uint8)
    dense[:5] = 1
    dense[10:, 10:] = 3
    dense[0, 0] = 255  # ignored pixels are never sampled
    dense[19, 0] = 7   # a one-pixel class gets its only pixel
    sparse = sample_point_labels(dense, k=4, seed=0)
    counts = {c: int((sparse == c).sum()) for c in (0, 1, 3, 7)}
    assert counts == {0: 4, 1: 4, 3: 4, 7: 1}
    assert np.all(dense[sparse != 255] == sparse[sparse != 255])
    assert np.array_equal(sparse, sample_point_labels(dense, k=4, seed=0))  # seeded
    assert not np.array_equal(sparse, sample_point_labels(dense, k=4, seed=1))


def test_readers_agree_and_bad_streams_name_the_source(tmp_path):
    import h5py
    x, y, t, p = np.array([1, 2]), np.array([0, 1]), np.array([5, 9]), np.array([0, 1])
    save_events(str(tmp_path / 'a.npz'), make_stream(x, y, t, p, 2, 3))
    np.save(tmp_path / 'b.npy', np.stack([x, y, t, p], 1))
    import hdf5plugin
    with h5py.File(tmp_path / 'c.h5', 'w') as f:  # DSEC: blosc, t relative to t_offset
        for k, v in zip('xytp', (x, y, t - 5, p)):
            f.create_dataset(f'events/{k}', data=v, **hdf5plugin.Blosc())
        f['t_offset'] = 5
    ddd17 = tmp_path / 'ddd17'
    ddd17.mkdir()
    t.astype(np.int64).tofile(ddd17 / 'events.dat.t')
    np.stack([x, y, p], 1).astype(np.int16).tofile(ddd17 / 'events.dat.xyp')
    for path in ('a.npz', 'b.npy', 'c.h5', 'ddd17'):
        ev = load_events(str(tmp_path / path), 2, 3)
        assert ev.t.tolist() == [5, 9] and ev.p.tolist() == [-1, 1] and ev.x.tolist() == [1, 2]
    cases = [((x, y + 1, t, p), r'1 events outside the 3x2 sensor \(first: x=2, y=2\)'),
             ((x, y, t[::-1], p), 'timestamps decrease at event 1'),
             ((x, y, t, np.array([2, 1])), r'unknown polarity encoding \[1, 2\]'),
             ((x[:0], y[:0], t[:0], p[:0]), 'no events')]
    for (cx, cy, ct, cp), message in cases:
        with pytest.raises(SampleFileError, match='seq.h5: ' + message):
            make_stream(cx, cy, ct, cp, 2, 3, name='seq.h5')
    (tmp_path / 'bad.npy').write_bytes(b'junk')
    with pytest.raises(SampleFileError, match='bad.npy: cannot read events'):
        load_events(str(tmp_path / 'bad.npy'), 2, 3)
