"""Print the losses of each config's model on its first training batch from fixed seeds: a
fingerprint to compare two checkouts before and after a refactor (same numbers = same model,
data pipeline and losses).

    python tools/analysis/loss_fingerprint.py CONFIG [CONFIG ...] [--batch 2]

Run it in both checkouts (with ``data/samples`` present) and diff the JSON it prints.
"""
import argparse
import json
import random


def fingerprint(path: str, batch: int) -> dict:
    import numpy as np
    import torch
    from mmengine.dataset import default_collate, pseudo_collate
    from mmengine.registry import DATASETS, DefaultScope
    from mmengine.utils import import_modules_from_strings

    from projects.common.cli import load_config
    from projects.common.registry import get_registry

    def seed(value):
        random.seed(value)
        np.random.seed(value)
        torch.manual_seed(value)

    cfg = load_config(path)
    import_modules_from_strings(**cfg.custom_imports)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        seed(0)
        model = get_registry(cfg.default_scope).build(cfg.model).train()
        dataset = DATASETS.build(cfg.train_dataloader.dataset)
        seed(1)
        collate = default_collate if cfg.train_dataloader.get('collate_fn', {}).get(
            'type') == 'default_collate' else pseudo_collate
        data = model.data_preprocessor(collate([dataset[i] for i in range(batch)]), True)
        seed(2)
        losses = model._run_forward(data, mode='loss')
    out = {}
    for key, value in losses.items():
        value = sum(value) if isinstance(value, (list, tuple)) else value
        if torch.is_tensor(value):
            out[key] = round(float(value.detach().float().mean()), 6)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--batch', type=int, default=2)
    args = parser.parse_args()
    from mmengine.logging import MessageHub

    from projects.common.cli import one_line_errors
    from projects.common.runtime import setup_runtime
    setup_runtime()
    hub = MessageHub.get_instance('loss_fingerprint')
    for key, value in (('iter', 0), ('epoch', 0), ('max_iters', 100)):
        hub.update_info(key, value)
    with one_line_errors():
        print(json.dumps({path: fingerprint(path, args.batch) for path in args.configs},
                         indent=1))


if __name__ == '__main__':
    main()
