//! Timing shared by the documents benchmarks: one warm-up call (fonts and
//! formatters are parsed once per process), then the median and spread
//! (min, p90, max) of the timed calls.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// Median, min, p90 and max of the timed runs.
pub struct Stats {
    pub median: Duration,
    pub min: Duration,
    pub p90: Duration,
    pub max: Duration,
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "median {:>11} (min {}, p90 {}, max {})", ms(self.median), ms(self.min), ms(self.p90), ms(self.max))
    }
}

pub fn stats(mut runs: Vec<Duration>) -> Stats {
    runs.sort();
    let n = runs.len();
    Stats { median: runs[n / 2], min: runs[0], p90: runs[(n * 9 / 10).min(n - 1)], max: runs[n - 1] }
}

pub fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:02} ms", us / 1000, (us % 1000) / 10)
}

/// Times `runs` calls of `f` after one warm-up call; `None` when the
/// warm-up fails.
pub fn try_measure(runs: usize, mut f: impl FnMut() -> bool) -> Option<Stats> {
    if !f() {
        return None;
    }
    Some(stats(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    ))
}

/// Times `runs` calls of `f` after one warm-up call.
pub fn measure(runs: usize, mut f: impl FnMut()) -> Stats {
    try_measure(runs, || {
        f();
        true
    })
    .unwrap_or_else(|| unreachable!("the warm-up always succeeds"))
}
