//! Reading Offboard's own JSON back (journals, the session, the run index) from a parsed
//! [`Value`], by hand.
//!
//! `serde`'s derived `Deserialize` generates a visitor per struct and per field type for every
//! deserializer; for the journal alone that was over 50 kB of the shipped wasm. Reading from a
//! `Value` (which the engine parses anyway, for the platforms' answers) costs a fraction of it.
//! The rules are serde's: fields are named as `Serialize` writes them, a missing or `null`
//! `Option` is `None`, any other missing field or wrong type is an error, unknown fields are
//! ignored. Types read this way get their `Deserialize` from [`deserialize_from_json!`].

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Why a value could not be read.
pub type Read<T> = Result<T, &'static str>;

pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Read<Self>;
}

/// The fields of a JSON object; an absent field reads as `null`.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    pub fn of(value: &'a Value) -> Read<Self> {
        value.as_object().map(Fields).ok_or("expected an object")
    }

    pub fn get(&self, name: &str) -> &'a Value {
        self.0.get(name).unwrap_or(&Value::Null)
    }

    /// A required field.
    pub fn req<T: FromJson>(&self, name: &str) -> Read<T> {
        T::from_json(self.get(name))
    }

    /// An optional field: absent or `null` is `None`.
    pub fn opt<T: FromJson>(&self, name: &str) -> Read<Option<T>> {
        match self.get(name) {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

/// The string of a unit variant, matched against the words its `Serialize` writes.
pub fn variant<T: Copy>(
    value: &Value,
    variants: &[T],
    word: impl Fn(T) -> &'static str,
) -> Read<T> {
    let text = value.as_str().ok_or("expected a string")?;
    variants
        .iter()
        .copied()
        .find(|variant| word(*variant) == text)
        .ok_or("unknown variant")
}

impl FromJson for String {
    fn from_json(value: &Value) -> Read<Self> {
        value.as_str().map(str::to_owned).ok_or("expected a string")
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Read<Self> {
        value.as_bool().ok_or("expected a boolean")
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Read<Self> {
        value.as_f64().ok_or("expected a number")
    }
}

fn unsigned(value: &Value, max: u64) -> Read<u64> {
    value
        .as_u64()
        .filter(|n| *n <= max)
        .ok_or("expected an unsigned integer in range")
}

impl FromJson for u16 {
    fn from_json(value: &Value) -> Read<Self> {
        unsigned(value, u16::MAX.into()).map(|n| n as u16)
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value) -> Read<Self> {
        unsigned(value, u32::MAX.into()).map(|n| n as u32)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Read<Self> {
        value.as_i64().ok_or("expected a whole number")
    }
}

impl FromJson for usize {
    fn from_json(value: &Value) -> Read<Self> {
        unsigned(value, usize::MAX as u64).map(|n| n as usize)
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Read<Self> {
        Ok(value.clone())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Read<Self> {
        value
            .as_array()
            .ok_or("expected an array")?
            .iter()
            .map(T::from_json)
            .collect()
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value) -> Read<Self> {
        // Inserted one by one: `collect` into a map sorts first, a second sort in the wasm.
        let mut map = BTreeMap::new();
        for (name, item) in value.as_object().ok_or("expected an object")? {
            map.insert(name.clone(), T::from_json(item)?);
        }
        Ok(map)
    }
}

/// Implements `serde::Deserialize` for types that implement [`FromJson`]: the input is read as a
/// [`Value`] first.
#[macro_export]
macro_rules! deserialize_from_json {
    ($($type:ty),* $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $type {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                <$type as $crate::json::FromJson>::from_json(&value).map_err(::serde::de::Error::custom)
            }
        }
    )*};
}
