# EV-WSSS on DSEC Night-Point (the paper's new setting), as the release's
# settings_DSEC_night.yaml: the DSEC windows and model (20 chunks x 100k events, 5 bins,
# reversed 5x, 640x440, batch 1, RAdam 5e-4, 50 epochs), trained on the authors' point
# labels of the night frames and tested on CMDA's dense labels of the same frames (labels
# in Cityscapes train ids, mapped to the 11 DSEC classes). Data: data/README.md.
_base_ = ['./evwsss_e2vid_1xb1-50e_dsec.py']

dataset = dict(_delete_=True, type='DSECNightPoint', data_root='data/dsec_night')
# Model selection on the dense labels of a night sequence held out of training (this
# suite's choice; the release validates on the test labels): test is evaluated once, on
# every sequence's dense labels, by tools/test.py.
val_sequences = ['zurich_city_09_b']
train_dataloader = dict(dataset=dict(dataset, split='train', exclude_sequences=val_sequences,
                                     pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(dataset=dict(dataset, split='test', sequences=val_sequences,
                                   pipeline={{_base_.test_pipeline}}))
test_dataloader = dict(dataset=dict(dataset, split='test', pipeline={{_base_.test_pipeline}}))
