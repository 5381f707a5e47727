//! What every screen must pass, whatever it shows: no rule of axe-core broken (WCAG 2.2 A and
//! AA, and axe's best practices), and nothing refused by the page's Content Security Policy.
//!
//! [`Checks`] collects the findings of a whole walk through the screens and fails once at the
//! end with all of them, so one run lists everything to mend.

use crate::support::Browser;
use serde_json::{Value, json};
use std::path::Path;

/// Installed before any script of every page the browser opens: keeps each CSP violation.
const CSP_WATCH: &str = "window.__cspViolations = [];\
    document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(\
      `${e.effectiveDirective} refused ${e.blockedURI || 'inline code'} at ${e.sourceFile || '?'}:${e.lineNumber}`));";

/// Runs axe on the whole document and keeps only what matters to read a violation: the rule,
/// its impact, and each offending element with axe's summary of what is wrong.
const AXE_RUN: &str = "return axe.run(document, {resultTypes: ['violations']}).then(r => \
    r.violations.map(v => `${v.id} (${v.impact}): ${v.help}\\n` + v.nodes.map(n => \
      `      ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\\s+/g, ' ')}`).join('\\n')));";

/// axe-core's script (650 kB), installed by `make install-axe`; read once for all the tests.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tools/axe/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}: run `make install-axe`", path.display()))
    })
}

/// The findings of one walk through the screens.
pub struct Checks {
    axe: &'static str,
    findings: Vec<String>,
    screens: usize,
}

impl Checks {
    /// Starts watching `browser` for CSP violations on every page it opens from now on.
    pub async fn watch(browser: &Browser) -> Self {
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({"source": CSP_WATCH}),
            )
            .await;
        Checks {
            axe: axe_source(),
            findings: Vec::new(),
            screens: 0,
        }
    }

    /// Checks the screen as it is now; `screen` names it in the findings and its screenshot.
    pub async fn screen(&mut self, browser: &Browser, screen: &str) {
        self.screens += 1;
        let found = self.axe_violations(browser).await;
        let refused = csp_violations(browser).await;
        if found.is_empty() && refused.is_empty() {
            return;
        }
        browser.screenshot(&format!("a11y-{screen}")).await;
        for violation in found {
            self.findings.push(format!("{screen}: {violation}"));
        }
        for violation in refused {
            self.findings.push(format!("{screen}: CSP: {violation}"));
        }
    }

    async fn axe_violations(&self, browser: &Browser) -> Vec<String> {
        let loaded = browser
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .expect("page answers");
        if loaded != Value::Bool(true) {
            // The page's CSP does not apply to WebDriver's scripts, so axe needs no exception.
            browser
                .client
                .execute(&format!("{};\nreturn true;", self.axe), vec![])
                .await
                .expect("axe-core loads");
        }
        let answer = browser
            .client
            .execute(AXE_RUN, vec![])
            .await
            .expect("axe runs");
        strings(&answer)
    }

    /// Fails with every finding of the walk, if there was any.
    pub fn finish(self) {
        assert!(self.screens > 0, "no screen was checked");
        assert!(
            self.findings.is_empty(),
            "{} finding(s) on {} screens:\n{}",
            self.findings.len(),
            self.screens,
            self.findings.join("\n")
        );
    }
}

/// The CSP violations the page has seen since it loaded.
async fn csp_violations(browser: &Browser) -> Vec<String> {
    let answer = browser
        .client
        .execute(
            "return window.__cspViolations || ['the CSP watch is not installed'];",
            vec![],
        )
        .await
        .expect("page answers");
    strings(&answer)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map_or_else(|| item.to_string(), str::to_string)
                })
                .collect()
        })
        .unwrap_or_default()
}
