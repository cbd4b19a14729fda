//! Sending a [`Batch`]: its `$batch` requests one after the other, and the operations Graph
//! throttled inside them sent again, within the retry policy.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use http::StatusCode;

use super::Client;
use super::transport::is_throttled;
use crate::runtime::batch::{Batch, BatchResults};
use crate::runtime::error::{Error, parse_retry_after};

impl Client {
    /// Sends a batch and reads every operation's result (see [`Batch`]).
    ///
    /// Each `$batch` request is sent like any request (throttling of the whole request
    /// retried, a claims challenge answered). Operations that Graph throttled inside it
    /// (their own `429` or `503` and `Retry-After`), and those that failed only because one of
    /// them did (`424`), are sent again in a new `$batch` after the longest wait Graph asked
    /// for, within the retry policy's attempts and time; after that, their results are the
    /// throttling errors. The error of a `$batch` request that fails as a whole is returned.
    ///
    /// ```no_run
    /// # async fn run(client: msgraph_work::Client) -> Result<(), msgraph_work::Error> {
    /// use msgraph_work::Batch;
    /// use msgraph_work::v1_0::models::TimeOff;
    ///
    /// let times_off = msgraph_work::v1_0::teams().by_id("team-1").schedule().times_off();
    /// let mut batch = Batch::new();
    /// let keys: Vec<_> = ["u1", "u2", "u3"]
    ///     .into_iter()
    ///     .map(|user| batch.add(times_off.post(TimeOff::default().with_user_id(user))))
    ///     .collect();
    /// let results = client.batch(batch).await?;
    /// for key in keys {
    ///     match results.get(key) {
    ///         Ok(created) => println!("created {:?}", created.id),
    ///         Err(e) => eprintln!("failed: {e}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn batch(&self, batch: Batch) -> Result<BatchResults, Error> {
        let started = Instant::now();
        let retry = self.inner.retry;
        let permissions = batch.permissions();
        let mut results = BatchResults::with_len(batch.len());
        let mut pending: Vec<usize> = (0..batch.len()).collect();
        let mut round = 1;
        while !pending.is_empty() {
            let mut held: BTreeMap<usize, http::Response<Vec<u8>>> = BTreeMap::new();
            let mut wait = Duration::ZERO;
            for chunk in batch.chunks(&pending)? {
                let root = &self.inner.root;
                let response = self
                    .execute(|| batch.request_for(root, &chunk), &permissions)
                    .await?;
                for (index, answer) in batch.answers(response, &chunk)? {
                    let status = answer.status();
                    if is_throttled(status) || status == StatusCode::FAILED_DEPENDENCY {
                        if is_throttled(status) {
                            wait = wait
                                .max(advised_wait(&answer).unwrap_or_else(|| retry.backoff(round)));
                        }
                        held.insert(index, answer);
                    } else {
                        results.set(index, batch.parse_one(index, answer));
                    }
                }
            }
            // A failed dependency is sent again only with the throttled operation it waits
            // for; otherwise its `424` is its result.
            let retried: Vec<usize> = held
                .iter()
                .filter(|(index, answer)| {
                    is_throttled(answer.status())
                        || batch
                            .depends_on(**index)
                            .iter()
                            .any(|d| held.get(d).is_some_and(|a| is_throttled(a.status())))
                })
                .map(|(index, _)| *index)
                .collect();
            let give_up = round >= retry.max_attempts
                || started.elapsed() + wait > retry.max_elapsed
                || retried.is_empty();
            for (index, answer) in held {
                if give_up || !retried.contains(&index) {
                    results.set(index, batch.parse_one(index, answer));
                }
            }
            if give_up {
                break;
            }
            tracing::warn!(
                throttled = retried.len(),
                wait_ms = wait.as_millis() as u64,
                "operations throttled inside a $batch; sending them again"
            );
            tokio::time::sleep(wait).await;
            round += 1;
            pending = retried;
        }
        Ok(results)
    }
}

/// The wait an answer asks for (`Retry-After`).
fn advised_wait(answer: &http::Response<Vec<u8>>) -> Option<Duration> {
    answer
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after)
}
