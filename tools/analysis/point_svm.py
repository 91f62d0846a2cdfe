"""Linear SVM on frozen point-cloud features: random init vs a pretrained backbone.

    python tools/analysis/point_svm.py CONFIG [--checkpoint CKPT] [--prefix backbone.]
                                       [--seeds 0 1 2] [--C 0.1] [--plot OUT.png]
                                       [--out RESULTS.json]

CONFIG is a classification config (``configs/point_distill/downstream/``): its backbone
gives the features (``--out-type cls``, the default: the CLS token; ``cls_max``: CLS and
the max over the group tokens) and its train / test datasets
the objects, both read with the test pipeline (no augmentation). Features are standardised
and fed to scikit-learn's ``LinearSVC``. Every seed builds a randomly initialised backbone;
``--checkpoint`` (a pretraining checkpoint or converted backbone weights) adds the
pretrained row. Overall and mean per-class accuracy (%) go to a table; ``--plot`` draws a
PCA scatter of the test features of the first random-init seed and of the checkpoint.
"""
import argparse
import json
import os.path as osp
import statistics

import numpy as np


def build_datasets(cfg):
    from mmengine.registry import DATASETS
    test_pipeline = cfg.test_dataloader.dataset.pipeline
    return [DATASETS.build(dict(cfg[f'{split}_dataloader'].dataset, pipeline=test_pipeline))
            for split in ('train', 'test')]


def extract(backbone, dataset, batch_size=32):
    """(features (N, D), labels (N,)) of every object, in order."""
    import torch
    from mmengine.dataset import default_collate
    from torch.utils.data import DataLoader
    loader = DataLoader(dataset, batch_size=batch_size, collate_fn=default_collate)
    feats, labels = [], []
    backbone.eval()
    with torch.no_grad():
        for batch in loader:
            feats.append(backbone(batch['inputs'].float())[0].numpy())
            labels.extend(int(s.gt_label) for s in batch['data_samples'])
    return np.concatenate(feats), np.asarray(labels)


def svm_scores(train, test, C):
    """Overall and mean per-class accuracy (%), and the per-class accuracies."""
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    clf = make_pipeline(StandardScaler(), LinearSVC(C=C, max_iter=20000))
    clf.fit(*train)
    pred = clf.predict(test[0])
    per_class = [100.0 * float((pred[test[1] == c] == c).mean()) for c in np.unique(test[1])]
    return 100.0 * float((pred == test[1]).mean()), float(np.mean(per_class)), per_class


def pca_scatter(panels, classes, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.6), squeeze=False)
    for ax, (title, (feats, labels)) in zip(axes[0], panels):
        centred = (feats - feats.mean(0)) / (feats.std(0) + 1e-8)
        xy = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
        for c in np.unique(labels):
            ax.scatter(*xy[labels == c].T, s=8, label=classes[c], color=plt.cm.tab20(c % 20))
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0][-1].legend(fontsize=7, loc='center left', bbox_to_anchor=(1, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--checkpoint')
    from projects.common.cli import add_unsafe_load
    add_unsafe_load(parser)
    parser.add_argument('--prefix', default='backbone.',
                        help="weights to use in a pretraining checkpoint ('teacher.module.0.' "
                             'for the EMA teacher)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--C', type=float, default=0.1)
    parser.add_argument('--out-type', choices=['cls', 'cls_max'], default='cls')
    parser.add_argument('--plot')
    parser.add_argument('--out')
    args = parser.parse_args()

    import torch
    from mmengine.registry import init_default_scope
    from mmengine.utils import import_modules_from_strings

    from projects.common.checkpoint import extract_backbone, load_report, load_state_dict_file
    from projects.common.cli import load_config, one_line_errors
    from projects.common.errors import ConfigError
    from projects.common.registry import get_registry

    with one_line_errors():
        cfg = load_config(args.config)
        import_modules_from_strings(**cfg.custom_imports)
        init_default_scope(cfg.get('default_scope', 'mmpretrain'))
        train_set, test_set = build_datasets(cfg)
        classes = train_set.metainfo['classes']
        backbone_cfg = dict(cfg.model.backbone, init_cfg=None, out_type=args.out_type)

        def backbone_with(seed, state=None):
            torch.manual_seed(seed)
            np.random.seed(seed)
            backbone = get_registry(cfg.default_scope).build(backbone_cfg)
            if state is not None:
                report = load_report(backbone, state)
                if report['missing'] or report['mismatched']:
                    raise ConfigError(f'{args.checkpoint}: does not fit the backbone (missing '
                                      f'{report["missing"][:3]}, mismatched '
                                      f'{report["mismatched"][:3]})')
            return backbone

        def evaluate(backbone):
            train, test = extract(backbone, train_set), extract(backbone, test_set)
            return svm_scores(train, test, args.C), test

        rows, panels = [], []
        for seed in args.seeds:
            scores, test = evaluate(backbone_with(seed))
            rows.append(('random init', seed, *scores))
            panels = panels or [(f'random init (seed {seed})', test)]
        if args.checkpoint:
            if not osp.isfile(args.checkpoint):
                raise ConfigError(f'{args.checkpoint}: checkpoint not found')
            state = load_state_dict_file(args.checkpoint)
            if any(k.startswith(args.prefix) for k in state):
                state = extract_backbone(state, args.prefix)
            for seed in args.seeds:  # the seed only moves the sampling start points
                scores, test = evaluate(backbone_with(seed, state))
                rows.append(('pretrained', seed, *scores))
            panels.append(('pretrained', test))

    print(f'\nLinear SVM (C={args.C}, {args.out_type} features) on {len(train_set)} train / '
          f'{len(test_set)} test objects, {len(classes)} classes')
    names = list(dict.fromkeys(r[0] for r in rows))
    print('| init | ' + ' | '.join(f'seed {s}' for s in args.seeds) + ' | overall accuracy |')
    print('|---|' + '---|' * (len(args.seeds) + 1))
    summary = {}
    for name in names:
        accs = [r[2] for r in rows if r[0] == name]
        spread = statistics.stdev(accs) if len(accs) > 1 else 0.0
        summary[name] = dict(overall=statistics.mean(accs), std=spread,
                             mean_class=[r[3] for r in rows if r[0] == name],
                             per_class=dict(zip(classes, np.mean(
                                 [r[4] for r in rows if r[0] == name], 0).round(2).tolist())))
        print(f'| {name} | ' + ' | '.join(f'{a:.2f}' for a in accs)
              + f' | {summary[name]["overall"]:.2f} ± {spread:.2f} |')
    print('mean class accuracy per seed: ' + '; '.join(
        f'{n} ' + ' / '.join(f'{a:.2f}' for a in summary[n]['mean_class']) for n in names))
    for name, result in summary.items():
        print(f'per-class accuracy, {name}: ' + ', '.join(
            f'{c} {a:.1f}' for c, a in result['per_class'].items()))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(rows=rows, summary=summary), f, indent=1)
    if args.plot:
        pca_scatter(panels, classes, args.plot)
        print(f'wrote {args.plot}')


if __name__ == '__main__':
    main()
