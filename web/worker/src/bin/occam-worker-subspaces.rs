//! A binary of the worker: see `occam_worker::worker_main`.

occam_worker::worker_main!();
