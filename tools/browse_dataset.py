"""Draw samples of a config's dataset exactly as its pipeline delivers them, to check that a
dataset was prepared right before training on it.

    python tools/browse_dataset.py CONFIG [--split train|val|test] [--num 4] --out DIR
                                   [--view top|camera] [--cfg-options k=v ...]

One PNG per sample (``DIR/<split>_<index>.png``): images with label maps or boxes, point
clouds coloured by label or segment (open3d off-screen), event windows with their clicks,
change pairs with labels and pseudo labels, multi-camera images with projected boxes and
the BEV raster (``projects/common/browse.py`` describes each). Works for every method's
configs, on the bundled samples and on prepared real datasets alike.
"""
import argparse
import os
import os.path as osp


def main():
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--split', choices=['train', 'val', 'test'], default='train')
    parser.add_argument('--num', type=int, default=4, help='how many samples to draw')
    parser.add_argument('--out', required=True, help='folder for the PNGs')
    parser.add_argument('--view', choices=['top', 'camera'], default='top',
                        help='point clouds: from above (lidar / depth frame) or camera frame')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries, e.g. train_dataloader.dataset.data_root=X')
    args = parser.parse_args()

    from mmengine.registry import DATASETS, init_default_scope
    from mmengine.utils import import_modules_from_strings
    from PIL import Image

    from projects.common.browse import draw_item
    from projects.common.cli import check_data_paths, load_config, one_line_errors
    from projects.common.errors import ConfigError
    from projects.common.runtime import setup_runtime

    setup_runtime()
    with one_line_errors():
        cfg = load_config(args.config, args.cfg_options)
        loader = f'{args.split}_dataloader'
        if not cfg.get(loader):
            raise ConfigError(f'{args.config}: no {loader} (try another --split)')
        check_data_paths(cfg, args.config, loaders=(loader, ))
        if cfg.get('custom_imports'):
            import_modules_from_strings(**cfg.custom_imports)
        init_default_scope(cfg.get('default_scope', 'mmengine'))
        dataset = DATASETS.build(cfg[loader].dataset)
        grid = cfg.model.get('grid') if cfg.get('model') else None
        os.makedirs(args.out, exist_ok=True)
        for i in range(min(args.num, len(dataset))):
            picture, what = draw_item(dataset[i], args.view, grid)
            path = osp.join(args.out, f'{args.split}_{i:03d}.png')
            Image.fromarray(picture).save(path)
            print(f'wrote {path} ({what})')


if __name__ == '__main__':
    main()
