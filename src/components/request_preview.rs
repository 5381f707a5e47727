//! The exact calls a step will make, shown before it runs: method, URL, headers with secrets
//! masked, and body.

use crate::session::Connection;
use leptos::prelude::*;
use offboard_engine::http::Request;

#[component]
pub fn RequestPreview(
    /// The calls, in order.
    requests: Vec<Request>,
    connection: Connection,
    /// Open by default (e.g. when there are only a few calls).
    #[prop(optional)]
    open: bool,
) -> impl IntoView {
    let headers: Vec<String> = connection
        .credentials
        .masked_headers()
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    let headers = headers.join("\n");
    let count = requests.len();
    let summary = if count == 1 {
        "The call it makes".to_string()
    } else {
        format!("The {count} calls it makes")
    };
    let base = connection.base_url.trim_end_matches('/').to_string();
    view! {
        <details class="request-preview" open=open>
            <summary>{summary.clone()}</summary>
            <p class="hint">{format!("Sent to {base} with:")}</p>
            <pre class="headers">{headers}</pre>
            // Scrolls when long, so it takes the keyboard's focus to be scrolled by arrow keys.
            <ol class="calls" tabindex="0" aria-label=summary.clone()>
                {requests.into_iter().map(|request| {
                    let body = request.body_text();
                    view! {
                        <li>
                            <code class="line"><span class=format!("method method-{}", request.method.as_str().to_lowercase())>{request.method.as_str()}</span>" "{request.path.clone()}</code>
                            {(!body.is_empty()).then(|| view! { <pre class="body">{body}</pre> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}
