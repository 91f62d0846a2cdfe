"""Draw PCA colourings of a backbone's dense features next to the input images.

    python tools/visualize_features.py CONFIG [--checkpoint CKPT] --images IMG [IMG ...]
                                       --out OUT.png [--size 224]

CONFIG is a pretraining config (its ``model.backbone`` is built); CKPT a pretraining or
converted backbone checkpoint. Without CKPT the backbone is randomly initialised, which
gives the "before pretraining" picture.
"""
import argparse
import os.path as osp


import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser(description='PCA pictures of dense features')
    parser.add_argument('config')
    parser.add_argument('--checkpoint')
    from projects.common.cli import add_unsafe_load
    add_unsafe_load(parser)
    parser.add_argument('--images', nargs='+', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--stage', type=int, default=-1, help='backbone output to draw')
    args = parser.parse_args()

    from mmcv import imread, imresize, imwrite

    from projects.common.checkpoint import (extract_backbone, load_report,
                                            load_state_dict_file)
    from projects.common.cli import build_backbone_from_config, one_line_errors
    from projects.common.errors import ConfigError
    from projects.common.visualization import feature_pca_rgb

    with one_line_errors():
        backbone = build_backbone_from_config(args.config)
        backbone.eval()  # some backbones' train() return None: do not chain
        if args.checkpoint:
            if not osp.isfile(args.checkpoint):
                raise ConfigError(f'{args.checkpoint}: checkpoint not found')
            state = load_state_dict_file(args.checkpoint)
            if any(k.startswith('backbone.') for k in state):
                state = extract_backbone(state)
            report = load_report(backbone, state)
            if report['missing']:
                raise ConfigError(f'{args.checkpoint}: backbone weights missing '
                                  f'{len(report["missing"])} keys, e.g. {report["missing"][:3]}')
        mean = np.array([123.675, 116.28, 103.53])
        std = np.array([58.395, 57.12, 57.375])
        rows = []
        for path in args.images:
            img = imread(path, channel_order='rgb')
            if img is None:
                raise ConfigError(f'{path}: cannot read image')
            img = imresize(img, (args.size, args.size))
            x = torch.from_numpy(((img - mean) / std).transpose(2, 0, 1)).float()[None]
            with torch.no_grad():
                feats = backbone(x)[args.stage][0]
            rows.append(np.concatenate(
                [img, feature_pca_rgb(feats, (args.size, args.size))], axis=1))
        imwrite(np.concatenate(rows, axis=0)[..., ::-1], args.out)
        print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
