"""``events/``: simulated event-camera sequences. A virtual 64x48 camera sweeps (0.2 s,
150-300 px/s, slight rotation) over a texture composite (train and val from disjoint halves
of each photograph); ``projects.common.events.simulator`` emits events from log-intensity
changes; the texture label map at the label time (0.1 s) is the dense ground truth,
``points_1.png`` one seeded click per present class."""
import json
import os
import os.path as osp

import numpy as np
from tqdm import tqdm

from .imaging import TEXTURES, texture_composite, texture_sources


EVENT_VIEW = dict(height=48, width=64, canvas=144, frame_us=2000, num_frames=101,
                  label_frame=50, threshold=0.15, refractory_us=1000, noise_rate_hz=0.5)


def event_sequence(rng: np.random.Generator, sources: dict, seed: int) -> dict:
    """A camera sweeping over a texture composite: events, and labels at the label time."""
    from projects.common.events.simulator import render_views, simulate_events
    cfg = EVENT_VIEW
    canvas, label = texture_composite(rng, sources, cfg['canvas'])
    n = cfg['num_frames']
    speed = rng.uniform(150, 300) * cfg['frame_us'] * 1e-6  # px a frame
    heading = rng.uniform(0, 2 * np.pi)
    start = rng.uniform(50, cfg['canvas'] - 50, 2) - np.array(
        [np.cos(heading), np.sin(heading)]) * speed * n / 2
    spin = rng.uniform(-0.5, 0.5) * cfg['frame_us'] * 1e-6  # rad a frame
    poses = [(start[0] + k * speed * np.cos(heading), start[1] + k * speed * np.sin(heading),
              k * spin, 1.0) for k in range(n)]
    frames, maps = render_views(canvas, poses, cfg['height'], cfg['width'], labels=label)
    times = np.arange(n, dtype=np.int64) * cfg['frame_us']
    events = simulate_events(frames, times, threshold=cfg['threshold'], threshold_std=0.05,
                             refractory_us=cfg['refractory_us'],
                             noise_rate_hz=cfg['noise_rate_hz'], seed=seed)
    return dict(events=events, label=maps[cfg['label_frame']].astype(np.uint8),
                t_label=int(times[cfg['label_frame']]), frame=frames[cfg['label_frame']])


def write_event_sequences(out: str, num_train: int = 24, num_val: int = 8,
                          seed: int = 0) -> None:
    from skimage import io

    from projects.common.events import sample_point_labels, save_events
    rng = np.random.default_rng(seed)
    for split, count, offset in (('train', num_train, 0), ('val', num_val, num_train)):
        sources = texture_sources(split)
        for k in tqdm(range(offset, offset + count), desc=f'events/{split}'):
            seq = event_sequence(rng, sources, seed=k)
            folder = osp.join(out, split, f'seq_{k:03d}')
            os.makedirs(folder, exist_ok=True)
            save_events(osp.join(folder, 'events.npz'), seq['events'])
            io.imsave(osp.join(folder, 'label.png'), seq['label'], check_contrast=False)
            io.imsave(osp.join(folder, 'points_1.png'),
                      sample_point_labels(seq['label'], k=1, seed=k), check_contrast=False)
            io.imsave(osp.join(folder, 'frame.png'), (seq['frame'] * 255).astype(np.uint8),
                      check_contrast=False)
            meta = dict(t_label=seq['t_label'], height=EVENT_VIEW['height'],
                        width=EVENT_VIEW['width'], num_events=len(seq['events']),
                        classes=TEXTURES)
            with open(osp.join(folder, 'meta.json'), 'w') as f:
                json.dump(meta, f, indent=1)
