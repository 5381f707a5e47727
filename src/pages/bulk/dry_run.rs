//! The bulk dry run: every call each line's run would make now, person by person and platform
//! by platform, drawn by the engine from what each platform says of them; nothing is changed.

use crate::api;
use crate::format::today;
use crate::pages::emergency::read_inventory;
use crate::session::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::bulk::{BulkMode, PlatformLine, RowPreview};
use offboard_engine::platform::Capability;
use offboard_engine::run::plan::{self, Departure};

/// One line's calls: (line, who, the plan's title, the calls).
type Listed = (usize, String, String, Vec<String>);

#[component]
pub fn DryRun(connections: Vec<Connection>, lines: Vec<PlatformLine>) -> impl IntoView {
    let listed = RwSignal::new(None::<Vec<Listed>>);
    let working = RwSignal::new(false);
    let several = connections.len() > 1;
    let runnable: Vec<PlatformLine> = lines.into_iter().filter(|l| l.runs()).collect();
    let start = move |_| {
        working.set(true);
        let (connections, runnable) = (connections.clone(), runnable.clone());
        spawn_local(async move {
            let mut all = Vec::new();
            for line in &runnable {
                let connection = &connections[line.platform];
                let (number, who, title, calls) = calls_of(connection, &line.preview).await;
                let title = match several {
                    true => format!("{title} on {}", connection.name),
                    false => title,
                };
                all.push((number, who, title, calls));
            }
            let _ = listed.try_set(Some(all));
            let _ = working.try_set(false);
        });
    };
    view! {
        {move || match listed.get() {
            None => view! {
                <button type="button" on:click=start.clone() disabled=move || working.get()>
                    {move || if working.get() { "Listing the calls…" } else { "Dry run: list every call" }}
                </button>
            }.into_any(),
            Some(all) => view! {
                <div class="bulk-dry-run" role="region" aria-label="Dry run">
                    <h3>"Dry run: nothing was changed"</h3>
                    <p class="hint">"The calls each run would make now. Steps that list what is left may make more once they run (a key created meanwhile)."</p>
                    {all.into_iter().map(|(line, who, title, calls)| {
                        let changes = calls.iter().filter(|c| !c.starts_with("GET ")).count();
                        view! {
                            <details>
                                <summary>{format!("Line {line}: {title} of {who}, {} calls, {changes} of them changes", calls.len())}</summary>
                                <pre>{calls.join("\n")}</pre>
                            </details>
                        }
                    }).collect_view()}
                </div>
            }.into_any(),
        }}
    }
}

/// The calls the engine's plan for `preview`'s row makes, as far as they are known now.
async fn calls_of(connection: &Connection, preview: &RowPreview) -> Listed {
    let row = &preview.row;
    let dialect = connection.dialect();
    let reference = preview
        .person
        .as_ref()
        .map_or(row.who.clone(), |p| p.reference(dialect).to_string());
    let mut drawn = read_inventory(connection.clone(), reference).await;
    // The guided steps hand the person's pipelines over: read them too, so their calls show.
    if let (BulkMode::Disable, Ok(inventory)) = (row.mode, &mut drawn)
        && dialect.offers(Capability::Pipelines)
    {
        let owner = inventory.user.clone();
        let owned = api::with_platform(connection, async |p| p.pipelines(&owner).await).await;
        inventory.pipelines = owned
            .map(|owned| owned.into_iter().map(|p| p.uid).collect())
            .unwrap_or_default();
    }
    let drawn = drawn.map(|inventory| match row.mode {
        BulkMode::Disable => {
            let departure = Departure {
                date: today(),
                reason: row.reason.clone(),
                handed_off_to: row.handed_off_to.clone().unwrap_or_default(),
            };
            plan::wizard(dialect, &inventory, &departure, row.keys.clone())
        }
        BulkMode::Emergency => plan::emergency(dialect, &inventory, &today()),
        BulkMode::Delete => plan::deletion(dialect, &inventory, row.keys.clone()),
    });
    match drawn {
        Ok(plan) => {
            let calls = plan
                .steps
                .iter()
                .flat_map(|step| step.preview(&plan))
                .map(|request| request.line())
                .collect();
            (
                row.line,
                row.who.clone(),
                plan.kind.label().to_string(),
                calls,
            )
        }
        Err(error) => (
            row.line,
            row.who.clone(),
            "Cannot be read now".to_string(),
            vec![error.plain_words()],
        ),
    }
}
