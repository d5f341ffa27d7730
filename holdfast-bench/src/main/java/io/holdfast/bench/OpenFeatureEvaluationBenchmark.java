package io.holdfast.bench;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.holdfast.client.HoldfastClient;
import io.holdfast.openfeature.HoldfastProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A flag evaluation through OpenFeature with the Holdfast provider, against the SDK's own typed get
 * of the same value from the same client. Target (issue 18): at most 3× the SDK's get, with no
 * allocation beyond what OpenFeature itself makes (run with {@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpenFeatureEvaluationBenchmark {

  private static final String DOMAIN = "holdfast-bench";

  private ClientFixture fixture;
  private HoldfastClient client;
  private Client flags;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = ClientFixture.startedFromDiskCache();
    client = fixture.client();
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(DOMAIN, HoldfastProvider.builder(client).namespace("core").build());
    flags = api.getClient(DOMAIN);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    OpenFeatureAPI.getInstance().shutdown();
    fixture.close();
  }

  /** Reference: the SDK's typed get. */
  @Benchmark
  public int sdkGetInt() {
    return client.snapshot("core").getInt("seats.crm", 0);
  }

  @Benchmark
  public int openFeatureGetIntegerValue() {
    return flags.getIntegerValue("seats.crm", 0);
  }

  /** The provider alone, without the OpenFeature client's hooks and context merging around it. */
  @Benchmark
  public Integer providerIntegerEvaluation() {
    return ((HoldfastProvider) OpenFeatureAPI.getInstance().getProvider(DOMAIN))
        .getIntegerEvaluation("seats.crm", 0, null)
        .getValue();
  }
}
