"""Pictures of packed samples, exactly as a config's pipeline delivers them to the model
(``tools/browse_dataset.py``). ``draw_item`` recognises the sample by its shape:

* multi-camera images + LiDAR (PDBEV): every camera with the ground-truth boxes projected
  through its ``lidar2img``, and the BEV raster with the boxes seen from above;
* points with per-point labels (mmdet3d segmentation): the cloud coloured by label;
* two point views with segments (FAC): each view coloured by segment, background grey;
* point crops (point distillation) or one object (classification);
* event chunks with point labels (EV-WSSS): the forward window's net polarity with the
  clicks, and the dense label;
* a bi-temporal pair (SemiCD-VL): A | B | change label | pseudo labels;
* two image views (PixPro) or an image with a label map / boxes (mmseg, mmdet).

Label panels use ``LABEL_PALETTE`` colours exactly (ignored pixels grey), so a picture can
be checked pixel by pixel.
"""
import os
import tempfile
from typing import List, Sequence, Tuple

import numpy as np
import torch

from .visualization import (draw_points, overlay_labels, polarity_rgb, render_points,
                            segment_colours)

LABEL_PALETTE = np.array([
    (200, 120, 60), (60, 170, 60), (170, 90, 200), (240, 220, 110), (70, 130, 180),
    (220, 20, 60), (128, 64, 128), (244, 35, 232), (107, 142, 35), (0, 0, 142),
    (102, 102, 156), (190, 153, 153), (250, 170, 30), (220, 220, 0), (152, 251, 152),
    (0, 130, 180), (255, 0, 0), (0, 0, 70), (0, 60, 100), (0, 80, 100)], np.uint8)
IGNORE_RGB = (128, 128, 128)
BOX_RGB = (0, 160, 0)
DRIVABLE_RGB = (170, 170, 170)


def label_rgb(labels: np.ndarray, ignore_index: int = 255) -> np.ndarray:
    """(...) class ids -> (..., 3) ``LABEL_PALETTE`` colours; ignored (and negative) ids
    grey."""
    labels = np.asarray(labels).astype(np.int64)
    out = np.empty((*labels.shape, 3), np.uint8)
    out[:] = IGNORE_RGB
    valid = (labels != ignore_index) & (labels >= 0)
    out[valid] = LABEL_PALETTE[labels[valid] % len(LABEL_PALETTE)]
    return out


def hstack(panels: Sequence[np.ndarray], gap: int = 4, min_height: int = 192) -> np.ndarray:
    """Panels side by side on white, each scaled by an integer factor (nearest) to about
    ``min_height`` rows, so that every label pixel stays one colour."""
    import cv2
    scaled = []
    for p in panels:
        factor = max(1, int(np.ceil(min_height / p.shape[0])))
        scaled.append(cv2.resize(p, (p.shape[1] * factor, p.shape[0] * factor),
                                 interpolation=cv2.INTER_NEAREST) if factor > 1 else p)
    height = max(p.shape[0] for p in scaled)
    row = []
    for p in scaled:
        pad = np.full((height, p.shape[1] + gap, 3), 255, np.uint8)
        pad[:p.shape[0], :p.shape[1]] = p
        row.append(pad)
    return np.concatenate(row, 1)[:, :-gap]


def vstack(rows: Sequence[np.ndarray], gap: int = 6) -> np.ndarray:
    width = max(r.shape[1] for r in rows)
    out = []
    for r in rows:
        pad = np.full((r.shape[0] + gap, width, 3), 255, np.uint8)
        pad[:r.shape[0], :r.shape[1]] = r
        out.append(pad)
    return np.concatenate(out, 0)[:-gap]


def image_rgb(tensor: torch.Tensor, bgr: bool = True) -> np.ndarray:
    """(3, H, W) image tensor (uint8 or float 0-255) -> (H, W, 3) uint8 RGB."""
    img = tensor.detach().cpu().float().clamp(0, 255).byte().numpy().transpose(1, 2, 0)
    return np.ascontiguousarray(img[..., ::-1] if bgr else img)


def render(xyz: np.ndarray, rgb: np.ndarray, view: str = 'top', size=(480, 360)) -> np.ndarray:
    """Off-screen render of coloured points (``visualization.render_points``) as an array."""
    from PIL import Image
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'points.png')
        render_points(xyz, rgb, path, size=size, view=view)
        return np.asarray(Image.open(path).convert('RGB'))


# --- one drawer per kind of sample --------------------------------------------------------
def draw_image(inputs, sample) -> Tuple[np.ndarray, str]:
    img = image_rgb(inputs)
    panels, what = [img], ['image']
    if hasattr(sample, 'gt_sem_seg'):
        labels = sample.gt_sem_seg.data[0].numpy()
        panels += [label_rgb(labels), overlay_labels(img, labels, LABEL_PALETTE[
            np.arange(256) % len(LABEL_PALETTE)].astype(np.float32))]
        what += ['label', 'overlay']
    if hasattr(sample, 'gt_instances') and 'bboxes' in sample.gt_instances:
        import cv2
        boxed = img.copy()
        inst = sample.gt_instances
        if 'masks' in inst:
            masks = inst.masks.to_ndarray() if hasattr(inst.masks, 'to_ndarray') \
                else np.asarray(inst.masks)
            for k, m in enumerate(masks.astype(bool)):
                boxed[m] = (0.5 * boxed[m] + 0.5 * LABEL_PALETTE[
                    int(inst.labels[k]) % len(LABEL_PALETTE)]).astype(np.uint8)
        for box in np.asarray(inst.bboxes.tensor if hasattr(inst.bboxes, 'tensor')
                              else inst.bboxes).round().astype(int):
            cv2.rectangle(boxed, tuple(box[:2]), tuple(box[2:]), BOX_RGB, 1)
        panels.append(boxed)
        what.append('boxes' + (' + masks' if 'masks' in inst else ''))
    return hstack(panels), ' | '.join(what)


def draw_two_views(inputs: List[torch.Tensor], sample) -> Tuple[np.ndarray, str]:
    return hstack([image_rgb(v) for v in inputs]), 'view 1 | view 2 (crops the loss pairs)'


def draw_change(inputs, sample) -> Tuple[np.ndarray, str]:
    img = image_rgb(inputs[:3], bgr=False), image_rgb(inputs[3:6], bgr=False)
    panels, what = list(img), ['A', 'B']
    if hasattr(sample, 'gt_sem_seg'):
        panels.append(label_rgb(sample.gt_sem_seg.data[0].numpy()))
        what.append('change label')
    for key in ('vl_change', 'vl_seg_a', 'vl_seg_b'):
        if hasattr(sample, key):
            panels.append(label_rgb(getattr(sample, key).data[0].numpy()))
            what.append(key)
    return hstack(panels), ' | '.join(what)


def draw_events(inputs, sample) -> Tuple[np.ndarray, str]:
    frame = polarity_rgb(inputs[0].sum((0, 1)).numpy())  # forward: chunks x bins summed
    panels, what = [frame], ['forward events']
    if hasattr(sample, 'gt_points'):
        panels[0] = draw_points(frame, sample.gt_points.data[0].numpy(),
                                LABEL_PALETTE.astype(np.float32))
        what[0] += ' + clicks'
    if inputs.shape[0] > 1:
        panels.append(polarity_rgb(inputs[1].sum((0, 1)).numpy()))
        what.append('reversed events')
    if hasattr(sample, 'gt_sem_seg'):
        panels.append(label_rgb(sample.gt_sem_seg.data[0].numpy()))
        what.append('dense label')
    return hstack(panels), ' | '.join(what)


def draw_point_labels(points, labels, view) -> Tuple[np.ndarray, str]:
    return render(points[:, :3], label_rgb(labels) / 255, view), 'points coloured by label'


def draw_two_point_views(scene, view) -> Tuple[np.ndarray, str]:
    panels = [render(p[:, :3].numpy(), segment_colours(s.numpy(), scene.is_foreground.numpy()),
                     view) for p, s in zip(scene.points, scene.segments)]
    return hstack(panels), ('view 1 | view 2 coloured by segment (foreground saturated, '
                            'background grey)')


def draw_point_crops(crops: List[torch.Tensor], view) -> Tuple[np.ndarray, str]:
    panels = [render(c[:, :3].numpy(), np.tile(LABEL_PALETTE[k % len(LABEL_PALETTE)] / 255,
                                               (len(c), 1)), view, size=(240, 240))
              for k, c in enumerate(crops)]
    return hstack(panels, min_height=240), f'{len(crops)} crops'


def _box_corners(sample) -> np.ndarray:
    boxes = sample.gt_instances_3d.bboxes_3d
    return boxes.corners.numpy() if len(boxes) else np.zeros((0, 8, 3))


def draw_multi_camera(inputs, sample, grid=None) -> Tuple[np.ndarray, str]:
    """Every camera with the boxes' projected edges, and the BEV raster with the boxes."""
    import cv2
    corners = _box_corners(sample)
    edges = [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5), (5, 6), (6, 7), (7, 4), (0, 4), (1, 5),
             (2, 6), (3, 7)]
    cams = []
    for img, l2i in zip(inputs['img'], np.asarray(sample.metainfo['lidar2img'])):
        view = image_rgb(img)
        for box in corners:
            homo = np.c_[box, np.ones(8)] @ np.asarray(l2i).T
            if (homo[:, 2] <= 0.1).any():
                continue
            uv = (homo[:, :2] / homo[:, 2:3]).round().astype(int)
            for a, b in edges:
                cv2.line(view, tuple(uv[a]), tuple(uv[b]), BOX_RGB, 1)
        cams.append(view)
    rows = [hstack(cams[:3], min_height=0), hstack(cams[3:], min_height=0)] \
        if len(cams) > 3 else [hstack(cams, min_height=0)]
    what = 'cameras with projected boxes'
    if hasattr(sample, 'gt_bev_seg') and grid is not None:
        raster = sample.gt_bev_seg.data[0].numpy()
        bev = np.full((*raster.shape, 3), 255, np.uint8)
        bev[raster > 0] = DRIVABLE_RGB
        r, s = grid['point_cloud_range'], grid['voxel_size']
        for box in corners:
            xy = ((box[[0, 3, 7, 4], :2] - np.array(r[:2])) / np.array(s[:2])).round()
            cv2.polylines(bev, [xy.astype(np.int32)], True, BOX_RGB, 1)
        bev = bev[::-1]  # row = y index: y (left) up in the picture
        factor = max(1, rows[0].shape[0] // bev.shape[0])
        rows.append(cv2.resize(bev, (bev.shape[1] * factor, bev.shape[0] * factor),
                               interpolation=cv2.INTER_NEAREST))
        what += ' / BEV: drivable area (grey) and boxes (green), x right, y up'
    return vstack(rows), what


def draw_item(item: dict, view: str = 'top', grid=None) -> Tuple[np.ndarray, str]:
    """(picture, what it shows) of one ``dataset[i]`` (``inputs`` + ``data_samples``)."""
    if {'labeled', 'unlabeled'} <= set(item):  # semi-supervised pairs: one row each
        rows = [(key, draw_item(item[key], view, grid)) for key in item]
        return vstack([r[1][0] for r in rows]), ' / '.join(f'{k}: {r[1]}' for k, r in rows)
    inputs, sample = item['inputs'], item.get('data_samples')
    if isinstance(inputs, dict) and 'img' in inputs and torch.is_tensor(inputs['img']) \
            and inputs['img'].dim() == 4:
        return draw_multi_camera(inputs, sample, grid)
    if isinstance(inputs, dict) and 'points' in inputs:
        labels = sample.gt_pts_seg.pts_semantic_mask if hasattr(sample, 'gt_pts_seg') else None
        if labels is None:
            labels = -np.ones(len(inputs['points']), np.int64)
        return draw_point_labels(inputs['points'].numpy(), np.asarray(labels).astype(np.int64),
                                 view)
    if all(hasattr(inputs, k) for k in ('points', 'segments', 'is_foreground')):
        return draw_two_point_views(inputs, view)
    if isinstance(inputs, (list, tuple)):
        if inputs[0].dim() == 3:
            return draw_two_views(inputs, sample)
        return draw_point_crops(list(inputs), view)
    if inputs.dim() == 2:  # one object's points
        image, _ = draw_point_crops([inputs], view)
        label = getattr(sample, 'gt_label', None)
        return image, f'object, label {label.tolist() if label is not None else "-"}'
    if inputs.dim() == 5:
        return draw_events(inputs, sample)
    if inputs.dim() == 3 and inputs.shape[0] == 6:
        return draw_change(inputs, sample)
    if inputs.dim() == 3:
        return draw_image(inputs, sample)
    raise ValueError(f'browse: no drawer for inputs of type {type(inputs).__name__}')
