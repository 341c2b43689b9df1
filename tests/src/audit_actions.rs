//! The worker writes audit actions as string keys; the app labels them from `domain::audit`.
//! This check reads the worker's source so a new key cannot ship without its label.

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&path).expect("read source"));
            }
        }
    }

    /// `"family.action"` and `'family.action'` literals of the audit families.
    fn action_keys(text: &str) -> Vec<String> {
        let families = [
            "invitation",
            "session",
            "password",
            "account",
            "client",
            "role",
            "two_factor",
        ];
        let mut keys = Vec::new();
        for quote in ['"', '\''] {
            for piece in text.split(quote).skip(1).step_by(2) {
                let Some((family, rest)) = piece.split_once('.') else {
                    continue;
                };
                if families.contains(&family)
                    && !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    keys.push(piece.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_action_the_worker_records_has_a_label() {
        let root = crate::harness::repo_root().join("functions/src");
        let mut files = Vec::new();
        sources(&root, &mut files);
        let mut found = 0;
        for text in &files {
            for key in action_keys(text) {
                found += 1;
                assert!(
                    domain::audit::is_known(&key),
                    "the worker records {key:?}, which domain::audit::ACTIONS does not label"
                );
            }
        }
        assert!(found > 25, "the worker's actions were found ({found})");
    }
}
