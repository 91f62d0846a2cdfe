"""Pictures of PDBEV: BEV occupancy, ground-truth and predicted boxes on the BEV grid, BEV
segmentation, the visible / occluded split (LiDAR visibility, with each ground-truth box's
visibility) next to the hard and soft visibility of the predicted depth, and each camera's
depth mean mu and scale b, one PNG per sample.

    python tools/visualize_bev.py CONFIG [--checkpoint CKPT] --out DIR [--num 2]
"""
import os
import os.path as osp


def main():
    from projects.common.cli import picture_tool_parser
    parser = picture_tool_parser(__doc__, num=2)
    parser.add_argument('--score-thr', type=float, default=0.3)
    args = parser.parse_args()

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    import torch
    from mmengine.dataset import pseudo_collate

    from projects.common.cli import load_model_and_data, one_line_errors
    from projects.pdbev.visibility import box_rows, box_visibility, laplacian_visibility

    with one_line_errors():
        _, model, dataset = load_model_and_data(args.config, args.checkpoint)
        r = model.grid.point_cloud_range
        extent = (r[0], r[3], r[1], r[4])
        os.makedirs(args.out, exist_ok=True)
        for i in range(min(args.num, len(dataset))):
            batch = model.data_preprocessor(pseudo_collate([dataset[i]]), False)
            with torch.no_grad():
                sample = model.predict(batch['inputs'], batch['data_samples'])[0]
            fig = plt.figure(figsize=(20, 8))
            panels = fig.subplots(2, 5, squeeze=False)
            ax = panels[0, 0]
            ax.imshow(sample.pred_occupancy.max(0).values.numpy(), origin='lower', extent=extent,
                      cmap='magma')
            ax.set_title('occupancy (max over z)')
            ax = panels[1, 0]
            if hasattr(sample, 'pred_bev_seg'):
                ax.imshow(sample.pred_bev_seg[0].numpy(), origin='lower', extent=extent,
                          cmap='Greys', vmin=0, vmax=1)
            if hasattr(sample, 'gt_bev_seg'):
                ax.contour(sample.gt_bev_seg.data[0].numpy(), levels=[0.5], colors='tab:blue',
                           origin='lower', extent=extent)
            for boxes, colour, keep in (
                    (sample.gt_instances_3d.bboxes_3d, 'tab:green', None),
                    (sample.pred_instances_3d.bboxes_3d, 'tab:red',
                     sample.pred_instances_3d.scores_3d > args.score_thr)):
                corners = boxes.corners[:, [0, 3, 7, 4, 0], :2].numpy()  # BEV outline
                for k, c in enumerate(corners):
                    if keep is None or keep[k]:
                        ax.plot(c[:, 0], c[:, 1], color=colour, lw=1)
            ax.set_title('segmentation, boxes (green GT, red pred)')
            ax = panels[0, 1]
            gt_boxes = sample.gt_instances_3d.bboxes_3d
            if hasattr(sample, 'gt_bev_visibility'):
                seen = sample.gt_bev_visibility.data[0].numpy() > 0
                ax.imshow(seen, origin='lower', extent=extent, cmap='gray', vmin=-0.5, vmax=1)
                if hasattr(sample, 'gt_bev_seg'):
                    ax.contour(sample.gt_bev_seg.data[0].numpy(), levels=[0.5],
                               colors='tab:blue', origin='lower', extent=extent)
                for box, c in zip(box_rows(gt_boxes),
                                  gt_boxes.corners[:, [0, 3, 7, 4, 0], :2].numpy()):
                    vis = box_visibility(box, seen, model.grid)
                    ax.plot(c[:, 0], c[:, 1], color=plt.cm.RdYlGn(vis), lw=1.5)
                ax.set_title('LiDAR: visible (light) / occluded (dark);\nGT boxes by '
                             'visibility (red 0 - green 1)')
            else:
                ax.text(0.5, 0.5, 'no gt_bev_visibility\n(add LidarBEVVisibility\nto the '
                        'pipeline)', ha='center', va='center', transform=ax.transAxes)
            ax = panels[1, 1]
            hard, soft = laplacian_visibility(
                sample.pred_depth_mu, sample.pred_depth_b,
                torch.as_tensor(np.asarray(sample.metainfo['lidar2img']), dtype=torch.float32),
                sample.metainfo['img_shape'], model.grid, sample.metainfo.get('canvas_shape'),
                model.lift_cfg['align_corners'])
            ax.imshow(soft.numpy(), origin='lower', extent=extent, cmap='gray', vmin=0, vmax=1)
            ax.contour(hard.numpy(), levels=[0.5], colors='tab:orange', origin='lower',
                       extent=extent)
            ax.set_title('predicted depth: soft visibility,\nhard boundary (orange)')
            for col in range(3):  # cameras 2 col and 2 col + 1, stacked
                for row, (key, title) in enumerate((('pred_depth_mu', 'mu [m]'),
                                                    ('pred_depth_b', 'b [m]'))):
                    maps = getattr(sample, key)[2 * col:2 * col + 2].numpy()
                    ax = panels[row, 2 + col]
                    ax.imshow(np.concatenate(list(maps)), cmap='viridis')
                    ax.set_title(f'{title}, cameras {2 * col}, {2 * col + 1}')
                    ax.set_xticks([])
                    ax.set_yticks([])
            path = osp.join(args.out, f'{sample.metainfo.get("token", i)}.png')
            fig.tight_layout()
            fig.savefig(path, dpi=80)
            plt.close(fig)
            print(f'wrote {path}')


if __name__ == '__main__':
    main()
