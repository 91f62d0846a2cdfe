"""Draw a point cloud coloured by segments or by a PCA of FAC point features (PNG).

    python tools/visualize_points.py CONFIG --points FILE --out OUT.png
                                     [--checkpoint CKPT] [--segments] [--frames JSON]
                                     [--view top|camera] [--cfg-options K=V ...]

CONFIG is a FAC pretraining config: its model gives the features (random init without
``--checkpoint``) and its ``ComputeSegments`` step the segment provider for ``--segments``.
Providers that need posed RGB frames (segment-anything lifting) read ``--frames``, by
default ``<cloud stem>_frames.json`` next to the cloud when it exists.
"""
import argparse
import os.path as osp

from mmengine.config import DictAction


def find_provider(cfg):
    from projects.common.cli import iter_datasets
    for dataset in iter_datasets(cfg.train_dataloader.dataset):
        for step in dataset.get('pipeline', []):
            if step['type'] == 'ComputeSegments':
                return step['provider']
    raise KeyError('the config has no ComputeSegments step')


def main():
    parser = argparse.ArgumentParser(description='Pictures of point clouds')
    parser.add_argument('config')
    parser.add_argument('--points', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--checkpoint')
    from projects.common.cli import add_unsafe_load
    add_unsafe_load(parser)
    parser.add_argument('--segments', action='store_true', help='colour by segments')
    parser.add_argument('--num-features', type=int, default=None,
                        help='values per point in .bin files (default: the model input width)')
    parser.add_argument('--frames', help='posed frames JSON (default: <cloud>_frames.json)')
    parser.add_argument('--view', choices=['top', 'camera'], default='top')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    args = parser.parse_args()

    import torch
    from mmengine.registry import TASK_UTILS, init_default_scope
    from mmengine.utils import import_modules_from_strings

    from projects.common.checkpoint import load_report, load_state_dict_file
    from projects.common.datasets import load_frames, load_points
    from projects.common.datasets.frames import frames_path_for
    from projects.common.cli import load_config, one_line_errors
    from projects.common.errors import ConfigError
    from projects.common.registry import get_registry
    from projects.common.visualization import pca_rgb, render_points, segment_colours

    with one_line_errors():
        cfg = load_config(args.config, args.cfg_options)
        import_modules_from_strings(**cfg.custom_imports)
        init_default_scope(cfg.get('default_scope', 'mmengine'))
        width = args.num_features or max(cfg.model.feat_dims) + 1
        points = load_points(args.points, width)
        if args.segments:
            sample = dict(lidar_path=args.points)
            frames = args.frames or frames_path_for(args.points)
            if args.frames or osp.exists(frames):
                sample['frames'] = load_frames(frames)
            ids, is_fg = TASK_UTILS.build(find_provider(cfg))(points, sample)
            colours = segment_colours(ids, is_fg)
            what = f'{int(is_fg.sum())} foreground / {len(is_fg) - int(is_fg.sum())} background'
        else:
            model = get_registry(cfg.get('default_scope', 'mmengine')).build(cfg.model).eval()
            if args.checkpoint:
                if not osp.isfile(args.checkpoint):
                    raise ConfigError(f'{args.checkpoint}: checkpoint not found')
                report = load_report(model, load_state_dict_file(args.checkpoint))
                if report['missing']:
                    raise ConfigError(f'{args.checkpoint}: missing {report["missing"][:3]}')
            with torch.no_grad():
                feats = model.extract_feat([torch.from_numpy(points)])[0]
            colours = pca_rgb(feats).numpy()
            what = 'feature PCA'
        backend = render_points(points[:, :3], colours, args.out, view=args.view)
        print(f'wrote {args.out} ({what}, {backend})')


if __name__ == '__main__':
    main()
