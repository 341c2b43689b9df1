//! The published contract: `functions/openapi.json` is what `domain::openapi` generates from the
//! code, it describes every route of the route table (local-mode ones aside) with its access rule,
//! and the worker serves it and its reference page.

use domain::routes::{Access, ROUTES};
use gatehouse_tests::harness::{repo_root, Api};
use serde_json::Value;

fn committed(file: &str) -> String {
    std::fs::read_to_string(repo_root().join(file)).expect("committed description")
}

#[test]
fn the_committed_description_and_page_are_generated_from_the_code() {
    assert!(
        committed("functions/openapi.json") == domain::openapi::json()
            && committed("functions/api-reference.html") == domain::openapi::reference_html(),
        "functions/openapi.json or api-reference.html is out of step with domain::api and the route table: run `make openapi`"
    );
}

#[test]
fn every_published_route_is_described_with_its_access_and_error_shape() {
    let doc: Value = serde_json::from_str(&domain::openapi::json()).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut published = 0;
    for route in ROUTES {
        if route.access == Access::LocalDev {
            assert!(
                doc["paths"][route.path].is_null(),
                "{} is local-only",
                route.path
            );
            continue;
        }
        published += 1;
        let op = &doc["paths"][route.path][route.method.as_str().to_ascii_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is not described",
            route.method.as_str(),
            route.path
        );
        assert_eq!(op["summary"].as_str(), Some(route.summary));
        let description = op["description"].as_str().unwrap_or_default();
        if let Access::Permission { permission, .. } = route.access {
            assert!(
                description.contains(permission.as_str()),
                "{}: {description}",
                route.path
            );
            assert!(
                op["responses"]["403"].is_object(),
                "{}: 403 described",
                route.path
            );
        }
        assert_eq!(
            op["responses"]["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError",
            "{}: the error shape",
            route.path
        );
    }
    assert_eq!(domain::openapi::described().len(), published);
    // every request body comes with an example of it
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            let body = &op["requestBody"]["content"]["application/json"];
            if body.is_object() {
                assert!(body["example"].is_object(), "{method} {path}: no example");
            }
        }
    }
    // every referenced schema exists
    let text = domain::openapi::json();
    for piece in text.split("\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap_or_default();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "missing schema {name}"
        );
    }
}

#[tokio::test]
async fn the_worker_serves_the_description_and_its_reference_page() {
    let mut visitor = Api::new();
    let json = visitor.get("/api/openapi.json").await;
    assert_eq!(json.status, 200);
    let served: Value = json.body;
    let generated: Value = serde_json::from_str(&domain::openapi::json()).expect("json");
    assert_eq!(
        served, generated,
        "the worker serves the committed description"
    );
    let page = reqwest::get(format!("{}/api/reference", visitor.base))
        .await
        .expect("reference page");
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    let html = page.text().await.expect("html");
    assert!(
        html.contains("<h1>Gatehouse API reference</h1>")
            && html.contains("POST /api/clients/{client}/invitations")
    );
}
