//! Who may change whom: the one rule both the reference server enforces and the console shows.
//!
//! It comes from the Treasure Data runbook ("owners can delete administrators and restricted
//! users; administrators can delete restricted users only") and DESIGN.md ("nobody removes
//! themselves or the account owner"). Offboard applies it to every change that takes access away
//! (disable, revoke keys of, remove groups of, delete), in both dialects.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A person's standing in the account, independent of the data roles they get from groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountRole {
    Owner,
    Admin,
    Restricted,
}

impl AccountRole {
    /// Whether this role may call the admin APIs at all.
    pub fn is_administrator(self) -> bool {
        matches!(self, AccountRole::Owner | AccountRole::Admin)
    }

    /// The word shown to people ("owner", "admin", "restricted").
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Owner => "owner",
            AccountRole::Admin => "admin",
            AccountRole::Restricted => "restricted",
        }
    }

    /// Owner > admin > restricted: how much a key can do when it belongs to this role.
    fn rank(self) -> u8 {
        match self {
            AccountRole::Owner => 2,
            AccountRole::Admin => 1,
            AccountRole::Restricted => 0,
        }
    }

    /// Whether a key moving from `self` to `to` gains power: Treasure Data's warning that a
    /// reassigned key takes its new owner's permissions ("far greater than intended").
    pub fn escalates_to(self, to: AccountRole) -> bool {
        to.rank() > self.rank()
    }

    /// Parses the lowercase word used on the wire; `None` for anything else.
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_ascii_lowercase().as_str() {
            "owner" | "account_owner" | "account owner" => Some(AccountRole::Owner),
            "admin" | "administrator" => Some(AccountRole::Admin),
            "restricted" | "user" | "member" => Some(AccountRole::Restricted),
            _ => None,
        }
    }
}

impl fmt::Display for AccountRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two parties of a change: who acts and who is acted upon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party<'a> {
    pub id: &'a str,
    pub role: AccountRole,
}

/// Why a change is refused. The `Display` text is the plain-words message shown to people and
/// returned by the server in its error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Restricted users cannot take anyone's access away.
    NotAdministrator,
    /// Nobody removes or locks out themselves.
    OwnAccount,
    /// The account owner cannot be removed or locked out.
    AccountOwner,
    /// Administrators may change restricted users only.
    AdminOnAdmin,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::NotAdministrator => {
                "Only administrators and the account owner can take access away from users."
            }
            Refusal::OwnAccount => "You cannot remove or lock out your own account.",
            Refusal::AccountOwner => "The account owner cannot be removed or locked out.",
            Refusal::AdminOnAdmin => {
                "Administrators can change restricted users only; ask the account owner to change another administrator."
            }
        })
    }
}

impl std::error::Error for Refusal {}

/// Decides whether `actor` may take access away from `target`.
///
/// The order of the checks matters only for which reason is given: the most fundamental first.
pub fn may_take_access(actor: Party<'_>, target: Party<'_>) -> Result<(), Refusal> {
    if !actor.role.is_administrator() {
        return Err(Refusal::NotAdministrator);
    }
    if actor.id == target.id {
        return Err(Refusal::OwnAccount);
    }
    if target.role == AccountRole::Owner {
        return Err(Refusal::AccountOwner);
    }
    if actor.role == AccountRole::Admin && target.role != AccountRole::Restricted {
        return Err(Refusal::AdminOnAdmin);
    }
    Ok(())
}

/// One side of a change as a screen knows it: the account's id and email, and its role when
/// the platform says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub role: Option<AccountRole>,
}

impl<'a> From<&'a crate::model::User> for Account<'a> {
    fn from(user: &'a crate::model::User) -> Self {
        Account {
            id: &user.id,
            email: &user.email,
            role: user.account_role,
        }
    }
}

impl<'a> From<&'a crate::run::plan::Target> for Account<'a> {
    fn from(target: &'a crate::run::plan::Target) -> Self {
        Account {
            id: &target.id,
            email: &target.email,
            role: target.role,
        }
    }
}

/// The rule every screen shows before a change that takes access away (or restores it): why
/// `actor` may not change `target`, if they may not. It is [`may_take_access`] as far as the
/// console can know it: a platform that does not say who is connected (`actor` unknown, or its
/// role) leaves the decision to the server, which enforces the same rule; a target whose role
/// is not said is taken as restricted, the role every admin may change. The own account is
/// recognised by id or by email, whichever the platform's ids make comparable.
pub fn refusal(actor: Option<Account<'_>>, target: Account<'_>) -> Option<Refusal> {
    let actor = actor?;
    let same_email = !actor.email.is_empty() && actor.email.eq_ignore_ascii_case(target.email);
    if actor.id == target.id || same_email {
        return Some(Refusal::OwnAccount);
    }
    let actor = Party {
        id: actor.id,
        role: actor.role?,
    };
    let target = Party {
        id: target.id,
        role: target.role.unwrap_or(AccountRole::Restricted),
    };
    may_take_access(actor, target).err()
}

/// The identity provider that owns `target`'s account and groups through SCIM, if one does:
/// the platform refuses those changes, so they are done there. API keys stay the platform's.
pub fn identity_provider_of(scim_managed: bool, identity_provider: Option<&str>) -> Option<String> {
    scim_managed.then(|| identity_provider_name(identity_provider))
}

/// The identity provider as a sentence names it: by its name, or generically when unsaid.
pub fn identity_provider_name(name: Option<&str>) -> String {
    name.unwrap_or("the identity provider").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account<'a>(id: &'a str, email: &'a str, role: Option<AccountRole>) -> Account<'a> {
        Account { id, email, role }
    }

    #[test]
    fn the_screens_rule_is_the_servers_as_far_as_the_console_knows() {
        let admin = account("a", "admin@company.com", Some(AccountRole::Admin));
        let unknown = account("x", "x@company.com", None);
        assert_eq!(
            refusal(None, unknown),
            None,
            "nobody known: the server decides"
        );
        assert_eq!(refusal(Some(admin), unknown), None, "taken as restricted");
        assert_eq!(
            refusal(Some(admin), account("a2", "ADMIN@company.com", None)),
            Some(Refusal::OwnAccount),
            "the own account by email, whatever the id"
        );
        assert_eq!(
            refusal(
                Some(admin),
                account("b", "b@company.com", Some(AccountRole::Admin))
            ),
            Some(Refusal::AdminOnAdmin)
        );
        assert_eq!(
            refusal(
                Some(account("o", "o@c", None)),
                account("p", "p@c", Some(AccountRole::Owner))
            ),
            None,
            "the connected role unknown: the server decides"
        );
        assert_eq!(
            refusal(Some(admin), account("o", "", Some(AccountRole::Owner))),
            Some(Refusal::AccountOwner)
        );
        assert_eq!(
            refusal(
                Some(account("a", "", Some(AccountRole::Admin))),
                account("b", "", None)
            ),
            None,
            "empty emails are not the same account"
        );
    }

    #[test]
    fn scim_accounts_name_their_identity_provider() {
        assert_eq!(identity_provider_of(false, Some("Okta")), None);
        assert_eq!(
            identity_provider_of(true, Some("Okta")).as_deref(),
            Some("Okta")
        );
        assert_eq!(
            identity_provider_of(true, None).as_deref(),
            Some("the identity provider")
        );
    }

    fn party(id: &str, role: AccountRole) -> Party<'_> {
        Party { id, role }
    }

    #[test]
    fn keys_moved_to_a_stronger_role_escalate() {
        use AccountRole::*;
        assert!(Restricted.escalates_to(Admin));
        assert!(Restricted.escalates_to(Owner));
        assert!(Admin.escalates_to(Owner));
        assert!(!Admin.escalates_to(Admin));
        assert!(!Owner.escalates_to(Restricted));
    }

    #[test]
    fn owner_changes_admins_and_restricted_users() {
        let owner = party("o", AccountRole::Owner);
        assert_eq!(
            may_take_access(owner, party("a", AccountRole::Admin)),
            Ok(())
        );
        assert_eq!(
            may_take_access(owner, party("r", AccountRole::Restricted)),
            Ok(())
        );
    }

    #[test]
    fn admin_changes_restricted_users_only() {
        let admin = party("a", AccountRole::Admin);
        assert_eq!(
            may_take_access(admin, party("r", AccountRole::Restricted)),
            Ok(())
        );
        assert_eq!(
            may_take_access(admin, party("a2", AccountRole::Admin)),
            Err(Refusal::AdminOnAdmin)
        );
        assert_eq!(
            may_take_access(admin, party("o", AccountRole::Owner)),
            Err(Refusal::AccountOwner)
        );
    }

    #[test]
    fn nobody_changes_themselves() {
        for role in [AccountRole::Owner, AccountRole::Admin] {
            assert_eq!(
                may_take_access(party("x", role), party("x", role)),
                Err(Refusal::OwnAccount)
            );
        }
    }

    #[test]
    fn restricted_users_change_nobody() {
        let restricted = party("r", AccountRole::Restricted);
        assert_eq!(
            may_take_access(restricted, party("r2", AccountRole::Restricted)),
            Err(Refusal::NotAdministrator)
        );
    }

    #[test]
    fn roles_parse_from_wire_words() {
        assert_eq!(
            AccountRole::parse("Administrator"),
            Some(AccountRole::Admin)
        );
        assert_eq!(AccountRole::parse("owner"), Some(AccountRole::Owner));
        assert_eq!(
            AccountRole::parse("restricted"),
            Some(AccountRole::Restricted)
        );
        assert_eq!(AccountRole::parse("root"), None);
    }
}
