"""Event-camera data: checked streams and readers, windows, reversal, voxel grids and
histograms, point-label sampling."""
from .io import (EventFile, EventStream, load_events, make_stream, open_events,
                 read_rectify_map, save_events, signed_polarity)
from .point_labels import sample_point_labels, save_point_labels
from .representations import event_histogram, voxel_grid, voxel_grid_chunks
from .windows import (reverse_events, take_after, take_before, window_after, window_by_count,
                      window_by_duration)

__all__ = ['EventFile', 'EventStream', 'load_events', 'make_stream', 'open_events',
           'read_rectify_map', 'save_events', 'signed_polarity', 'take_after', 'take_before',
           'sample_point_labels', 'save_point_labels', 'event_histogram', 'voxel_grid',
           'voxel_grid_chunks', 'reverse_events', 'window_after', 'window_by_count',
           'window_by_duration']
