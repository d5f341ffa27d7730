package io.holdfast.openfeature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import io.holdfast.client.ConfigSnapshot;
import io.holdfast.client.Freshness;
import io.holdfast.client.HoldfastConfig;
import io.holdfast.client.Status;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An OpenFeature provider whose flags are the values of one namespace's document (default {@code
 * features}) of a {@link HoldfastConfig}: a {@code HoldfastClient}, or testkit's {@code
 * FixedConfig} in tests.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(HoldfastProvider.builder(client).build());
 * boolean on = OpenFeatureAPI.getInstance().getClient().getBooleanValue("checkout.newFlow", false);
 * }</pre>
 *
 * <p>A flag key is a path in the document, as the SDK's {@link ConfigSnapshot} reads it: a dotted
 * path ({@code "checkout.newFlow"}) or a JSON Pointer ({@code "/checkout/new.flow"}) when a member
 * name contains a dot. The evaluation context is not used: Holdfast has already chosen the document
 * for this instance (its ring and layers).
 *
 * <p>The reason is {@code STATIC} while the namespace is FRESH and {@code STALE} while it serves
 * the last-known-good document (STALE, or EXPIRED under the client's {@code
 * SERVE_LAST_KNOWN_GOOD}). Flag metadata carries {@code namespace}, {@code revision}, {@code etag}
 * and {@code status}. Evaluation reads the current snapshot only: it never blocks, and never throws
 * (errors are returned as error codes with the caller's default).
 */
public final class HoldfastProvider extends EventProvider {

  /** The namespace read when none is given. */
  public static final String DEFAULT_NAMESPACE = "features";

  /** The OpenFeature spec's reason for a value that may be out of date; Reason has no constant. */
  static final String STALE = "STALE";

  private static final Metadata METADATA = () -> "holdfast";

  private final HoldfastConfig config;
  private final String namespace;
  private final Duration initializationTimeout;
  private final AtomicBoolean listening = new AtomicBoolean();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final CountDownLatch document = new CountDownLatch(1);
  // The metadata of the last snapshot evaluated: built once per snapshot, not per evaluation.
  private volatile SnapshotMetadata lastMetadata;

  private HoldfastProvider(Builder builder) {
    this.config = builder.config;
    this.namespace = builder.namespace;
    this.initializationTimeout = builder.initializationTimeout;
  }

  /**
   * A provider reading {@code config}; the client is started and closed by the application, not by
   * the provider.
   */
  public static Builder builder(HoldfastConfig config) {
    return new Builder(config);
  }

  /** The namespace flags are read from. */
  public String namespace() {
    return namespace;
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /**
   * Starts following the namespace's changes and status. Returns at once when the namespace has a
   * document (verified, or from the disk cache); otherwise waits up to the initialization timeout
   * for one, then fails with {@code PROVIDER_NOT_READY}, which the SDK reports as a {@code
   * PROVIDER_ERROR} event; {@code PROVIDER_READY} follows when the first document arrives.
   */
  @Override
  public void initialize(EvaluationContext evaluationContext) throws Exception {
    shutDown.set(false);
    if (listening.compareAndSet(false, true)) {
      config.addStatusListener(this::onStatus);
      config.addChangeListener(this::onChange);
    }
    if (config.status(namespace).status() != Status.INITIALIZING) {
      return;
    }
    if (!initializationTimeout.isZero()
        && document.await(initializationTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return;
    }
    throw new ProviderNotReadyError(
        "namespace '"
            + namespace
            + "' has no document yet ("
            + config.status(namespace).reason()
            + ")");
  }

  /**
   * Stops emitting events. The {@link HoldfastConfig} is the application's: it is not closed, and
   * keeps its listeners, which do nothing from now on.
   */
  @Override
  public void shutdown() {
    shutDown.set(true);
    super.shutdown();
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, "boolean", n -> n.isBoolean() ? n.booleanValue() : null);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, "string", n -> n.isTextual() ? n.textValue() : null);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        "integer",
        n -> n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : null);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, "number", n -> n.isNumber() ? n.doubleValue() : null);
  }

  /** Any JSON value: objects become structures, arrays lists, numbers integers or doubles. */
  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, "object", JsonValues::toValue);
  }

  /**
   * @param read the node as the requested type, or {@code null} if it is of another type
   */
  private <T> ProviderEvaluation<T> evaluate(
      String key, T defaultValue, String type, Function<JsonNode, T> read) {
    try {
      ConfigSnapshot snapshot = config.snapshot(namespace);
      Status status = snapshot.status();
      if (status == Status.INITIALIZING) {
        return error(
            defaultValue,
            ErrorCode.PROVIDER_NOT_READY,
            "namespace '"
                + namespace
                + "' has no document yet ("
                + snapshot.freshness().reason()
                + ")",
            null);
      }
      ImmutableMetadata metadata = metadata(snapshot);
      Optional<JsonNode> node = snapshot.getNode(key);
      if (node.isEmpty()) {
        if (servesDefaults(snapshot)) {
          return error(
              defaultValue,
              ErrorCode.GENERAL,
              "namespace '"
                  + namespace
                  + "' is EXPIRED and the client serves defaults (ExpiredPolicy.USE_DEFAULTS): "
                  + snapshot.freshness().reason(),
              metadata);
        }
        return error(
            defaultValue,
            ErrorCode.FLAG_NOT_FOUND,
            "no flag '" + key + "' in namespace '" + namespace + "'",
            metadata);
      }
      T value = read.apply(node.get());
      if (value == null) {
        return error(
            defaultValue,
            ErrorCode.TYPE_MISMATCH,
            "flag '" + key + "' is not a " + type + ": " + node.get().getNodeType(),
            metadata);
      }
      return ProviderEvaluation.<T>builder()
          .value(value)
          .reason(status == Status.FRESH ? Reason.STATIC.name() : STALE)
          .flagMetadata(metadata)
          .build();
    } catch (RuntimeException e) {
      // Never throws: a fault here is the caller's default with an error, as for any other.
      return error(defaultValue, ErrorCode.GENERAL, String.valueOf(e), null);
    }
  }

  private static <T> ProviderEvaluation<T> error(
      T defaultValue, ErrorCode code, String message, ImmutableMetadata metadata) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .flagMetadata(metadata == null ? ImmutableMetadata.builder().build() : metadata)
        .build();
  }

  /**
   * Whether the client serves no content because the namespace EXPIRED under {@code
   * ExpiredPolicy.USE_DEFAULTS}: an expired namespace whose document, once received, reads empty.
   */
  private static boolean servesDefaults(ConfigSnapshot snapshot) {
    return snapshot.status() == Status.EXPIRED
        && snapshot.revision() > 0
        && snapshot.content().isEmpty();
  }

  private ImmutableMetadata metadata(ConfigSnapshot snapshot) {
    SnapshotMetadata last = lastMetadata;
    if (last != null && last.snapshot() == snapshot) {
      return last.metadata();
    }
    SnapshotMetadata built = SnapshotMetadata.of(snapshot);
    lastMetadata = built;
    return built.metadata();
  }

  private void onStatus(String changed, Freshness previous, Freshness current) {
    if (!changed.equals(namespace)) {
      return;
    }
    if (current.status() != Status.INITIALIZING) {
      document.countDown();
    }
    if (shutDown.get() || previous.status() == current.status()) {
      return;
    }
    ConfigSnapshot snapshot = config.snapshot(namespace);
    ProviderEventDetails details =
        ProviderEventDetails.builder()
            .message(
                "namespace '"
                    + namespace
                    + "' "
                    + previous.status()
                    + " -> "
                    + current.status()
                    + " ("
                    + current.reason()
                    + ")")
            .eventMetadata(SnapshotMetadata.of(snapshot).metadata())
            .build();
    switch (current.status()) {
      case FRESH -> emitProviderReady(details);
      case STALE -> {
        if (previous.status() == Status.INITIALIZING) {
          // The disk cache: flags can be served, though not yet confirmed.
          emitProviderReady(details);
        }
        emitProviderStale(details);
      }
      case EXPIRED -> {
        if (servesDefaults(snapshot)) {
          details.setErrorCode(ErrorCode.GENERAL);
          emitProviderError(details);
        } else {
          emitProviderStale(details);
        }
      }
      case INITIALIZING -> {
        // Never entered again once left.
      }
    }
  }

  private void onChange(ConfigSnapshot previous, ConfigSnapshot current) {
    if (shutDown.get() || !current.namespace().equals(namespace)) {
      return;
    }
    List<String> changed =
        ChangedFlags.between(previous == null ? null : previous.content(), current.content());
    if (changed.isEmpty()) {
      return;
    }
    emitProviderConfigurationChanged(
        ProviderEventDetails.builder()
            .flagsChanged(changed)
            .message(
                "namespace '" + namespace + "' revision " + current.revision() + ": " + changed)
            .eventMetadata(SnapshotMetadata.of(current).metadata())
            .build());
  }

  /** Configures a {@link HoldfastProvider}. Not thread-safe. */
  public static final class Builder {

    private final HoldfastConfig config;
    private String namespace = DEFAULT_NAMESPACE;
    private Duration initializationTimeout = Duration.ZERO;

    private Builder(HoldfastConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** The namespace whose document holds the flags; default {@code features}. */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /**
     * How long {@code initialize} waits for a first document when the namespace has none; default
     * zero, as the client's own start-up timeout has already waited for one.
     */
    public Builder initializationTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "initialization timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("initialization timeout must not be negative");
      }
      this.initializationTimeout = timeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the namespace is not configured in the config
     */
    public HoldfastProvider build() {
      config.snapshot(namespace); // fails now, not at the first evaluation
      return new HoldfastProvider(this);
    }
  }
}
