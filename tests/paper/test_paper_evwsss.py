"""EV-WSSS paper configs on the DSEC-Semantic, DSEC Night-Point and DDD17 miniatures (real
layouts: blosc events.h5 with ms_to_idx, rectify maps, label PNGs and timestamps; the
Night-Point release's warp images, point and CMDA labels; DDD17 memmaps, index and mask
stacks; point labels from tools/data/make_point_labels.py): three epochs through
tools/train.py (so the mimicry term, from epoch 2, runs), model selection on the
held-out train sequence, then tools/test.py on the test split once."""
import re
import time

import pytest

from paper_helpers import make_miniature, record_time, run_test, run_train, train_log

pytestmark = pytest.mark.paper

# The students at full width take ~85 s per DSEC step on this CPU (100-channel 640x440
# input, 20 recurrent steps, two students): 8 base channels instead of 32
WIDTH = ('model.base_channels=8', )
CASES = {
    'configs/evwsss/evwsss_e2vid_1xb1-50e_dsec.py': ('dsec', 1, WIDTH),
    'configs/evwsss/evwsss_e2vid_1xb1-50e_dsec-night.py': ('dsec-night', 1, WIDTH),
    'configs/evwsss/evwsss_e2vid_1xb4-20e_ddd17.py': ('ddd17', 4, WIDTH),
}


@pytest.mark.parametrize('config', sorted(CASES))
def test_evwsss_paper_config(config, tmp_path):
    miniature, batch, width = CASES[config]
    make_miniature(miniature)
    seconds = run_train(config, tmp_path, f'train_dataloader.batch_size={batch}',
                        f'val_dataloader.batch_size={batch}', 'train_cfg.max_epochs=3',
                        'train_cfg.val_interval=3', *width)
    log = train_log(tmp_path)
    # both students' point losses and the mimicry term ran (the mutual loss needs pixels
    # above the confidence threshold and the prototype loss queues of more than
    # proto_min_entries prototypes: longer than a miniature run; both are unit-tested)
    for term in ('loss_point_a', 'loss_point_b', 'loss_mimicry'):
        assert re.search(rf'{term}: [-\d.e]+', log), (term, log[-3000:])
    assert 'Epoch(val)' in log and 'mIoU' in log
    best = sorted(tmp_path.glob('best_mIoU_epoch_*.pth'))
    assert best, 'no checkpoint selected on the validation sequence'
    t0 = time.time()
    metrics = run_test(config, best[-1], tmp_path / 'test', *width)
    record_time(config, seconds + time.time() - t0)
    for key in ('mIoU', 'aAcc', 'mAcc'):
        assert 0 <= metrics[key] <= 100, (key, metrics)
