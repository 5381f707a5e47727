//! Tolerant readers over `serde_json::Value`.
//!
//! Real admin APIs disagree with their own documentation (`id` or `userId`, groups as strings or
//! objects, booleans as strings). These readers accept every reasonable form of a field so that
//! one odd field never hides a whole user from an offboarding.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The first of `keys` present in `value` as text (a string, or a number written out).
pub fn text(value: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| match value.get(*key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// The first of `keys` present as a boolean (`true`, `"true"`, `1`, `"yes"` …).
pub fn flag(value: &Value, keys: &[&str]) -> Option<bool> {
    keys.iter().find_map(|key| match value.get(*key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// The first of `keys` present as a non-negative integer (number or numeric string).
pub fn count(value: &Value, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|key| match value.get(*key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// The first of `keys` holding an array.
pub fn array<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a Vec<Value>> {
    keys.iter().find_map(|key| value.get(*key)?.as_array())
}

/// A list of items that may come bare (`[…]`) or wrapped (`{"users": […]}`).
pub fn items<'a>(value: &'a Value, keys: &[&str]) -> &'a [Value] {
    match value {
        Value::Array(items) => items,
        _ => array(value, keys).map(Vec::as_slice).unwrap_or(&[]),
    }
}

/// Ids from a list of strings or of objects (`{"id"|"groupId"|"name": …}`).
pub fn ids(values: &[Value], id_keys: &[&str]) -> Vec<String> {
    values
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => text(item, id_keys),
            _ => None,
        })
        .collect()
}

/// A Keycloak-style attribute map: each value a list of strings, or a single string.
pub fn attributes(value: Option<&Value>) -> BTreeMap<String, Vec<String>> {
    let Some(Value::Object(map)) = value else {
        return BTreeMap::new();
    };
    // Inserted one by one: `collect` into a map sorts first, a second sort in the wasm.
    let mut attributes = BTreeMap::new();
    for (key, raw) in map {
        let values = match raw {
            Value::Array(list) => list.iter().filter_map(scalar_text).collect(),
            other => scalar_text(other).into_iter().collect(),
        };
        attributes.insert(key.clone(), values);
    }
    attributes
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An attribute map back in wire form.
pub fn attributes_value(attributes: &BTreeMap<String, Vec<String>>) -> Value {
    let mut map = Map::new();
    for (key, values) in attributes {
        let values = values.iter().cloned().map(Value::String).collect();
        map.insert(key.clone(), Value::Array(values));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_read_in_any_reasonable_form() {
        let user = json!({"id": 12, "enabled": "false", "total": "7"});
        assert_eq!(text(&user, &["userId", "id"]), Some("12".into()));
        assert_eq!(flag(&user, &["enabled"]), Some(false));
        assert_eq!(count(&user, &["total"]), Some(7));
        assert_eq!(text(&user, &["missing"]), None);
    }

    #[test]
    fn lists_may_be_bare_or_wrapped_and_hold_strings_or_objects() {
        let wrapped = json!({"groups": ["g1", {"groupId": "g2"}, {"name": "g3"}, 4]});
        let groups = ids(items(&wrapped, &["groups"]), &["groupId", "id", "name"]);
        assert_eq!(groups, vec!["g1", "g2", "g3"]);
        let bare = json!([{"id": "g9"}]);
        assert_eq!(ids(items(&bare, &["groups"]), &["id"]), vec!["g9"]);
    }

    #[test]
    fn attributes_round_trip_and_accept_single_values() {
        let attrs = attributes(Some(
            &json!({"status": ["OFFBOARDED"], "location": "Berlin"}),
        ));
        assert_eq!(attrs["location"], vec!["Berlin"]);
        assert_eq!(
            attributes_value(&attrs),
            json!({"location": ["Berlin"], "status": ["OFFBOARDED"]})
        );
    }
}
