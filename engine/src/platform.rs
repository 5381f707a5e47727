//! [`Platform`]: the reads Offboard makes, for either dialect, over one [`Client`].
//!
//! Screens and plans ask "the user's keys" or "who am I"; this module turns that into the
//! dialect's calls, walks pages, and says plainly when a dialect has no such thing
//! ([`Platform::offers`]) instead of failing.

use crate::client::Client;
use crate::dialect::{adoc, has_next_page, td};
use crate::error::ApiError;
use crate::http::{Clock, Transport};
use crate::model::{ApiKey, Dialect, Group, Permission, Pipeline, Role, User};
use crate::policy::AccountRole;

/// The parts of a person's access a dialect may or may not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Groups,
    Roles,
    Permissions,
    Pipelines,
    /// An enabled/disabled state (TD users simply exist or not).
    Disable,
}

impl Section {
    /// Treasure Data has users and API keys only: no groups, roles, permissions, pipelines or
    /// disabled state.
    pub fn offered_by(self, dialect: Dialect) -> bool {
        dialect == Dialect::Adoc
    }
}

/// Why connecting did not give a usable admin connection.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("{} is a {} user: Offboard needs the key of an administrator or the account owner", user.email, user.account_role.map_or("restricted", AccountRole::as_str))]
    NotAdministrator { user: Box<User> },
}

impl ConnectError {
    pub fn plain_words(&self) -> String {
        match self {
            ConnectError::Api(error) => error.plain_words(),
            other => format!("{other}."),
        }
    }
}

pub struct Platform<'a, T, C> {
    client: &'a Client<T, C>,
    dialect: Dialect,
}

impl<'a, T: Transport, C: Clock> Platform<'a, T, C> {
    pub fn new(client: &'a Client<T, C>, dialect: Dialect) -> Self {
        Self { client, dialect }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn client(&self) -> &'a Client<T, C> {
        self.client
    }

    pub fn offers(&self, section: Section) -> bool {
        section.offered_by(self.dialect)
    }

    /// Who the credentials belong to, refusing anyone who is not an administrator.
    ///
    /// ADOC has no documented "who am I"; the reference server's `users/current` extension
    /// answers it, and a platform without it (404) is checked with an admin-only call instead,
    /// so a working admin key still connects, just without a name.
    pub async fn who_am_i(&self) -> Result<Option<User>, ConnectError> {
        let answer = match self.dialect {
            Dialect::Adoc => self
                .client
                .value(&adoc::current_user())
                .await
                .and_then(|v| adoc::parse_user(&v)),
            Dialect::Td => self
                .client
                .value(&td::show_caller())
                .await
                .and_then(|v| td::parse_user(&v)),
        };
        match answer {
            Ok(user)
                if user
                    .account_role
                    .is_some_and(|role| !role.is_administrator()) =>
            {
                Err(ConnectError::NotAdministrator {
                    user: Box::new(user),
                })
            }
            Ok(user) => Ok(Some(user)),
            Err(ApiError::NotFound { .. }) if self.dialect == Dialect::Adoc => {
                self.client.value(&adoc::count_users()).await?;
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// One page of the directory (ADOC pages; TD returns everyone on page 0).
    pub async fn users_page(
        &self,
        first: u64,
        search: Option<&str>,
    ) -> Result<(Vec<User>, Option<u64>), ApiError> {
        match self.dialect {
            Dialect::Adoc => {
                let value = self
                    .client
                    .value(&adoc::list_users(first, adoc::USERS_PAGE, search))
                    .await?;
                let page = adoc::parse_users_page(&value)?;
                Ok((page.items, page.total))
            }
            Dialect::Td => {
                let users = td::parse_users(&self.client.value(&td::list_users()).await?)?;
                let total = users.len() as u64;
                Ok((users, Some(total)))
            }
        }
    }

    /// One user, by the reference the dialect's paths take (ADOC id, TD email). TD has no
    /// single-user endpoint, so the list is searched.
    pub async fn user(&self, reference: &str) -> Result<User, ApiError> {
        match self.dialect {
            Dialect::Adoc => {
                adoc::parse_user(&self.client.value(&adoc::get_user(reference)).await?)
            }
            Dialect::Td => td::parse_users(&self.client.value(&td::list_users()).await?)?
                .into_iter()
                .find(|user| user.email.eq_ignore_ascii_case(reference) || user.id == reference)
                .ok_or_else(|| ApiError::NotFound {
                    message: format!("no user {reference}"),
                }),
        }
    }

    /// Finds a user by id or email, whichever the person typed (the emergency deep link).
    pub async fn find_user(&self, id_or_email: &str) -> Result<User, ApiError> {
        let needle = id_or_email.trim();
        if self.dialect == Dialect::Td || !needle.contains('@') {
            return self.user(needle).await;
        }
        let (users, _) = self.users_page(0, Some(needle)).await?;
        users
            .into_iter()
            .find(|user| user.email.eq_ignore_ascii_case(needle))
            .ok_or_else(|| ApiError::NotFound {
                message: format!("no user with email {needle}"),
            })
    }

    /// Every API key of the user, walking all pages.
    pub async fn keys(&self, user: &User) -> Result<Vec<ApiKey>, ApiError> {
        match self.dialect {
            Dialect::Td => td::parse_keys(&self.client.value(&td::list_keys(&user.email)).await?),
            Dialect::Adoc => {
                let mut keys = Vec::new();
                let mut page = 0;
                loop {
                    let request = adoc::list_keys(&user.id, page, adoc::KEYS_PAGE);
                    let parsed = adoc::parse_keys_page(&self.client.value(&request).await?)?;
                    let more =
                        has_next_page(page, adoc::KEYS_PAGE, parsed.items.len(), parsed.total);
                    keys.extend(parsed.items);
                    if !more {
                        return Ok(keys);
                    }
                    page += 1;
                }
            }
        }
    }

    pub async fn groups(&self, user: &User) -> Result<Vec<Group>, ApiError> {
        self.adoc_only(Section::Groups)?;
        adoc::parse_groups(&self.client.value(&adoc::list_groups(&user.id)).await?)
    }

    pub async fn roles(&self, user: &User) -> Result<Vec<Role>, ApiError> {
        self.adoc_only(Section::Roles)?;
        adoc::parse_roles(&self.client.value(&adoc::roles(&user.id)).await?)
    }

    pub async fn permissions(&self, user: &User) -> Result<Vec<Permission>, ApiError> {
        self.adoc_only(Section::Permissions)?;
        adoc::parse_permissions(&self.client.value(&adoc::permissions(&user.id)).await?)
    }

    pub async fn pipelines(&self, user: &User) -> Result<Vec<Pipeline>, ApiError> {
        self.adoc_only(Section::Pipelines)?;
        adoc::parse_pipelines(
            &self
                .client
                .value(&adoc::pipelines_owned_by(&user.email))
                .await?,
        )
    }

    fn adoc_only(&self, section: Section) -> Result<(), ApiError> {
        if self.offers(section) {
            Ok(())
        } else {
            Err(ApiError::Shape {
                detail: format!("{} has no {section:?}", self.dialect.label()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::tests::{FakeClock, Scripted, answer, futures_lite_block_on as block_on};
    use crate::http::{LocalBoxFuture, NetworkError, Request, Response};
    use std::cell::RefCell;

    /// Answers by request line and records what was asked.
    struct Routes {
        routes: Vec<(&'static str, u16, &'static str)>,
        asked: RefCell<Vec<String>>,
    }

    impl Transport for Routes {
        fn send<'a>(
            &'a self,
            request: &'a Request,
        ) -> LocalBoxFuture<'a, Result<Response, NetworkError>> {
            self.asked.borrow_mut().push(request.line());
            let found = self
                .routes
                .iter()
                .find(|(line, _, _)| *line == request.line());
            let (status, body) = found.map_or((404, "{}"), |(_, status, body)| (*status, *body));
            Box::pin(async move { answer(status, body) })
        }
    }

    fn routes(routes: Vec<(&'static str, u16, &'static str)>) -> Client<Routes, FakeClock> {
        Client::new(
            Routes {
                routes,
                asked: RefCell::new(vec![]),
            },
            FakeClock::default(),
        )
    }

    #[test]
    fn td_identity_comes_from_show_and_restricted_users_are_refused() {
        let owner = routes(vec![(
            "GET /v3/user/show",
            200,
            r#"{"id":1,"email":"owner@company.com","name":"Olivia Owner","account_owner":true}"#,
        )]);
        let user = block_on(Platform::new(&owner, Dialect::Td).who_am_i())
            .unwrap()
            .unwrap();
        assert_eq!(user.account_role, Some(AccountRole::Owner));

        let restricted = routes(vec![(
            "GET /v3/user/show",
            200,
            r#"{"id":3,"email":"first.last@company.com"}"#,
        )]);
        let error = block_on(Platform::new(&restricted, Dialect::Td).who_am_i()).unwrap_err();
        assert!(
            error
                .plain_words()
                .contains("first.last@company.com is a restricted user")
        );
    }

    #[test]
    fn adoc_without_a_who_am_i_falls_back_to_an_admin_call() {
        let client = routes(vec![("GET /admin/api/users/count", 200, r#"{"count":4}"#)]);
        assert_eq!(
            block_on(Platform::new(&client, Dialect::Adoc).who_am_i()),
            Ok(None)
        );
        let refused = routes(vec![(
            "GET /admin/api/users/current",
            401,
            r#"{"message":"unknown key"}"#,
        )]);
        let error = block_on(Platform::new(&refused, Dialect::Adoc).who_am_i()).unwrap_err();
        assert!(matches!(
            error,
            ConnectError::Api(ApiError::Unauthorized { .. })
        ));
    }

    #[test]
    fn keys_walk_every_page() {
        let client = routes(vec![
            (
                "GET /admin/api/users/u/api-keys?page=0&size=100",
                200,
                r#"{"data":[{"accessKey":"a"}],"meta":{"total":101}}"#,
            ),
            (
                "GET /admin/api/users/u/api-keys?page=1&size=100",
                200,
                r#"{"data":[{"accessKey":"b"}],"meta":{"total":101}}"#,
            ),
        ]);
        let user = User {
            id: "u".into(),
            ..User::default()
        };
        let keys = block_on(Platform::new(&client, Dialect::Adoc).keys(&user)).unwrap();
        assert_eq!(
            keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            vec!["a", "b"]
        );
    }

    #[test]
    fn td_has_no_groups_and_says_so_without_calling() {
        let client = Client::new(
            Scripted(RefCell::new(Default::default())),
            FakeClock::default(),
        );
        let platform = Platform::new(&client, Dialect::Td);
        assert!(!platform.offers(Section::Groups));
        assert!(block_on(platform.groups(&User::default())).is_err());
    }

    #[test]
    fn find_user_by_email_uses_the_server_search() {
        let client = routes(vec![(
            "GET /admin/api/users/list?first=0&max=500&searchString=first.last@company.com",
            200,
            r#"{"users":[{"userId":"user-123","email":"first.last@company.com"}]}"#,
        )]);
        let user =
            block_on(Platform::new(&client, Dialect::Adoc).find_user("first.last@company.com"))
                .unwrap();
        assert_eq!(user.id, "user-123");
    }
}
