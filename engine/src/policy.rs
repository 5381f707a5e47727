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

#[cfg(test)]
mod tests {
    use super::*;

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
