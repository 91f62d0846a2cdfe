# Baseline at the same budget: student A alone, partial cross-entropy on the point labels.
_base_ = ['./evwsss_e2vid-tiny_1xb4-30e_events-demo.py']
model = dict(dual=False)
