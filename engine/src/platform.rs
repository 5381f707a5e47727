//! [`Platform`]: the reads Offboard makes, for either dialect, over one [`Client`].
//!
//! Screens and plans ask "the user's keys" or "who am I"; this module turns that into the
//! dialect's calls, walks pages, and says plainly when a dialect has no such thing
//! ([`Platform::offers`]) instead of failing.

use crate::client::Client;
use crate::dialect::{DialectApi, every_page};
use crate::error::ApiError;
use crate::http::{Clock, Transport};
use crate::model::{ApiKey, Dialect, Group, Permission, Pipeline, Role, User};
use crate::policy::AccountRole;
use crate::run::plan::Target;

pub use crate::dialect::Capability;

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

    fn api(&self) -> &'static dyn DialectApi {
        self.dialect.api()
    }

    pub fn offers(&self, capability: Capability) -> bool {
        self.api().offers(capability)
    }

    /// Who the credentials belong to, refusing anyone who is not an administrator.
    ///
    /// A platform without a "who am I" (404) is checked with an admin-only call instead, where
    /// the dialect has one, so a working admin key still connects, just without a name.
    pub async fn who_am_i(&self) -> Result<Option<User>, ConnectError> {
        let api = self.api();
        let answer = self
            .client
            .value(&api.who_am_i())
            .await
            .and_then(|v| api.parse_who_am_i(&v));
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
            Err(error @ ApiError::NotFound { .. }) => match api.admin_probe() {
                Some(probe) => {
                    self.client.value(&probe).await?;
                    Ok(None)
                }
                None => Err(error.into()),
            },
            Err(error) => Err(error.into()),
        }
    }

    /// One page of the directory from index `first`, with the total where the platform says.
    pub async fn users_page(
        &self,
        first: u64,
        search: Option<&str>,
    ) -> Result<(Vec<User>, Option<u64>), ApiError> {
        let api = self.api();
        let page =
            api.parse_users_page(&self.client.value(&api.list_users(first, search)).await?)?;
        Ok((page.items, page.total))
    }

    /// How many users a directory page holds; `None` when the platform lists everyone at once.
    pub fn users_page_size(&self) -> Option<u64> {
        self.api().users_page_size()
    }

    /// One user, by the reference the dialect's paths take (ADOC id, TD email), or by id or
    /// email, whichever the person typed (the emergency deep link).
    pub async fn find_user(&self, id_or_email: &str) -> Result<User, ApiError> {
        let api = self.api();
        let needle = id_or_email.trim();
        api.pick_user(needle, &self.client.value(&api.find_user(needle)).await?)
    }

    /// Every API key of the user, walking all pages.
    pub async fn keys(&self, user: &User) -> Result<Vec<ApiKey>, ApiError> {
        let api = self.api();
        let reference = api.reference(user);
        every_page(api.keys_page_size(), |page| async move {
            api.parse_keys_page(&self.client.value(&api.list_keys(reference, page)).await?)
        })
        .await
    }

    pub async fn groups(&self, user: &User) -> Result<Vec<Group>, ApiError> {
        let api = self.api();
        let value = self
            .read(Capability::Groups, api.list_groups(&self.target(user)))
            .await?;
        api.parse_groups(&value)
    }

    pub async fn roles(&self, user: &User) -> Result<Vec<Role>, ApiError> {
        let api = self.api();
        let value = self
            .read(Capability::Roles, api.list_roles(&self.target(user)))
            .await?;
        api.parse_roles(&value)
    }

    pub async fn permissions(&self, user: &User) -> Result<Vec<Permission>, ApiError> {
        let api = self.api();
        let request = api.list_permissions(&self.target(user));
        api.parse_permissions(&self.read(Capability::Permissions, request).await?)
    }

    pub async fn pipelines(&self, user: &User) -> Result<Vec<Pipeline>, ApiError> {
        let api = self.api();
        let request = api.owned_pipelines(&self.target(user));
        api.parse_pipelines(&self.read(Capability::Pipelines, request).await?)
    }

    fn target(&self, user: &User) -> Target {
        Target::new(user, self.dialect)
    }

    /// Sends a read the dialect may not have, saying so without calling when it has not.
    async fn read(
        &self,
        capability: Capability,
        request: Option<crate::http::Request>,
    ) -> Result<serde_json::Value, ApiError> {
        match request {
            Some(request) => self.client.value(&request).await,
            None => Err(crate::dialect::not_offered(self.api().label(), capability)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::tests::{FakeClock, Scripted, answer};
    use crate::http::{LocalBoxFuture, NetworkError, Request, Response};
    use futures::executor::block_on;
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
        assert!(!platform.offers(Capability::Groups));
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
