"""Optimizer-wrapper constructor that keeps 1-D parameters out of weight decay and LARS."""
from mmengine.optim import DefaultOptimWrapperConstructor

from ..registry import register_in


@register_in('mmengine', kind='OPTIM_WRAPPER_CONSTRUCTORS')
class FlatParamsExcludedConstructor(DefaultOptimWrapperConstructor):
    """Put every 1-D parameter (biases, norm weights) in a group with ``weight_decay=0`` and
    ``lars_exclude=True`` (the PixPro/BYOL recipe); other parameters keep the defaults."""

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        # A non-empty paramwise_cfg makes the parent split parameters into groups.
        super().__init__(optim_wrapper_cfg, paramwise_cfg or dict(flat_decay_mult=0.0))

    def add_params(self, params, module, prefix='', is_dcn_module=None):
        if prefix and not any(p.requires_grad for p in module.parameters()):
            return  # a frozen sub-module (e.g. a momentum encoder): nothing to optimise
        super().add_params(params, module, prefix, is_dcn_module)
        for group in params:
            if group['params'][0].ndim <= 1:
                group['weight_decay'] = 0.0
                group['lars_exclude'] = True
