//! Who is calling: API-key authentication for both dialects, and key material.
//!
//! ADOC sends the public id and the secret (`accessKey`, `secretKey` headers); TD sends the
//! secret alone (`Authorization: TD1 <key>`); the audit endpoints accept either. Secrets are
//! stored only as SHA-256 hex, so TD keys are found by the hash of what was sent. The key and
//! its user are checked on **every** request (no session, no cache), so a disabled or deleted
//! user's keys fail with 401 on the very next request.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use offboard_engine::policy::AccountRole;
use rand::RngExt;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::keys::KeyType;

/// An authenticated caller: the key used and the user it belongs to.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub email: String,
    pub role: AccountRole,
    /// The public id of the key used (never the secret).
    pub access_key: String,
    pub key_type: KeyType,
}

/// Which credentials an endpoint takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Adoc,
    Td,
    Either,
}

impl Scheme {
    fn for_path(path: &str) -> Scheme {
        if path.starts_with("/v3/") {
            Scheme::Td
        } else if path.starts_with("/audit/") {
            Scheme::Either
        } else {
            Scheme::Adoc
        }
    }
}

enum Credentials {
    /// ADOC: public id and secret.
    Pair { access_key: String, secret: String },
    /// TD: the secret alone.
    Secret(String),
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn adoc_credentials(headers: &HeaderMap) -> Result<Option<Credentials>, AppError> {
    match (header(headers, "accesskey"), header(headers, "secretkey")) {
        (None, None) => Ok(None),
        (Some(access_key), Some(secret)) => Ok(Some(Credentials::Pair {
            access_key: access_key.to_owned(),
            secret: secret.to_owned(),
        })),
        (Some(_), None) => Err(AppError::Unauthorized(
            "the secretKey header is missing".into(),
        )),
        (None, Some(_)) => Err(AppError::Unauthorized(
            "the accessKey header is missing".into(),
        )),
    }
}

fn td_credentials(headers: &HeaderMap) -> Result<Option<Credentials>, AppError> {
    let Some(value) = header(headers, "authorization") else {
        return Ok(None);
    };
    match value.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("TD1") && !key.trim().is_empty() => {
            Ok(Some(Credentials::Secret(key.trim().to_owned())))
        }
        _ => Err(AppError::Unauthorized(
            "malformed Authorization header: expected `TD1 <API key>`".into(),
        )),
    }
}

fn credentials(headers: &HeaderMap, scheme: Scheme) -> Result<Credentials, AppError> {
    let found = match scheme {
        Scheme::Adoc => adoc_credentials(headers)?,
        Scheme::Td => td_credentials(headers)?,
        Scheme::Either => match td_credentials(headers)? {
            Some(credentials) => Some(credentials),
            None => adoc_credentials(headers)?,
        },
    };
    found.ok_or_else(|| {
        AppError::Unauthorized(
            match scheme {
                Scheme::Adoc => "missing credentials: send the accessKey and secretKey headers",
                Scheme::Td => "missing credentials: send `Authorization: TD1 <API key>`",
                Scheme::Either => {
                    "missing credentials: send the accessKey and secretKey headers, or `Authorization: TD1 <API key>`"
                }
            }
            .to_owned(),
        )
    })
}

/// SHA-256 hex of a secret, as stored.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes without an early exit, so timing does not reveal how much matched.
fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill(&mut buf[..]);
    hex::encode(buf)
}

/// A new public key id, e.g. `AK-3f9a0c12d4e5`.
pub fn new_access_key() -> String {
    format!("AK-{}", random_hex(6))
}

/// A new secret: 160 random bits. TD-style secrets carry the user's numeric id as a prefix, as
/// TD keys do (`12/…`).
pub fn new_secret(td_prefix: Option<i64>) -> String {
    match td_prefix {
        Some(id) => format!("{id}/{}", random_hex(20)),
        None => random_hex(20),
    }
}

const KEY_AND_USER: &str = "SELECT k.access_key, k.key_type, k.secret_hash, k.valid_till, \
     u.user_id, u.email, u.account_role, u.enabled \
     FROM api_keys k JOIN users u ON u.user_id = k.user_id";

/// Checks the credentials of a request against the store.
async fn authenticate(
    app: &AppState,
    headers: &HeaderMap,
    scheme: Scheme,
) -> Result<Caller, AppError> {
    let invalid = || AppError::Unauthorized("invalid API key".into());
    let (row, secret_hash) = match credentials(headers, scheme)? {
        Credentials::Pair { access_key, secret } => {
            let sql = format!("{KEY_AND_USER} WHERE k.access_key = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(access_key)
                .fetch_optional(&app.pool)
                .await?;
            (row, hash_secret(&secret))
        }
        Credentials::Secret(secret) => {
            let secret_hash = hash_secret(&secret);
            let sql = format!("{KEY_AND_USER} WHERE k.secret_hash = $1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(secret_hash.clone())
                .fetch_optional(&app.pool)
                .await?;
            (row, secret_hash)
        }
    };
    let row = row.ok_or_else(invalid)?;
    let stored: String = row.try_get("secret_hash")?;
    if !same_hash(&stored, &secret_hash) {
        return Err(invalid());
    }
    let valid_till: Option<String> = row.try_get("valid_till")?;
    if valid_till.as_deref().is_some_and(clock::is_past) {
        return Err(AppError::Unauthorized("this API key has expired".into()));
    }
    let enabled: i64 = row.try_get("enabled")?;
    if enabled == 0 {
        return Err(AppError::Unauthorized(
            "the user of this API key is disabled".into(),
        ));
    }
    let role: String = row.try_get("account_role")?;
    let key_type: String = row.try_get("key_type")?;
    Ok(Caller {
        user_id: row.try_get("user_id")?,
        email: row.try_get("email")?,
        role: AccountRole::parse(&role)
            .ok_or_else(|| AppError::Internal(format!("unknown account role {role:?}")))?,
        access_key: row.try_get("access_key")?,
        key_type: KeyType::parse(&key_type)
            .ok_or_else(|| AppError::Internal(format!("unknown key type {key_type:?}")))?,
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, AppError> {
        authenticate(app, &parts.headers, Scheme::for_path(parts.uri.path())).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_hex() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same_hash("ab", "ab"));
        assert!(!same_hash("ab", "ac"));
        assert!(!same_hash("ab", "abc"));
    }

    #[test]
    fn new_keys_have_their_shapes() {
        assert!(new_access_key().starts_with("AK-"));
        assert_eq!(new_secret(None).len(), 40);
        assert!(new_secret(Some(12)).starts_with("12/"));
    }

    #[test]
    fn td_header_needs_the_td1_scheme() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer x".parse().expect("header"));
        assert!(td_credentials(&headers).is_err());
        headers.insert("authorization", "TD1 1/abc".parse().expect("header"));
        assert!(
            matches!(td_credentials(&headers), Ok(Some(Credentials::Secret(s))) if s == "1/abc")
        );
    }
}
