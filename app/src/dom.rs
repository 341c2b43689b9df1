//! The few browser APIs the app touches outside the view tree, each failing quietly: a browser that
//! blocks storage still gets a working app, just without a remembered language.

use wasm_bindgen::JsCast;

/// A value from `localStorage`, if storage is available and holds it.
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Writes to `localStorage`; ignored when storage is blocked or full.
pub fn store(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// The browser's preferred language tag (`navigator.language`), e.g. `de-AT`.
pub fn browser_language() -> Option<String> {
    web_sys::window()?.navigator().language()
}

/// Sets `<html lang>`, so screen readers pronounce the page in the language shown.
pub fn set_document_language(tag: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", tag);
    }
}

/// Moves keyboard focus to the element with this id (the first invalid field, the main region).
pub fn focus_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Sets the document's title (what the tab and screen readers announce for the page).
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

/// Offers `content` as a file download named `name` (a Blob URL clicked through a hidden link).
pub fn download(name: &str, mime: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Base64 of ASCII or Latin-1 bytes (`window.btoa`), for a `data:` address.
pub fn base64(bytes: &[u8]) -> String {
    let latin1: String = bytes.iter().map(|b| char::from(*b)).collect();
    web_sys::window()
        .and_then(|w| w.btoa(&latin1).ok())
        .unwrap_or_default()
}
