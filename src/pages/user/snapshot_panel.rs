//! "Document current access": freezes what the page shows into a [`Snapshot`] with who took it,
//! when and from where, then offers it as JSON, CSV and a print view.

use super::sections::Loaded;
use crate::download;
use crate::format::{now_rfc3339, short_time};
use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::error::ApiError;
use offboard_engine::model::User;
use offboard_engine::platform::Capability;
use offboard_engine::snapshot::{Provenance, Section, Snapshot};

#[component]
pub fn SnapshotPanel(
    connection: Connection,
    user: Loaded<User>,
    keys: Loaded<Vec<offboard_engine::model::ApiKey>>,
    groups: Loaded<Vec<offboard_engine::model::Group>>,
    roles: Loaded<Vec<offboard_engine::model::Role>>,
    permissions: Loaded<Vec<offboard_engine::model::Permission>>,
    pipelines: Loaded<Vec<offboard_engine::model::Pipeline>>,
) -> impl IntoView {
    let taken = RwSignal::new(None::<Snapshot>);
    let dialect = connection.dialect();
    let settled = move || {
        user.get().is_some()
            && keys.get().is_some()
            && [
                groups.get().is_some(),
                roles.get().is_some(),
                permissions.get().is_some(),
                pipelines.get().is_some(),
            ]
            .iter()
            .all(|done| *done || !dialect.offers(Capability::Groups))
    };
    let take = move |_| {
        let Some(Ok(person)) = user.get_untracked() else {
            return;
        };
        let offered = dialect.offers(Capability::Groups);
        taken.set(Some(Snapshot {
            provenance: Provenance {
                taken_at: now_rfc3339(),
                taken_by: crate::session::operator(&connection),
                endpoint: connection.base_url.clone(),
                dialect,
            },
            user: person,
            api_keys: section(keys.get_untracked(), true),
            groups: section(groups.get_untracked(), offered),
            roles: section(roles.get_untracked(), offered),
            permissions: section(permissions.get_untracked(), offered),
            pipelines: section(pipelines.get_untracked(), offered),
        }));
    };
    let can_take = move || settled() && matches!(user.get(), Some(Ok(_)));

    let result = move || {
        taken.get().map(|snapshot| {
            let stem = snapshot.file_stem();
            let json = serde_json::to_string_pretty(&snapshot.to_json()).unwrap_or_default();
            let csv = snapshot.to_csv();
            let (json_name, csv_name) = (format!("{stem}.json"), format!("{stem}.csv"));
            let failed = snapshot.to_json()["errors"].as_object().map_or(0, |errors| errors.len());
            view! {
                <div class="notice notice-ok" role="status">
                    <p>
                        {format!("Snapshot taken {} by {}.", short_time(&snapshot.provenance.taken_at), snapshot.provenance.taken_by)}
                        {(failed > 0).then(|| format!(" {failed} section(s) could not be read and are recorded as errors."))}
                    </p>
                    <div class="actions">
                        <button type="button" on:click=move |_| { download::save(&json_name, "application/json", &json); }>"Download JSON"</button>
                        <button type="button" on:click=move |_| { download::save(&csv_name, "text/csv", &csv); }>"Download CSV"</button>
                        <button type="button" on:click=|_| download::print()>"Print"</button>
                    </div>
                </div>
                <div class="print-only provenance">
                    <h2>"Access snapshot"</h2>
                    <p>{format!("Taken {} by {} from {} ({}).", snapshot.provenance.taken_at, snapshot.provenance.taken_by,
                        snapshot.provenance.endpoint, snapshot.provenance.dialect.label())}</p>
                </div>
            }
        })
    };

    view! {
        <section class="snapshot no-print-border" aria-label="Snapshot">
            <div class="actions no-print">
                <button type="button" class="primary" on:click=take disabled=move || !can_take()>
                    "Document current access"
                </button>
                <span class="hint">{move || if settled() { "Freezes what this page shows, for the audit trail and handover." } else { "Waiting for every section to load…" }}</span>
            </div>
            {result}
        </section>
    }
}

/// A section as read: its items, its error in words (with the technical detail), or absent.
fn section<T>(read: Option<Result<Vec<T>, ApiError>>, offered: bool) -> Section<T> {
    match read {
        _ if !offered => Section::NotOffered,
        Some(Ok(items)) => Section::Read(items),
        Some(Err(error)) => Section::Failed(format!("{} ({error})", error.plain_words())),
        None => Section::Failed("not loaded".into()),
    }
}
