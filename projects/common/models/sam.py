"""segment-anything models: a user checkpoint, or a tiny random SAM for tests."""
import os.path as osp
from functools import partial
from typing import Optional


def build_sam(checkpoint: Optional[str] = None, model_type: str = 'vit_b',
              tiny_random: bool = False):
    """A SAM from a user checkpoint (``segment_anything.sam_model_registry``), or a tiny
    randomly initialised one built from segment-anything's own classes (for tests)."""
    import torch
    from segment_anything import sam_model_registry
    from segment_anything.modeling import (ImageEncoderViT, MaskDecoder, PromptEncoder, Sam,
                                           TwoWayTransformer)
    if not tiny_random:
        if checkpoint is None:
            from ..errors import ConfigError
            raise ConfigError('segment-anything needs a checkpoint (the official SAM weights); '
                              'weights cannot be downloaded by the suite')
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'{checkpoint}: segment-anything checkpoint not found (get '
                                    f'the official {model_type} weights and set the checkpoint)')
        return sam_model_registry[model_type](checkpoint=checkpoint)
    dim, size, patch = 32, 1024, 16
    return Sam(
        image_encoder=ImageEncoderViT(
            depth=1, embed_dim=dim, img_size=size, mlp_ratio=2,
            norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), num_heads=2, patch_size=patch,
            qkv_bias=True, use_rel_pos=False, global_attn_indexes=(), window_size=0,
            out_chans=dim),
        prompt_encoder=PromptEncoder(embed_dim=dim, image_embedding_size=(size // patch,) * 2,
                                     input_image_size=(size, size), mask_in_chans=4),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer=TwoWayTransformer(depth=1, embedding_dim=dim, mlp_dim=64, num_heads=2),
            transformer_dim=dim, iou_head_depth=1, iou_head_hidden_dim=dim),
        pixel_mean=[123.675, 116.28, 103.53], pixel_std=[58.395, 57.12, 57.375])
