"""Vision-language change pseudo labels for a bi-temporal dataset (SemiCD-VL B1-B2).

    python tools/data/make_change_pseudo_labels.py data/levir_cd --labeller disk --vlm-dir vlm
    python tools/data/make_change_pseudo_labels.py data/levir_cd --labeller sam \
        --sam-checkpoint checkpoints/sam_vit_b_01ec64.pth

For every pair in ``<root>/A`` (or the ids of ``--split-file``) writes
``<root>/gen_seg_label/{A,B}/<id>.png`` (building 1 / other 0 / ignore 255: argmax over the
class maps and a constant ``--threshold`` map) and ``<root>/gen_cd_label/<id>.png``: the
pixel change between the two building labels kept only inside changed building instances
(those whose IoUs with every instance of the other date sum to at most ``--iou``).
"""
import argparse
import glob
import os
import os.path as osp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root')
    parser.add_argument('--labeller', choices=['disk', 'sam'], default='disk')
    parser.add_argument('--vlm-dir', default='vlm', help='disk: folder under root')
    parser.add_argument('--sam-checkpoint')
    parser.add_argument('--sam-type', default='vit_b')
    parser.add_argument('--classifier',
                        default='projects.semicd_vl.labellers:rectangular_building')
    parser.add_argument('--sam-points-per-side', type=int, default=32)
    parser.add_argument('--tiny-random-sam', action='store_true', help='tests only')
    parser.add_argument('--split-file')
    parser.add_argument('--threshold', type=float, default=0.8)
    parser.add_argument('--iou', type=float, default=0.0)
    parser.add_argument('--building-classes', type=int, nargs='+', default=[0, 1])
    args = parser.parse_args()

    import numpy as np
    from PIL import Image
    from tqdm import tqdm

    from projects.common.cli import one_line_errors
    from projects.semicd_vl.change_events import change_pseudo_labels
    from projects.semicd_vl.datasets import read_split_ids
    from projects.semicd_vl.labellers import DiskVLMOutputs, SamMaskLabeller

    with one_line_errors():
        if args.split_file:
            ids = read_split_ids(args.split_file)
        else:
            ids = sorted(osp.splitext(osp.basename(p))[0]
                         for p in glob.glob(osp.join(args.root, 'A', '*.png')))
        if not ids:
            raise FileNotFoundError(f'{osp.join(args.root, "A")}: no images')
        if args.labeller == 'disk':
            labeller = DiskVLMOutputs(osp.join(args.root, args.vlm_dir), args.building_classes)
        else:
            labeller = SamMaskLabeller(args.sam_checkpoint, args.sam_type, args.classifier,
                                       building_classes=args.building_classes,
                                       tiny_random=args.tiny_random_sam,
                                       generator=dict(points_per_side=args.sam_points_per_side))
        for sub in ('gen_seg_label/A', 'gen_seg_label/B', 'gen_cd_label'):
            os.makedirs(osp.join(args.root, sub), exist_ok=True)
        counts = np.zeros(3, np.int64)
        for name in tqdm(ids, desc='change pseudo labels'):
            outputs = {}
            for date in ('A', 'B'):
                path = osp.join(args.root, date, f'{name}.png')
                if not osp.isfile(path):
                    raise FileNotFoundError(f'pair {name}: {path} not found')
                outputs[date] = labeller(np.array(Image.open(path).convert('RGB')), name, date)
            bld_a, bld_b, change = change_pseudo_labels(
                *outputs['A'], *outputs['B'], args.building_classes, args.threshold, args.iou)
            for label, sub in ((bld_a, 'gen_seg_label/A'), (bld_b, 'gen_seg_label/B'),
                               (change, 'gen_cd_label')):
                Image.fromarray(label).save(osp.join(args.root, sub, f'{name}.png'))
            counts += [(change == v).sum() for v in (0, 1, 255)]
        share = 100 * counts / counts.sum()
        print(f'wrote pseudo labels of {len(ids)} pairs: change {share[1]:.1f} %, unchanged '
              f'{share[0]:.1f} %, ignored {share[2]:.1f} % of pixels')


if __name__ == '__main__':
    main()
