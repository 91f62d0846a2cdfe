"""Pictures of change detection: A | B | ground truth | prediction | pseudo label, one PNG
per pair (changed white, unchanged black, ignored grey).

    python tools/visualize_change.py CONFIG [--checkpoint CKPT] --out DIR [--num 6]

CONFIG is a SemiCD-VL / FixMatch config; its test split is drawn (random weights without
--checkpoint); the pseudo label is the vision-language change label when the dataset has
one (``pseudo_prefix``).
"""
import os
import os.path as osp


def label_rgb(label):
    import numpy as np
    rgb = np.full((*label.shape, 3), 128, np.uint8)
    rgb[label == 0], rgb[label == 1] = 0, 255
    return rgb


def main():
    from projects.common.cli import picture_tool_parser
    parser = picture_tool_parser(__doc__, num=6)
    args = parser.parse_args()

    import numpy as np
    import torch
    from PIL import Image

    from projects.common.cli import load_model_and_data, one_line_errors
    from projects.semicd_vl.transforms import LoadChangePair

    with one_line_errors():
        _, model, dataset = load_model_and_data(args.config, args.checkpoint)
        os.makedirs(args.out, exist_ok=True)
        for i in range(min(args.num, len(dataset))):
            item = dataset[i]
            info = dataset.get_data_info(i)
            with torch.no_grad():
                pred = model.predict(item['inputs'][None].float(), [item['data_samples']])[0]
            img = item['inputs'].numpy().transpose(1, 2, 0)
            panels = [img[..., :3], img[..., 3:],
                      label_rgb(item['data_samples'].gt_sem_seg.data[0].numpy()),
                      label_rgb(pred.pred_sem_seg.data[0].numpy())]
            if 'vl_change_path' in info:
                pseudo = LoadChangePair(with_label=False, pseudo_labels=['vl_change'])(
                    dict(info))['vl_change']
                panels.append(label_rgb(pseudo))
            h = img.shape[0]
            gap = np.full((h, 3, 3), 255, np.uint8)
            row = np.concatenate(sum(([p, gap] for p in panels), [])[:-1], 1)
            scale = max(1, 256 // h)
            name = osp.splitext(osp.basename(info['img_path']))[0]
            path = osp.join(args.out, f'{name}.png')
            Image.fromarray(row).resize((row.shape[1] * scale, h * scale),
                                        Image.NEAREST).save(path)
            print(f'wrote {path} (A | B | ground truth | prediction'
                  + (' | pseudo label)' if len(panels) == 5 else ')'))


if __name__ == '__main__':
    main()
