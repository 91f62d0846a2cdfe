"""Pictures of event segmentation: event frame (red/blue polarity) with the point labels,
the prediction and the ground truth overlaid, one PNG per sequence.

    python tools/visualize_events.py CONFIG [--checkpoint CKPT] --out DIR [--num 4]

CONFIG is an EV-WSSS config; its test split is drawn (random weights without --checkpoint).
"""
import os
import os.path as osp


def main():
    from projects.common.cli import picture_tool_parser
    parser = picture_tool_parser(__doc__, num=4)
    args = parser.parse_args()

    import numpy as np
    import torch
    from PIL import Image

    from projects.common.cli import load_model_and_data, one_line_errors
    from projects.common.events import window_by_duration
    from projects.common.browse import LABEL_PALETTE
    from projects.common.visualization import draw_points, event_frame_rgb, overlay_labels
    from projects.evwsss.datasets import label_time_events

    with one_line_errors():
        _, model, dataset = load_model_and_data(args.config, args.checkpoint)
        num_classes = len(dataset.metainfo['classes'])
        palette = LABEL_PALETTE[np.arange(num_classes) % len(LABEL_PALETTE)].astype(np.float32)
        os.makedirs(args.out, exist_ok=True)
        for i in range(min(args.num, len(dataset))):
            item = dataset[i]
            sample = item['data_samples']
            with torch.no_grad():
                pred = model.predict(item['inputs'][None], [sample])[0]
            pred = pred.pred_sem_seg.data[0].numpy()
            gt = sample.gt_sem_seg.data[0].numpy()
            points = sample.gt_points.data[0].numpy().astype(np.uint8)
            h, w = gt.shape
            info = dataset.get_data_info(i)
            source, _, t_label = label_time_events(info)
            window = window_by_duration(source, t_label, 20_000, info['events_path'])
            frame = event_frame_rgb(window.x, window.y, window.p, info['height'],
                                    info['width'])[:h]
            panels = [draw_points(frame, points, palette),
                      overlay_labels(frame, pred, palette, alpha=0.6),
                      overlay_labels(frame, gt, palette, alpha=0.6)]
            gap = np.full((h, 4, 3), 255, np.uint8)
            row = np.concatenate([panels[0], gap, panels[1], gap, panels[2]], 1)
            scale = max(1, 256 // h)
            path = osp.join(args.out, sample.sample_id.replace('/', '_') + '.png')
            Image.fromarray(row).resize((row.shape[1] * scale, h * scale),
                                        Image.NEAREST).save(path)
            print(f'wrote {path} (events + points | prediction | ground truth)')


if __name__ == '__main__':
    main()
