//! The demo data of `docs/API.md` (`--demo`), loaded only into an empty database.
//!
//! Everything goes in one transaction with multi-row inserts, so 10,000 generated users load in
//! a few seconds. Fixed users have fixed times; generated users get varied names and last-access
//! times derived from their number, so sorting means something and reloads look the same. Only
//! secrets not named in the contract are random (they are never shown, so nobody needs them).

use serde_json::json;
use sqlx::{AnyConnection, Connection, Row};
use time::OffsetDateTime;

use crate::auth::{hash_secret, new_secret};
use crate::clock;
use crate::db::placeholders;
use crate::error::StartError;

/// A value for a batched insert.
enum Arg {
    Text(String),
    Int(i64),
    Null,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}
impl From<Option<String>> for Arg {
    fn from(s: Option<String>) -> Self {
        s.map_or(Arg::Null, Arg::Text)
    }
}

/// Rows for one table, inserted in chunks well under both databases' parameter limits.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Arg>>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Arg>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    async fn insert(self, conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
        const ROWS_PER_STATEMENT: usize = 400;
        let width = self.columns.len();
        for chunk in self.rows.chunks(ROWS_PER_STATEMENT) {
            let values = (0..chunk.len())
                .map(|i| format!("({})", placeholders(i * width + 1, width)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {values}",
                self.name,
                self.columns.join(", ")
            );
            // Table and column names are constants of this module; values are bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for arg in chunk.iter().flatten() {
                query = match arg {
                    Arg::Text(s) => query.bind(s.clone()),
                    Arg::Int(n) => query.bind(*n),
                    Arg::Null => query.bind(None::<String>),
                };
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }
}

const ROLES: [(&str, &str, &str, &[&str]); 5] = [
    (
        "administrator",
        "Administrator",
        "Manages users, keys and groups",
        &["users.manage", "keys.manage", "groups.manage"],
    ),
    (
        "data-engineer",
        "Data engineer",
        "Reads and writes datasets, runs queries",
        &["datasets.read", "datasets.write", "queries.run"],
    ),
    (
        "pipeline-owner",
        "Pipeline owner",
        "Owns and runs pipelines",
        &["pipelines.read", "pipelines.write", "pipelines.run"],
    ),
    (
        "prod-reader",
        "Production reader",
        "Reads production data",
        &["prod.read"],
    ),
    (
        "analyst",
        "Analyst",
        "Reads datasets and runs queries",
        &["datasets.read", "queries.run"],
    ),
];

const GROUPS: [(&str, &str, &str); 5] = [
    ("group-admins", "Administrators", "administrator"),
    ("group-data-eng", "Data Engineering", "data-engineer"),
    ("group-pipeline-owners", "Pipeline owners", "pipeline-owner"),
    ("group-prod-access", "Production access", "prod-reader"),
    ("group-analysts", "Analysts", "analyst"),
];

/// The data roles the heavy groups grant, in turn.
const DATA_ROLES: [&str; 4] = ["data-engineer", "pipeline-owner", "prod-reader", "analyst"];

/// A fixed demo user.
struct Person {
    id: &'static str,
    email: &'static str,
    first: &'static str,
    last: &'static str,
    role: &'static str,
    created: &'static str,
    last_access: &'static str,
    scim: Option<&'static str>,
    groups: &'static [&'static str],
    /// (access key, secret or None for random, type)
    keys: &'static [(&'static str, Option<&'static str>, &'static str)],
}

const PEOPLE: [Person; 6] = [
    Person {
        id: "user-owner",
        email: "owner@company.com",
        first: "Olivia",
        last: "Owner",
        role: "owner",
        created: "2021-01-04T09:00:00Z",
        last_access: "2024-12-05T08:45:00Z",
        scim: None,
        groups: &["group-admins"],
        keys: &[
            ("demo-owner-ak", Some("demo-owner-sk"), "MASTER"),
            ("td-owner-master", Some("1/demo-owner-master"), "MASTER"),
        ],
    },
    Person {
        id: "user-admin",
        email: "admin@company.com",
        first: "Adam",
        last: "Admin",
        role: "admin",
        created: "2021-06-01T09:00:00Z",
        last_access: "2024-12-05T08:30:00Z",
        scim: None,
        groups: &["group-admins"],
        keys: &[
            ("demo-admin-ak", Some("demo-admin-sk"), "MASTER"),
            ("td-admin-master", Some("1/demo-admin-master"), "MASTER"),
            ("td-admin-write", Some("1/demo-admin-write"), "WRITE_ONLY"),
        ],
    },
    Person {
        id: "user-admin2",
        email: "admin2@company.com",
        first: "Alice",
        last: "Admin",
        role: "admin",
        created: "2022-02-14T09:00:00Z",
        last_access: "2024-12-03T16:05:00Z",
        scim: None,
        groups: &["group-admins"],
        keys: &[
            ("demo-admin2-ak", Some("demo-admin2-sk"), "MASTER"),
            ("demo-admin2-wo", Some("demo-admin2-wo-sk"), "WRITE_ONLY"),
        ],
    },
    Person {
        id: "user-123",
        email: "first.last@company.com",
        first: "First",
        last: "Last",
        role: "restricted",
        created: "2023-03-01T09:00:00Z",
        last_access: "2024-12-04T17:12:00Z",
        scim: None,
        groups: &[
            "group-data-eng",
            "group-pipeline-owners",
            "group-prod-access",
        ],
        keys: &[
            ("AK-abc123", Some("demo-user123-sk-abc"), "MASTER"),
            ("AK-def456", Some("demo-user123-sk-def"), "WRITE_ONLY"),
        ],
    },
    Person {
        id: "user-456",
        email: "replacement@company.com",
        first: "Riley",
        last: "Replacement",
        role: "restricted",
        created: "2023-09-18T09:00:00Z",
        last_access: "2024-12-05T07:58:00Z",
        scim: None,
        groups: &["group-data-eng", "group-pipeline-owners"],
        keys: &[
            ("AK-rep001", Some("demo-user456-sk-1"), "MASTER"),
            ("AK-rep002", Some("demo-user456-sk-2"), "WRITE_ONLY"),
        ],
    },
    Person {
        id: "user-scim",
        email: "scim.user@company.com",
        first: "Sam",
        last: "Scim",
        role: "restricted",
        created: "2024-01-08T09:00:00Z",
        last_access: "2024-12-02T11:20:00Z",
        scim: Some("Okta"),
        groups: &["group-data-eng"],
        keys: &[
            ("AK-scim01", None, "MASTER"),
            ("AK-scim02", None, "WRITE_ONLY"),
        ],
    },
];

const FIRST_NAMES: [&str; 24] = [
    "Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wei", "Yara",
];
const LAST_NAMES: [&str; 23] = [
    "Andersen", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi",
    "Schmidt", "Tanaka", "Usman", "Varga", "Weber",
];
const DEPARTMENTS: [&str; 5] = [
    "Data Engineering",
    "Analytics",
    "Finance",
    "Marketing",
    "Sales",
];

/// Loads the demo data unless the database already has users.
/// Which demo data set a server loads. Two servers, one of each, stand for two platforms of
/// one company: the named people (owner, admins, `user-123`, the replacement, the SCIM user)
/// are in both; `user-heavy` and the `user.NNNN` people only in the main set; the `eu.NNNN`
/// people only in the second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSet {
    #[default]
    Main,
    Second,
}

/// What each generated user holds: a benchmark of bulk offboarding asks for more than the
/// demo's two keys and one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedAccess {
    pub keys: usize,
    pub groups: usize,
}

impl GeneratedAccess {
    /// The demo's own: two keys and one group each.
    pub const DEMO: GeneratedAccess = GeneratedAccess { keys: 2, groups: 1 };
}

impl Default for GeneratedAccess {
    fn default() -> Self {
        GeneratedAccess::DEMO
    }
}

pub async fn load_if_empty(
    conn: &mut AnyConnection,
    generated_users: usize,
    access: GeneratedAccess,
    set: DemoSet,
) -> Result<(), StartError> {
    let users: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(&mut *conn)
        .await?
        .try_get("n")?;
    if users > 0 {
        tracing::info!("the database already has users: demo data not loaded");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut tx = conn.begin().await?;
    load(&mut tx, generated_users, access, set).await?;
    tx.commit().await?;
    tracing::info!(
        generated_users,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data loaded"
    );
    Ok(())
}

/// `minutes` after 2024-01-01T00:00:00Z, formatted.
fn minutes_after_2024(minutes: i64) -> String {
    const JAN_1_2024: i64 = 1_704_067_200;
    let at = OffsetDateTime::from_unix_timestamp(JAN_1_2024 + minutes * 60)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    clock::format(at)
}

/// One user row to insert.
struct UserSeed<'a> {
    id: &'a str,
    td_id: i64,
    email: &'a str,
    first: &'a str,
    last: &'a str,
    role: &'a str,
    scim: Option<&'a str>,
    attributes: serde_json::Value,
    created: &'a str,
    last_access: &'a str,
}

impl UserSeed<'_> {
    fn row(self) -> Vec<Arg> {
        vec![
            self.id.into(),
            self.td_id.into(),
            self.email.into(),
            self.first.into(),
            self.last.into(),
            1i64.into(),
            self.role.into(),
            i64::from(self.scim.is_some()).into(),
            self.scim.map(str::to_owned).into(),
            self.attributes.to_string().into(),
            self.created.into(),
            self.created.into(),
            Some(self.last_access.to_owned()).into(),
        ]
    }
}

async fn load(
    conn: &mut AnyConnection,
    generated_users: usize,
    access: GeneratedAccess,
    set: DemoSet,
) -> Result<(), sqlx::Error> {
    let mut roles = Table::new("roles", &["role_id", "name", "description"]);
    let mut permissions = Table::new("role_permissions", &["role_id", "permission"]);
    for (id, name, description, perms) in ROLES {
        roles.push(vec![id.into(), name.into(), description.into()]);
        for perm in perms {
            permissions.push(vec![id.into(), (*perm).into()]);
        }
    }
    let mut groups = Table::new(
        "access_groups",
        &["group_id", "name", "description", "role_id"],
    );
    for (id, name, role) in GROUPS {
        groups.push(vec![
            id.into(),
            name.into(),
            format!("Members get the {role} role").into(),
            role.into(),
        ]);
    }
    for n in 1..=50 {
        let role = DATA_ROLES[(n - 1) % DATA_ROLES.len()];
        groups.push(vec![
            format!("group-heavy-{n:02}").into(),
            format!("Heavy group {n:02}").into(),
            format!("Members get the {role} role").into(),
            role.into(),
        ]);
    }

    let mut users = Table::new(
        "users",
        &[
            "user_id",
            "td_id",
            "email",
            "first_name",
            "last_name",
            "enabled",
            "account_role",
            "scim_managed",
            "identity_provider",
            "attributes",
            "created_on",
            "updated_on",
            "last_access_on",
        ],
    );
    let mut members = Table::new("memberships", &["user_id", "group_id"]);
    let mut keys = Table::new(
        "api_keys",
        &[
            "access_key",
            "user_id",
            "key_type",
            "secret_hash",
            "description",
            "created_at",
            "valid_till",
        ],
    );
    let key_row =
        |access_key: String, user_id: &str, secret: String, key_type: &str, created: String| {
            let description = if key_type == "MASTER" {
                "Master key"
            } else {
                "Write-only key"
            };
            vec![
                access_key.into(),
                user_id.into(),
                key_type.into(),
                hash_secret(&secret).into(),
                description.into(),
                created.into(),
                Arg::Null,
            ]
        };

    let mut td_id = 0i64;
    for person in &PEOPLE {
        td_id += 1;
        let attributes = if person.id == "user-123" {
            json!({"department": ["Data Engineering"], "location": ["Berlin"]})
        } else {
            json!({})
        };
        users.push(
            UserSeed {
                id: person.id,
                td_id,
                email: person.email,
                first: person.first,
                last: person.last,
                role: person.role,
                scim: person.scim,
                attributes,
                created: person.created,
                last_access: person.last_access,
            }
            .row(),
        );
        for group in person.groups {
            members.push(vec![person.id.into(), (*group).into()]);
        }
        for (i, (access_key, secret, key_type)) in person.keys.iter().enumerate() {
            let secret = secret.map_or_else(|| new_secret(None), str::to_owned);
            let created = person
                .created
                .replace("T09:00:00Z", &format!("T09:{:02}:00Z", i + 1));
            keys.push(key_row(
                (*access_key).to_owned(),
                person.id,
                secret,
                key_type,
                created,
            ));
        }
    }

    // user-heavy: 200 keys and 50 groups, the performance case (the main set only).
    let heavy = set == DemoSet::Main;
    td_id += 1;
    if heavy {
        users.push(
            UserSeed {
                id: "user-heavy",
                td_id,
                email: "heavy@company.com",
                first: "Harper",
                last: "Heavy",
                role: "restricted",
                scim: None,
                attributes: json!({"department": ["Platform"]}),
                created: "2022-05-02T09:00:00Z",
                last_access: "2024-12-05T06:10:00Z",
            }
            .row(),
        );
        for n in 1..=50 {
            members.push(vec![
                "user-heavy".into(),
                format!("group-heavy-{n:02}").into(),
            ]);
        }
        for n in 1..=200i64 {
            let key_type = if n == 2 { "WRITE_ONLY" } else { "MASTER" };
            let created = minutes_after_2024(n * 60);
            keys.push(key_row(
                format!("AK-heavy-{n:03}"),
                "user-heavy",
                new_secret(None),
                key_type,
                created,
            ));
        }
    }

    // Generated users: user-gen-0001 … (user.0001@company.com), or in the second set
    // user-eu-0001 … (eu.0001@company.com), with varied names, departments and last access.
    let (id_prefix, email_prefix, key_prefix) = match set {
        DemoSet::Main => ("user-gen", "user", "AK-gen"),
        DemoSet::Second => ("user-eu", "eu", "AK-eu"),
    };
    let width = generated_users.to_string().len().max(4);
    for n in 1..=generated_users {
        td_id += 1;
        let number = format!("{n:0width$}");
        let id = format!("{id_prefix}-{number}");
        let first = FIRST_NAMES[n % FIRST_NAMES.len()];
        let last = LAST_NAMES[(n * 7) % LAST_NAMES.len()];
        let i = n as i64;
        let created = minutes_after_2024(-(i * 9_973) % 1_000_000);
        let last_access = minutes_after_2024(480_000 + (i * 7_919) % 48_000);
        users.push(
            UserSeed {
                id: &id,
                td_id,
                email: &format!("{email_prefix}.{number}@company.com"),
                first,
                last,
                role: "restricted",
                scim: None,
                attributes: json!({"department": [DEPARTMENTS[n % DEPARTMENTS.len()]]}),
                created: &created,
                last_access: &last_access,
            }
            .row(),
        );
        let group = if n % 2 == 0 {
            "group-analysts"
        } else {
            "group-data-eng"
        };
        // Beyond the first group, the heavy groups in turn (a benchmark's three each).
        let groups = std::iter::once(group.to_string())
            .chain((0..50).map(|j| format!("group-heavy-{:02}", (n + j) % 50 + 1)))
            .take(access.groups);
        for group in groups {
            members.push(vec![id.clone().into(), group.into()]);
        }
        // A master and a write-only key, then more alternating (`-k3`, `-k4` …).
        for k in 1..=access.keys {
            let (suffix, key_type) = match k {
                1 => ("m".to_string(), "MASTER"),
                2 => ("w".to_string(), "WRITE_ONLY"),
                k if k % 2 == 1 => (format!("k{k}"), "MASTER"),
                k => (format!("k{k}"), "WRITE_ONLY"),
            };
            keys.push(key_row(
                format!("{key_prefix}-{number}-{suffix}"),
                &id,
                new_secret(None),
                key_type,
                created.clone(),
            ));
        }
    }

    let mut pipelines = Table::new(
        "pipelines",
        &["id", "uid", "name", "description", "owner_email"],
    );
    for (id, uid, name, description, owner) in [
        (
            1i64,
            "pl-daily-sales",
            "Daily sales rollup",
            "Aggregates yesterday's sales by region",
            "first.last@company.com",
        ),
        (
            2,
            "pl-customer-360",
            "Customer 360 sync",
            "Joins CRM and product events per customer",
            "first.last@company.com",
        ),
        (
            3,
            "pl-marketing-attribution",
            "Marketing attribution",
            "Attributes conversions to campaigns",
            "replacement@company.com",
        ),
    ] {
        pipelines.push(vec![
            id.into(),
            uid.into(),
            name.into(),
            description.into(),
            owner.into(),
        ]);
    }

    // Referenced tables first.
    roles.insert(conn).await?;
    permissions.insert(conn).await?;
    groups.insert(conn).await?;
    users.insert(conn).await?;
    members.insert(conn).await?;
    keys.insert(conn).await?;
    pipelines.insert(conn).await?;
    Ok(())
}
