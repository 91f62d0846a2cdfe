"""Loading transforms that fail with the file name and the problem, not a deep traceback."""

import numpy as np
from mmcv.transforms import LoadImageFromFile

from ..errors import SampleFileError, check_file
from ..registry import register_in


@register_in('mmengine', kind='TRANSFORMS')
class LoadImageFromFileChecked(LoadImageFromFile):
    """``LoadImageFromFile`` that names the file when it is missing, empty or undecodable."""

    def transform(self, results: dict) -> dict:
        path = results['img_path']
        check_file(path)
        try:
            out = super().transform(results)
        except Exception as err:
            raise SampleFileError(f'{path}: cannot decode image ({err})') from err
        if out is None or out.get('img') is None:
            raise SampleFileError(f'{path}: cannot decode image (corrupt file)')
        if not np.isfinite(out['img']).all():
            raise SampleFileError(f'{path}: image holds NaN or Inf values')
        return out


__all__ = ["SampleFileError", "check_file", "LoadImageFromFileChecked"]
