//! The directory's search index: users plus what makes searching and sorting them cheap.
//!
//! Each user's searchable text is lower-cased once, when the user arrives, so a keystroke is a
//! single substring scan; sorting yields an order of indices that filtering then keeps.

use offboard_engine::model::{Dialect, User};
use offboard_engine::platform::Capability;
use offboard_engine::policy::AccountRole;
use std::cmp::Ordering;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Email,
    Role,
    Status,
    LastAccess,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Name,
        SortKey::Email,
        SortKey::Role,
        SortKey::Status,
        SortKey::LastAccess,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "Name",
            SortKey::Email => "Email",
            SortKey::Role => "Role",
            SortKey::Status => "Status",
            SortKey::LastAccess => "Last access",
        }
    }

    /// The word used in the URL (`/users?sort=role`).
    pub fn slug(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Email => "email",
            SortKey::Role => "role",
            SortKey::Status => "status",
            SortKey::LastAccess => "last-access",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.slug() == slug)
    }

    /// The columns a dialect has: Treasure Data users have no status (they exist or not).
    pub fn columns(dialect: Dialect) -> Vec<SortKey> {
        Self::ALL
            .into_iter()
            .filter(|key| *key != SortKey::Status || dialect.offers(Capability::Disable))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    pub fn flipped(self) -> Self {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }

    pub fn aria(self) -> &'static str {
        match self {
            Direction::Ascending => "ascending",
            Direction::Descending => "descending",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DirectoryIndex {
    users: Vec<User>,
    haystacks: Vec<String>,
    sort_names: Vec<String>,
    position: HashMap<String, usize>,
}

impl DirectoryIndex {
    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn user(&self, index: u32) -> &User {
        &self.users[index as usize]
    }

    /// Adds users, replacing any already known by id (a later answer is fresher).
    pub fn merge(&mut self, users: Vec<User>) {
        for user in users {
            let haystack =
                format!("{}\u{1}{}\u{1}{}", user.id, user.email, user.name).to_lowercase();
            let sort_name = user.name.to_lowercase();
            match self.position.get(&user.id) {
                Some(&at) => {
                    self.users[at] = user;
                    self.haystacks[at] = haystack;
                    self.sort_names[at] = sort_name;
                }
                None => {
                    self.position.insert(user.id.clone(), self.users.len());
                    self.users.push(user);
                    self.haystacks.push(haystack);
                    self.sort_names.push(sort_name);
                }
            }
        }
    }

    /// Every user's index, in the given order (ties broken by email, so the order is stable).
    pub fn sorted(&self, key: SortKey, direction: Direction) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.users.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let ordering = self.compare(key, a as usize, b as usize);
            let ordering = match direction {
                Direction::Ascending => ordering,
                Direction::Descending => ordering.reverse(),
            };
            ordering.then_with(|| {
                self.users[a as usize]
                    .email
                    .cmp(&self.users[b as usize].email)
            })
        });
        order
    }

    /// The entries of `order` whose user matches `query` (case-insensitive substring of id,
    /// email or name), keeping their order.
    pub fn filter(&self, order: &[u32], query: &str) -> Vec<u32> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return order.to_vec();
        }
        order
            .iter()
            .copied()
            .filter(|&i| self.haystacks[i as usize].contains(&needle))
            .collect()
    }

    fn compare(&self, key: SortKey, a: usize, b: usize) -> Ordering {
        let (ua, ub) = (&self.users[a], &self.users[b]);
        match key {
            SortKey::Name => self.sort_names[a].cmp(&self.sort_names[b]),
            SortKey::Email => ua.email.cmp(&ub.email),
            SortKey::Role => role_rank(ua.account_role).cmp(&role_rank(ub.account_role)),
            SortKey::Status => ua.known_status().cmp(&ub.known_status()),
            // Never-seen users sort after everyone else in ascending order.
            SortKey::LastAccess => match (&ua.last_access_on, &ub.last_access_on) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        }
    }
}

/// Most powerful first: owner, admin, restricted, unknown.
fn role_rank(role: Option<AccountRole>) -> u8 {
    match role {
        Some(AccountRole::Owner) => 0,
        Some(AccountRole::Admin) => 1,
        Some(AccountRole::Restricted) => 2,
        None => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, email: &str, name: &str, role: AccountRole, last: Option<&str>) -> User {
        User {
            id: id.into(),
            email: email.into(),
            name: name.into(),
            account_role: Some(role),
            enabled: Some(true),
            last_access_on: last.map(String::from),
            ..User::default()
        }
    }

    fn index() -> DirectoryIndex {
        let mut index = DirectoryIndex::default();
        index.merge(vec![
            user(
                "user-123",
                "first.last@company.com",
                "First Last",
                AccountRole::Restricted,
                Some("2024-12-04"),
            ),
            user(
                "user-owner",
                "owner@company.com",
                "Olivia Owner",
                AccountRole::Owner,
                None,
            ),
            user(
                "user-admin",
                "admin@company.com",
                "Adam Admin",
                AccountRole::Admin,
                Some("2024-12-01"),
            ),
        ]);
        index
    }

    fn ids(index: &DirectoryIndex, order: &[u32]) -> Vec<String> {
        order.iter().map(|&i| index.user(i).id.clone()).collect()
    }

    #[test]
    fn search_matches_id_email_or_name_in_any_case() {
        let index = index();
        let all = index.sorted(SortKey::Email, Direction::Ascending);
        assert_eq!(
            ids(&index, &index.filter(&all, "FIRST.last")),
            vec!["user-123"]
        );
        assert_eq!(
            ids(&index, &index.filter(&all, "olivia")),
            vec!["user-owner"]
        );
        assert_eq!(
            ids(&index, &index.filter(&all, "user-ad")),
            vec!["user-admin"]
        );
        assert_eq!(index.filter(&all, "  ").len(), 3);
        assert!(index.filter(&all, "nobody").is_empty());
    }

    #[test]
    fn sorting_by_role_and_last_access() {
        let index = index();
        let by_role = index.sorted(SortKey::Role, Direction::Ascending);
        assert_eq!(
            ids(&index, &by_role),
            vec!["user-owner", "user-admin", "user-123"]
        );
        let by_role_desc = index.sorted(SortKey::Role, Direction::Descending);
        assert_eq!(
            ids(&index, &by_role_desc),
            vec!["user-123", "user-admin", "user-owner"]
        );
        let by_access = index.sorted(SortKey::LastAccess, Direction::Ascending);
        assert_eq!(
            ids(&index, &by_access),
            vec!["user-admin", "user-123", "user-owner"]
        );
    }

    #[test]
    fn merging_replaces_known_users() {
        let mut index = index();
        index.merge(vec![user(
            "user-123",
            "first.last@company.com",
            "Renamed",
            AccountRole::Restricted,
            None,
        )]);
        assert_eq!(index.len(), 3);
        let all = index.sorted(SortKey::Name, Direction::Ascending);
        assert_eq!(
            ids(&index, &index.filter(&all, "renamed")),
            vec!["user-123"]
        );
    }

    #[test]
    fn sort_keys_round_trip_through_the_url() {
        for key in SortKey::ALL {
            assert_eq!(SortKey::from_slug(key.slug()), Some(key));
        }
    }
}
