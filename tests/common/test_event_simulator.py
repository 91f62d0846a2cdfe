"""The event simulator: crossing times by hand, refractory period, noise, rendering."""
import numpy as np

from projects.common.events.simulator import render_views, simulate_events

EPS = 1e-3


def frames_from_log(log_values):
    """One-pixel frames whose log(I + eps) equals the given values."""
    return (np.exp(np.asarray(log_values, np.float64)) - EPS).reshape(-1, 1, 1)


def test_crossing_times_by_hand():
    # log intensity 0 -> 0.5 over [0, 1000] us, back to 0 over [1000, 2000] us; C = 0.2.
    ev = simulate_events(frames_from_log([0.0, 0.5, 0.0]), np.array([0, 1000, 2000]),
                         threshold=0.2, eps=EPS)
    # up: levels 0.2, 0.4 at 400, 800 us (reference ends at 0.4);
    # down: levels 0.2, 0.0 at 1000 + 1000 * 0.3 / 0.5 = 1600 and 2000 us.
    assert ev.t.tolist() == [400, 800, 1600, 2000]
    assert ev.p.tolist() == [1, 1, -1, -1]
    assert ev.x.tolist() == [0] * 4 and ev.y.tolist() == [0] * 4


def test_refractory_period_drops_events_too_close_to_the_last_emitted_one():
    ev = simulate_events(frames_from_log([0.0, 0.5, 0.0]), np.array([0, 1000, 2000]),
                         threshold=0.2, refractory_us=500, eps=EPS)
    assert ev.t.tolist() == [400, 1600]  # 800 and 2000 come < 500 us after an emitted event


def test_static_scene_gives_only_noise_at_the_requested_rate():
    frames = np.full((11, 20, 30), 0.5)
    times = np.arange(11) * 100_000  # 1 s
    assert len(simulate_events(frames, times)) == 0
    ev = simulate_events(frames, times, noise_rate_hz=2.0, seed=0)
    assert abs(len(ev) - 2.0 * 600) < 4 * np.sqrt(1200)  # Poisson: 2 Hz x 600 pixels x 1 s
    assert set(np.unique(ev.p)) == {-1, 1} and np.all(np.diff(ev.t) >= 0)


def test_render_view_is_a_crop_without_rotation_or_zoom():
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 1, (50, 60))
    labels = rng.integers(0, 4, (50, 60))
    frames, maps = render_views(image, [(30.0, 25.0, 0.0, 1.0)], 10, 16, labels=labels)
    # pixel (u, v) shows image point (30 + u - 8, 25 + v - 5)
    assert np.allclose(frames[0], image[20:30, 22:38], atol=1e-6)
    assert np.array_equal(maps[0], labels[20:30, 22:38])
