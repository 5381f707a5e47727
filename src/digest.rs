//! SHA-256 by the browser's own Web Crypto (`crypto.subtle.digest`): the digest a printed report
//! carries of its JSON file, without a hashing crate in the wasm.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The lowercase hex SHA-256 of `text` as UTF-8 (what `sha256sum` prints for the file), or
/// `None` where the browser offers no Web Crypto: it does so only on a page served over HTTPS
/// or from this machine.
pub async fn sha256_hex(text: &str) -> Option<String> {
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", text.as_bytes())
        .ok()?;
    let buffer = JsFuture::from(promise).await.ok()?;
    let bytes = js_sys::Uint8Array::new(buffer.dyn_ref::<js_sys::ArrayBuffer>()?).to_vec();
    Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}
