"""Bad input in the real dataset layouts (the miniatures of tools/data/make_miniatures.py)
stops a paper config's run with one line naming the file and the problem, before anything
is trained, and leaves what an earlier run wrote in place."""
import os.path as osp

import numpy as np
import pytest
from PIL import Image

from densepre_test_helpers import run_tool
from projects.common.datasets import check_sample_files
from projects.common.errors import SampleFileError

VOC_SEG = 'configs/pixpro/downstream/fcn_r50-d8_4xb4-20k_voc12aug-512x512_pixpro.py'
COCO = 'configs/pixpro/downstream/mask-rcnn_r50_fpn_1x_coco_pixpro.py'


@pytest.fixture
def miniatures(tmp_path):
    """VOC and COCO miniatures written into a scratch folder (fast: a few images)."""
    out = run_tool('tools/data/make_miniatures.py', 'voc', 'coco', '--out',
                   str(tmp_path / 'mini'))
    assert out.returncode == 0, out.stderr[-2000:]
    return tmp_path / 'mini'


def _error_line(out) -> str:
    assert out.returncode == 1, out.stdout[-2000:] + out.stderr[-3000:]
    return out.stderr.strip().splitlines()[-1]


def test_a_label_of_the_wrong_size_is_named(miniatures):
    from mmseg.datasets import PascalVOCDataset
    root = miniatures / 'VOCdevkit' / 'VOC2012'
    dataset = PascalVOCDataset(data_root=str(root), ann_file='ImageSets/Segmentation/aug.txt',
                               data_prefix=dict(img_path='JPEGImages',
                                                seg_map_path='SegmentationClassAug'))
    assert check_sample_files(dataset) == 2
    label = root / 'SegmentationClassAug' / '2008_000015.png'
    Image.fromarray(np.zeros((300, 500), np.uint8)).save(label)
    with pytest.raises(SampleFileError, match=r'SegmentationClassAug/2008_000015.png: label of '
                                              r'500x300, its image .*/JPEGImages/2008_000015.jpg '
                                              r'is 500x375'):
        check_sample_files(dataset)


def test_paper_config_with_a_missing_split_file_or_image_stops_in_one_line(miniatures,
                                                                          tmp_path):
    voc = miniatures / 'VOCdevkit' / 'VOC2012'
    (voc / 'ImageSets' / 'Segmentation' / 'aug.txt').unlink()
    out = run_tool('tools/train.py', VOC_SEG, '--work-dir', str(tmp_path / 'voc'),
                   '--cfg-options', f'train_dataloader.dataset.datasets.0.data_root={voc}',
                   f'train_dataloader.dataset.datasets.1.data_root={voc}')
    assert _error_line(out) == (
        f"error: {VOC_SEG}: train_dataloader ann_file '{voc}/ImageSets/Segmentation/aug.txt' "
        'does not exist')
    # COCO: an image the json lists is missing; an earlier checkpoint stays as it was
    coco = miniatures / 'coco'
    (coco / 'train2017' / '000000000025.jpg').unlink()
    work = tmp_path / 'coco'
    work.mkdir()
    (work / 'epoch_1.pth').write_bytes(b'an earlier run')
    out = run_tool('tools/train.py', COCO, '--work-dir', str(work), '--cfg-options',
                   *[f'{loader}.dataset.data_root={coco}/' for loader in ('train_dataloader',
                                                                           'val_dataloader')],
                   f'val_evaluator.ann_file={coco}/annotations/instances_val2017.json')
    assert _error_line(out) == (
        f'error: {coco}/train2017/000000000025.jpg: not found (listed in '
        f'{coco}/annotations/instances_train2017.json)')
    assert (work / 'epoch_1.pth').read_bytes() == b'an earlier run'
    assert sorted(p.name for p in work.iterdir() if p.suffix == '.pth') == ['epoch_1.pth']


def test_miniature_layouts_are_the_official_ones(miniatures):
    """Spot checks of names and formats the official tools expect."""
    import json
    voc = miniatures / 'VOCdevkit'
    assert (voc / 'VOC2007' / 'ImageSets' / 'Main' / 'test.txt').read_text().split() == \
        ['000001', '000002']
    label = Image.open(voc / 'VOC2012' / 'SegmentationClass' / '2008_000008.png')
    assert label.mode == 'P' and label.getpalette()[3:6] == [128, 0, 0]  # aeroplane colour
    assert 255 in np.unique(np.array(label))  # object borders
    ann = json.loads((miniatures / 'coco' / 'annotations' / 'instances_val2017.json').read_text())
    assert [c['id'] for c in ann['categories']][:12] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    assert ann['categories'][-1] == dict(id=90, name='toothbrush', supercategory='object')
    first = ann['annotations'][0]
    x, y, w, h = first['bbox']
    polygon = np.array(first['segmentation'][0]).reshape(-1, 2)
    assert polygon[:, 0].min() == pytest.approx(x, abs=1) and w > 0 and h > 0
    assert osp.isfile(miniatures / 'coco' / 'val2017' / f'{first["image_id"]:012d}.jpg')


def test_scan_labels_of_another_length_are_named(tmp_path):
    """SemanticKITTI through mmdet3d's converter and dataset: a .label file with 5 labels
    fewer than its scan has points is named, counts from the file sizes."""
    from mmengine.config import Config
    from mmengine.registry import DATASETS, DefaultScope
    out = run_tool('tools/data/make_miniatures.py', 'semantickitti', '--out', str(tmp_path))
    assert out.returncode == 0, out.stderr[-2000:]
    root = tmp_path / 'semantickitti'
    cfg = Config.fromfile('configs/fac/downstream/spunet_minkunet_8xb2-50e_semantickitti.py')
    with DefaultScope.overwrite_default_scope('mmdet3d'):  # not left set for other tests
        dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(root)))
    assert check_sample_files(dataset) == 2
    label = root / 'sequences' / '00' / 'labels' / '000001.label'
    values = np.fromfile(label, np.uint32)
    values[:-5].tofile(label)
    points = (root / 'sequences' / '00' / 'velodyne' / '000001.bin').stat().st_size // 16
    with pytest.raises(SampleFileError, match=rf'labels/000001.label: {points - 5} labels, but '
                                              rf'.*velodyne/000001.bin holds {points} points'):
        check_sample_files(dataset)
