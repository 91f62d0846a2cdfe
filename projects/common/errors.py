"""The errors a user can fix. Tools print them as one ``error:`` line (``cli.one_line_errors``)."""
import os.path as osp


class ConfigError(ValueError):
    """A config names something that does not exist or cannot work here."""


class SampleFileError(ValueError):
    """A sample file is missing, empty, corrupt or holds invalid values."""


class NonFiniteLossError(FloatingPointError):
    """A loss term became NaN or Inf."""


class CheckpointError(ValueError):
    """A checkpoint that cannot be read, or that is refused because unpickling it could run
    code."""


def check_file(path: str) -> None:
    """Raise ``SampleFileError`` if ``path`` is missing or empty."""
    if not osp.isfile(path):
        raise SampleFileError(f'{path}: file not found')
    if osp.getsize(path) == 0:
        raise SampleFileError(f'{path}: file is empty')


USER_ERRORS = (ConfigError, SampleFileError, NonFiniteLossError, CheckpointError,
               FileNotFoundError)
