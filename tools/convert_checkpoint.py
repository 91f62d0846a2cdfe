"""Turn a pretraining checkpoint into backbone weights that downstream configs load with
``init_cfg=dict(type='Pretrained', checkpoint=DST)``.

    python tools/convert_checkpoint.py SRC DST [--prefix backbone.]
                                       [--check-config DOWNSTREAM_CONFIG]

With ``--check-config`` the downstream model's backbone is built from that config and the
weights are loaded into it; missing, unexpected and shape-mismatched keys are reported.
"""
import argparse
import os.path as osp


from projects.common.checkpoint import (extract_backbone, load_report,
                                        load_state_dict_file, save_backbone)
from projects.common.cli import add_unsafe_load, build_backbone_from_config, one_line_errors
from projects.common.errors import ConfigError


def main():
    parser = argparse.ArgumentParser(description='Extract backbone weights')
    parser.add_argument('src', help='pretraining checkpoint')
    parser.add_argument('dst', help='output backbone checkpoint')
    parser.add_argument('--prefix', default='backbone.', help='key prefix of the online encoder')
    parser.add_argument('--check-config', help='downstream config whose backbone must load them')
    add_unsafe_load(parser)
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
            report = load_report(build_backbone_from_config(args.check_config), weights)
            for kind, keys in report.items():
                print(f'{kind} keys ({len(keys)}): {", ".join(keys[:20])}'
                      + (' ...' if len(keys) > 20 else ''))


if __name__ == '__main__':
    main()
