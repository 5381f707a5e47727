//! Bulk offboarding's input: a CSV of people, read and checked before anything runs, then each
//! row previewed against the platform (who it is, and whether it may run).
//!
//! Columns (a header row, any order, any case): `email` or `user_id` (one of them per row),
//! and optionally `reason`, `handed_off_to`, `mode` (`disable`, the default: the guided steps;
//! `emergency`; `delete`) and, for Treasure Data, `api_keys` (`delete` or `reassign:<email>`).
//! An unknown column is refused rather than ignored: a misspelt `reason` must not silently
//! offboard people without one.

use crate::dialect::KeyDisposal;
use crate::model::User;
use crate::policy::{self, Account, AccountRole};
use std::collections::{BTreeMap, BTreeSet};

/// What a row asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkMode {
    /// The guided steps: document, disable, revoke, remove groups, verify, hand over.
    Disable,
    Emergency,
    Delete,
}

impl BulkMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BulkMode::Disable => "disable",
            BulkMode::Emergency => "emergency",
            BulkMode::Delete => "delete",
        }
    }
}

/// One person to offboard, as the CSV asks.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRow {
    /// The line of the file (1 is the header), so every message can point at it.
    pub line: usize,
    /// The email or user id given.
    pub who: String,
    pub reason: String,
    pub handed_off_to: Option<String>,
    pub mode: BulkMode,
    pub keys: KeyDisposal,
    /// What is wrong with the row itself (a bad value, the same person twice); empty when
    /// nothing is.
    pub problems: Vec<String>,
}

const COLUMNS: [&str; 6] = [
    "email",
    "user_id",
    "reason",
    "handed_off_to",
    "mode",
    "api_keys",
];

/// Reads the CSV. An `Err` is a file that cannot be read as rows at all (no header with
/// `email` or `user_id`, an unknown column, an unclosed quote); a row that is wrong carries its
/// problems instead, so one bad line does not hide the rest.
pub fn parse(text: &str) -> Result<Vec<BulkRow>, String> {
    let records = records(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    let mut lines = records.into_iter();
    let Some((_, header)) = lines.next() else {
        return Err(
            "The file is empty: it needs a header row naming the columns, e.g. email,reason."
                .into(),
        );
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if let Some(unknown) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(format!(
            "Unknown column \u{201c}{unknown}\u{201d}: the columns are {}.",
            COLUMNS.join(", ")
        ));
    }
    if !header.iter().any(|h| h == "email" || h == "user_id") {
        return Err("The header needs an email or a user_id column.".into());
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let mut rows: Vec<BulkRow> = Vec::new();
    for (line, fields) in lines {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cell = |name: &str| {
            column(name)
                .and_then(|i| fields.get(i))
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty())
        };
        let mut problems = Vec::new();
        if fields.len() != header.len() {
            problems.push(format!(
                "has {} fields where the header has {}",
                fields.len(),
                header.len()
            ));
        }
        let who = cell("email")
            .or_else(|| cell("user_id"))
            .unwrap_or_default();
        if who.is_empty() {
            problems.push("names no one: give an email or a user_id".into());
        }
        let mode = match cell("mode").as_deref() {
            None | Some("disable") => Some(BulkMode::Disable),
            Some("emergency") => Some(BulkMode::Emergency),
            Some("delete") => Some(BulkMode::Delete),
            Some(other) => {
                problems.push(format!(
                    "mode \u{201c}{other}\u{201d} is not disable, emergency or delete"
                ));
                None
            }
        };
        let keys = match cell("api_keys").as_deref() {
            None | Some("delete") => KeyDisposal::Delete,
            Some(other) => match other.strip_prefix("reassign:") {
                Some(email) if email.contains('@') => {
                    KeyDisposal::Reassign(Some(email.trim().to_string()))
                }
                _ => {
                    problems.push(format!(
                        "api_keys \u{201c}{other}\u{201d} is not delete or reassign:<email>"
                    ));
                    KeyDisposal::Delete
                }
            },
        };
        let reason = cell("reason").unwrap_or_default();
        if mode == Some(BulkMode::Disable) && reason.is_empty() {
            problems.push("gives no reason, which mode disable records on the account".into());
        }
        let handed_off_to = cell("handed_off_to");
        if let Some(to) = &handed_off_to
            && !to.contains('@')
        {
            problems.push(format!(
                "handed_off_to \u{201c}{to}\u{201d} is not an email"
            ));
        }
        if let Some(first) = rows
            .iter()
            .find(|row| !who.is_empty() && row.who.eq_ignore_ascii_case(&who))
        {
            problems.push(format!("names the same person as line {}", first.line));
        }
        rows.push(BulkRow {
            line,
            who,
            reason,
            handed_off_to,
            mode: mode.unwrap_or(BulkMode::Disable),
            keys,
            problems,
        });
    }
    if rows.is_empty() {
        return Err("The file has a header but no one in it.".into());
    }
    Ok(rows)
}

/// RFC 4180 records with their line numbers: fields split on commas, quoted fields may hold
/// commas, line breaks and doubled quotes; LF or CRLF ends a record.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let (mut line, mut record_line) = (1, 1);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut fields)));
                line += 1;
                record_line = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "A quote opened on line {record_line} is never closed."
        ));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((record_line, fields));
    }
    Ok(records)
}

/// Why a row will not run, found once the platform has been asked about it.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    /// The row itself is wrong (see [`BulkRow::problems`]).
    Invalid(String),
    /// No such person on the platform.
    Unknown,
    /// The rules forbid it (self, the owner, an admin changing an admin).
    Refused(String),
    /// The replacement named is not on the platform.
    ReplacementUnknown(String),
    /// The replacement is leaving too (in this same file).
    ReplacementLeaving { email: String, line: usize },
    /// The platform keeps no one's keys (ADOC): `api_keys` can only be `delete`.
    CannotReassign,
    /// The keys' new owner is not on the platform.
    HeirUnknown(String),
    /// Reassigned, the keys would act with a stronger role than their owner's, and that was
    /// not accepted.
    KeysWouldEscalate { to: String, role: AccountRole },
}

/// What the rows are checked against besides the people themselves.
pub struct Checks<'a> {
    /// Who is connected (for the rules).
    pub actor: Option<&'a User>,
    /// Whether the platform can keep a person's keys under someone else (Treasure Data).
    pub reassigns_keys: bool,
    /// Keys may move to a stronger role (the operator accepted it).
    pub accept_escalation: bool,
}

/// What a row will do, or why it will not; SCIM-managed people run, with a note of what is
/// left to their identity provider.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPreview {
    pub row: BulkRow,
    pub person: Option<User>,
    pub flags: Vec<Flag>,
    /// "Managed by Okta through SCIM: …", where it applies.
    pub note: Option<String>,
}

impl RowPreview {
    pub fn runs(&self) -> bool {
        self.flags.is_empty()
    }
}

impl Flag {
    pub fn describe(&self) -> String {
        match self {
            Flag::Invalid(problem) => format!("The row {problem}."),
            Flag::Unknown => "No such person on this platform.".into(),
            Flag::Refused(why) => why.clone(),
            Flag::ReplacementUnknown(email) => {
                format!("The replacement {email} is not on this platform.")
            }
            Flag::ReplacementLeaving { email, line } => {
                format!("The replacement {email} is leaving too (line {line}).")
            }
            Flag::CannotReassign => {
                "This platform cannot keep a leaver's API keys: use api_keys delete.".into()
            }
            Flag::HeirUnknown(email) => {
                format!("The keys' new owner {email} is not on this platform.")
            }
            Flag::KeysWouldEscalate { to, role } => format!(
                "Reassigned to {to}, the keys would act with the {role} role: accept that first."
            ),
        }
    }
}

/// Everyone the rows name and the platform must be asked about: the people, their
/// replacements and the new owners of reassigned keys, each once.
pub fn named(rows: &[BulkRow]) -> Vec<String> {
    let named: BTreeSet<String> = rows
        .iter()
        .flat_map(|row| {
            let heir = match &row.keys {
                KeyDisposal::Reassign(Some(heir)) => Some(heir.clone()),
                _ => None,
            };
            [Some(row.who.clone()), row.handed_off_to.clone(), heir]
        })
        .flatten()
        .filter(|who| !who.is_empty())
        .collect();
    named.into_iter().collect()
}

/// [`preview`] from what the platform said of everyone [`named`] (`None`: no such person).
pub fn preview_found(
    rows: &[BulkRow],
    found: &BTreeMap<String, Option<User>>,
    checks: &Checks<'_>,
) -> Vec<RowPreview> {
    let people: Vec<Option<User>> = rows
        .iter()
        .map(|row| found.get(&row.who).cloned().flatten())
        .collect();
    let lookup = |email: &str| found.get(email).cloned().flatten();
    preview(rows, &people, lookup, checks)
}

/// Previews every row: `found[i]` is what the platform said of row `i`'s person (`None`: no
/// such person), and `lookup` finds the other people rows name (replacements, keys' new owners).
pub fn preview(
    rows: &[BulkRow],
    found: &[Option<User>],
    lookup: impl Fn(&str) -> Option<User>,
    checks: &Checks<'_>,
) -> Vec<RowPreview> {
    rows.iter()
        .zip(found)
        .map(|(row, person)| {
            let mut flags: Vec<Flag> = row.problems.iter().cloned().map(Flag::Invalid).collect();
            flags.extend(person_flags(row, person.as_ref(), checks));
            flags.extend(replacement_flags(row, rows, found, &lookup));
            flags.extend(key_flags(row, person.as_ref(), &lookup, checks));
            let note = person.as_ref().and_then(scim_note);
            RowPreview {
                row: row.clone(),
                person: person.clone(),
                flags,
                note,
            }
        })
        .collect()
}

/// One line of a bulk run: a row on one platform.
#[derive(Debug, Clone, PartialEq)]
pub struct PlatformLine {
    /// The platform's place in the list the previews were made on.
    pub platform: usize,
    pub preview: RowPreview,
    /// No account on this platform, while another platform has the person: nothing to do
    /// here, and nothing wrong with the row.
    pub absent: bool,
}

impl PlatformLine {
    pub fn runs(&self) -> bool {
        !self.absent && self.preview.runs()
    }
}

/// Every row on every platform, row by row: `per_platform[p][i]` is row `i` previewed on
/// platform `p` (each platform checked against its own people and rules). A person missing on
/// one platform but found on another is [`PlatformLine::absent`] there; a person found nowhere
/// keeps the "no such person" flag on every platform.
pub fn across_platforms(per_platform: Vec<Vec<RowPreview>>) -> Vec<PlatformLine> {
    let rows = per_platform.first().map_or(0, Vec::len);
    let found_somewhere: Vec<bool> = (0..rows)
        .map(|i| {
            per_platform
                .iter()
                .any(|previews| previews[i].person.is_some())
        })
        .collect();
    let mut columns: Vec<std::vec::IntoIter<RowPreview>> =
        per_platform.into_iter().map(Vec::into_iter).collect();
    let mut lines = Vec::new();
    for found in found_somewhere {
        for (platform, column) in columns.iter_mut().enumerate() {
            let preview = column.next().expect("every platform previews every row");
            let invalid = preview.flags.iter().any(|f| matches!(f, Flag::Invalid(_)));
            lines.push(PlatformLine {
                platform,
                absent: found && preview.person.is_none() && !invalid,
                preview,
            });
        }
    }
    lines
}

/// No such person, or the rules forbid it.
fn person_flags(row: &BulkRow, person: Option<&User>, checks: &Checks<'_>) -> Option<Flag> {
    match person {
        None if !row.who.is_empty() => Some(Flag::Unknown),
        None => None,
        Some(user) => policy::refusal(checks.actor.map(Account::from), Account::from(user))
            .map(|refusal| Flag::Refused(refusal.to_string())),
    }
}

/// A replacement who is leaving in the same file, or is not on the platform.
fn replacement_flags(
    row: &BulkRow,
    rows: &[BulkRow],
    found: &[Option<User>],
    lookup: &impl Fn(&str) -> Option<User>,
) -> Option<Flag> {
    let to = row.handed_off_to.as_ref()?;
    let names = |other: &BulkRow, person: &Option<User>| {
        other.who.eq_ignore_ascii_case(to)
            || person
                .as_ref()
                .is_some_and(|p| p.email.eq_ignore_ascii_case(to))
    };
    let leaving = rows
        .iter()
        .zip(found)
        .find(|(other, person)| other.line != row.line && names(other, person));
    match leaving {
        Some((other, _)) => Some(Flag::ReplacementLeaving {
            email: to.clone(),
            line: other.line,
        }),
        None if lookup(to).is_none() => Some(Flag::ReplacementUnknown(to.clone())),
        None => None,
    }
}

/// Keys to be reassigned: the platform must keep keys, the heir must exist, and the keys must
/// not gain a stronger role unless that was accepted (Treasure Data's warning).
fn key_flags(
    row: &BulkRow,
    person: Option<&User>,
    lookup: &impl Fn(&str) -> Option<User>,
    checks: &Checks<'_>,
) -> Option<Flag> {
    let KeyDisposal::Reassign(heir) = &row.keys else {
        return None;
    };
    if !checks.reassigns_keys {
        return Some(Flag::CannotReassign);
    }
    let (to, role) = match heir {
        Some(email) => match lookup(email) {
            Some(heir) => (email.clone(), heir.account_role),
            None => return Some(Flag::HeirUnknown(email.clone())),
        },
        None => ("the account owner".to_string(), Some(AccountRole::Owner)),
    };
    let leaving_role = person
        .and_then(|p| p.account_role)
        .unwrap_or(AccountRole::Restricted);
    let stronger = role.filter(|role| leaving_role.escalates_to(*role))?;
    (!checks.accept_escalation).then_some(Flag::KeysWouldEscalate { to, role: stronger })
}

/// What is left to the identity provider of a SCIM-managed person.
fn scim_note(user: &User) -> Option<String> {
    let idp = policy::identity_provider_of(user.scim_managed, user.identity_provider.as_deref())?;
    Some(format!(
        "Managed by {idp} through SCIM: its API keys are revoked here; the account and its groups are left to {idp}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_reads_with_quotes_defaults_and_line_numbers() {
        let rows = parse(
            "\u{feff}Email,Reason,handed_off_to,mode,api_keys\r\n\
             first.last@company.com,\"Moved on, to a rival\",replacement@company.com,,\r\n\
             \r\n\
             a@company.com,\"Said \"\"bye\"\"\nat last\",,emergency,reassign:boss@company.com\n\
             b@company.com,,,delete,delete",
        )
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].reason, "Moved on, to a rival");
        assert_eq!(rows[0].mode, BulkMode::Disable);
        assert_eq!(
            rows[0].handed_off_to.as_deref(),
            Some("replacement@company.com")
        );
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].reason, "Said \"bye\"\nat last");
        assert_eq!(rows[1].mode, BulkMode::Emergency);
        assert_eq!(
            rows[1].keys,
            KeyDisposal::Reassign(Some("boss@company.com".into()))
        );
        assert_eq!(rows[2].line, 6);
        assert_eq!(rows[2].mode, BulkMode::Delete);
        assert!(rows.iter().all(|row| row.problems.is_empty()), "{rows:?}");
    }

    #[test]
    fn a_file_that_is_not_a_list_of_people_is_refused_whole() {
        assert!(parse("").unwrap_err().contains("empty"));
        assert!(parse("name\nBob\n").unwrap_err().contains("Unknown column"));
        assert!(parse("emial\nx@y.z\n").unwrap_err().contains("emial"));
        assert!(
            parse("reason\nbye\n")
                .unwrap_err()
                .contains("email or a user_id")
        );
        assert!(
            parse("email\n\"x@y.z\n")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(parse("email\n").unwrap_err().contains("no one"));
    }

    #[test]
    fn a_wrong_row_carries_its_problems_and_the_rest_still_reads() {
        let rows = parse(
            "user_id,mode,api_keys,handed_off_to\n\
             user-123,fire,keep,riley\n\
             ,,,\n\
             user-456,delete,,\n\
             USER-123,emergency\n\
             ,delete,,\n\
             user-789,,,\n",
        )
        .unwrap();
        let problems: Vec<&Vec<String>> = rows.iter().map(|row| &row.problems).collect();
        assert_eq!(problems[0].len(), 3, "{:?}", problems[0]);
        assert!(problems[0][0].contains("fire"));
        assert!(problems[0][1].contains("keep"));
        assert!(problems[0][2].contains("riley"));
        assert!(problems[1].is_empty());
        assert!(
            problems[2]
                .iter()
                .any(|p| p == "names the same person as line 2"),
            "{:?}",
            problems[2]
        );
        assert!(
            problems[2]
                .iter()
                .any(|p| p.contains("2 fields where the header has 4"))
        );
        assert!(problems[3].iter().any(|p| p.contains("names no one")));
        assert_eq!(
            problems[4],
            &vec!["gives no reason, which mode disable records on the account".to_string()]
        );
    }

    fn user(id: &str, email: &str, role: AccountRole) -> User {
        User {
            id: id.into(),
            email: email.into(),
            account_role: Some(role),
            ..User::default()
        }
    }

    #[test]
    fn the_preview_flags_who_cannot_run_and_why() {
        let rows = parse(
            "email,handed_off_to,mode\n\
             first.last@company.com,replacement@company.com,emergency\n\
             replacement@company.com,,emergency\n\
             nobody@company.com,,emergency\n\
             owner@company.com,,emergency\n\
             admin@company.com,,emergency\n\
             scim.user@company.com,ghost@company.com,emergency\n",
        )
        .unwrap();
        let scim = User {
            scim_managed: true,
            identity_provider: Some("Okta".into()),
            ..user(
                "user-scim",
                "scim.user@company.com",
                AccountRole::Restricted,
            )
        };
        let found = vec![
            Some(user(
                "user-123",
                "first.last@company.com",
                AccountRole::Restricted,
            )),
            Some(user(
                "user-456",
                "replacement@company.com",
                AccountRole::Restricted,
            )),
            None,
            Some(user("user-owner", "owner@company.com", AccountRole::Owner)),
            Some(user("user-admin", "admin@company.com", AccountRole::Admin)),
            Some(scim),
        ];
        let actor = user("user-admin", "admin@company.com", AccountRole::Admin);
        let lookup = |email: &str| {
            (email != "ghost@company.com").then(|| user("user-x", email, AccountRole::Restricted))
        };
        let checks = Checks {
            actor: Some(&actor),
            reassigns_keys: true,
            accept_escalation: false,
        };
        let previews = preview(&rows, &found, lookup, &checks);
        let flags: Vec<&Vec<Flag>> = previews.iter().map(|p| &p.flags).collect();
        assert_eq!(
            flags[0],
            &vec![Flag::ReplacementLeaving {
                email: "replacement@company.com".into(),
                line: 3
            }]
        );
        assert!(flags[1].is_empty());
        assert_eq!(flags[2], &vec![Flag::Unknown]);
        assert!(matches!(&flags[3][..], [Flag::Refused(why)] if why.contains("owner")));
        assert!(matches!(&flags[4][..], [Flag::Refused(why)] if why.contains("your own account")));
        assert_eq!(
            flags[5],
            &vec![Flag::ReplacementUnknown("ghost@company.com".into())]
        );
        assert!(previews[5].note.as_deref().unwrap().contains("Okta"));
        assert!(previews[1].runs() && !previews[0].runs());
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn across_platforms_a_person_missing_on_one_is_absent_there_and_found_nowhere_is_flagged() {
        let rows = parse(
            "email,mode\n\
             both@company.com,emergency\n\
             adoc-only@company.com,emergency\n\
             nobody@company.com,emergency\n\
             ,emergency\n",
        )
        .unwrap();
        let person = |email: &str| User {
            id: email.into(),
            email: email.into(),
            account_role: Some(AccountRole::Restricted),
            ..User::default()
        };
        let checks = Checks {
            actor: None,
            reassigns_keys: false,
            accept_escalation: false,
        };
        let on = |people: &[&str]| {
            let found: BTreeMap<String, Option<User>> = named(&rows)
                .into_iter()
                .map(|who| {
                    let user = people.contains(&who.as_str()).then(|| person(&who));
                    (who, user)
                })
                .collect();
            preview_found(&rows, &found, &checks)
        };
        let adoc = on(&["both@company.com", "adoc-only@company.com"]);
        let td = on(&["both@company.com"]);
        let lines = across_platforms(vec![adoc, td]);
        let shown: Vec<(usize, usize, bool, bool)> = lines
            .iter()
            .map(|l| (l.preview.row.line, l.platform, l.runs(), l.absent))
            .collect();
        assert_eq!(
            shown,
            vec![
                (2, 0, true, false),
                (2, 1, true, false),
                (3, 0, true, false),
                // Not on the second platform: nothing to do there, and nothing wrong.
                (3, 1, false, true),
                // Found nowhere: flagged on both.
                (4, 0, false, false),
                (4, 1, false, false),
                // A row with no one in it is invalid everywhere, never "absent".
                (5, 0, false, false),
                (5, 1, false, false),
            ]
        );
        assert_eq!(lines[4].preview.flags, vec![Flag::Unknown]);
    }

    #[test]
    fn reassigned_keys_need_a_platform_that_keeps_them_an_heir_and_no_stronger_role() {
        let rows = parse(
            "email,mode,api_keys\n\
             a@company.com,delete,reassign:boss@company.com\n\
             b@company.com,delete,reassign:ghost@company.com\n\
             c@company.com,delete,reassign\n\
             d@company.com,delete,reassign:peer@company.com\n",
        )
        .unwrap();
        let restricted = |email: &str| User {
            id: email.into(),
            email: email.into(),
            account_role: Some(AccountRole::Restricted),
            ..User::default()
        };
        let found: Vec<Option<User>> = ["a", "b", "c", "d"]
            .iter()
            .map(|n| Some(restricted(&format!("{n}@company.com"))))
            .collect();
        let lookup = |email: &str| match email {
            "boss@company.com" => Some(User {
                account_role: Some(AccountRole::Admin),
                ..restricted(email)
            }),
            "peer@company.com" => Some(restricted(email)),
            _ => None,
        };
        let td = Checks {
            actor: None,
            reassigns_keys: true,
            accept_escalation: false,
        };
        let flags: Vec<Vec<Flag>> = preview(&rows, &found, lookup, &td)
            .into_iter()
            .map(|p| p.flags)
            .collect();
        assert!(matches!(
            &flags[0][..],
            [Flag::KeysWouldEscalate {
                role: AccountRole::Admin,
                ..
            }]
        ));
        assert_eq!(
            flags[1],
            vec![Flag::HeirUnknown("ghost@company.com".into())]
        );
        // A bare `reassign` is not a value of the column: the heir must be named.
        assert!(matches!(&flags[2][..], [Flag::Invalid(problem)] if problem.contains("reassign")));
        assert!(flags[3].is_empty());

        let accepted = Checks {
            accept_escalation: true,
            ..td
        };
        assert!(preview(&rows, &found, lookup, &accepted)[0].runs());
        let adoc = Checks {
            reassigns_keys: false,
            ..accepted
        };
        assert_eq!(
            preview(&rows, &found, lookup, &adoc)[3].flags,
            vec![Flag::CannotReassign]
        );
    }
}

#[cfg(test)]
mod named_tests {
    use super::*;

    #[test]
    fn everyone_named_is_asked_about_once() {
        let rows = parse(
            "email,handed_off_to,mode,api_keys\n\
             a@company.com,r@company.com,delete,reassign:h@company.com\n\
             b@company.com,r@company.com,emergency,\n",
        )
        .unwrap();
        assert_eq!(
            named(&rows),
            [
                "a@company.com",
                "b@company.com",
                "h@company.com",
                "r@company.com"
            ]
        );
        let found = BTreeMap::from([("a@company.com".to_string(), None)]);
        let checks = Checks {
            actor: None,
            reassigns_keys: true,
            accept_escalation: false,
        };
        let previews = preview_found(&rows, &found, &checks);
        assert_eq!(previews[0].flags[0], Flag::Unknown);
        assert!(
            previews[1]
                .flags
                .contains(&Flag::ReplacementUnknown("r@company.com".into()))
        );
    }
}
