"""What the command-line tools share: one-line errors, config loading with clear errors,
device and distributed set-up that works on CPU (gloo) and CUDA, and the picture tools'
arguments and model / data loading. Library code never imports this module."""
import os.path as osp
import sys
from contextlib import contextmanager
from typing import Optional

import torch
from mmengine.config import Config
from mmengine.logging import print_log

from .errors import USER_ERRORS, ConfigError
from .registry import get_registry


def _user_message(err: BaseException) -> str:
    """The error's own message; for one re-raised from a DataLoader worker (whose text
    carries the worker's traceback) the last line, without the exception class name."""
    text = str(err).strip()
    if 'Original Traceback' in text:
        last = text.splitlines()[-1]
        prefix = f'{type(err).__module__}.{type(err).__name__}: '
        text = last[len(prefix):] if last.startswith(prefix) else last
    return text


@contextmanager
def one_line_errors(extra: tuple = ()):
    """Turn the errors a user can fix (``USER_ERRORS`` and ``extra`` types) into one
    ``error:`` line and exit status 1."""
    try:
        yield
    except USER_ERRORS + tuple(extra) as err:
        print(f'error: {_user_message(err)}', file=sys.stderr)
        sys.exit(1)
    except KeyError as err:  # unknown registry type
        if 'is not in the' in str(err) and 'registry' in str(err):
            print(f'error: {err.args[0]}', file=sys.stderr)
            sys.exit(1)
        raise


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    if not osp.isfile(path):
        raise ConfigError(f'{path}: config file not found')
    try:
        cfg = Config.fromfile(path)
    except Exception as err:
        raise ConfigError(f'{path}: cannot parse config ({type(err).__name__}: {err})') from err
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    cfg.setdefault('filename', path)
    return cfg


def iter_datasets(cfg_dataset):
    """Yield a dataset config and the ones it wraps (RepeatDataset, ConcatDataset...)."""
    if not isinstance(cfg_dataset, dict):
        return
    yield cfg_dataset
    yield from iter_datasets(cfg_dataset.get('dataset'))
    for sub in cfg_dataset.get('datasets', []) or []:
        yield from iter_datasets(sub)


def check_data_paths(cfg: Config, config_path: str, loaders=('train_dataloader', )) -> None:
    """Fail early, naming the config, when a dataset's root or annotation file is missing."""
    for loader in loaders:
        if not cfg.get(loader):
            continue
        for ds in iter_datasets(cfg[loader].get('dataset')):
            root = ds.get('data_root') or ''
            if root and not osp.isdir(root):
                raise ConfigError(f"{config_path}: {loader} data_root '{root}' does not exist "
                                  f'(see data/README.md for how to prepare it)')
            ann = ds.get('ann_file')
            if ann:
                ann_path = ann if osp.isabs(ann) else osp.join(root, ann)
                if not osp.isfile(ann_path):
                    raise ConfigError(f"{config_path}: {loader} ann_file '{ann_path}' "
                                      'does not exist')


def add_sample_check(cfg: Config) -> None:
    """Check every annotated image and label of the loops' datasets when they start
    (``CheckSampleFilesHook``: a missing or wrongly sized file stops the run in one line)."""
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(h.get('type') == 'CheckSampleFilesHook' for h in hooks):
        hooks.append(dict(type='CheckSampleFilesHook'))
    cfg.custom_hooks = hooks


def _replace_syncbn(node) -> None:
    """SyncBN needs CUDA: use BN on a CPU-only machine (in place, recursive)."""
    if isinstance(node, dict):
        if node.get('type') in ('SyncBN', 'MMSyncBN'):
            node['type'] = 'BN'
        for value in node.values():
            _replace_syncbn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _replace_syncbn(value)


def adapt_to_device(cfg: Config, launcher: str) -> None:
    """Make a GPU config run on this machine: gloo, CPU DDP, BN, fp32 when CUDA is absent."""
    if torch.cuda.is_available():
        return
    _replace_syncbn(cfg.get('model'))
    if cfg.get('optim_wrapper', {}).get('type') == 'AmpOptimWrapper':
        print_log('no CUDA device: training in fp32 (AmpOptimWrapper needs CUDA)',
                  logger='current')
        cfg.optim_wrapper.type = 'OptimWrapper'
        cfg.optim_wrapper.pop('loss_scale', None)
    if launcher != 'none':
        cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
        # DDP on CPU takes no device ids; mmengine's default passes LOCAL_RANK. The
        # config's own settings (find_unused_parameters, ...) stay.
        wrapper = dict(dict(type='MMDistributedDataParallel'), **cfg.get('model_wrapper_cfg', {}))
        wrapper.update(device_ids=None, broadcast_buffers=False)
        cfg.model_wrapper_cfg = wrapper


def enable_tensorboard(cfg: Config) -> None:
    """Add mmengine's TensorBoard backend next to the config's vis backends (scalars go to
    ``<work_dir>/<timestamp>/vis_data/`` for ``tensorboard --logdir WORK_DIR``)."""
    try:
        import tensorboard  # noqa: F401
    except ImportError as err:
        raise ConfigError('--tensorboard needs the tensorboard package: '
                          "pip install 'densepre[tensorboard]' (or pip install tensorboard)"
                          ) from err
    visualizer = cfg.get('visualizer') or dict(type='Visualizer', name='visualizer')
    backends = list(visualizer.get('vis_backends') or [dict(type='LocalVisBackend')])
    if not any(b.get('type') == 'TensorboardVisBackend' for b in backends):
        backends.append(dict(type='TensorboardVisBackend'))
    visualizer['vis_backends'] = backends
    cfg.visualizer = visualizer


def init_cpu_distributed(launcher: str) -> None:
    """mmengine's pytorch launcher calls ``torch.cuda.set_device``; on CPU start gloo here."""
    if launcher != 'pytorch' or torch.cuda.is_available():
        return
    import torch.distributed as dist
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')


def load_model_and_data(config: str, checkpoint: Optional[str] = None,
                        dataloader: str = 'test_dataloader'):
    """(cfg, model in eval mode, dataset of ``cfg[dataloader]``) for picture tools; random
    weights without ``checkpoint``. Applies ``setup_runtime()`` first, as every tool does."""
    from mmengine.registry import DATASETS, init_default_scope
    from mmengine.runner import load_checkpoint
    from mmengine.utils import import_modules_from_strings

    from .runtime import setup_runtime
    setup_runtime()
    cfg = load_config(config)
    import_modules_from_strings(**cfg.custom_imports)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    dataset = DATASETS.build(cfg[dataloader].dataset)
    model = get_registry(cfg.default_scope).build(cfg.model).eval()
    if checkpoint:
        if not osp.isfile(checkpoint):
            raise ConfigError(f'{checkpoint}: checkpoint not found')
        load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
    return cfg, model, dataset


def add_unsafe_load(parser) -> None:
    """``--unsafe-load``: read checkpoints with full unpickling (only for files you trust;
    by default they are read with ``weights_only=True``, see ``safe_load.py``)."""
    import argparse

    from .safe_load import allow_unsafe_load

    class UnsafeLoad(argparse.Action):
        def __call__(self, parser, namespace, values, option_string=None):
            allow_unsafe_load()
            setattr(namespace, self.dest, True)

    parser.add_argument('--unsafe-load', nargs=0, action=UnsafeLoad, default=False,
                        help='unpickle checkpoints fully (can run code: trusted files only)')


def picture_tool_parser(doc: str, num: int):
    """The arguments every picture tool takes: CONFIG, --checkpoint, --out, --num."""
    import argparse
    parser = argparse.ArgumentParser(description=doc.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--checkpoint', help='trained weights (random without)')
    parser.add_argument('--out', required=True, help='folder for the PNGs')
    parser.add_argument('--num', type=int, default=num, help='how many samples to draw')
    add_unsafe_load(parser)
    return parser


def build_backbone_from_config(config_path: str):
    """The ``model.backbone`` of a config, built in its default scope (no ``init_cfg``)."""
    from mmengine.registry import DefaultScope, init_default_scope
    from mmengine.utils import import_modules_from_strings

    cfg = load_config(config_path)
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    scope = cfg.get('default_scope', 'mmengine')
    init_default_scope(scope)
    backbone_cfg = dict(cfg.model.backbone)
    backbone_cfg.pop('init_cfg', None)
    with DefaultScope.overwrite_default_scope(scope):
        return get_registry(scope).build(backbone_cfg)
