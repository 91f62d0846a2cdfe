from .loading import LoadImageFromFileChecked, SampleFileError, check_file
from .texture_seg import CompositeTextureDataset

__all__ = ['CompositeTextureDataset', 'LoadImageFromFileChecked', 'SampleFileError', 'check_file']
