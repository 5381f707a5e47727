//! Runs in the browser: a journal the screens render, a signal that changes with it, and the
//! tasks that drive the engine's runner.

pub mod storage;

use crate::api;
use crate::session::Connection;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offboard_engine::client::RetryPolicy;
use offboard_engine::dialect::KeyDisposal;
use offboard_engine::run::execute::Runner;
use offboard_engine::run::journal::{Journal, StepStatus};
use offboard_engine::run::plan::Departure;
use offboard_engine::run::report::{Tally, tally};
use std::cell::RefCell;
use std::rc::Rc;

/// Journal writes are throttled: a 200-key lockout changes it hundreds of times a second.
const PERSIST_EVERY_MS: u64 = 400;

/// How long a run waits for a platform that stopped answering (network gone, server
/// restarting) before its calls fail: long enough for a restart or a phone finding its network
/// again, short enough that a run against a platform that is truly gone ends with a verdict.
pub const OUTAGE_PATIENCE_MS: f64 = 5.0 * 60_000.0;

/// How often a running run looks whether the platform is still answering.
const OUTAGE_CHECK_MS: u64 = 500;

/// A run shown on screen. Cheap to copy; every copy refers to the same journal.
#[derive(Clone, Copy)]
pub struct RunHandle {
    journal: StoredValue<Rc<RefCell<Journal>>, LocalStorage>,
    /// Changes whenever the journal does: views that read the journal track it.
    version: RwSignal<u32>,
    busy: RwSignal<bool>,
    /// How long the platform has answered no call, while a run waits for it.
    silent_for_ms: RwSignal<Option<f64>>,
    persist_pending: StoredValue<bool>,
    render_pending: StoredValue<bool>,
}

impl RunHandle {
    /// Creates the handle's signals under the current reactive owner: create it in a component
    /// that stays mounted while the run is shown (not in one the run replaces).
    pub fn new(journal: Journal) -> Self {
        let handle = RunHandle {
            journal: StoredValue::new_local(Rc::new(RefCell::new(journal))),
            version: RwSignal::new(0),
            busy: RwSignal::new(false),
            silent_for_ms: RwSignal::new(None),
            persist_pending: StoredValue::new(false),
            render_pending: StoredValue::new(false),
        };
        handle.persist_now();
        handle
    }

    /// Reads the journal, re-running the reader whenever the journal changes.
    pub fn with<R>(&self, read: impl FnOnce(&Journal) -> R) -> R {
        self.version.track();
        self.journal.with_value(|journal| read(&journal.borrow()))
    }

    /// Reads the journal without tracking it.
    pub fn with_untracked<R>(&self, read: impl FnOnce(&Journal) -> R) -> R {
        self.journal.with_value(|journal| read(&journal.borrow()))
    }

    /// A derived signal of what `read` takes from the journal: it changes only when that does,
    /// so a view built on it is not re-rendered by the run's other calls (a form being filled
    /// in beside a running step keeps its state). Create it in the view that reads it.
    pub fn select<T>(&self, read: impl Fn(&Journal) -> T + Send + Sync + 'static) -> Memo<T>
    where
        T: PartialEq + Send + Sync + 'static,
    {
        let handle = *self;
        Memo::new(move |_| handle.with(&read))
    }

    /// One step's state as its card shows it.
    pub fn step(&self, index: usize) -> Memo<StepState> {
        self.select(move |journal| StepState::of(journal, index))
    }

    /// Whether a step is running (buttons that would start another are disabled).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// While a run waits for a platform that stopped answering: for how long (ms).
    pub fn silent_for_ms(&self) -> Option<f64> {
        self.silent_for_ms.get()
    }

    /// Changes the journal outside the runner (skip a step, set the notification time …).
    pub fn update(&self, change: impl FnOnce(&mut Journal)) {
        self.journal
            .with_value(|journal| change(&mut journal.borrow_mut()));
        self.changed();
        self.persist_now();
    }

    /// Runs one step (or, with `None`, every step not yet finished), then calls `done`.
    pub fn run(&self, connection: &Connection, step: Option<usize>, done: impl FnOnce() + 'static) {
        let work = match step {
            Some(index) => Work::Step(index),
            None => Work::Remaining,
        };
        self.drive(connection, work, done);
    }

    /// Runs the guided steps without a person at each one (bulk): step 1, the departure
    /// decided beforehand, then the rest (see `Runner::run_guided`).
    pub fn run_guided(
        &self,
        connection: &Connection,
        departure: Departure,
        keys: KeyDisposal,
        done: impl FnOnce() + 'static,
    ) {
        self.drive(connection, Work::Guided(departure, keys), done);
    }

    fn drive(&self, connection: &Connection, work: Work, done: impl FnOnce() + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        let handle = *self;
        let journal = self.journal.get_value();
        let client = Rc::new(
            api::client(connection).with_retry(RetryPolicy::riding_out_outages(OUTAGE_PATIENCE_MS)),
        );
        handle.watch_for_silence(Rc::clone(&client));
        spawn_local(async move {
            let notify = move || handle.changed();
            let runner = Runner::new(&*client, &journal, &notify);
            match work {
                Work::Step(index) => {
                    runner.run_step(index).await;
                }
                Work::Remaining => runner.run_remaining().await,
                Work::Guided(departure, keys) => runner.run_guided(&departure, keys).await,
            }
            handle.persist_now();
            handle.render_now();
            let _ = handle.busy.try_set(false);
            done();
        });
    }

    /// While the run is busy, says how long the platform has answered nothing (the runner's own
    /// notifications stop when no call finishes, so this looks by itself).
    fn watch_for_silence(&self, client: Rc<api::Api>) {
        let handle = *self;
        spawn_local(async move {
            loop {
                api::sleep(OUTAGE_CHECK_MS).await;
                let running = handle.busy.try_get_untracked() == Some(true);
                let silent = client
                    .unreachable_since()
                    .filter(|_| running)
                    .map(|since| api::now_ms() - since);
                if handle.silent_for_ms.try_set(silent).is_some() || !running {
                    return; // the page is gone, or the run ended
                }
            }
        });
    }

    /// Called by the runner after every call. The screen catches up once per animation frame:
    /// re-rendering after each of 200 calls would keep the main thread from starting the next
    /// requests (measured: 1.7 of 6 requests in flight instead of 6).
    fn changed(&self) {
        if self.render_pending.try_get_value() == Some(false) {
            self.render_pending.set_value(true);
            let handle = *self;
            request_animation_frame(move || handle.render_now());
        }
        if self.persist_pending.try_get_value() == Some(false) {
            self.persist_pending.set_value(true);
            let handle = *self;
            spawn_local(async move {
                api::sleep(PERSIST_EVERY_MS).await;
                handle.persist_now();
            });
        }
    }

    fn render_now(&self) {
        // `try_set_value` hands the value back (`Some`) only when the handle is disposed.
        if self.render_pending.try_set_value(false).is_none() {
            let _ = self.version.try_update(|v| *v = v.wrapping_add(1));
        }
    }

    fn persist_now(&self) {
        // `try_set_value` hands the value back (`Some`) only when the handle is disposed.
        if self.persist_pending.try_set_value(false).is_some() {
            return; // the page is gone
        }
        self.journal
            .with_value(|journal| storage::save(&journal.borrow()));
    }
}

/// What a run is asked to do.
enum Work {
    Step(usize),
    Remaining,
    Guided(Departure, KeyDisposal),
}

/// What a step's card shows of its step, read from the journal in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct StepState {
    pub status: StepStatus,
    /// Every step before it is done or skipped.
    pub reachable: bool,
    /// Its calls so far, counted.
    pub tally: Tally,
}

impl StepState {
    pub fn of(journal: &Journal, index: usize) -> Self {
        StepState {
            status: journal.steps[index].status.clone(),
            reachable: journal.steps[..index]
                .iter()
                .all(|step| step.status.is_finished()),
            tally: tally(journal, index),
        }
    }

    /// The step to act on now: reachable, not finished, not running.
    pub fn open(&self) -> bool {
        self.reachable && !self.status.is_finished() && self.status != StepStatus::Running
    }

    /// Calls made so far (reads and changes).
    pub fn calls(&self) -> usize {
        self.tally.reads + self.tally.changes
    }
}
