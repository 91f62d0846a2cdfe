# EV-WSSS: forward and reversed students, each an E2VID recurrent encoder (32/64/128/256
# channels, ConvLSTM at 1/2, 1/4, 1/8) with the ESS decoder; loss settings of the release's
# DSEC config (tau 0.5, mutual 0.5 from epoch 0, prototypes / mimicry weight 1 from epoch 2,
# queues of 200 regional prototypes).
# Time bins per event chunk: the students' input channels and LoadEventSequence's bins;
# configs take both from here ({{_base_.bins}}).
bins = 5
model = dict(
    type='EVWSSS', num_classes=11, in_channels=bins, base_channels=32, dual=True,
    pseudo_threshold=0.5, dual_weight=0.5, dual_start_epoch=0, proto_weight=1.0,
    proto_scale=8, proto_temp=0.1, queue_length=200, proto_min_entries=10, proto_start_epoch=2,
    proto_gate='any',
    mimicry_weight=1.0, mimicry_scales=(2, 4, 8), mimicry_start_epoch=2,
    release_extra_proto_weight=0.0)
