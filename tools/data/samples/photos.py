"""``images/``: real colour and grey photographs as RGB PNGs (unlabelled pretraining)."""
import os
import os.path as osp

from tqdm import tqdm

from .imaging import PHOTOS, to_rgb


def write_photos(out: str) -> list:
    from skimage import data, io
    os.makedirs(out, exist_ok=True)
    written = []
    for name in tqdm(PHOTOS, desc='photographs'):
        try:
            img = to_rgb(getattr(data, name)())
        except Exception as err:  # an image needing a download is skipped, not faked
            print(f'skip {name}: {err}')
            continue
        io.imsave(osp.join(out, f'{name}.png'), img, check_contrast=False)
        written.append(name)
    left, right, _ = data.stereo_motorcycle()
    for side, img in (('left', left), ('right', right)):
        io.imsave(osp.join(out, f'motorcycle_{side}.png'), to_rgb(img), check_contrast=False)
        written.append(f'motorcycle_{side}')
    return written
