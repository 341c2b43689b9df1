//! One end-to-end binary: the API against real workerd + local D1, and the whole journey in headless
//! Chromium. Both share one `wrangler dev` started by the harness on first use.

mod api;
mod browser;
mod bulk;
mod contract;
mod fuzz;
mod lifecycle;
mod list;
mod plans;
mod sessions;
mod tenancy;
mod two_factor;
