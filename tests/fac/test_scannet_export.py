"""tools/data/scannet_export.py (the raw-scan step before mmdet3d's ScanNet converter) on a
six-vertex scan worked out by hand, its one-line errors, and the dataset's official
limited-scene list option."""
import json

import numpy as np
import pytest

from densepre_test_helpers import run_tool
from tools.data.miniatures.scannet import write_ply

SCENE = 'scene0000_00'
XYZ = np.array([[0, 0, 0], [3, 0, 0], [0, 3, 0],     # floor, segment 5
                [1, 2, 0], [2, 4, 1],                # chair, segment 9
                [5, 5, 2]], np.float32)              # no object, segment 12
RGB = np.array([[10, 20, 30], [40, 50, 60], [70, 80, 90], [1, 2, 3], [4, 5, 6], [7, 8, 9]],
               np.uint8)
SEGMENTS = [5, 5, 5, 9, 9, 12]
TSV = 'id\traw_category\tcategory\tcount\tnyu40id\n1\tfloor\tfloor\t9\t2\n2\tchair\tchair\t9\t5\n'


def write_raw(root, groups=None, segments=SEGMENTS):
    scan = root / 'scans' / SCENE
    scan.mkdir(parents=True)
    (root / 'meta_data').mkdir()
    (root / 'meta_data' / 'scannetv2-labels.combined.tsv').write_text(TSV)
    (root / 'meta_data' / 'scannetv2_train.txt').write_text(f'{SCENE}\n')
    (root / 'meta_data' / 'scannetv2_val.txt').write_text('')
    write_ply(str(scan / f'{SCENE}_vh_clean_2.ply'), XYZ, RGB)
    (scan / f'{SCENE}_vh_clean_2.0.010000.segs.json').write_text(
        json.dumps(dict(segIndices=segments)))
    groups = groups or [dict(objectId=0, label='floor', segments=[5]),
                        dict(objectId=1, label='chair', segments=[9])]
    (scan / f'{SCENE}.aggregation.json').write_text(json.dumps(dict(segGroups=groups)))
    # axis alignment: a shift of 10 m along x
    (scan / f'{SCENE}.txt').write_text(
        'axisAlignment = 1 0 0 10 0 1 0 0 0 0 1 0 0 0 0 1\nsceneType = Office\n')
    return scan


def test_export_by_hand(tmp_path):
    write_raw(tmp_path)
    res = run_tool('tools/data/scannet_export.py', str(tmp_path))
    assert res.returncode == 0, res.stderr[-2000:]
    out = tmp_path / 'scannet_instance_data'

    def load(suffix):
        return np.load(out / f'{SCENE}_{suffix}.npy')
    vert = load('vert')
    assert vert.dtype == np.float32 and vert.tolist() == np.c_[XYZ, RGB].tolist()
    assert load('sem_label').tolist() == [2, 2, 2, 5, 5, 0]  # nyu40 ids, 0 unannotated
    assert load('ins_label').tolist() == [1, 1, 1, 2, 2, 0]  # object id + 1
    # only the chair is one of the 18 detection classes: box of vertices 3 and 4
    assert load('unaligned_bbox').tolist() == [[1.5, 3, 0.5, 1, 2, 1, 5]]
    assert load('aligned_bbox').tolist() == [[11.5, 3, 0.5, 1, 2, 1, 5]]
    assert load('axis_align_matrix')[0].tolist() == [1, 0, 0, 10]


def test_a_scan_without_segs_json_is_named_in_one_line(tmp_path):
    scan = write_raw(tmp_path)
    (scan / f'{SCENE}_vh_clean_2.0.010000.segs.json').unlink()
    res = run_tool('tools/data/scannet_export.py', str(tmp_path))
    assert res.returncode == 1
    assert res.stderr.strip().splitlines()[-1] == \
        f'error: {scan}/{SCENE}_vh_clean_2.0.010000.segs.json: file not found'
    assert not (tmp_path / 'scannet_instance_data' / f'{SCENE}_vert.npy').exists()


@pytest.mark.parametrize('case, expected', [
    ('short segs.json', '_vh_clean_2.0.010000.segs.json: 5 segment ids for a mesh of 6 '
                        'vertices'),
    ('unknown category', '.aggregation.json: category "sofa" is not in the label table'),
    ('unknown segment', '.aggregation.json: object 1 names segment 77, which '),
])
def test_bad_scans_are_named(tmp_path, case, expected):
    from projects.common.errors import SampleFileError
    from tools.data.scannet_export import export_scene, read_label_table
    groups = None
    if case == 'unknown category':
        groups = [dict(objectId=0, label='sofa', segments=[5])]
    if case == 'unknown segment':
        groups = [dict(objectId=1, label='chair', segments=[9, 77])]
    scan = write_raw(tmp_path, groups, SEGMENTS[:5] if case == 'short segs.json' else SEGMENTS)
    table = read_label_table(str(tmp_path / 'meta_data' / 'scannetv2-labels.combined.tsv'))
    with pytest.raises(SampleFileError) as err:
        export_scene(str(scan), SCENE, table, labelled=True)
    assert str(err.value).startswith(f'{scan}/{SCENE}') and expected in str(err.value)


def test_overlapping_objects_follow_mmdet3ds_painting_order(tmp_path):
    """Segment 9 in a chair (object 1) and a floor (object 2): classes are painted a
    category at a time in order of first appearance (floor: 5 and 9, then chair: 9), objects
    in order (object 2 last on segment 9); object 2 takes the class of its first segment's
    first vertex (chair); object 1 is left without vertices (no box)."""
    from tools.data.scannet_export import export_scene, read_label_table
    scan = write_raw(tmp_path, [dict(objectId=0, label='floor', segments=[5]),
                                dict(objectId=1, label='chair', segments=[9]),
                                dict(objectId=2, label='floor', segments=[9])])
    table = read_label_table(str(tmp_path / 'meta_data' / 'scannetv2-labels.combined.tsv'))
    out = export_scene(str(scan), SCENE, table, labelled=True)
    assert out['sem_label'].tolist() == [2, 2, 2, 5, 5, 0]
    assert out['ins_label'].tolist() == [1, 1, 1, 3, 3, 0]
    assert out['unaligned_bbox'].tolist() == [[1.5, 3, 0.5, 1, 2, 1, 5]]
