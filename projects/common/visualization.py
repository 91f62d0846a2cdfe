"""Pictures people would rather see than read: PCA colourings of dense features."""
import numpy as np
import torch
from torch import Tensor


def pca_rgb(feats: Tensor) -> Tensor:
    """(N, C) features -> (N, 3) floats in [0, 1]: first three principal components, each
    min-max scaled (missing components stay 0)."""
    x = feats.detach().float()
    x = x - x.mean(0, keepdim=True)
    _, _, v = torch.pca_lowrank(x, q=min(3, x.shape[1]), center=False)
    proj = x @ v[:, :3]
    if proj.shape[1] < 3:
        proj = torch.cat([proj, proj.new_zeros(proj.shape[0], 3 - proj.shape[1])], 1)
    lo, hi = proj.min(0).values, proj.max(0).values
    return (proj - lo) / (hi - lo).clamp(min=1e-8)


def feature_pca_rgb(feats: Tensor, out_size=None) -> np.ndarray:
    """(C, H, W) features -> (H, W, 3) uint8: first three principal components as RGB.

    ``out_size`` (h, w) resizes (nearest).
    """
    c, h, w = feats.shape
    img = pca_rgb(feats.reshape(c, -1).T).reshape(h, w, 3)
    if out_size is not None:
        img = torch.nn.functional.interpolate(img.permute(2, 0, 1)[None], size=out_size,
                                              mode='nearest')[0].permute(1, 2, 0)
    return (img.numpy() * 255).round().astype(np.uint8)


def segment_colours(ids: np.ndarray, is_foreground: np.ndarray, seed: int = 0) -> np.ndarray:
    """(N,) segment ids -> (N, 3) colours in [0, 1]: a saturated colour per foreground
    segment (tab20 cycle, shuffled by ``seed``), grey for background segments, black for
    unassigned points."""
    from matplotlib import colormaps
    tab = np.asarray(colormaps['tab20'].colors)
    order = np.random.default_rng(seed).permutation(max(len(is_foreground), 1))
    palette = tab[order % len(tab)].copy()
    palette[~np.asarray(is_foreground, bool)] = 0.45
    colours = np.zeros((len(ids), 3))
    colours[ids >= 0] = palette[ids[ids >= 0]]
    return colours


def render_points(xyz: np.ndarray, rgb: np.ndarray, path: str, size=(640, 480),
                  view: str = 'top', point_size: float = 2.0) -> str:
    """Render coloured points to a PNG with open3d's off-screen renderer (CPU through
    Mesa); falls back to a matplotlib scatter if off-screen rendering is unavailable.

    ``view='top'``: from above and behind, z up (lidar / mmdet3d depth frame);
    ``view='camera'``: from the origin along +z with y down (camera frame, e.g. stereo).
    Unlit and without post-processing, so every point shows its colour exactly.
    Returns the backend used.
    """
    centre = xyz.mean(0)
    extent = float(np.linalg.norm(xyz.max(0) - xyz.min(0)))
    if view == 'camera':
        eye, up = np.zeros(3), np.array([0.0, -1.0, 0.0])
    else:
        eye, up = centre + np.array([0.0, -0.8, 0.8]) * extent, np.array([0.0, 0.0, 1.0])
    try:
        import open3d as o3d
        renderer = o3d.visualization.rendering.OffscreenRenderer(*size)
        cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(xyz.astype(np.float64)))
        cloud.colors = o3d.utility.Vector3dVector(np.clip(rgb, 0, 1).astype(np.float64))
        material = o3d.visualization.rendering.MaterialRecord()
        material.shader, material.point_size = 'defaultUnlit', point_size
        renderer.scene.add_geometry('points', cloud, material)
        renderer.scene.set_background([1.0, 1.0, 1.0, 1.0])
        renderer.scene.view.set_post_processing(False)  # exact colours, no tone mapping
        renderer.setup_camera(50.0, centre, eye, up)
        o3d.io.write_image(path, renderer.render_to_image())
        return 'open3d'
    except Exception:  # no EGL/Vulkan: a plain scatter still shows the colouring
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig = plt.figure(figsize=(size[0] / 100, size[1] / 100), dpi=100)
        axis = fig.add_subplot(projection='3d')
        axis.scatter(*xyz.T, c=np.clip(rgb, 0, 1), s=point_size / 4)
        axis.set_axis_off()
        fig.savefig(path)
        plt.close(fig)
        return 'matplotlib'


def event_frame_rgb(x: np.ndarray, y: np.ndarray, p: np.ndarray, height: int,
                    width: int) -> np.ndarray:
    """(H, W, 3) uint8: white background, pixels whose net polarity is positive in blue,
    negative in red (the usual event-camera rendering)."""
    net = np.zeros(height * width, np.float32)
    np.add.at(net, np.round(y).astype(np.int64) * width + np.round(x).astype(np.int64), p)
    return polarity_rgb(net.reshape(height, width))


def polarity_rgb(net: np.ndarray) -> np.ndarray:
    """(H, W) net polarity -> (H, W, 3) uint8: white, positive blue, negative red."""
    img = np.full((*net.shape, 3), 255, np.uint8)
    img[net > 0] = (40, 80, 230)
    img[net < 0] = (220, 40, 40)
    return img


def overlay_labels(img: np.ndarray, labels: np.ndarray, palette: np.ndarray,
                   alpha: float = 0.45, ignore_index: int = 255) -> np.ndarray:
    """Blend a label map (H, W) in ``palette`` colours over ``img`` (H, W, 3 uint8)."""
    out = img.astype(np.float32)
    valid = labels != ignore_index
    out[valid] = (1 - alpha) * out[valid] + alpha * palette[labels[valid]]
    return out.astype(np.uint8)


def draw_points(img: np.ndarray, sparse: np.ndarray, palette: np.ndarray,
                ignore_index: int = 255, radius: int = 2) -> np.ndarray:
    """Draw the labelled pixels of a sparse label map as squares outlined in black."""
    out = img.copy()
    h, w = sparse.shape
    for r, c in zip(*np.nonzero(sparse != ignore_index)):
        top, bottom = max(r - radius - 1, 0), min(r + radius + 2, h)
        left, right = max(c - radius - 1, 0), min(c + radius + 2, w)
        out[top:bottom, left:right] = 0
        out[max(r - radius, 0):r + radius + 1, max(c - radius, 0):c + radius + 1] = \
            palette[sparse[r, c]]
    return out
