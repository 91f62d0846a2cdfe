"""Check the files a built dataset lists before a run uses them, so that a real-layout
mistake stops at the start with one line naming the file (not an hour in, or as a shape
error deep in a model): an image listed in an annotation file that does not exist, an
image whose size differs from what the annotation file says (COCO ``width`` / ``height``),
a label map whose size differs from its image (mmseg datasets), a scan whose label file
holds another number of labels than it has points (mmdet3d segmentation datasets).

Only image headers are read (PIL opens lazily), about 0.1 ms an image; the sizes are kept
in ``$DENSEPRE_CACHE_DIR`` (default ``~/.cache/densepre``) ``/image_sizes.sqlite``, keyed by
path, byte size and modification time, so a later run only stats the files (a changed file
is read again). ``CheckSampleFilesHook`` runs the check on the datasets of a run before its
weights are loaded (``tools/train.py`` and ``tools/test.py`` add the hook to every config).
"""
import os
import os.path as osp
import sqlite3

from mmengine.hooks import Hook

from ..errors import SampleFileError
from ..registry import register_in


class ImageSizeCache:
    """(width, height) of image files by (path, byte size, modification time), in SQLite;
    without a writable cache folder it only remembers within the process."""

    def __init__(self, folder: str = None):
        folder = folder or os.environ.get('DENSEPRE_CACHE_DIR') or \
            osp.join(osp.expanduser('~'), '.cache', 'densepre')
        schema = ('CREATE TABLE IF NOT EXISTS sizes (path TEXT PRIMARY KEY, bytes INTEGER, '
                  'mtime INTEGER, width INTEGER, height INTEGER)')
        try:
            os.makedirs(folder, exist_ok=True)
            self.db = sqlite3.connect(osp.join(folder, 'image_sizes.sqlite'), timeout=60)
            self.db.execute(schema)
        except (OSError, sqlite3.Error):
            self.db = sqlite3.connect(':memory:')
            self.db.execute(schema)

    def size(self, path: str, listed_in: str) -> tuple:
        from PIL import Image
        try:
            stat = os.stat(path)
        except OSError:
            raise SampleFileError(f'{path}: not found (listed in {listed_in})') from None
        key = osp.abspath(path)
        row = self.db.execute('SELECT width, height FROM sizes WHERE path = ? AND bytes = ? '
                              'AND mtime = ?', (key, stat.st_size, stat.st_mtime_ns)).fetchone()
        if row:
            return tuple(row)
        try:
            with Image.open(path) as img:
                size = img.size  # (width, height)
        except Exception as err:
            raise SampleFileError(f'{path}: cannot read the image header ({err})') from err
        self.db.execute('INSERT OR REPLACE INTO sizes VALUES (?, ?, ?, ?, ?)',
                        (key, stat.st_size, stat.st_mtime_ns, *size))
        return size

    def close(self) -> None:
        try:
            self.db.commit()
        except sqlite3.Error:  # a read-only cache: the sizes are not kept
            pass
        self.db.close()


def leaf_datasets(dataset):
    """The datasets holding samples under wrappers (Concat, Repeat, ClassBalanced, the
    labeled + unlabeled pairs of semi-supervised training)."""
    parts = getattr(dataset, 'datasets', None) or [
        getattr(dataset, key) for key in ('labeled', 'unlabeled') if hasattr(dataset, key)]
    if parts:
        for sub in parts:
            yield from leaf_datasets(sub)
    elif not hasattr(dataset, 'data_list') and hasattr(dataset, 'dataset'):
        yield from leaf_datasets(dataset.dataset)
    else:
        yield dataset


def _pipeline_setting(dataset, name: str):
    """``name`` of the first transform in the dataset's pipeline that has it, or None."""
    for transform in getattr(getattr(dataset, 'pipeline', None), 'transforms', []):
        if hasattr(transform, name):
            return getattr(transform, name)
    return None


def check_point_labels(dataset) -> int:
    """mmdet3d point datasets: every scan's label file holds one label per point (counted
    from the file sizes, with the pipeline's ``load_dim`` and ``seg_3d_dtype``)."""
    import numpy as np
    load_dim = _pipeline_setting(dataset, 'load_dim')
    dtype = _pipeline_setting(dataset, 'seg_3d_dtype')
    if load_dim is None or dtype is None:
        return 0
    itemsize = np.dtype(dtype).itemsize
    checked = 0
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        points = (info.get('lidar_points') or {}).get('lidar_path')
        labels = info.get('pts_semantic_mask_path')
        if not isinstance(points, str) or not isinstance(labels, str):
            break
        for path in (points, labels):
            if not osp.isfile(path):
                raise SampleFileError(f'{path}: not found (listed in {dataset.ann_file})')
        num_points = osp.getsize(points) // (4 * load_dim)
        num_labels = osp.getsize(labels) // itemsize
        if num_points != num_labels:
            raise SampleFileError(f'{labels}: {num_labels} labels, but {points} holds '
                                  f'{num_points} points')
        checked += 1
    return checked


def check_images(dataset, listed_in: str, sizes: ImageSizeCache) -> int:
    """Annotated images: each exists, has its annotation's size, and so has its label."""
    checked = 0
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        img, seg = info.get('img_path'), info.get('seg_map_path')
        sized = 'width' in info and 'height' in info
        if not isinstance(img, str) or not (isinstance(seg, str) or sized):
            break  # no annotated images here
        width, height = sizes.size(img, listed_in)
        if sized and (info['width'], info['height']) != (width, height):
            raise SampleFileError(f'{img}: image of {width}x{height}, {listed_in} says '
                                  f'{info["width"]}x{info["height"]}')
        if isinstance(seg, str):
            seg_size = sizes.size(seg, listed_in)
            if seg_size != (width, height):
                raise SampleFileError(f'{seg}: label of {seg_size[0]}x{seg_size[1]}, its '
                                      f'image {img} is {width}x{height}')
        checked += 1
    return checked


def check_sample_files(dataset, cache_dir: str = None) -> int:
    """Raise ``SampleFileError`` for the first bad file of ``dataset``; return the number
    of samples checked. Only annotated samples are checked (a label map, or a size from an
    annotation file): plain image lists (ImageNet) are found by listing the folder."""
    checked = 0
    sizes = ImageSizeCache(cache_dir)
    try:
        for leaf in leaf_datasets(dataset):
            if not hasattr(leaf, 'get_data_info') or not hasattr(leaf, 'data_list'):
                continue
            listed_in = getattr(leaf, 'ann_file', '') or getattr(leaf, 'data_root', '') or \
                type(leaf).__name__
            checked += check_images(leaf, listed_in, sizes) or check_point_labels(leaf)
    finally:
        sizes.close()
    return checked


@register_in('mmengine', kind='HOOKS')
class CheckSampleFilesHook(Hook):
    """``check_sample_files`` on the datasets of the loops a run has built, before the
    model's weights are initialised or loaded (``before_run``)."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        from mmengine.runner import BaseLoop
        for name in ('_train_loop', '_val_loop', '_test_loop'):  # built loops only
            loop = getattr(runner, name, None)
            if isinstance(loop, BaseLoop):
                count = check_sample_files(loop.dataloader.dataset)
                if count:
                    runner.logger.info(f'checked the files of {count} samples '
                                       f'({name.strip("_")})')
