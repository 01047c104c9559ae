//! Adam's step size over a run of n steps: held at η for the first h steps, then falling
//! linearly to η/10 at the last one,
//!
//! η_t = η                                  for t < h,
//! η_t = η (1 − 0.9 (t − h) / (n − h))      for h ≤ t ≤ n.
//!
//! With h = 0 it decays from the first step (the denoisers of chapter 3); CRATE holds it for two
//! thirds of the run, because a constant step left its last steps noisy.
//!
//! ```
//! use occam_core::schedule::cooled;
//! assert_eq!(cooled(1e-2, 0, 100, 0), 1e-2);
//! assert!((cooled(1e-2, 100, 100, 0) - 1e-3).abs() < 1e-15);
//! ```

/// η_t for step `step` of `steps`, held for the first `held` steps (see the module).
pub fn cooled(rate: f64, step: u64, steps: u64, held: u64) -> f64 {
    if step < held {
        return rate;
    }
    let cooling = (step - held) as f64 / steps.saturating_sub(held).max(1) as f64;
    rate * (1.0 - 0.9 * cooling)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_then_down_to_a_tenth() {
        // 300 steps held for 200: η until step 199, halfway down at 250 (η(1 − 0.45)), η/10 at 300.
        assert_eq!(cooled(3e-3, 199, 300, 200), 3e-3);
        assert!((cooled(3e-3, 250, 300, 200) - 3e-3 * 0.55).abs() < 1e-15);
        assert!((cooled(3e-3, 300, 300, 200) - 3e-4).abs() < 1e-15);
        // No hold: linear from the start; a run of no steps is not a division by zero.
        assert!((cooled(1.0, 50, 100, 0) - 0.55).abs() < 1e-15);
        assert_eq!(cooled(1.0, 0, 0, 0), 1.0);
    }
}
