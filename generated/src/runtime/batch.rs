//! Hand-written runtime (not generated): JSON batching (`$batch`), sans-IO.
//!
//! A [`Batch`] holds operations of one API version, each with a typed [`BatchKey`]. It becomes
//! one `POST /{version}/$batch` request per 20 operations (Graph's limit), keeping chains of
//! `dependsOn` in one request, and reads Graph's answers (in any order; bodies as JSON or, for
//! other media types, base64) into each operation's own output or error. The client's
//! `Client::batch` sends it, and retries sub-requests Graph throttled.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Mutex;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};

use super::error::Error;
use super::operation::{Operation, Permissions};

/// One operation's output, its type erased, or its error.
pub(crate) type ErasedResult = Result<Box<dyn Any + Send>, Error>;

/// An operation of a batch (by position) and Graph's answer to it.
pub(crate) type Answer = (usize, http::Response<Vec<u8>>);

/// The most requests Graph takes in one `$batch`.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// Operations of one API version sent together with JSON batching.
///
/// ```
/// use msgraph_work::{Batch, Operation};
/// use msgraph_work::v1_0::models::TimeOff;
///
/// let times_off = msgraph_work::v1_0::teams().by_id("team-1").schedule().times_off();
/// let mut batch = Batch::new();
/// let created = batch.add(times_off.post(TimeOff::default().with_user_id("u1")));
/// let listed = batch.add_after(times_off.get(), &[created]);
/// let requests = batch.to_http_requests("https://graph.microsoft.com").unwrap();
/// assert_eq!(requests.len(), 1);
/// assert_eq!(requests[0].uri(), "https://graph.microsoft.com/v1.0/$batch");
///
/// // Graph answers in any order; each operation gets its own typed result.
/// let answer = serde_json::json!({"responses": [
///     {"id": "2", "status": 200, "headers": {"content-type": "application/json"}, "body": {"value": []}},
///     {"id": "1", "status": 201, "headers": {"content-type": "application/json"}, "body": {"id": "TOF_1"}}
/// ]});
/// let response = http::Response::builder().status(200).body(answer.to_string().into_bytes()).unwrap();
/// let results = batch.parse_responses(vec![response]).unwrap();
/// assert_eq!(results.get(created).unwrap().id.as_deref(), Some("TOF_1"));
/// assert!(results.get(listed).unwrap().items().is_empty());
/// ```
#[derive(Default)]
pub struct Batch {
    entries: Vec<Entry>,
}

struct Entry {
    op: Box<dyn ErasedOperation>,
    depends_on: Vec<usize>,
}

/// A handle on one operation of a [`Batch`], typed by its output: give it to
/// [`BatchResults::get`] for that operation's result, or to [`Batch::add_after`] to make
/// another operation wait for this one.
pub struct BatchKey<T> {
    index: usize,
    output: PhantomData<fn() -> T>,
}

impl<T> Clone for BatchKey<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for BatchKey<T> {}

impl<T> PartialEq for BatchKey<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for BatchKey<T> {}

impl<T> fmt::Debug for BatchKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BatchKey({})", self.index + 1)
    }
}

impl<T> BatchKey<T> {
    /// The request's `id` in the `$batch` body (`"1"`, `"2"`, ... in the order added).
    pub fn id(&self) -> String {
        (self.index + 1).to_string()
    }
}

/// Something an operation can depend on in a batch: a [`BatchKey`] of any output.
pub trait BatchDependency {
    /// The position of the operation in its batch.
    #[doc(hidden)]
    fn batch_index(&self) -> usize;
}

impl<T> BatchDependency for BatchKey<T> {
    fn batch_index(&self) -> usize {
        self.index
    }
}

/// An operation with its output type erased, so that one batch holds many kinds.
trait ErasedOperation: Send + Sync {
    fn request(&self, root: &str) -> Result<http::Request<Vec<u8>>, Error>;
    fn parse(&self, response: http::Response<Vec<u8>>) -> ErasedResult;
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    fn permissions(&self) -> Permissions;
}

impl<O> ErasedOperation for O
where
    O: Operation + Send + Sync + 'static,
    O::Output: Send + 'static,
{
    fn request(&self, root: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.to_http_request(root)
    }
    fn parse(&self, response: http::Response<Vec<u8>>) -> ErasedResult {
        self.parse_response(response)
            .map(|output| Box::new(output) as Box<dyn Any + Send>)
    }
    fn permissions(&self) -> Permissions {
        Operation::permissions(self)
    }
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field("operations", &self.entries.len())
            .finish_non_exhaustive()
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds an operation; its key gives its result.
    pub fn add<O>(&mut self, op: O) -> BatchKey<O::Output>
    where
        O: Operation + Send + Sync + 'static,
        O::Output: Send + 'static,
    {
        self.add_after(op, &[] as &[BatchKey<()>])
    }

    /// Adds an operation that Graph runs only after those of `after` succeeded (`dependsOn`);
    /// if one of them fails, this one fails with `424 Failed Dependency`.
    pub fn add_after<O, D>(&mut self, op: O, after: &[D]) -> BatchKey<O::Output>
    where
        O: Operation + Send + Sync + 'static,
        O::Output: Send + 'static,
        D: BatchDependency,
    {
        let index = self.entries.len();
        self.entries.push(Entry {
            op: Box::new(op),
            depends_on: after.iter().map(BatchDependency::batch_index).collect(),
        });
        BatchKey {
            index,
            output: PhantomData,
        }
    }

    /// How many operations the batch holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch holds no operation.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `$batch` requests for a service root (`https://graph.microsoft.com`): one per 20
    /// operations, in the order added, chains of `dependsOn` kept in one request.
    pub fn to_http_requests(&self, root: &str) -> Result<Vec<http::Request<Vec<u8>>>, Error> {
        let all: Vec<usize> = (0..self.entries.len()).collect();
        self.chunks(&all)?
            .iter()
            .map(|chunk| self.request_for(root, chunk))
            .collect()
    }

    /// Reads Graph's answers to [`to_http_requests`](Self::to_http_requests), in the same
    /// order, into each operation's result.
    pub fn parse_responses(
        &self,
        responses: Vec<http::Response<Vec<u8>>>,
    ) -> Result<BatchResults, Error> {
        let all: Vec<usize> = (0..self.entries.len()).collect();
        let chunks = self.chunks(&all)?;
        if chunks.len() != responses.len() {
            return Err(Error::invalid_input(format!(
                "{} $batch answers for {} $batch requests",
                responses.len(),
                chunks.len()
            )));
        }
        let mut results = BatchResults::with_len(self.entries.len());
        for (chunk, response) in chunks.iter().zip(responses) {
            for (index, answer) in self.answers(response, chunk)? {
                results.set(index, self.parse_one(index, answer));
            }
        }
        Ok(results)
    }

    /// The operations of `pending` in groups of at most 20, each group closed under
    /// `dependsOn` (dependencies outside `pending` are done and ignored), in the order added.
    pub(crate) fn chunks(&self, pending: &[usize]) -> Result<Vec<Vec<usize>>, Error> {
        // Union-find over the pending operations, joined by their dependencies.
        let position: BTreeMap<usize, usize> =
            pending.iter().enumerate().map(|(p, i)| (*i, p)).collect();
        let mut parent: Vec<usize> = (0..pending.len()).collect();
        fn root(parent: &mut [usize], mut p: usize) -> usize {
            while parent[p] != p {
                parent[p] = parent[parent[p]];
                p = parent[p];
            }
            p
        }
        for (p, index) in pending.iter().enumerate() {
            let entry = self.entries.get(*index).ok_or_else(|| {
                Error::invalid_input(format!("no operation {} in this batch", index + 1))
            })?;
            for dep in &entry.depends_on {
                if *dep >= self.entries.len() {
                    return Err(Error::invalid_input(format!(
                        "operation {} depends on {}, which is not in this batch",
                        index + 1,
                        dep + 1
                    )));
                }
                if let Some(q) = position.get(dep) {
                    let (a, b) = (root(&mut parent, p), root(&mut parent, *q));
                    parent[a] = b;
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut first_of: BTreeMap<usize, usize> = BTreeMap::new();
        for (p, index) in pending.iter().enumerate() {
            let r = root(&mut parent, p);
            let first = *first_of.entry(r).or_insert(p);
            groups.entry(first).or_default().push(*index);
        }
        let mut chunks: Vec<Vec<usize>> = Vec::new();
        for group in groups.into_values() {
            if group.len() > MAX_BATCH_REQUESTS {
                return Err(Error::invalid_input(format!(
                    "{} operations depend on one another (from operation {}); a $batch request \
                     takes at most {MAX_BATCH_REQUESTS}",
                    group.len(),
                    group[0] + 1
                )));
            }
            match chunks.last_mut() {
                Some(last) if last.len() + group.len() <= MAX_BATCH_REQUESTS => {
                    last.extend(group);
                }
                _ => chunks.push(group),
            }
        }
        for chunk in &mut chunks {
            chunk.sort_unstable();
        }
        Ok(chunks)
    }

    /// The `$batch` request for the operations of `chunk`.
    pub(crate) fn request_for(
        &self,
        root: &str,
        chunk: &[usize],
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let mut version: Option<String> = None;
        let mut requests = Vec::with_capacity(chunk.len());
        for index in chunk {
            let entry = &self.entries[*index];
            let request = entry.op.request(root)?;
            let (this_version, url) = split_url(root, &request)?;
            match &version {
                Some(v) if *v != this_version => {
                    return Err(Error::invalid_input(format!(
                        "a batch takes operations of one API version: operation {} is {this_version}, \
                         the others {v}",
                        index + 1
                    )));
                }
                _ => version = Some(this_version),
            }
            requests.push(sub_request(*index, &entry.depends_on, chunk, url, request)?);
        }
        let version = version.unwrap_or_else(|| "v1.0".to_string());
        let body = serde_json::json!({ "requests": requests })
            .to_string()
            .into_bytes();
        http::Request::builder()
            .method(http::Method::POST)
            .uri(format!("{}/{version}/$batch", root.trim_end_matches('/')))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .map_err(|e| Error::invalid_input(format!("cannot build the $batch request: {e}")))
    }

    /// The answer of each operation of `chunk` in Graph's answer to its `$batch` request.
    pub(crate) fn answers(
        &self,
        response: http::Response<Vec<u8>>,
        chunk: &[usize],
    ) -> Result<Vec<Answer>, Error> {
        let (parts, body) = response.into_parts();
        if !parts.status.is_success() {
            return Err(Error::graph(parts.status, &parts.headers, body));
        }
        let responses = read_answer(&body).map_err(|e| {
            Error::decode(
                parts.status,
                &parts.headers,
                body.clone(),
                String::new(),
                format!("the $batch answer is not what Graph sends: {e}"),
            )
        })?;
        let mut by_id: BTreeMap<String, SubResponse> =
            responses.into_iter().map(|r| (r.id.clone(), r)).collect();
        let mut out = Vec::with_capacity(chunk.len());
        for index in chunk {
            let id = (index + 1).to_string();
            let response = match by_id.remove(&id) {
                Some(sub) => sub.into_response(),
                None => Err(Error::decode(
                    parts.status,
                    &parts.headers,
                    Vec::new(),
                    String::new(),
                    format!("Graph's $batch answer has no response for request {id}"),
                )),
            };
            out.push((*index, response?));
        }
        Ok(out)
    }

    /// One operation's answer read into its output.
    pub(crate) fn parse_one(
        &self,
        index: usize,
        response: http::Response<Vec<u8>>,
    ) -> ErasedResult {
        self.entries[index].op.parse(response)
    }

    /// The operations `index` waits for.
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn depends_on(&self, index: usize) -> &[usize] {
        &self.entries[index].depends_on
    }

    /// The permissions to ask a token for: the operations' own when they all agree, else
    /// none in particular (a provider then asks for what the app was granted).
    #[cfg_attr(not(feature = "client"), allow(dead_code))]
    pub(crate) fn permissions(&self) -> Permissions {
        let mut all = self.entries.iter().map(|e| e.op.permissions());
        let first = all.next().unwrap_or(Permissions::UNDOCUMENTED);
        if all.all(|p| p == first) {
            first
        } else {
            Permissions::UNDOCUMENTED
        }
    }
}

/// The version and the version-relative URL (`/teams/t/schedule?$top=1`) of a request.
fn split_url(root: &str, request: &http::Request<Vec<u8>>) -> Result<(String, String), Error> {
    let full = request.uri().to_string();
    let rest = full
        .strip_prefix(root.trim_end_matches('/'))
        .and_then(|r| r.strip_prefix('/'))
        .ok_or_else(|| Error::invalid_input(format!("{full} is not under {root}")))?;
    let (version, path) = rest.split_once('/').unwrap_or((rest, ""));
    Ok((version.to_string(), format!("/{path}")))
}

/// One request of a `$batch` body.
fn sub_request(
    index: usize,
    depends_on: &[usize],
    chunk: &[usize],
    url: String,
    request: http::Request<Vec<u8>>,
) -> Result<serde_json::Value, Error> {
    let (parts, body) = request.into_parts();
    let mut headers = serde_json::Map::new();
    for (name, value) in &parts.headers {
        if name == ACCEPT {
            continue;
        }
        let value = value.to_str().map_err(|_| {
            Error::invalid_input(format!(
                "header `{name}` is not text: a $batch body cannot carry it"
            ))
        })?;
        headers.insert(name.as_str().to_string(), value.into());
    }
    let mut sub = serde_json::Map::new();
    sub.insert("id".into(), (index + 1).to_string().into());
    sub.insert("method".into(), parts.method.as_str().into());
    sub.insert("url".into(), url.into());
    if !headers.is_empty() {
        sub.insert("headers".into(), headers.into());
    }
    if !body.is_empty() {
        let body: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
            Error::invalid_input(format!(
                "operation {} has a body that is not JSON: {e}",
                index + 1
            ))
        })?;
        sub.insert("body".into(), body);
    }
    let depends_on: Vec<serde_json::Value> = depends_on
        .iter()
        .filter(|d| chunk.contains(d))
        .map(|d| (d + 1).to_string().into())
        .collect();
    if !depends_on.is_empty() {
        sub.insert("dependsOn".into(), depends_on.into());
    }
    Ok(sub.into())
}

/// One answer of a `$batch` answer.
struct SubResponse {
    id: String,
    status: u16,
    headers: BTreeMap<String, String>,
    body: Option<serde_json::Value>,
}

/// The answers of a `$batch` answer body (`{"responses": [{"id", "status", "headers", "body"}]}`).
fn read_answer(body: &[u8]) -> Result<Vec<SubResponse>, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let responses = value
        .get("responses")
        .and_then(|r| r.as_array())
        .ok_or("no `responses` list")?;
    responses
        .iter()
        .map(|r| {
            let id = match r.get("id") {
                Some(serde_json::Value::String(id)) => id.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => return Err("a response without an `id`".to_string()),
            };
            let status = r
                .get("status")
                .and_then(|s| s.as_u64())
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| format!("response {id} has no `status`"))?;
            let headers = r
                .get("headers")
                .and_then(|h| h.as_object())
                .map(|h| {
                    h.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default();
            Ok(SubResponse {
                id,
                status,
                headers,
                body: r.get("body").cloned(),
            })
        })
        .collect()
}

impl SubResponse {
    /// The answer as an HTTP response: a JSON body as its text; another body, which Graph
    /// sends base64-encoded, decoded.
    fn into_response(self) -> Result<http::Response<Vec<u8>>, Error> {
        let json = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            .is_none_or(|(_, v)| v.contains("json"));
        let body = match self.body {
            None => Vec::new(),
            Some(serde_json::Value::String(text)) if !json => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .unwrap_or_else(|_| text.into_bytes())
            }
            Some(value) => value.to_string().into_bytes(),
        };
        let mut builder = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(body).map_err(|e| {
            Error::invalid_input(format!(
                "Graph's $batch answer for request {} is not a valid HTTP response: {e}",
                self.id
            ))
        })
    }
}

/// The results of a batch, one per operation, taken with their [`BatchKey`]s.
pub struct BatchResults {
    results: Mutex<Vec<Option<ErasedResult>>>,
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("len", &self.len())
            .finish()
    }
}

impl BatchResults {
    pub(crate) fn with_len(len: usize) -> BatchResults {
        BatchResults {
            results: Mutex::new((0..len).map(|_| None).collect()),
        }
    }

    pub(crate) fn set(&mut self, index: usize, result: ErasedResult) {
        self.results.get_mut().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
    }

    /// How many operations the batch had.
    pub fn len(&self) -> usize {
        self.results.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether the batch had no operation.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The result of the operation of `key`: its output, or the error Graph answered it with.
    /// A result is taken once; asking again is an error.
    pub fn get<T: 'static>(&self, key: BatchKey<T>) -> Result<T, Error> {
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        let slot = results
            .get_mut(key.index)
            .ok_or_else(|| Error::invalid_input(format!("{key:?} is not a key of this batch")))?;
        match slot.take() {
            Some(Ok(output)) => output
                .downcast::<T>()
                .map(|b| *b)
                .map_err(|_| Error::invalid_input(format!("{key:?} is a key of another batch"))),
            Some(Err(e)) => Err(e),
            None => Err(Error::invalid_input(format!(
                "the result of {key:?} was already taken"
            ))),
        }
    }
}
