"""Train (or reuse) each row's config for every seed and print the README's results table.

    python tools/analysis/seed_table.py evwsss [--seeds 0 1 2] [--epochs 100] [--force]
    python tools/analysis/seed_table.py evwsss-dense          # every pixel labelled, seed 0
    python tools/analysis/seed_table.py semicd [--seeds 0 1 2]
    python tools/analysis/seed_table.py distill-finetune      # pretrains first (cached)
    python tools/analysis/seed_table.py pdbev                 # one run, a metric per row

``--cfg-options`` are added to every run (e.g. a smaller budget for a quick look).

A run is reused only when its run key (config, options, code) matches
(``projects/common/experiments.py``); ``--force`` reruns everything. Cells are
``mean ± sample std (per seed)``, ``mean ± std`` or the mean, as each table shows them.
"""
import argparse
import glob
import json
import os.path as osp
import shutil

from projects.common.experiments import (ROOT, cached_run, code_version, mean_std, per_seed,
                                         run_key, run_script)

EV = 'configs/evwsss/evwsss_e2vid-tiny_1xb4-30e_events-demo'
CD = 'configs/semicd_vl/{}_r18-lighthead_1xb4-40e_change-demo-10pct.py'
CLS = 'configs/point_distill/downstream/pointvit-tiny_cls_1xb32-40e_objects'
DISTILL = 'configs/point_distill/pointdistill_pointvit-tiny_1xb32-60e_objects-demo.py'
NO_WORKERS = ['train_dataloader.num_workers=0', 'val_dataloader.num_workers=0']

# rows: name -> config; result: 'val' (val metrics by epoch from the log), 'test_best'
# (tools/test.py on the best checkpoint) or 'test_last'; columns: (title, metric, epoch or
# None, cell), or ``table``: a function of one run's test metrics -> Markdown lines.
PRESETS = {
    'evwsss': dict(
        rows={'single student, partial CE (baseline)': f'{EV}_baseline.py',
              'EV-WSSS (dual students, all terms)': f'{EV}.py'},
        epochs=100, options=NO_WORKERS, result='val',
        columns=[('epoch 30', 'mIoU', 30, 'seeds'), ('epoch {epochs}', 'mIoU', 'last', 'seeds')]),
    'evwsss-dense': dict(
        rows={'single student, every pixel labelled': f'{EV}_baseline.py'},
        epochs=60, seeds=[0], result='val', prepare='dense_events',
        options=[*NO_WORKERS, 'train_dataloader.dataset.points=dense',
                 'train_dataloader.dataset.data_root={data}'],
        columns=[('epoch {epochs}', 'mIoU', 'last', 'seeds')]),
    'semicd': dict(
        rows={'FixMatch (same model, no VL terms / aux head / contrast)': CD.format('fixmatch'),
              'SemiCD-VL': CD.format('semicd-vl')},
        epochs=40, options=[], result='test_best', best='best_IoU_changed_*.pth',
        columns=[('IoU changed', 'IoU_changed', None, 'seeds'),
                 ('F1 changed', 'F1_changed', None, 'spread'),
                 ('precision', 'Precision_changed', None, 'mean'),
                 ('recall', 'Recall_changed', None, 'mean'), ('OA', 'OA', None, 'mean')]),
    'distill-finetune': dict(
        rows={'random init': f'{CLS}.py', 'distillation with contrast': f'{CLS}_pretrained.py'},
        epochs=40, seeds=[0], options=[], result='val', prepare='distill_backbone',
        columns=[(f'epoch {e}', 'accuracy/top1', e, 'mean') for e in (10, 20, 30, 40)]),
    'pdbev': dict(
        rows={'PDBEV': 'configs/pdbev/pdbev_r18-fpn_1xb2-24e_bev-demo.py'}, epochs=24,
        seeds=[0], options=[], result='test_last', table='pdbev_table', columns=[]),
}


def pdbev_table(metrics: dict) -> list:
    """The README's PDBEV rows from tools/test.py's metrics (NuScenesMetric in [0, 1],
    BEVDetSegMetric in %)."""
    def find(suffix):
        return next(v for k, v in metrics.items() if k.endswith(suffix))
    rows = []
    for name in ('car', 'pedestrian'):
        aps = [100 * find(f'/{name}_AP_dist_{t}') for t in ('0.5', '1.0', '2.0', '4.0')]
        rows.append((f'mmdet3d `NuScenesMetric`: {name} AP at 0.5 / 1 / 2 / 4 m',
                     f'{per_seed(aps)} (mean {sum(aps) / 4:.2f})'))
    rows.append(('mmdet3d `NuScenesMetric`: mAP / NDS over its 10 classes (8 absent here)',
                 per_seed([100 * find('NuScenes/mAP'), 100 * find('NuScenes/NDS')])))
    rows.append(('`BEVDetSegMetric` centre-distance mAP (car, pedestrian)',
                 f'{metrics["mAP"]:.2f} ({metrics["AP_car"]:.2f}, '
                 f'{metrics["AP_pedestrian"]:.2f})'))
    bins = ('0-40', '40-60', '60-80', '80-100')
    rows.append(('mAP by LiDAR visibility bin 0–40 / 40–60 / 60–80 / 80–100 % (boxes)',
                 ' / '.join(f'{metrics[f"mAP_vis_{b}"]:.2f} ({int(metrics[f"num_gt_vis_{b}"])})'
                            for b in bins)))
    rows.append(('drivable-area IoU: all / visible / occluded cells', ' / '.join(
        f'{metrics[f"IoU_drivable_area{s}"]:.2f}' for s in ('', '_visible', '_occluded'))))
    return ['| metric | value |', '|---|---|', *(f'| {a} | {b} |' for a, b in rows)]


def val_by_epoch(work_dir: str) -> dict:
    """{epoch: {metric: value}} from the newest run's scalars.json (val records)."""
    logs = sorted(glob.glob(osp.join(ROOT, work_dir, '*', 'vis_data', 'scalars.json')))
    out = {}
    for line in open(logs[-1]):
        rec = json.loads(line)
        if 'loss' not in rec and 'lr' not in rec:
            out[rec['step']] = rec
    return out


def dense_events(work: str, force: bool, code: str) -> dict:
    """A copy of the demo events with each frame's dense label as its point label."""
    data = osp.join(work, 'events_dense')

    def produce():
        shutil.rmtree(osp.join(ROOT, data), ignore_errors=True)
        shutil.copytree(osp.join(ROOT, 'data/samples/events'), osp.join(ROOT, data))
        for label in glob.glob(osp.join(ROOT, data, '**', 'label.png'), recursive=True):
            shutil.copy(label, osp.join(osp.dirname(label), 'points_dense.png'))
        open(osp.join(ROOT, data, 'made'), 'w').close()
    cached_run(data, code, 'made', produce, force)
    return dict(data=data)


def distill_backbone(work: str, force: bool, code: str) -> dict:
    """Pretrain the demo distillation and convert it; the pretrained row starts from it."""
    pre = osp.join(work, 'pretrain')
    backbone = osp.join(pre, 'backbone.pth')

    def produce():
        run_script('tools/train.py', DISTILL, '--work-dir', pre)
        run_script('tools/convert_checkpoint.py', osp.join(pre, 'epoch_60.pth'), backbone,
            '--check-config', f'{CLS}_pretrained.py')
    key = run_key(DISTILL, [], code)
    cached_run(pre, key, 'backbone.pth', produce, force)
    # only the pretrained row starts from it (random init has no init_cfg to point)
    return dict(key=key, extra=[f'model.backbone.init_cfg.checkpoint={backbone}'],
                extra_rows=[f'{CLS}_pretrained.py'])


def run_options(preset, config, seed, epochs, context, extra=()) -> list:
    """--cfg-options of one (row, seed): the preset's, the prepared context's (for the rows
    it names in ``extra_rows``; every row when it names none) and the user's."""
    shared = context.get('extra', []) if config in context.get('extra_rows', [config]) else []
    return [f'randomness.seed={seed}', f'train_cfg.max_epochs={epochs}',
            *(o.format(**context) for o in preset['options']), *shared, *extra]


def one_run(preset, config, work_dir, seed, epochs, context, code, force, extra=()) -> dict:
    """{metric: value} per column of one (row, seed); NaN where not evaluated."""
    options = run_options(preset, config, seed, epochs, context, extra)
    result_file = 'metrics.json'

    def produce():
        run_script('tools/train.py', config, '--work-dir', work_dir, '--cfg-options', *options)
        if preset['result'].startswith('test'):
            ckpt = glob.glob(osp.join(ROOT, work_dir, preset['best']))[0] \
                if preset['result'] == 'test_best' else \
                open(osp.join(ROOT, work_dir, 'last_checkpoint')).read().strip()
            run_script('tools/test.py', config, ckpt, '--work-dir', work_dir, '--out',
                osp.join(work_dir, result_file), '--cfg-options', *options)
        else:
            with open(osp.join(ROOT, work_dir, result_file), 'w') as f:
                json.dump(val_by_epoch(work_dir), f)
    key = run_key(config, [*options, context.get('key', '')], code)
    with open(cached_run(work_dir, key, result_file, produce, force)) as f:
        metrics = json.load(f)
    if 'table' in preset:
        return metrics
    values = {}
    for title, name, epoch, _ in preset['columns']:
        if preset['result'] == 'val':
            epoch = epochs if epoch == 'last' else epoch
            values[title] = metrics.get(str(epoch), {}).get(name, float('nan'))
        else:
            values[title] = metrics[name]
    return values


def format_cell(values, kind: str) -> str:
    if any(v != v for v in values):
        return 'n/a'
    if kind == 'seeds':
        return f'{mean_std(values)} ({per_seed(values)})' if len(values) > 1 \
            else f'{values[0]:.2f}'
    if kind == 'spread':
        return mean_std(values)
    return f'{sum(values) / len(values):.2f}'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('table', choices=sorted(PRESETS))
    parser.add_argument('--seeds', type=int, nargs='+')
    parser.add_argument('--epochs', type=int, help="default: the table's")
    parser.add_argument('--work-dir', help='default: work_dirs/table_<table>')
    parser.add_argument('--force', action='store_true', help='rerun every run')
    parser.add_argument('--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
                        help='added to every run')
    args = parser.parse_args()
    preset = PRESETS[args.table]
    seeds = args.seeds or preset.get('seeds', [0, 1, 2])
    epochs = args.epochs or preset['epochs']
    work = args.work_dir or f'work_dirs/table_{args.table}'
    code = code_version()
    context = dict(globals()[preset['prepare']](work, args.force, code)) \
        if 'prepare' in preset else {}

    columns = [(c[0].format(epochs=epochs), *c[1:]) for c in preset['columns']]
    preset = dict(preset, columns=columns)
    lines = ['| model | ' + ' | '.join(c[0] for c in columns) + ' |',
             '|---|' + '---|' * len(columns)]
    for row, config in preset['rows'].items():
        runs = [one_run(preset, config, osp.join(work, f'{osp.basename(config)[:-3]}_s{seed}'),
                        seed, epochs, context, code, args.force, args.cfg_options)
                for seed in seeds]
        if 'table' in preset:
            lines = globals()[preset['table']](runs[0])
            break
        cells = [format_cell([r[c[0]] for r in runs], c[3]) for c in columns]
        lines.append(f'| {row} | ' + ' | '.join(cells) + ' |')
    table = '\n'.join(lines) + '\n'
    with open(osp.join(ROOT, work, 'table.md'), 'w') as f:
        f.write(table)
    print(f'\n{args.table}, seeds {seeds}, {epochs} epochs:\n\n{table}')


if __name__ == '__main__':
    main()
