//! `backend=auto`: when a run moves from the CPU to WebGPU, and back.
//!
//! A run on `auto` starts on the CPU at once, so its first report never waits on a GPU. While it
//! trains, the worker measures WebGPU beside it, on a second session of the same demo, for at
//! most [`PROBE_BUDGET_MS`]. It switches only when WebGPU would finish the run sooner by
//! [`MIN_GAIN`] even after starting over; then it keeps watching the real pace, and falls back to
//! the CPU if WebGPU turns out so slow that starting over on the CPU finishes sooner. Software (fallback) adapters are never
//! measured: they are slower than the CPU backend wherever they were tried.
//!
//! Everything here is arithmetic on measured paces, so it is tested natively.

/// The most wall time the WebGPU measurement may take from a run (its first step, which
/// compiles the shaders, included).
pub const PROBE_BUDGET_MS: f64 = 1_500.0;

/// How much sooner WebGPU must finish to be worth a switch.
pub const MIN_GAIN: f64 = 1.25;

/// Runs the CPU finishes within this are not worth measuring WebGPU for.
pub const SHORT_RUN_MS: f64 = 3_000.0;

/// The real pace on WebGPU is judged after this long (and at least [`CONFIRM_UNITS`] units).
pub const CONFIRM_MS: f64 = 1_000.0;

/// See [`CONFIRM_MS`].
pub const CONFIRM_UNITS: u64 = 3;

/// How fast a session goes: `units` of the demo's own work (`Report::progress`) in `ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub units: u64,
    pub ms: f64,
}

impl Pace {
    /// Milliseconds per unit; `None` before any unit is done.
    pub fn ms_per_unit(self) -> Option<f64> {
        (self.units > 0).then(|| self.ms / self.units as f64)
    }
}

/// Whether a run on the CPU at `cpu` pace, `done` units of `total` in, has enough left that
/// measuring WebGPU could pay off.
pub fn is_worth_probing(total: u64, done: u64, cpu: Pace) -> bool {
    cpu.ms_per_unit()
        .is_some_and(|ms| ms * total.saturating_sub(done) as f64 > SHORT_RUN_MS)
}

/// Whether to give up the CPU session (at `cpu_done` units, going at `cpu`) for the WebGPU one
/// (at `gpu_done`, going at `gpu` after its first step): only if WebGPU finishes the run
/// [`MIN_GAIN`] times sooner from where each one stands.
pub fn should_switch(total: u64, cpu_done: u64, cpu: Pace, gpu_done: u64, gpu: Pace) -> bool {
    match (cpu.ms_per_unit(), gpu.ms_per_unit()) {
        (Some(cpu_ms), Some(gpu_ms)) => {
            let cpu_left = cpu_ms * total.saturating_sub(cpu_done) as f64;
            let gpu_left = gpu_ms * total.saturating_sub(gpu_done) as f64;
            gpu_left * MIN_GAIN < cpu_left
        }
        _ => false,
    }
}

/// What the real pace on WebGPU says after a switch (or a cached WebGPU choice), `done` units of
/// `total` in, compared with the CPU's `cpu_ms_per_unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Too soon to tell.
    Wait,
    /// WebGPU keeps up: stay.
    Confirmed,
    /// WebGPU is slower than the CPU was: go back.
    FallBack,
}

pub fn confirm(cpu_ms_per_unit: f64, gpu: Pace, total: u64, done: u64) -> Verdict {
    if gpu.ms < CONFIRM_MS || gpu.units < CONFIRM_UNITS {
        return Verdict::Wait;
    }
    // Falling back starts over: only when the CPU would finish the whole run sooner than WebGPU
    // finishes what is left.
    let left = total.saturating_sub(done) as f64;
    match gpu.ms_per_unit() {
        Some(gpu_ms) if gpu_ms * left > cpu_ms_per_unit * total as f64 => Verdict::FallBack,
        _ => Verdict::Confirmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn pace(units: u64, ms: f64) -> Pace {
        Pace { units, ms }
    }

    #[test]
    fn short_runs_are_not_measured() {
        // 100 units at 10 ms: 1 s in all, under the 3 s worth measuring for.
        assert!(!is_worth_probing(100, 5, pace(5, 50.0)));
        // 1,000 units at 10 ms, 5 done: 9.95 s left.
        assert!(is_worth_probing(1_000, 5, pace(5, 50.0)));
        assert!(!is_worth_probing(1_000, 0, pace(0, 0.0)), "no pace yet");
    }

    #[test]
    fn a_switch_pays_for_starting_over() {
        // CPU 10 ms a unit at 100 of 1,000: 9 s left. WebGPU at 2 ms from 3: 1.994 s left.
        assert!(should_switch(
            1_000,
            100,
            pace(100, 1_000.0),
            3,
            pace(2, 4.0)
        ));
        // WebGPU at 9 ms from 3 of 1,000 (8.97 s) is not 1.25 times sooner than 9 s.
        assert!(!should_switch(
            1_000,
            100,
            pace(100, 1_000.0),
            3,
            pace(2, 18.0)
        ));
        // Near the end, starting over does not pay even on a fast GPU: 1 unit of CPU left
        // (10 ms) against 997 units at 2 ms.
        assert!(!should_switch(
            1_000,
            999,
            pace(999, 9_990.0),
            3,
            pace(2, 4.0)
        ));
        assert!(!should_switch(1_000, 0, pace(0, 0.0), 3, pace(2, 4.0)));
    }

    #[test]
    fn the_real_pace_confirms_or_falls_back() {
        assert_eq!(confirm(10.0, pace(2, 5_000.0), 1_000, 2), Verdict::Wait);
        assert_eq!(confirm(10.0, pace(50, 500.0), 1_000, 50), Verdict::Wait);
        assert_eq!(
            confirm(10.0, pace(200, 1_000.0), 1_000, 200),
            Verdict::Confirmed
        );
        // 20 ms a unit for the 950 left (19 s) against 10 s for the whole run on the CPU.
        assert_eq!(
            confirm(10.0, pace(50, 1_000.0), 1_000, 50),
            Verdict::FallBack
        );
        // The same pace with 400 left (8 s): finishing beats starting over.
        assert_eq!(
            confirm(10.0, pace(50, 1_000.0), 1_000, 600),
            Verdict::Confirmed
        );
    }
}
