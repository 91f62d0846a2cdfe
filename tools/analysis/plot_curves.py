"""Plot training losses and validation metrics of one or more runs from mmengine's logs.

    python tools/analysis/plot_curves.py WORK_DIR [WORK_DIR ...] [--keys loss mIoU]
        [--names NAME ...] [--x iter|epoch] --out curves.png

Reads every ``WORK_DIR/<timestamp>/vis_data/scalars.json`` (mmengine's scalar log, one JSON
object a line). A run resumed into the same work dir has several timestamp folders: each
later one replaces the steps it repeats, so the curve has no duplicated or broken segment.
Training lines carry ``iter``; validation lines do not, and their ``step`` is the epoch
(epoch-based runs, converted to the epoch's last iteration) or the iteration. Folders with
metric lines but no training lines (``tools/test.py``) are left out. One subplot per key,
one line per run; a run without a key (no validation, say) is named in the legend's title.
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List, Tuple

Series = Dict[str, List[Tuple[float, float]]]  # key -> [(x, value), ...]


class LogError(ValueError):
    """A work dir without logs, or a log line that is not a JSON object."""


def read_scalars(path: str) -> List[dict]:
    records = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise LogError(f'{path}:{number}: not a JSON log line ({err.msg}): '
                               f'{line.strip()[:60]!r}') from err
            if not isinstance(record, dict) or 'step' not in record:
                raise LogError(f'{path}:{number}: a log line needs a JSON object with "step"')
            records.append(record)
    return records


def load_run(work_dir: str, x_axis: str = 'iter') -> Series:
    """Merge a work dir's training segments (later ones win) into ``{key: [(x, value)]}``."""
    if not osp.isdir(work_dir):
        raise LogError(f'{work_dir}: no such run directory')
    files = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    segments = []
    for path in files:
        records = read_scalars(path)
        train = [r for r in records if 'iter' in r]
        if train:  # a training segment; test.py folders hold metrics only
            segments.append((train, [r for r in records if 'iter' not in r]))
    if not segments:
        raise LogError(f'{work_dir}: no training logs (expected <timestamp>/vis_data/'
                       'scalars.json with training lines, as tools/train.py writes)')
    iters_of_epoch = {}
    for train, _ in segments:
        for r in train:
            if 'epoch' in r:
                iters_of_epoch[r['epoch']] = max(iters_of_epoch.get(r['epoch'], 0), r['iter'])
    epoch_based = bool(iters_of_epoch)

    def position(record: dict, is_train: bool) -> Tuple[float, float]:
        """(iteration, epoch) of a record."""
        if is_train:
            return record['iter'], record.get('epoch', record['iter'])
        if epoch_based:  # validation step = epoch
            return iters_of_epoch.get(record['step'], record['step']), record['step']
        return record['step'], record['step']

    points = {}  # (key, iteration) -> (x, value); later segments overwrite
    for k, (train, val) in enumerate(segments):
        start = min(r['iter'] for r in train)
        if k:  # a resumed segment supersedes what the earlier ones logged from its start on
            points = {kv: v for kv, v in points.items() if kv[1] < start}
        for records, is_train in ((train, True), (val, False)):
            for r in records:
                it, epoch = position(r, is_train)
                for key, value in r.items():
                    if key in ('step', 'iter', 'epoch') or not isinstance(value, (int, float)):
                        continue
                    points[(key, it)] = (epoch if x_axis == 'epoch' else it, float(value))
    series: Series = {}
    for (key, it), xy in sorted(points.items(), key=lambda kv: kv[0][1]):
        series.setdefault(key, []).append(xy)
    return series


def plot(runs: Dict[str, Series], keys: List[str], out: str, x_axis: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.6), squeeze=False)
    for ax, key in zip(axes[0], keys):
        missing = []
        for k, (name, series) in enumerate(runs.items()):
            if key not in series:
                missing.append(name)
                continue
            xs, ys = zip(*series[key])
            style = '-' if len(xs) > 1 else 'o'
            ax.plot(xs, ys, style, color=f'C{k}', label=name, markersize=4)
        ax.set_title(key)
        ax.set_xlabel('iteration' if x_axis == 'iter' else 'epoch')
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, title=f'no {key}: {", ".join(missing)}' if missing else None,
                  title_fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dirs', nargs='+')
    parser.add_argument('--keys', nargs='+', default=['loss'],
                        help='scalars to plot, e.g. loss loss_fg mIoU (one subplot each)')
    parser.add_argument('--names', nargs='+', help='legend name per work dir')
    parser.add_argument('--x', choices=['iter', 'epoch'], default='iter')
    parser.add_argument('--out', required=True, help='PNG to write')
    args = parser.parse_args()
    from projects.common.cli import one_line_errors
    with one_line_errors(extra=(LogError, )):
        names = args.names or [osp.basename(osp.normpath(d)) for d in args.work_dirs]
        if len(names) != len(args.work_dirs):
            raise LogError(f'{len(names)} --names for {len(args.work_dirs)} work dirs')
        runs = {name: load_run(d, args.x) for name, d in zip(names, args.work_dirs)}
        for key in args.keys:
            if not any(key in s for s in runs.values()):
                found = sorted({k for s in runs.values() for k in s})
                raise LogError(f"no run logged '{key}'; logged keys: {', '.join(found)}")
        plot(runs, args.keys, args.out, args.x)
        print(f'wrote {args.out} ({len(runs)} runs, keys {" ".join(args.keys)})')


if __name__ == '__main__':
    main()
