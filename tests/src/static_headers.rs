//! The static files' headers (`app/_headers`, applied by Workers static assets, where the worker
//! does not run) must be the hardening list of `domain::headers`, with the app's CSP.

#[cfg(test)]
mod tests {
    /// The headers of `app/_headers`' `/*` block that lists the Content-Security-Policy.
    fn every_file_headers() -> Vec<(String, String)> {
        let text = std::fs::read_to_string(crate::harness::repo_root().join("app/_headers"))
            .expect("read app/_headers");
        let mut blocks: Vec<Vec<(String, String)>> = Vec::new();
        let mut in_all = false;
        for line in text.lines() {
            if line.trim_start().starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ') {
                in_all = line.trim() == "/*";
                if in_all {
                    blocks.push(Vec::new());
                }
                continue;
            }
            if let (true, Some((name, value))) = (in_all, line.trim().split_once(':')) {
                if let Some(block) = blocks.last_mut() {
                    block.push((name.trim().to_lowercase(), value.trim().to_owned()));
                }
            }
        }
        blocks
            .into_iter()
            .find(|b| b.iter().any(|(n, _)| n == "content-security-policy"))
            .expect("a /* block with the CSP")
    }

    #[test]
    fn the_static_files_carry_every_hardening_header_of_the_worker() {
        let found = every_file_headers();
        let value = |name: &str| {
            found
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        for (name, wanted) in domain::headers::HARDENING {
            assert_eq!(value(name), Some(wanted), "app/_headers: {name}");
        }
        assert_eq!(
            value("content-security-policy"),
            Some(domain::headers::APP_CSP)
        );
    }
}
