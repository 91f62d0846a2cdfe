"""EV-WSSS's DSEC paper pipeline with and without the event-tensor cache, on the DSEC
miniature (real layout, 15 M events per sequence; ``tools/data/make_miniatures.py dsec``):
samples per second of the training pipeline (forward window 20 x 100k events, reversed
window 5x as long, 5 bins, rectified, 640x440), computing the tensors vs reading them from
``LoadEventSequence(cache_dir=...)`` (float16 and float32), one process, alternating.

    python benchmarks/event_cache_speed.py [--repeats 3]
"""
import argparse
import os.path as osp
import subprocess
import sys
import tempfile

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)
CONFIG = 'configs/evwsss/evwsss_e2vid_1xb1-50e_dsec.py'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--miniatures', default=osp.join(ROOT, 'data', 'miniatures'))
    args = parser.parse_args()
    subprocess.run([sys.executable, osp.join(ROOT, 'tools', 'data', 'make_miniatures.py'),
                    'dsec', '--out', args.miniatures], check=True)

    from mmengine.config import Config
    from mmengine.dataset import Compose
    from mmengine.registry import DATASETS, init_default_scope

    from benchmarks.timing import alternating_times
    import projects.evwsss  # noqa: F401  (registers the dataset and transforms)

    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(ROOT, CONFIG))
    data = dict(cfg.train_dataloader.dataset, data_root=osp.join(args.miniatures, 'dsec'),
                pipeline=[], exclude_sequences=[], label_stride=1)  # every labelled time
    dataset = DATASETS.build(data)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    window = [t for t in cfg.train_dataloader.dataset.pipeline
              if t['type'] == 'LoadEventSequence'][0]
    with tempfile.TemporaryDirectory() as cache:
        pipelines = {'computed': Compose([window])}
        for dtype in ('float16', 'float32'):
            pipelines[f'cached ({dtype})'] = Compose([dict(window, cache_dir=cache,
                                                           cache_dtype=dtype)])
            for info in infos:  # fill the cache
                pipelines[f'cached ({dtype})'](dict(info))

        def run(pipeline):
            return lambda: [pipeline(dict(info)) for info in infos]
        times = alternating_times({k: run(p) for k, p in pipelines.items()}, args.repeats)
    base = times['computed']
    print(f'{len(infos)} DSEC training sample(s) of the paper pipeline, {CONFIG}')
    print('| event tensors | samples / s | vs computing |')
    print('|---|---|---|')
    for name, seconds in times.items():
        print(f'| {name} | {len(infos) / seconds:.2f} | {base / seconds:.1f}x |')


if __name__ == '__main__':
    main()
