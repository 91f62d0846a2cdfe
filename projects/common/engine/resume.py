"""Resuming that refuses what cannot continue the run.

mmengine's ``Runner.resume`` loads the weights non-strictly: resumed with a changed model,
the layers that no longer fit stay at random init and training goes on with a warning. Here
the weights must fit the config's model exactly, and weights, optimizer or scheduler states
that do not fit stop with one line naming the checkpoint. Nothing is written before that
check, so the checkpoint stays usable with the config it was trained with. Changes that can
continue the run (a new lr, more epochs) are allowed and logged by section.
"""
import re

from mmengine.config import Config
from mmengine.runner import Runner

from ..errors import CheckpointError

SECTIONS = ('model', 'optim_wrapper', 'param_scheduler', 'train_dataloader', 'train_cfg')


def changed_sections(saved_cfg_text: str, cfg: Config) -> list:
    """The ``SECTIONS`` in which ``cfg`` differs from the checkpoint's saved config text
    (both read back through mmengine's text form, so formatting does not count)."""
    def read(text: str) -> Config:  # ``filename`` is reserved when a config is parsed
        return Config.fromstring(re.sub(r'^filename = .*$', '', text, flags=re.M), '.py')
    try:
        saved, current = read(saved_cfg_text), read(cfg.pretty_text)
    except Exception:  # a config that does not round-trip: nothing to compare
        return []
    return [name for name in SECTIONS if saved.get(name) != current.get(name)]


def _summary(err: Exception, limit: int = 300) -> str:
    """mmengine's multi-line mismatch report (or any error) as one short clause."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith('The model and loaded state dict')]
    text = '; '.join(lines) or type(err).__name__
    return text if len(text) <= limit else text[:limit] + ' ...'


def use_checked_resume() -> None:
    """Make ``Runner.resume`` strict about weights and one-line about states (idempotent)."""
    original = Runner.resume
    if getattr(original, 'checked', False):
        return

    def resume(self, filename, *args, **kwargs):
        load = self.load_checkpoint
        loaded = {}

        def load_exactly(name, map_location=None, strict=False, revise_keys=None):
            checkpoint = load(name, map_location=map_location, strict=True,
                              **({} if revise_keys is None else dict(revise_keys=revise_keys)))
            loaded['meta'] = checkpoint.get('meta', {})
            return checkpoint

        self.load_checkpoint = load_exactly
        try:
            original(self, filename, *args, **kwargs)
        except CheckpointError:
            raise
        except (RuntimeError, ValueError, KeyError) as err:
            part = 'its optimizer or scheduler state does' if loaded else 'its weights do'
            raise CheckpointError(
                f'{filename}: cannot resume with this config: {part} not fit '
                f'({_summary(err)}); resume with the config the run was trained with, or '
                'start a new --work-dir') from err
        finally:
            del self.load_checkpoint
        changed = changed_sections(loaded.get('meta', {}).get('cfg', ''), self.cfg)
        if changed:
            self.logger.warning(f'resumed from {filename} with a changed config: '
                                f'{", ".join(changed)} differ from the checkpoint\'s')

    resume.checked = True
    Runner.resume = resume
