"""Turn a pretraining checkpoint into backbone weights that downstream configs load with
``init_cfg=dict(type='Pretrained', checkpoint=DST)``.

    python tools/convert_checkpoint.py SRC DST [--prefix backbone.]
                                       [--check-config DOWNSTREAM_CONFIG]

With ``--check-config`` the downstream model's backbone is built from that config and the
weights are loaded into it; missing, unexpected and shape-mismatched keys are reported.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from projects.common.checkpoint import (extract_backbone, load_report,  # noqa: E402
                                        load_state_dict_file, save_backbone)
from projects.common.engine.launch import ConfigError, load_config, one_line_errors  # noqa


def build_downstream_backbone(config_path: str):
    from mmengine.registry import DefaultScope, init_default_scope
    from mmengine.utils import import_modules_from_strings

    from projects.common.registry import get_registry
    cfg = load_config(config_path)
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    scope = cfg.get('default_scope', 'mmengine')
    init_default_scope(scope)
    backbone_cfg = dict(cfg.model.backbone)
    backbone_cfg.pop('init_cfg', None)
    with DefaultScope.overwrite_default_scope(scope):
        return get_registry(scope).build(backbone_cfg)


def main():
    parser = argparse.ArgumentParser(description='Extract backbone weights')
    parser.add_argument('src', help='pretraining checkpoint')
    parser.add_argument('dst', help='output backbone checkpoint')
    parser.add_argument('--prefix', default='backbone.', help='key prefix of the online encoder')
    parser.add_argument('--check-config', help='downstream config whose backbone must load them')
    args = parser.parse_args()
    with one_line_errors():
        if not osp.isfile(args.src):
            raise ConfigError(f'{args.src}: checkpoint not found')
        try:
            weights = extract_backbone(load_state_dict_file(args.src), args.prefix)
        except KeyError as err:
            raise ConfigError(f'{args.src}: {err.args[0]}') from err
        save_backbone(weights, args.dst, meta=dict(source=osp.abspath(args.src),
                                                   prefix=args.prefix))
        print(f'wrote {len(weights)} backbone tensors to {args.dst}')
        if args.check_config:
            report = load_report(build_downstream_backbone(args.check_config), weights)
            for kind, keys in report.items():
                print(f'{kind} keys ({len(keys)}): {", ".join(keys[:20])}'
                      + (' ...' if len(keys) > 20 else ''))


if __name__ == '__main__':
    main()
