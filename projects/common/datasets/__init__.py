from .file_checks import CheckSampleFilesHook, check_sample_files
from .frames import LoadPosedFrames, load_frames
from .limited_labels import LimitedAnnotation
from .loading import LoadImageFromFileChecked
from .point_views import TwoPointViews
from .points import LoadPointsChecked, load_points
from .scannet_scenes import ScanNetWholeSceneSegDataset
from .synthetic_scenes import SyntheticScenesDataset
from .texture_seg import CompositeTextureDataset

__all__ = ['CheckSampleFilesHook', 'check_sample_files', 'SyntheticScenesDataset',
           'TwoPointViews', 'LoadPointsChecked', 'load_points', 'CompositeTextureDataset',
           'LoadImageFromFileChecked', 'LoadPosedFrames', 'load_frames', 'LimitedAnnotation',
           'ScanNetWholeSceneSegDataset']
