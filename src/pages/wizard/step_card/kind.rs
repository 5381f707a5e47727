//! Which of the wizard's kinds of step a card shows, read from the step's typed action (never
//! from its id), and the words of its confirm button.

use offboard_engine::run::plan::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Document,
    Disable,
    RevokeKeys,
    RemoveGroups,
    Verify,
    TransferPipelines,
    RemoveUser,
    /// A kind of step the wizard does not draw (a lockout's or a deletion's): a plain card.
    Other,
}

impl StepKind {
    pub fn of(action: &Action) -> Self {
        match action {
            Action::Document => StepKind::Document,
            Action::Disable { .. } => StepKind::Disable,
            Action::RevokeKeys { .. } => StepKind::RevokeKeys,
            Action::RemoveGroups { .. } => StepKind::RemoveGroups,
            Action::Verify { .. } => StepKind::Verify,
            Action::TransferPipelines { .. } => StepKind::TransferPipelines,
            Action::RemoveUser { .. } => StepKind::RemoveUser,
            Action::LockOut { .. }
            | Action::DeleteUser
            | Action::Reactivate { .. }
            | Action::RestoreGroups { .. } => StepKind::Other,
        }
    }

    /// The button that runs the step, named for what it does.
    pub fn confirm_label(self) -> &'static str {
        match self {
            StepKind::Document => "Record current access",
            StepKind::Disable => "Disable the account",
            StepKind::RevokeKeys => "Revoke all API keys",
            StepKind::RemoveGroups => "Remove all group memberships",
            StepKind::Verify => "Verify now",
            StepKind::TransferPipelines => "Transfer the pipelines",
            StepKind::RemoveUser => "Remove the user",
            StepKind::Other => "Run this step",
        }
    }
}
