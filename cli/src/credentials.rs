//! Credentials from the environment or a file, never from the command line: arguments are
//! visible to every user of the machine (`ps`) and end up in shell history and job logs.
//!
//! Each of the dialect's credential fields has a name: `OFFBOARD_` and its id in capitals
//! (`access-key` → `OFFBOARD_ACCESS_KEY`). A file holds `NAME=value` lines with the same names.

use offboard_engine::credentials::Credentials;
use offboard_engine::dialect::Dialect;
use std::collections::BTreeMap;
use std::path::Path;

/// The variable (or file line) that holds one credential field.
pub fn variable(field_id: &str) -> String {
    format!(
        "OFFBOARD_{}",
        field_id.to_ascii_uppercase().replace('-', "_")
    )
}

/// The dialect's credentials from `file` if given, else from the environment; an error in
/// plain words names what is missing, never a value.
pub fn read(dialect: Dialect, file: Option<&Path>) -> Result<Credentials, String> {
    let lines = file.map(read_file).transpose()?;
    let source = |name: &str| match &lines {
        Some(lines) => lines.get(name).cloned(),
        None => std::env::var(name).ok(),
    };
    let fields = dialect.api().credential_fields();
    let values: Vec<String> = fields
        .iter()
        .map(|field| source(&variable(field.id)).unwrap_or_default())
        .collect();
    let credentials = Credentials::new(dialect, values);
    if credentials.missing().is_some() {
        let names: Vec<String> = fields.iter().map(|field| variable(field.id)).collect();
        let place = match file {
            Some(path) => format!("in {}", path.display()),
            None => "in the environment (or use --credentials-file)".to_string(),
        };
        return Err(format!(
            "{} credentials are missing: set {} {place}",
            dialect.label(),
            names.join(" and ")
        ));
    }
    Ok(credentials)
}

fn read_file(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    warn_if_others_can_read(path);
    Ok(parse(&text))
}

/// `NAME=value` lines; blank lines and `#` comments are skipped, and quotes around a value
/// (as an env file may have them) are taken off.
fn parse(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| {
            let name = name.trim().trim_start_matches("export ").trim();
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            (name.to_string(), unquoted.to_string())
        })
        .collect()
}

#[cfg(unix)]
fn warn_if_others_can_read(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o077 != 0
    {
        eprintln!(
            "offboard: warning: other users of this machine can read {0}; `chmod 600 {0}` keeps the keys yours",
            path.display()
        );
    }
}

#[cfg(not(unix))]
fn warn_if_others_can_read(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_dialects_fields() {
        assert_eq!(variable("access-key"), "OFFBOARD_ACCESS_KEY");
        assert_eq!(variable("api-key"), "OFFBOARD_API_KEY");
    }

    #[test]
    fn env_files_read_with_comments_exports_and_quotes() {
        let lines = parse(
            "# ADOC prod\nexport OFFBOARD_ACCESS_KEY=ak\n\nOFFBOARD_SECRET_KEY=\"s=k\"\nnot a line\n",
        );
        assert_eq!(lines["OFFBOARD_ACCESS_KEY"], "ak");
        assert_eq!(lines["OFFBOARD_SECRET_KEY"], "s=k");
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn a_missing_field_is_named_without_any_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.env");
        std::fs::write(&path, "OFFBOARD_ACCESS_KEY=ak-visible\n").unwrap();
        let error = read(Dialect::Adoc, Some(&path)).unwrap_err();
        assert!(error.contains("OFFBOARD_SECRET_KEY"), "{error}");
        assert!(!error.contains("ak-visible"), "{error}");
        std::fs::write(&path, "OFFBOARD_ACCESS_KEY=ak\nOFFBOARD_SECRET_KEY=sk\n").unwrap();
        assert!(read(Dialect::Adoc, Some(&path)).is_ok());
    }
}
