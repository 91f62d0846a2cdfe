"""APE's output folders (SemiCD-VL's release names: <date>/<image>.npy + <image>.json)
converted to what DiskVLMOutputs reads, and change pseudo labels made from them with a
UniMatch-style split list (file names, not ids)."""
import json

import numpy as np
from PIL import Image
from pycocotools import mask as mask_utils

from densepre_test_helpers import run_tool


def _ape_pair(tmp_path, size=16):
    """Pair 'p1': date A has a building (prob 0.9) on rows/cols 4..9, date B is all grass
    (prob 0.9); APE found one building instance (category 1) in A, none in B."""
    root, ape = tmp_path / 'levir', tmp_path / 'ape'
    square = np.zeros((size, size), bool)
    square[4:10, 4:10] = True
    for date in ('A', 'B'):
        (root / date).mkdir(parents=True)
        (ape / date).mkdir(parents=True)
        Image.fromarray(np.zeros((size, size, 3), np.uint8)).save(root / date / 'p1.png')
        probs = np.full((6, size, size), 0.02, np.float32)
        probs[3] = 0.9  # grass
        instances = []
        if date == 'A':
            probs[1][square], probs[3][square] = 0.9, 0.02
            rle = mask_utils.encode(np.asfortranarray(square.astype(np.uint8)))
            instances = [dict(category_id=1, score=0.8,
                              segmentation=dict(size=rle['size'],
                                                counts=rle['counts'].decode()))]
        np.save(ape / date / 'p1.npy', probs)
        (ape / date / 'p1.json').write_text(json.dumps(instances))
    (root / 'splits').mkdir()
    (root / 'splits' / 'train.txt').write_text('p1.png\n')  # as UniMatch's lists
    return root, ape, square


def test_ape_outputs_convert_and_make_the_change_label(tmp_path):
    root, ape, square = _ape_pair(tmp_path)
    out = run_tool('tools/data/convert_ape_outputs.py', str(ape), str(root))
    assert out.returncode == 0, out.stderr[-2000:]
    assert 'converted 2 images (1 instances)' in out.stdout
    probs = np.load(root / 'vlm' / 'A' / 'p1_probs.npy')
    assert probs.dtype == np.uint8 and probs.shape == (6, 16, 16)
    assert probs[1, 5, 5] == 230 and probs[3, 0, 0] == 230 and probs[0, 0, 0] == 5
    out = run_tool('tools/data/make_change_pseudo_labels.py', str(root), '--labeller', 'disk',
                   '--split-file', str(root / 'splits' / 'train.txt'))
    assert out.returncode == 0, out.stderr[-2000:]
    change = np.array(Image.open(root / 'gen_cd_label' / 'p1.png'))
    # the building vanished and its instance has no match in B: changed inside, else not
    assert np.array_equal(change, square.astype(np.uint8))
    seg_a = np.array(Image.open(root / 'gen_seg_label' / 'A' / 'p1.png'))
    assert np.array_equal(seg_a, square.astype(np.uint8))


def test_bad_ape_outputs_are_named(tmp_path):
    root, ape, _ = _ape_pair(tmp_path)
    np.save(ape / 'B' / 'p1.npy', np.zeros((6, 8, 8), np.float32))
    out = run_tool('tools/data/convert_ape_outputs.py', str(ape), str(root))
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == (
        f'error: {ape}/B/p1.npy: probabilities of shape (6, 8, 8), expected (6, 16, 16) for '
        'its image')
    (ape / 'A' / 'p1.json').unlink()
    out = run_tool('tools/data/convert_ape_outputs.py', str(ape), str(root))
    assert out.stderr.strip().splitlines()[-1].startswith(
        f'error: {ape}/A/p1.json: instances not found')
