package io.holdfast.server.probe;

import io.holdfast.protocol.document.Checksums;
import io.holdfast.protocol.document.Envelope;
import io.holdfast.protocol.http.ContentHash;
import io.holdfast.protocol.http.EntityTag;
import io.holdfast.protocol.http.HoldfastHeaders;
import io.holdfast.protocol.http.ReprDigest;
import io.holdfast.protocol.json.JsonInputException;
import io.holdfast.protocol.json.StrictJson;
import io.holdfast.protocol.signature.SignatureHeader;
import io.holdfast.protocol.signature.VerificationKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Probes one replica at a time the way an instance reads it: {@code GET
 * /v1/instances/{canary}/config/{ns}}, the same with {@code If-None-Match}, then {@code GET
 * …/checksums}, each with the canary's bearer credential, and checks everything an instance's SDK
 * would check, plus what the SDK tolerates but an operator must hear about (a 304 that does not
 * match, checksums that disagree with the document).
 *
 * <p>Integrity is checked before the body is parsed, so a corrupted body is reported as the digest
 * mismatch it is rather than as whatever parse error the corruption happens to cause. Every request
 * has a total deadline: a replica that trickles or never answers fails its checks within {@code
 * timeout} instead of holding the probe round.
 *
 * <p>Thread-safe: one prober may probe several replicas at once. Close it to release its HTTP
 * client.
 */
public final class CanaryProber implements AutoCloseable {

  /** The deadline of each request unless configured otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /** Canary documents are small; a larger answer is refused rather than buffered. */
  private static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  private final CanaryTarget canary;
  private final Map<String, VerificationKey> trustedKeys;
  private final Duration timeout;
  private final Clock clock;
  private final StrictJson json = new StrictJson(MAX_DOCUMENT_BYTES, 64);
  private final HttpClient http;

  /**
   * @param canary what to read, and with which credential
   * @param trustedKeys the keys whose signatures are accepted
   * @param timeout the total deadline of each request; also the connect timeout
   * @param clock stamps each result
   */
  public CanaryProber(
      CanaryTarget canary, Collection<VerificationKey> trustedKeys, Duration timeout, Clock clock) {
    this(canary, trustedKeys, timeout, clock, null);
  }

  /**
   * As above, trusting {@code sslContext} for https replicas ({@code holdfast probe --cacert});
   * {@code null} for the JDK's trust store.
   */
  public CanaryProber(
      CanaryTarget canary,
      Collection<VerificationKey> trustedKeys,
      Duration timeout,
      Clock clock,
      javax.net.ssl.SSLContext sslContext) {
    this.canary = Objects.requireNonNull(canary, "canary");
    this.trustedKeys =
        trustedKeys.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    VerificationKey::keyId, Function.identity(), (a, b) -> a));
    if (this.trustedKeys.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted key is needed to verify signatures");
    }
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    this.http = http.build();
  }

  /** Probes one replica; never throws for anything the replica does. */
  public ProbeResult probe(URI replica) {
    Instant at = clock.instant();
    Findings findings = new Findings();
    String base = replica.toString().endsWith("/") ? replica.toString() : replica + "/";
    URI documentUri =
        URI.create(base + "v1/instances/" + canary.instance() + "/config/" + canary.namespace());
    URI checksumsUri = URI.create(base + "v1/instances/" + canary.instance() + "/checksums");

    long started = System.nanoTime();
    Answer document = fetch(documentUri, null, findings, ProbeCheck.CONTENT);
    Duration latency =
        document == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - started);
    Served served = document == null ? null : checkDocument(document, findings);
    if (served != null && findings.passed(ProbeCheck.ETAG)) {
      checkNotModified(documentUri, served.etagHeader(), findings);
    }
    Served checksums = checkChecksums(checksumsUri, served, findings);

    return new ProbeResult(
        replica,
        at,
        findings.outcomes,
        findings.passed(ProbeCheck.CONTENT)
            && findings.passed(ProbeCheck.DIGEST)
            && findings.passed(ProbeCheck.SIGNATURE),
        checksums != null,
        served == null ? 0 : served.revision(),
        served == null ? null : served.contentTag(),
        checksums == null ? 0 : checksums.revision(),
        checksums == null ? null : checksums.contentTag(),
        latency,
        findings.firstFailed,
        findings.firstReason,
        // A replica that did not answer is not asked again: a blackholed one would cost the
        // round another whole timeout.
        document == null ? ReplicaRelease.UNKNOWN : ReplicaRelease.read(http, replica, timeout));
  }

  /** The document's checks; returns what was served if its envelope could be read, else null. */
  private Served checkDocument(Answer answer, Findings findings) {
    if (!findings.require(ProbeCheck.CONTENT, envelopeResponseProblem(answer))) {
      return null;
    }
    byte[] body = answer.body();
    findings.record(ProbeCheck.DIGEST, digestProblem(answer));
    findings.record(ProbeCheck.SIGNATURE, signatureProblem(answer));
    String etagHeader = answer.header("ETag");
    findings.record(ProbeCheck.ETAG, etagProblem(etagHeader, body));
    Envelope envelope;
    try {
      envelope = Envelope.parse(body, json);
    } catch (JsonInputException e) {
      findings.fail(ProbeCheck.CONTENT, "the document is not a valid envelope: " + e.getMessage());
      return null;
    }
    if (!canary.instance().equals(envelope.instance())
        || !canary.namespace().equals(envelope.namespace())) {
      findings.fail(
          ProbeCheck.CONTENT,
          "the document is for "
              + envelope.instance()
              + "/"
              + envelope.namespace()
              + ", not "
              + canary.instance()
              + "/"
              + canary.namespace());
      return null;
    }
    findings.pass(ProbeCheck.CONTENT);
    return new Served(
        envelope.revision(), etagHeader, ContentHash.of(body).entityTag().toHeaderValue());
  }

  private void checkNotModified(URI documentUri, String etagHeader, Findings findings) {
    Answer answer = fetch(documentUri, etagHeader, findings, ProbeCheck.NOT_MODIFIED);
    if (answer == null) {
      return;
    }
    String problem = null;
    if (answer.status() != 304) {
      problem = "a conditional GET with its own ETag answered " + answer.status() + ", not 304";
    } else if (!etagHeader.equals(answer.header("ETag"))) {
      problem = "the 304 carries ETag " + answer.header("ETag") + ", the 200 carried " + etagHeader;
    } else if (answer.body().length > 0) {
      problem = "the 304 carries a body of " + answer.body().length + " bytes";
    }
    findings.record(ProbeCheck.NOT_MODIFIED, problem);
  }

  /** The checksums' checks; returns them if they verified, else null. */
  private Served checkChecksums(URI checksumsUri, Served document, Findings findings) {
    Answer answer = fetch(checksumsUri, null, findings, ProbeCheck.CHECKSUMS);
    if (answer == null) {
      return null;
    }
    String problem = envelopeResponseProblem(answer);
    if (problem == null) {
      problem = digestProblem(answer);
    }
    if (problem == null) {
      problem = signatureProblem(answer);
    }
    Checksums checksums = null;
    if (problem == null) {
      try {
        checksums = Checksums.parse(answer.body(), json);
        if (!canary.instance().equals(checksums.instance())) {
          problem =
              "the checksums are for instance "
                  + checksums.instance()
                  + ", not "
                  + canary.instance();
        }
      } catch (JsonInputException e) {
        problem = "not a valid checksums document: " + e.getMessage();
      }
    }
    if (problem != null) {
      findings.fail(ProbeCheck.CHECKSUMS, "checksums: " + problem);
      return null;
    }
    String freshness = freshnessProblem(checksums);
    findings.record(
        ProbeCheck.CHECKSUMS, freshness != null ? freshness : listingProblem(checksums, document));
    String tag = ContentHash.of(answer.body()).entityTag().toHeaderValue();
    return new Served(checksums.revision(), tag, tag);
  }

  /**
   * Whether the checksums carry a freshness statement that holds now (FAULTS D11): a client whose
   * newest statement expired is STALE however many 304s it gets, so a replica that stopped
   * re-issuing (cut off from its store, or frozen behind a cache) must be reported before its
   * clients' statements run out.
   */
  private String freshnessProblem(Checksums checksums) {
    if (checksums.validity().isEmpty()) {
      return "checksums: no freshness statement (issuedAt, expires); clients cannot tell whether"
          + " they are current";
    }
    Instant now = clock.instant();
    Checksums.Validity validity = checksums.validity().get();
    if (validity.expiredAt(now)) {
      return "checksums: the freshness statement expired at "
          + validity.expires()
          + " (issued "
          + validity.issuedAt()
          + ", now "
          + now
          + ")";
    }
    return null;
  }

  /** Whether the checksums list the document the replica just served. */
  private String listingProblem(Checksums checksums, Served document) {
    Checksums.Entry entry = checksums.namespaces().get(canary.namespace());
    if (entry == null) {
      return "the checksums do not list namespace " + canary.namespace();
    }
    if (document == null) {
      return null; // nothing to compare with; the document's own failure is reported
    }
    if (entry.revision() < document.revision()) {
      return "the checksums list revision "
          + entry.revision()
          + " for "
          + canary.namespace()
          + ", older than the document's "
          + document.revision();
    }
    // A higher revision in the checksums means a publish landed between the two requests: fine.
    if (entry.revision() == document.revision() && !entry.etag().equals(document.contentTag())) {
      return "the checksums list ETag "
          + entry.etag()
          + " for "
          + canary.namespace()
          + " at revision "
          + entry.revision()
          + ", the document's bytes hash to "
          + document.contentTag();
    }
    return null;
  }

  private static String envelopeResponseProblem(Answer answer) {
    if (answer.status() != 200) {
      return "HTTP " + answer.status();
    }
    String type = answer.header("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).startsWith(HoldfastHeaders.ENVELOPE_MEDIA_TYPE)) {
      return "Content-Type " + type + ", not " + HoldfastHeaders.ENVELOPE_MEDIA_TYPE;
    }
    if (answer.body().length == 0) {
      return "200 with an empty body";
    }
    return null;
  }

  private static String digestProblem(Answer answer) {
    String field = answer.header(HoldfastHeaders.REPR_DIGEST);
    if (field == null) {
      return "no " + HoldfastHeaders.REPR_DIGEST + " header";
    }
    try {
      return ReprDigest.verify(field, answer.body())
          ? null
          : HoldfastHeaders.REPR_DIGEST + " does not match the body";
    } catch (IllegalArgumentException e) {
      return "unverifiable " + HoldfastHeaders.REPR_DIGEST + ": " + e.getMessage();
    }
  }

  private String signatureProblem(Answer answer) {
    String field = answer.header(HoldfastHeaders.SIGNATURE);
    if (field == null) {
      return "no " + HoldfastHeaders.SIGNATURE + " header";
    }
    SignatureHeader header;
    try {
      header = SignatureHeader.parse(field);
    } catch (IllegalArgumentException e) {
      return "malformed " + HoldfastHeaders.SIGNATURE + ": " + e.getMessage();
    }
    VerificationKey key = trustedKeys.get(header.keyId());
    if (key == null) {
      return "signed by key " + header.keyId() + ", which is not trusted";
    }
    return key.verifies(answer.body(), header)
        ? null
        : "the signature by " + header.keyId() + " does not verify over the body";
  }

  private static String etagProblem(String etagHeader, byte[] body) {
    if (etagHeader == null) {
      return "no ETag header";
    }
    EntityTag tag;
    try {
      tag = EntityTag.parse(etagHeader);
    } catch (IllegalArgumentException e) {
      return "malformed ETag: " + e.getMessage();
    }
    if (tag.weak()) {
      return "ETag " + etagHeader + " is weak; Holdfast's tags are strong";
    }
    EntityTag expected = ContentHash.of(body).entityTag();
    return tag.stronglyMatches(expected)
        ? null
        : "ETag "
            + etagHeader
            + " is not the content hash of the body, "
            + expected.toHeaderValue();
  }

  /**
   * One GET with a total deadline; {@code null} after recording why it got no answer against {@code
   * check}.
   */
  private Answer fetch(URI uri, String ifNoneMatch, Findings findings, ProbeCheck check) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .GET()
            .header("Authorization", "Bearer " + canary.credential());
    if (ifNoneMatch != null) {
      request.header("If-None-Match", ifNoneMatch);
    }
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (response.body().length > MAX_DOCUMENT_BYTES) {
        findings.fail(
            check,
            uri.getPath() + ": body of " + response.body().length + " bytes is over the limit");
        return null;
      }
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      findings.fail(check, uri.getPath() + ": no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause
          instanceof HttpTimeoutException) { // the client's own deadline, equal to ours, came first
        findings.fail(check, uri.getPath() + ": no answer within " + timeout.toMillis() + " ms");
      } else {
        findings.fail(
            check,
            uri.getPath()
                + ": unreachable ("
                + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + ")");
      }
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      findings.fail(check, uri.getPath() + ": interrupted");
    }
    return null;
  }

  @Override
  public void close() {
    http.close();
  }

  /** A response read whole. */
  private record Answer(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    String header(String name) {
      for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What a replica served: its revision, the ETag as sent, and the tag its bytes hash to. */
  private record Served(long revision, String etagHeader, String contentTag) {}

  /** The outcomes of one probe so far, and its first failure. Confined to one probe call. */
  private static final class Findings {
    final Map<ProbeCheck, CheckOutcome> outcomes = new EnumMap<>(ProbeCheck.class);
    ProbeCheck firstFailed;
    String firstReason;

    void pass(ProbeCheck check) {
      outcomes.putIfAbsent(check, CheckOutcome.PASSED);
    }

    void fail(ProbeCheck check, String reason) {
      outcomes.put(check, CheckOutcome.FAILED);
      if (firstFailed == null) {
        firstFailed = check;
        firstReason = reason;
      }
    }

    /** Records a check's outcome from its problem, {@code null} meaning it passed. */
    void record(ProbeCheck check, String problem) {
      if (problem == null) {
        pass(check);
      } else {
        fail(check, problem);
      }
    }

    /** Fails the check if there is a problem; returns whether it may continue. */
    boolean require(ProbeCheck check, String problem) {
      if (problem != null) {
        fail(check, problem);
      }
      return problem == null;
    }

    boolean passed(ProbeCheck check) {
      return outcomes.get(check) == CheckOutcome.PASSED;
    }
  }
}
