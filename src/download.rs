//! Saving a file from the browser: a Blob behind a temporary link.

use wasm_bindgen::JsCast;

/// Offers `content` as a download named `file_name`. Returns false if the browser refused.
pub fn save(file_name: &str, mime: &str, content: &str) -> bool {
    try_save(file_name, mime, content).is_some()
}

fn try_save(file_name: &str, mime: &str, content: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The click has started the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}

/// Opens the browser's print dialog (the print stylesheet lays the page out for A4).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
