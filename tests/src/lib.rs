//! Gatehouse's end-to-end test kit: a real workerd (`wrangler dev`) with a fresh local D1, headless
//! Chromium through ChromeDriver, user-level helpers, and the seed generator `make dev` uses too.

pub mod audit_actions;
pub mod harness;
pub mod seed;
pub mod static_headers;
