"""Event windows around a label time, and time reversal."""
import numpy as np

from ..datasets.loading import SampleFileError
from .io import EventStream


def window_by_count(events: EventStream, t_end: int, num_events: int,
                    name: str = '<events>') -> EventStream:
    """The ``num_events`` events ending at ``t_end`` (inclusive): the release's setting."""
    stop = int(np.searchsorted(events.t, t_end, side='right'))
    if stop < num_events:
        raise SampleFileError(f'{name}: {stop} events before t={t_end}, the window needs '
                              f'{num_events}')
    return events[stop - num_events:stop]


def window_by_duration(events: EventStream, t_end: int, duration: int,
                       name: str = '<events>') -> EventStream:
    """The events in (t_end - duration, t_end]."""
    start = int(np.searchsorted(events.t, t_end - duration, side='right'))
    stop = int(np.searchsorted(events.t, t_end, side='right'))
    if stop <= start:
        raise SampleFileError(f'{name}: no events in ({t_end - duration}, {t_end}]')
    return events[start:stop]


def window_after(events: EventStream, t_start: int, num_events: int,
                 name: str = '<events>') -> EventStream:
    """The ``num_events`` events from ``t_start`` on (the reversed student's raw input)."""
    start = int(np.searchsorted(events.t, t_start, side='left'))
    if len(events) - start < num_events:
        raise SampleFileError(f'{name}: {len(events) - start} events after t={t_start}, the '
                              f'window needs {num_events}')
    return events[start:start + num_events]


def reverse_events(events: EventStream) -> EventStream:
    """Play the stream backwards: t -> t_min + t_max - t, polarity flipped, order reversed
    (so time increases again and the span [t_min, t_max] is kept). Its own inverse."""
    t = events.t[0] + events.t[-1] - events.t[::-1]
    return EventStream(events.x[::-1].copy(), events.y[::-1].copy(), t,
                       (-events.p[::-1]).astype(np.int8))
