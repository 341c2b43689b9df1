//! `make openapi`: writes the API description and its reference page, generated from
//! `domain::api` and the route table, where the worker serves them from
//! (`functions/openapi.json`, `functions/api-reference.html`). CI checks they are in step.

fn main() {
    let root = gatehouse_tests::harness::repo_root();
    for (file, text) in [
        ("functions/openapi.json", domain::openapi::json()),
        (
            "functions/api-reference.html",
            domain::openapi::reference_html(),
        ),
    ] {
        let path = root.join(file);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("wrote {file}");
    }
}
