//! Users: lookup, search, update and removal.

use std::collections::BTreeMap;

use offboard_engine::policy::AccountRole;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A person's custom attributes: each name maps to a list of values (Keycloak's shape).
pub type Attributes = BTreeMap<String, Vec<String>>;

/// A stored user.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub user_id: String,
    /// TD's numeric id.
    pub td_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub enabled: bool,
    pub account_role: AccountRole,
    pub scim_managed: bool,
    pub identity_provider: Option<String>,
    pub attributes: Attributes,
    pub created_on: String,
    pub updated_on: String,
    pub last_access_on: Option<String>,
}

macro_rules! user_select {
    () => {
        "SELECT user_id, td_id, email, first_name, last_name, enabled, account_role, \
         scim_managed, identity_provider, attributes, created_on, updated_on, last_access_on \
         FROM users"
    };
}

fn from_row(row: &AnyRow) -> Result<UserRow, sqlx::Error> {
    let role: String = row.try_get("account_role")?;
    let attributes: String = row.try_get("attributes")?;
    Ok(UserRow {
        user_id: row.try_get("user_id")?,
        td_id: row.try_get("td_id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        enabled: row.try_get::<i64, _>("enabled")? != 0,
        account_role: AccountRole::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown account role {role:?}").into()))?,
        scim_managed: row.try_get::<i64, _>("scim_managed")? != 0,
        identity_provider: row.try_get("identity_provider")?,
        attributes: serde_json::from_str(&attributes).map_err(|e| sqlx::Error::Decode(e.into()))?,
        created_on: row.try_get("created_on")?,
        updated_on: row.try_get("updated_on")?,
        last_access_on: row.try_get("last_access_on")?,
    })
}

pub async fn by_id(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(concat!(user_select!(), " WHERE user_id = $1"))
        .bind(user_id.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(concat!(user_select!(), " WHERE email = $1"))
        .bind(email.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The account owner (the first, should there ever be several).
pub async fn owner(conn: &mut AnyConnection) -> Result<Option<UserRow>, sqlx::Error> {
    let row = sqlx::query(concat!(
        user_select!(),
        " WHERE account_role = 'owner' ORDER BY td_id LIMIT 1"
    ))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Which users a directory query matches.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Case-insensitive substring of user id, email, first or last name.
    pub search: Option<String>,
    pub enabled: Option<bool>,
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Filter {
    /// The WHERE clause (parameters numbered from `$1`) and its values.
    fn clause(&self) -> (String, Vec<Bind>) {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        if let Some(search) = self.search.as_deref().filter(|s| !s.is_empty()) {
            binds.push(Bind::Text(format!(
                "%{}%",
                escape_like(&search.to_lowercase())
            )));
            let n = binds.len();
            conditions.push(format!(
                "(LOWER(user_id) LIKE ${n} ESCAPE '\\' OR LOWER(email) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(first_name) LIKE ${n} ESCAPE '\\' OR LOWER(last_name) LIKE ${n} ESCAPE '\\')"
            ));
        }
        if let Some(enabled) = self.enabled {
            binds.push(Bind::Int(i64::from(enabled)));
            conditions.push(format!("enabled = ${}", binds.len()));
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        (clause, binds)
    }
}

/// `%`, `_` and `\` match themselves in a search.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::Int(n) => query.bind(n),
        };
    }
    query
}

pub async fn count(conn: &mut AnyConnection, filter: &Filter) -> Result<i64, sqlx::Error> {
    let (clause, binds) = filter.clause();
    let sql = format!("SELECT COUNT(*) AS n FROM users{clause}");
    let row = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), binds)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("n")
}

/// One page of the matching users, ordered by email.
pub async fn page(
    conn: &mut AnyConnection,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Vec<UserRow>, sqlx::Error> {
    let (clause, binds) = filter.clause();
    let n = binds.len();
    let sql = format!(
        "{}{clause} ORDER BY email, user_id LIMIT ${} OFFSET ${}",
        user_select!(),
        n + 1,
        n + 2
    );
    let rows = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), binds)
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Every user, ordered by email (TD's list has no paging).
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<UserRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(user_select!(), " ORDER BY email, user_id"))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// Writes the editable fields of `user` (enabled, names, attributes, updated_on).
pub async fn update(conn: &mut AnyConnection, user: &UserRow) -> Result<(), sqlx::Error> {
    let attributes =
        serde_json::to_string(&user.attributes).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "UPDATE users SET enabled = $1, first_name = $2, last_name = $3, attributes = $4, \
         updated_on = $5 WHERE user_id = $6",
    )
    .bind(i64::from(user.enabled))
    .bind(user.first_name.clone())
    .bind(user.last_name.clone())
    .bind(attributes)
    .bind(user.updated_on.clone())
    .bind(user.user_id.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes the user and their memberships. Their keys must be deleted or reassigned first.
pub async fn delete(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM memberships WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM users WHERE user_id = $1")
        .bind(user_id.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
