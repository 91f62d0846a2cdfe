"""Event windows around a label time, and time reversal. Windows take an ``EventStream``
or a lazily read ``EventFile``."""
import numpy as np

from ..errors import SampleFileError
from .io import EventStream


def window_by_count(events: EventStream, t_end: int, num_events: int,
                    name: str = '<events>') -> EventStream:
    """The ``num_events`` events ending at ``t_end`` (inclusive): the release's setting."""
    return take_before(events, int(events.t.searchsorted(t_end, side='right')), num_events,
                       name)


def take_before(events: EventStream, stop: int, num_events: int,
                name: str = '<events>') -> EventStream:
    """The ``num_events`` events before index ``stop``."""
    if stop < num_events:
        raise SampleFileError(f'{name}: {stop} events before the label time, the window needs '
                              f'{num_events}')
    return events[stop - num_events:stop]


def take_after(events: EventStream, start: int, num_events: int,
               name: str = '<events>') -> EventStream:
    """The ``num_events`` events from index ``start`` on."""
    if len(events) - start < num_events:
        raise SampleFileError(f'{name}: {len(events) - start} events after the label time, '
                              f'the window needs {num_events}')
    return events[start:start + num_events]


def window_by_duration(events: EventStream, t_end: int, duration: int,
                       name: str = '<events>') -> EventStream:
    """The events in (t_end - duration, t_end]."""
    start = int(events.t.searchsorted(t_end - duration, side='right'))
    stop = int(events.t.searchsorted(t_end, side='right'))
    if stop <= start:
        raise SampleFileError(f'{name}: no events in ({t_end - duration}, {t_end}]')
    return events[start:stop]


def window_after(events: EventStream, t_start: int, num_events: int,
                 name: str = '<events>') -> EventStream:
    """The ``num_events`` events from ``t_start`` on (the reversed student's raw input)."""
    return take_after(events, int(events.t.searchsorted(t_start, side='left')), num_events,
                      name)


def reverse_events(events: EventStream) -> EventStream:
    """Play the stream backwards: t -> t_min + t_max - t, polarity flipped, order reversed
    (so time increases again and the span [t_min, t_max] is kept). Its own inverse."""
    t = events.t[0] + events.t[-1] - events.t[::-1]
    return EventStream(events.x[::-1].copy(), events.y[::-1].copy(), t,
                       (-events.p[::-1]).astype(np.int8))
