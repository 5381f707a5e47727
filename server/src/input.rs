//! Reading request input (JSON bodies, query strings, TD form fields) with 400 messages that name
//! the offending field.
//!
//! Handlers parse bodies themselves instead of using axum's `Json`/`Query` extractors so that a
//! bad body is an ordinary [`AppError`] the handler can record as an `invalid` audit attempt.
//!
//! Text with a NUL character (U+0000) is refused here, on every backend: PostgreSQL cannot store
//! it (an insert or even a lookup fails), and no id, name or search of this API has one.

use serde::de::DeserializeOwned;

use crate::error::AppError;

fn located<E: std::fmt::Display>(err: serde_path_to_error::Error<E>) -> String {
    let path = err.path().to_string();
    if path == "." || path.is_empty() {
        err.inner().to_string()
    } else {
        format!("{path}: {}", err.inner())
    }
}

/// Parses a JSON body. The content type is not checked: the body is what matters, and curl
/// users forget the header.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest(
            "the request body is empty: expected a JSON object".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        if err.inner().is_syntax() || err.inner().is_eof() {
            AppError::BadRequest(format!(
                "the request body is not valid JSON: {}",
                err.inner()
            ))
        } else {
            AppError::BadRequest(format!("bad request body: {}", located(err)))
        }
    })?;
    de.end().map_err(|err| {
        AppError::BadRequest(format!("the request body is not valid JSON: {err}"))
    })?;
    if has_escaped_nul(body) {
        let at = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| nul_at(&v, String::new()))
            .filter(|at| !at.is_empty())
            .map(|at| format!("{at}: "))
            .unwrap_or_default();
        return Err(AppError::BadRequest(format!("bad request body: {at}{NUL}")));
    }
    Ok(value)
}

const NUL: &str = "text must not contain the NUL character (U+0000)";

/// Whether a valid JSON text has a string with `\u0000` in it. Outside strings valid JSON has
/// no backslash, and inside one each backslash starts an escape, so skipping escapes is exact.
fn has_escaped_nul(json: &[u8]) -> bool {
    let mut i = 0;
    while i < json.len() {
        if json[i] == b'\\' {
            if json[i + 1..].starts_with(b"u0000") {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The path (`a.b[2]`) of the first key or string of `value` with a NUL in it.
fn nul_at(value: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(text) => text.contains('\0').then_some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(n, item)| nul_at(item, format!("{at}[{n}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let here = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            if key.contains('\0') {
                Some(here)
            } else {
                nul_at(item, here)
            }
        }),
        _ => None,
    }
}

fn urlencoded<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, AppError> {
    for (name, value) in form_urlencoded::parse(bytes) {
        if name.contains('\0') || value.contains('\0') {
            return Err(AppError::BadRequest(format!("bad {what}: {name}: {NUL}")));
        }
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(bytes));
    serde_path_to_error::deserialize(de)
        .map_err(|err| AppError::BadRequest(format!("bad {what}: {}", located(err))))
}

/// Parses a query string (absent = empty).
pub fn query<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, AppError> {
    urlencoded(raw.unwrap_or("").as_bytes(), "query parameter")
}

/// Parses TD form fields, sent as an urlencoded body, in the query string, or both.
pub fn form<T: DeserializeOwned>(query: Option<&str>, body: &[u8]) -> Result<T, AppError> {
    let mut all = query.unwrap_or("").as_bytes().to_vec();
    if !body.is_empty() {
        if !all.is_empty() {
            all.push(b'&');
        }
        all.extend_from_slice(body);
    }
    urlencoded(&all, "form field")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Patch {
        #[allow(dead_code)]
        enabled: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Page {
        max: Option<u32>,
    }

    fn message(err: AppError) -> String {
        err.to_string()
    }

    #[test]
    fn json_errors_name_the_field() {
        assert!(message(json::<Patch>(br#"{"enabled":"no"}"#).unwrap_err()).contains("enabled"));
        assert!(message(json::<Patch>(br#"{"nope":1}"#).unwrap_err()).contains("nope"));
        assert!(message(json::<Patch>(b"enabled=false").unwrap_err()).contains("not valid JSON"));
        assert!(message(json::<Patch>(b"").unwrap_err()).contains("empty"));
        assert!(message(json::<Patch>(b"{} x").unwrap_err()).contains("not valid JSON"));
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Names {
            names: Vec<String>,
        }
        let err = message(json::<Names>(br#"{"names": ["a", "b\u0000c"]}"#).unwrap_err());
        assert!(err.contains("names[1]") && err.contains("NUL"), "{err}");
        // An escaped backslash followed by `u0000` is text, not a NUL.
        assert!(json::<Names>(br#"{"names": ["a\\u0000"]}"#).is_ok());
        let err = message(query::<Page>(Some("max=%00")).unwrap_err());
        assert!(err.contains("max") && err.contains("NUL"), "{err}");
        assert!(form::<Page>(None, b"max%00=1").is_err());
    }

    #[test]
    fn query_errors_name_the_parameter() {
        assert_eq!(
            query::<Page>(Some("max=5")).map(|p| p.max).ok(),
            Some(Some(5))
        );
        assert!(message(query::<Page>(Some("max=abc")).unwrap_err()).contains("max"));
        assert!(message(query::<Page>(Some("other=1")).unwrap_err()).contains("other"));
    }

    #[test]
    fn form_merges_query_and_body() {
        assert_eq!(
            form::<Page>(None, b"max=7").map(|p| p.max).ok(),
            Some(Some(7))
        );
        assert_eq!(
            form::<Page>(Some("max=7"), b"").map(|p| p.max).ok(),
            Some(Some(7))
        );
        assert!(form::<Page>(Some("max=7"), b"max=8").is_err());
    }
}
