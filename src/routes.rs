//! Every address inside the app, built in one place so a link and the route it leads to cannot
//! drift apart, and every person's reference is percent-encoded on the way into a URL (emails
//! carry `+`, ids may carry `/`). The router's own patterns are in `app.rs`.

use offboard_engine::http::{decode_component, encode_component};

pub const CONNECT: &str = "/connect";
pub const DIRECTORY: &str = "/users";
pub const EMERGENCY: &str = "/emergency";
pub const RUNS: &str = "/runs";
pub const BULK: &str = "/bulk";

/// Connect, then back to `next` (a path with its query) once connected.
pub fn connect_then(next: &str) -> String {
    format!("{CONNECT}?next={}", encode_component(next))
}

/// A person's reference as a route's `:reference` carries it (percent-encoded by [`user`]).
pub fn reference(param: Option<String>) -> String {
    offboard_engine::http::decode_component(&param.unwrap_or_default())
}

/// Where Connect goes once connected: the `next` it was given when that is an address inside
/// the app, else the directory. `//host` and `/\\host` are addresses elsewhere (browsers read
/// both as another origin), so a crafted link cannot send a fresh session off-site.
pub fn after_connect(next: Option<&str>) -> &str {
    match next {
        Some(next)
            if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") =>
        {
            next
        }
        _ => DIRECTORY,
    }
}

/// The directory with a search typed in.
pub fn directory_search(query: &str) -> String {
    directory_view(query, None, false)
}

/// The directory as the person left it: search, sort column (`None`: by name) and direction.
pub fn directory_view(query: &str, sort: Option<&str>, descending: bool) -> String {
    let mut params = Vec::new();
    if !query.trim().is_empty() {
        params.push(format!("q={}", encode_component(query.trim())));
    }
    if let Some(sort) = sort {
        params.push(format!("sort={}", encode_component(sort)));
    }
    if descending {
        params.push("dir=desc".to_string());
    }
    match params.is_empty() {
        true => DIRECTORY.to_string(),
        false => format!("{DIRECTORY}?{}", params.join("&")),
    }
}

/// One person's page.
pub fn user(reference: &str) -> String {
    format!("{DIRECTORY}/{}", encode_component(reference))
}

/// The guided offboarding of one person.
pub fn wizard(reference: &str) -> String {
    format!("{}/offboard", user(reference))
}

/// The emergency lockout of one person.
pub fn emergency(reference: &str) -> String {
    format!("{EMERGENCY}?user={}", encode_component(reference.trim()))
}

/// The person an emergency link names (`/emergency?user=…`), if `path` is one.
pub fn emergency_person(path: &str) -> Option<String> {
    let query = path.strip_prefix(EMERGENCY)?.strip_prefix('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("user="))
        .map(|encoded| decode_component(encoded).trim().to_string())
        .filter(|who| !who.is_empty())
}

/// A finished run's report.
pub fn run(id: &str) -> String {
    format!("{RUNS}/{}", encode_component(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emergency_link_names_its_person() {
        assert_eq!(
            emergency_person(&emergency("heavy@company.com")).as_deref(),
            Some("heavy@company.com")
        );
        assert_eq!(
            emergency_person("/emergency?user=ann%2Bops%40company.com&x=1").as_deref(),
            Some("ann+ops@company.com")
        );
        assert_eq!(emergency_person("/emergency"), None);
        assert_eq!(emergency_person("/emergency?user="), None);
        assert_eq!(emergency_person("/users/heavy@company.com"), None);
    }

    #[test]
    fn references_are_encoded() {
        assert_eq!(user("ann+ops@company.com"), "/users/ann%2Bops@company.com");
        assert_eq!(wizard("a/b"), "/users/a%2Fb/offboard");
        assert_eq!(emergency(" ann@x.io "), "/emergency?user=ann@x.io");
        assert_eq!(connect_then("/users?q=a"), "/connect?next=%2Fusers%3Fq%3Da");
    }

    #[test]
    fn connect_only_returns_inside_the_app() {
        assert_eq!(
            after_connect(Some("/emergency?user=a")),
            "/emergency?user=a"
        );
        assert_eq!(after_connect(None), DIRECTORY);
        for elsewhere in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "users",
        ] {
            assert_eq!(after_connect(Some(elsewhere)), DIRECTORY, "{elsewhere}");
        }
    }

    #[test]
    fn the_directory_leaves_defaults_out_of_its_address() {
        assert_eq!(directory_view("  ", None, false), "/users");
        assert_eq!(directory_search("ann b"), "/users?q=ann%20b");
        assert_eq!(
            directory_view("ann", Some("role"), true),
            "/users?q=ann&sort=role&dir=desc"
        );
    }
}
