//! The single writer: every change, and every audit event, goes through one task that owns one
//! connection and commits in groups.
//!
//! Why: a durable commit (SQLite WAL with `synchronous=FULL`) costs a disk flush, about 0.8 ms
//! here, and that flush, not the SQL, bounds how fast an offboarding runs. So the writer takes a
//! job from its channel, `BEGIN`s, runs the job inside a `SAVEPOINT` (its change *and* its audit
//! event), then drains whatever other jobs are already queued (at most [`MAX_BATCH`]), each in
//! its own savepoint, and only then `COMMIT`s once and answers every job. Sequential callers get
//! one transaction per call; the browser's six parallel calls share one flush.
//!
//! - Each job stays atomic: if it fails, `ROLLBACK TO` its savepoint undoes its change alone, and
//!   a 400/403/404 failure still appends a `denied`/`not_found`/`invalid` event.
//! - A change never commits without its event: if the event cannot be appended, the job is
//!   rolled back too.
//! - The chain's head (seq, hash) lives here, in memory, and advances only when a job's
//!   savepoint is released. If anything at transaction level fails (savepoint, COMMIT), every
//!   job of the batch gets an error and the head is reloaded from the database.
//! - Nobody answers before COMMIT, so a caller that got 200 is durable, and its next request
//!   (through the read pool) sees the change: a disabled user's key fails at once.
//!
//! One server process owns a database. A second process writing the same database would hold
//! a stale head; the UNIQUE (primary key) `seq` of `audit_events` makes its appends fail rather
//! than fork the chain. Reads go through the ordinary pool: WAL readers do not block the writer.
//! The same code runs on PostgreSQL, where savepoints also clear a failed statement's error.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;

use serde_json::Value;
use sqlx::{AnyConnection, Executor};
use tokio::sync::{mpsc, oneshot};

use crate::audit::{self, Draft, Head, Outcome};
use crate::error::AppError;

/// The most jobs one transaction takes. Bounds the latency a job waits behind others.
pub const MAX_BATCH: usize = 64;
/// Jobs waiting beyond this make callers wait to enqueue (back-pressure).
const QUEUE: usize = 1024;

/// What a change returns: the response body, or why it failed.
pub type OpFuture<'c> = Pin<Box<dyn Future<Output = Result<Value, AppError>> + Send + 'c>>;

/// A change, run on the writer's connection with the event draft it may complete.
type Op = Box<dyn for<'c> FnOnce(&'c mut AnyConnection, &'c mut Draft) -> OpFuture<'c> + Send>;

/// A job's answer: the response body, or why it failed.
type Answer = Result<Value, AppError>;

struct Job {
    draft: Draft,
    op: Op,
    reply: oneshot::Sender<Answer>,
}

/// The handle requests use to submit changes. Cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    /// Transactions committed so far (tests check that concurrent jobs share them).
    #[cfg_attr(not(test), allow(dead_code))]
    commits: Arc<AtomicU64>,
}

fn boxed<F>(op: F) -> Op
where
    F: for<'c> FnOnce(&'c mut AnyConnection, &'c mut Draft) -> OpFuture<'c> + Send + 'static,
{
    Box::new(op)
}

impl Writer {
    /// Takes over `conn` (already migrated) and starts the writer task.
    pub async fn start(mut conn: AnyConnection) -> Result<Self, sqlx::Error> {
        let head = audit::load_head(&mut conn).await?;
        let (jobs, inbox) = mpsc::channel(QUEUE);
        let commits = Arc::new(AtomicU64::new(0));
        tokio::spawn(
            WriterTask {
                conn,
                head,
                inbox,
                commits: commits.clone(),
            }
            .run(),
        );
        Ok(Writer { jobs, commits })
    }

    /// Runs one mutating call. `prepared` is what the handler checked before touching the
    /// database (gate, body): an error there is recorded as an attempt without running `op`.
    /// `op` runs inside the job's savepoint and may complete the draft (target, detail).
    pub async fn run<P, F>(&self, draft: Draft, prepared: Result<P, AppError>, op: F) -> Answer
    where
        P: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection, &'c mut Draft, P) -> OpFuture<'c> + Send + 'static,
    {
        let op = match prepared {
            Ok(input) => boxed(move |conn, draft| op(conn, draft, input)),
            Err(err) if Outcome::for_error(&err).is_some() => {
                boxed(move |_, _| Box::pin(async move { Err(err) }))
            }
            Err(err) => return Err(err),
        };
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { draft, op, reply })
            .await
            .map_err(|_| AppError::Unavailable)?;
        answer.await.map_err(|_| AppError::Unavailable)?
    }

    #[cfg(test)]
    fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

struct WriterTask {
    conn: AnyConnection,
    head: Head,
    inbox: mpsc::Receiver<Job>,
    commits: Arc<AtomicU64>,
}

/// A transaction-level failure: the whole batch is lost.
type BatchError = sqlx::Error;

impl WriterTask {
    async fn run(mut self) {
        while let Some(first) = self.inbox.recv().await {
            self.run_batch(first).await;
        }
        tracing::debug!("writer stopped: every request handle is gone");
    }

    async fn run_batch(&mut self, first: Job) {
        let mut answered: Vec<(oneshot::Sender<Answer>, Answer)> = Vec::new();
        let mut failure: Option<BatchError> = self.conn.execute("BEGIN").await.err();
        let mut next = if failure.is_none() {
            Some(first)
        } else {
            answered.push((first.reply, Err(AppError::Internal("BEGIN failed".into()))));
            None
        };
        while let Some(Job { draft, op, reply }) = next.take() {
            match self.run_job(draft, op).await {
                Ok(result) => answered.push((reply, result)),
                Err(err) => {
                    answered.push((reply, Err(AppError::Internal("transaction failed".into()))));
                    failure = Some(err);
                    break;
                }
            }
            if answered.len() < MAX_BATCH {
                next = self.inbox.try_recv().ok();
            }
        }
        if failure.is_none() {
            failure = self.conn.execute("COMMIT").await.err();
        }
        if let Some(err) = failure {
            tracing::error!(%err, jobs = answered.len(), "write batch failed; rolling back");
            // After a failed COMMIT, SQLite may still be in the transaction and PostgreSQL is.
            let _ = self.conn.execute("ROLLBACK").await;
            self.reload_head().await;
            for (reply, _) in answered {
                let _ = reply.send(Err(AppError::Internal(format!(
                    "write batch failed: {err}"
                ))));
            }
            return;
        }
        self.commits.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(jobs = answered.len(), "committed");
        for (reply, result) in answered {
            // The caller may have gone (client disconnected); the change stands regardless.
            let _ = reply.send(result);
        }
    }

    /// Runs one job in its own savepoint. The outer `Err` is a transaction-level failure; the
    /// inner result is the job's answer.
    async fn run_job(&mut self, mut draft: Draft, op: Op) -> Result<Answer, BatchError> {
        self.conn.execute("SAVEPOINT job").await?;
        let mut result = catch_panic(op(&mut self.conn, &mut draft)).await;
        if result.is_err() {
            self.conn.execute("ROLLBACK TO SAVEPOINT job").await?;
        }
        let event = match &result {
            Ok(_) => Some((Outcome::Ok, draft.ok_status, None)),
            Err(err) => Outcome::for_error(err)
                .map(|o| (o, err.status().as_u16(), Some(err.public_message()))),
        };
        let mut new_head = None;
        if let Some((outcome, status, error)) = event {
            match audit::append(&mut self.conn, &self.head, &draft, outcome, status, error).await {
                Ok(head) => new_head = Some(head),
                Err(err) => {
                    // No change without its event: undo the change as well.
                    self.conn.execute("ROLLBACK TO SAVEPOINT job").await?;
                    tracing::error!(%err, "audit append failed; reloading the chain head");
                    self.reload_head().await;
                    result = Err(AppError::Internal(format!("audit append failed: {err}")));
                }
            }
        }
        self.conn.execute("RELEASE SAVEPOINT job").await?;
        if let Some(head) = new_head {
            self.head = head;
        }
        Ok(result)
    }

    /// Re-reads the head after a failure (a rolled-back batch, or another process's event).
    /// Inside an open transaction this reads that transaction's view, which is what the next
    /// append continues from.
    async fn reload_head(&mut self) {
        match audit::load_head(&mut self.conn).await {
            Ok(head) => self.head = head,
            Err(err) => tracing::error!(%err, "could not reload the audit head"),
        }
    }
}

/// Runs a job's future, turning a panic into an internal error: a bug in one change must not
/// take down the writer (and with it every later change). The job's savepoint is rolled back.
async fn catch_panic(mut future: OpFuture<'_>) -> Answer {
    std::future::poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(_) => Poll::Ready(Err(AppError::Internal("a change panicked".into()))),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use offboard_engine::policy::AccountRole;
    use serde_json::json;
    use sqlx::Row;

    use super::*;
    use crate::audit::{Action, Dialect};
    use crate::auth::Caller;
    use crate::store::keys::KeyType;

    async fn writer() -> (Writer, sqlx::AnyPool, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("w.db").display());
        let conns = crate::db::connect(&url).await.expect("connect");
        let writer = Writer::start(conns.writer).await.expect("writer");
        (writer, conns.pool, dir)
    }

    fn draft() -> Draft {
        let caller = Caller {
            user_id: "user-owner".into(),
            email: "owner@company.com".into(),
            role: AccountRole::Owner,
            access_key: "demo-owner-ak".into(),
            key_type: KeyType::Master,
        };
        Draft::new(&caller, Dialect::Adoc, Action::UserUpdate)
    }

    async fn events(pool: &sqlx::AnyPool) -> i64 {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_events")
            .fetch_one(pool)
            .await
            .expect("count");
        row.try_get("n").expect("n")
    }

    #[tokio::test]
    async fn concurrent_jobs_share_one_commit() {
        let (writer, pool, _dir) = writer().await;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..20 {
            let writer = writer.clone();
            tasks.spawn(async move {
                writer
                    .run(draft(), Ok(n), |_, _, n| {
                        Box::pin(async move {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                            Ok(json!(n))
                        })
                    })
                    .await
            });
        }
        let answers = tasks.join_all().await;
        assert!(answers.iter().all(Result::is_ok));
        assert!(
            writer.commits() <= 3,
            "{} commits for 20 concurrent jobs",
            writer.commits()
        );
        assert_eq!(events(&pool).await, 20);
    }

    #[tokio::test]
    async fn sequential_jobs_commit_one_by_one() {
        let (writer, _pool, _dir) = writer().await;
        for _ in 0..3 {
            writer
                .run(draft(), Ok(()), |_, _, ()| {
                    Box::pin(async { Ok(json!(null)) })
                })
                .await
                .expect("ok");
        }
        assert_eq!(writer.commits(), 3);
    }

    #[tokio::test]
    async fn a_panicking_job_fails_alone_and_the_writer_lives_on() {
        let (writer, pool, _dir) = writer().await;
        let panicked = writer
            .run(draft(), Ok(()), |conn, _, ()| {
                Box::pin(async move {
                    conn.execute("CREATE TABLE scratch (x BIGINT)").await?;
                    panic!("a bug in a change");
                })
            })
            .await;
        assert!(matches!(panicked, Err(AppError::Internal(_))));
        let ok = writer
            .run(draft(), Ok(()), |_, _, ()| {
                Box::pin(async { Ok(json!("fine")) })
            })
            .await;
        assert_eq!(ok.ok(), Some(json!("fine")));
        // The panicking job's change was rolled back; only the good job's event exists.
        assert!(
            sqlx::query("SELECT x FROM scratch")
                .fetch_all(&pool)
                .await
                .is_err()
        );
        assert_eq!(events(&pool).await, 1);
    }

    #[tokio::test]
    async fn a_refused_job_is_rolled_back_and_recorded() {
        let (writer, pool, _dir) = writer().await;
        let refused = writer
            .run(draft(), Ok(()), |conn, _, ()| {
                Box::pin(async move {
                    conn.execute("CREATE TABLE scratch (x BIGINT)").await?;
                    Err(AppError::Forbidden("no".into()))
                })
            })
            .await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
        assert!(
            sqlx::query("SELECT x FROM scratch")
                .fetch_all(&pool)
                .await
                .is_err()
        );
        let row = sqlx::query("SELECT outcome, status FROM audit_events")
            .fetch_one(&pool)
            .await
            .expect("event");
        assert_eq!(
            row.try_get::<String, _>("outcome").ok().as_deref(),
            Some("denied")
        );
        assert_eq!(row.try_get::<i64, _>("status").ok(), Some(403));
        // Unrecorded failures (401) never reach the writer.
        let unauthorized = writer
            .run(
                draft(),
                Err::<(), _>(AppError::Unauthorized("x".into())),
                |_, _, ()| Box::pin(async { Ok(json!(null)) }),
            )
            .await;
        assert!(matches!(unauthorized, Err(AppError::Unauthorized(_))));
        assert_eq!(events(&pool).await, 1);
    }
}
