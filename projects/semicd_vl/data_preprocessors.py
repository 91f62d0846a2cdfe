"""Data preprocessor of the change models: stacks, normalises and pads the 6-channel pairs."""

import torch
from mmengine.model import BaseDataPreprocessor

from ..common.registry import register_in


@register_in('mmseg')
class ChangeDataPreprocessor(BaseDataPreprocessor):
    """Stacks the (6, H, W) pairs of a batch as float (0-255; the model normalises after
    its strong view); a semi-supervised batch becomes dicts of branches."""

    def _stack(self, batch: dict) -> dict:
        sizes = {tuple(x.shape) for x in batch['inputs']}
        if len(sizes) > 1:
            raise ValueError(f'pairs of different sizes {sorted(sizes)} in one batch: crop '
                             'them to one size or use batch_size=1')
        return dict(inputs=torch.stack(batch['inputs']).float(),
                    data_samples=batch['data_samples'])

    def forward(self, data: dict, training: bool = False) -> dict:
        data = self.cast_data(data)
        if 'inputs' in data:
            return self._stack(data)
        branches = {k: self._stack(v) for k, v in data.items()}
        return dict(inputs={k: v['inputs'] for k, v in branches.items()},
                    data_samples={k: v['data_samples'] for k, v in branches.items()})
