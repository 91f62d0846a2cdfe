"""Few-shot ModelNet40: fine-tune on every fold of each N-way K-shot setting and print
the test accuracy's mean ± std over folds (the protocol's table).

    python tools/data/modelnet_fewshot.py data/modelnet40_normal_resampled
    python tools/analysis/point_fewshot.py \
        configs/point_distill/downstream/pointvit_cls_8xb4-150e_modelnet40-fewshot.py \
        --checkpoint work_dirs/pointdistill_pointvit_8xb8-300e_modelnet40/backbone.pth \
        [--ways 5 10] [--shots 10 20] [--folds 10] [--work-dir work_dirs/fewshot]

``--checkpoint random`` fine-tunes from random init (the baseline row). Each fold trains
with tools/train.py and is tested on its last checkpoint with tools/test.py; a fold run
under the same config, options and code is reused (``--force`` reruns). Extra
``--cfg-options`` go to every run.
"""
import argparse
import json
import os.path as osp


def fold_options(ways: int, shots: int, fold: int, checkpoint: str) -> list:
    episode = f'fewshot/{ways}way{shots}shot/{fold}.json'
    options = [f'{loader}.dataset.episode={episode}' for loader in
               ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    options.append(f'model.head.num_classes={ways}')
    options.append('model.backbone.init_cfg=None' if checkpoint == 'random' else
                   f'model.backbone.init_cfg.checkpoint={checkpoint}')
    return options


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--checkpoint', required=True,
                        help='converted backbone weights, or "random"')
    parser.add_argument('--ways', type=int, nargs='+', default=[5, 10])
    parser.add_argument('--shots', type=int, nargs='+', default=[10, 20])
    parser.add_argument('--folds', type=int, default=10)
    parser.add_argument('--work-dir', default='work_dirs/fewshot')
    parser.add_argument('--cfg-options', nargs='+', default=[])
    parser.add_argument('--force', action='store_true')
    args = parser.parse_args()

    from projects.common.experiments import (cached_run, code_version, mean_std, per_seed,
                                             run_key, run_script)
    code = code_version()
    init = 'random' if args.checkpoint == 'random' else 'pretrained'
    rows = []
    for ways in args.ways:
        for shots in args.shots:
            accuracies = []
            for fold in range(args.folds):
                options = fold_options(ways, shots, fold, args.checkpoint) + args.cfg_options
                work = osp.join(args.work_dir, init, f'{ways}way{shots}shot', str(fold))

                def produce(work=work, options=options):
                    run_script('tools/train.py', args.config, '--work-dir', work,
                               '--cfg-options', *options)
                    with open(osp.join(work, 'last_checkpoint')) as f:
                        last = f.read().strip()
                    run_script('tools/test.py', args.config, last, '--work-dir', work,
                               '--out', osp.join(work, 'test_metrics.json'),
                               '--cfg-options', *options)
                result = cached_run(work, run_key(args.config, options, code),
                                    'test_metrics.json', produce, args.force)
                with open(result) as f:
                    accuracies.append(json.load(f)['accuracy/top1'])
            rows.append((f'{ways}-way {shots}-shot', mean_std(accuracies),
                         per_seed(accuracies)))
    print(f'\n| setting ({init}) | accuracy (%), mean ± std over folds | per fold |')
    print('|---|---|---|')
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')


if __name__ == '__main__':
    main()
