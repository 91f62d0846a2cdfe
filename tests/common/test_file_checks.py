"""The sample-file check's cache of image sizes: a second check only stats the files, a
changed file is read again, and an unwritable cache folder still checks."""
import numpy as np
import pytest
from PIL import Image

from projects.common.datasets import check_sample_files
from projects.common.errors import SampleFileError


class Listed:
    """The two methods the check uses of an mmengine dataset."""

    def __init__(self, items, ann_file='ann.json'):
        self.data_list, self.ann_file = items, ann_file

    def __len__(self):
        return len(self.data_list)

    def get_data_info(self, i):
        return dict(self.data_list[i])


def write(path, width, height):
    Image.fromarray(np.zeros((height, width), np.uint8)).save(path)


def test_sizes_are_cached_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    for i in range(3):
        write(tmp_path / f'{i}.png', 40, 30)
    data = Listed([dict(img_path=str(tmp_path / f'{i}.png'), width=40, height=30)
                   for i in range(3)])
    cache = tmp_path / 'cache'
    assert check_sample_files(data, str(cache)) == 3
    assert (cache / 'image_sizes.sqlite').is_file()

    def no_reading(*args, **kwargs):
        raise AssertionError('header read although cached')
    monkeypatch.setattr(Image, 'open', no_reading)
    assert check_sample_files(data, str(cache)) == 3  # from the cache alone
    monkeypatch.undo()
    write(tmp_path / '1.png', 41, 30)  # another size: a new byte count and mtime
    with pytest.raises(SampleFileError, match=r'1.png: image of 41x30, ann.json says 40x30'):
        check_sample_files(data, str(cache))


def test_an_unwritable_cache_folder_still_checks(tmp_path):
    write(tmp_path / 'a.png', 8, 6)
    blocker = tmp_path / 'file'
    blocker.write_text('not a folder')
    data = Listed([dict(img_path=str(tmp_path / 'a.png'), width=8, height=5)])
    with pytest.raises(SampleFileError, match=r'a.png: image of 8x6, ann.json says 8x5'):
        check_sample_files(data, str(blocker / 'cache'))
