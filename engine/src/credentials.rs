//! Credentials as each dialect takes them: the fields the connect form asks for, the headers
//! every call carries, and how they are shown. Secrets are masked wherever they are shown
//! ([`Credentials::masked_headers`], `Debug`); only the headers of a call carry them.

use crate::dialect::Dialect;
use crate::json::{Fields, FromJson, Read};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// One field of a dialect's credentials, as the connect form asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialField {
    /// The form input's id, and the field's name where a connection is remembered.
    pub id: &'static str,
    pub label: &'static str,
    /// Masked on screen and in previews (ADOC's access key is an id, not a secret).
    pub secret: bool,
    /// A line under the field, e.g. what kind of key is needed.
    pub hint: Option<&'static str>,
}

/// What the connected person typed, one value per field of the dialect, in its order.
#[derive(Clone, PartialEq, Serialize)]
pub struct Credentials {
    dialect: Dialect,
    values: Vec<String>,
}

impl Credentials {
    /// `values` in the order of the dialect's [`CredentialField`]s, trimmed; missing ones empty.
    pub fn new(dialect: Dialect, values: Vec<String>) -> Self {
        let count = dialect.api().credential_fields().len();
        let mut values: Vec<String> = values.into_iter().map(|v| v.trim().to_string()).collect();
        values.resize(count, String::new());
        Self { dialect, values }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The headers every call carries.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        self.dialect.api().auth_headers(&self.values)
    }

    /// The headers as a request preview shows them: ids in clear, secrets masked.
    pub fn masked_headers(&self) -> Vec<(&'static str, String)> {
        self.dialect.api().auth_headers(&self.masked())
    }

    /// What to ask for when a field is empty, in plain words; `None` when all are filled in.
    pub fn missing(&self) -> Option<&'static str> {
        self.values
            .iter()
            .any(String::is_empty)
            .then(|| self.dialect.api().missing_credentials())
    }

    fn masked(&self) -> Vec<String> {
        let api = self.dialect.api();
        api.credential_fields()
            .iter()
            .zip(&self.values)
            .map(|(field, value)| match field.secret {
                true => api.mask_secret(value),
                false => value.clone(),
            })
            .collect()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields = self.dialect.api().credential_fields();
        let mut out = f.debug_struct(self.dialect.as_str());
        for (field, value) in fields.iter().zip(self.masked()) {
            out.field(field.id, &value);
        }
        out.finish()
    }
}

/// The usual mask: nothing of the secret shown.
pub fn mask() -> String {
    "••••••••".to_string()
}

// Reading a remembered connection's credentials back: see `crate::json`.

crate::deserialize_from_json!(Credentials);

impl FromJson for Credentials {
    fn from_json(value: &Value) -> Read<Self> {
        let fields = Fields::of(value)?;
        let dialect: Dialect = fields.req("dialect")?;
        let values: Vec<String> = fields.req("values")?;
        if values.len() != dialect.api().credential_fields().len() {
            return Err("credentials of another shape");
        }
        Ok(Credentials { dialect, values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adoc_sends_its_two_keys_and_shows_only_the_access_key() {
        let credentials = Credentials::new(Dialect::Adoc, vec!["ak ".into(), " sk".into()]);
        assert_eq!(
            credentials.headers(),
            vec![
                ("accessKey", "ak".to_string()),
                ("secretKey", "sk".to_string())
            ]
        );
        assert_eq!(
            credentials.masked_headers(),
            vec![("accessKey", "ak".to_string()), ("secretKey", mask())]
        );
        assert!(
            !format!("{credentials:?}").contains("sk\""),
            "{credentials:?}"
        );
        assert_eq!(credentials.missing(), None);
        assert_eq!(
            Credentials::new(Dialect::Adoc, vec!["ak".into()]).missing(),
            Some("Enter both the access key and the secret key.")
        );
    }

    #[test]
    fn td_sends_its_key_and_shows_its_account_prefix_only() {
        let credentials = Credentials::new(Dialect::Td, vec!["1/abcdef".into()]);
        assert_eq!(
            credentials.headers(),
            vec![("Authorization", "TD1 1/abcdef".to_string())]
        );
        assert_eq!(
            credentials.masked_headers(),
            vec![("Authorization", "TD1 1/••••••••".to_string())]
        );
        assert!(!format!("{credentials:?}").contains("abcdef"));
        assert_eq!(
            Credentials::new(Dialect::Td, vec![]).missing(),
            Some("Enter the API key.")
        );
    }

    #[test]
    fn remembered_credentials_read_back_and_a_wrong_shape_is_refused() {
        let credentials = Credentials::new(Dialect::Td, vec!["1/abc".into()]);
        let written = serde_json::to_value(&credentials).unwrap();
        assert_eq!(Credentials::from_json(&written), Ok(credentials));
        let wrong = serde_json::json!({"dialect": "adoc", "values": ["only one"]});
        assert!(Credentials::from_json(&wrong).is_err());
    }
}
