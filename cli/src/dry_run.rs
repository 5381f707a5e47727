//! The dry run as text: each step of the engine's plan, why, and every call it would make now,
//! one per line (`METHOD path body`), so it reads in a terminal and greps in a job's log.

use offboard_engine::http::{Body, Request, encode_form};
use offboard_engine::run::plan::Plan;
use offboard_engine::words;
use std::fmt::Write;

pub fn describe(plan: &Plan, base_url: &str) -> String {
    let target = &plan.target;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Dry run, nothing is changed. {} of {} <{}> on {} ({base_url}):",
        plan.kind.label(),
        target.name,
        target.email,
        plan.dialect.label()
    );
    let mut calls = 0;
    let mut changes = 0;
    for (number, step) in plan.steps.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {}", number + 1, step.title);
        let _ = writeln!(out, "   {}", step.why);
        if target.scim_managed && step.action.owned_by_identity_provider() {
            let idp = target.identity_provider_name();
            let _ = writeln!(
                out,
                "   Not possible here: {} is managed by {idp} through SCIM, so this is done in {idp}.",
                target.email
            );
            continue;
        }
        for request in step.preview(plan) {
            calls += 1;
            changes += usize::from(request.method.is_mutating());
            let _ = writeln!(out, "   {}", line(&request));
        }
    }
    let _ = writeln!(
        out,
        "\nIn all: {}, {} of them {}. Steps that list what is left may make more once they run.",
        words::count(calls, "call"),
        changes,
        if changes == 1 { "a change" } else { "changes" }
    );
    out
}

/// `PUT /admin/api/users/u-1 {"enabled":false}`: the body compact, on the same line.
fn line(request: &Request) -> String {
    let body = match &request.body {
        Body::None => String::new(),
        Body::Json(value) => format!(" {value}"),
        Body::Form(fields) => format!(" {}", encode_form(fields)),
    };
    format!("{}{body}", request.line())
}
