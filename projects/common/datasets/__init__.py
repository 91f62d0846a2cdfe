from .loading import LoadImageFromFileChecked, SampleFileError, check_file
from .points import LoadPointsChecked, load_points
from .texture_seg import CompositeTextureDataset

__all__ = ['LoadPointsChecked', 'load_points', 'CompositeTextureDataset', 'LoadImageFromFileChecked', 'SampleFileError', 'check_file']
