//! Who may call what and change whom: the gates in front of the endpoints, the shared policy of
//! [`offboard_engine::policy`] (not reimplemented here), and the SCIM rule.

use offboard_engine::policy::{Party, may_take_access};

use crate::auth::Caller;
use crate::error::AppError;
use crate::store::keys::KeyType;
use crate::store::users::UserRow;

impl Caller {
    fn party(&self) -> Party<'_> {
        Party {
            id: &self.user_id,
            role: self.role,
        }
    }

    /// Every endpoint of the contract refuses write-only keys.
    pub fn require_master(&self) -> Result<(), AppError> {
        match self.key_type {
            KeyType::Master => Ok(()),
            KeyType::WriteOnly => Err(AppError::Forbidden(
                "write-only keys cannot call admin endpoints".into(),
            )),
        }
    }

    /// Admin endpoints need a master key of an owner or admin.
    pub fn require_admin(&self) -> Result<(), AppError> {
        self.require_master()?;
        if self.role.is_administrator() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "{} is a restricted user: this endpoint needs an administrator or the account owner.",
                self.email
            )))
        }
    }
}

/// The shared policy: may `caller` take access away from (or restore it to) `target`?
pub fn may_change_access(caller: &Caller, target: &UserRow) -> Result<(), AppError> {
    may_take_access(
        caller.party(),
        Party {
            id: &target.user_id,
            role: target.account_role,
        },
    )?;
    Ok(())
}

/// The policy plus the SCIM rule, for changes to the user record itself (update, groups,
/// removal). API keys are not managed by the identity provider, so key changes use
/// [`may_change_access`] alone.
pub fn may_change_user(caller: &Caller, target: &UserRow) -> Result<(), AppError> {
    may_change_access(caller, target)?;
    if let Some(idp) = offboard_engine::policy::identity_provider_of(
        target.scim_managed,
        target.identity_provider.as_deref(),
    ) {
        return Err(AppError::Forbidden(format!(
            "{} is managed by {idp} through SCIM: change this user in {idp}.",
            target.email
        )));
    }
    Ok(())
}
