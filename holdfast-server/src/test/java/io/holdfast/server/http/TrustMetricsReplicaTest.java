package io.holdfast.server.http;

import static io.holdfast.server.http.HttpTestSupport.text;
import static io.holdfast.server.http.KeySetFixtures.pair;
import static io.holdfast.server.http.KeySetFixtures.root;
import static io.holdfast.server.http.KeySetFixtures.signed;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.protocol.keyset.KeySet;
import io.holdfast.protocol.keyset.RootKeys;
import io.holdfast.protocol.signature.VerificationKey;
import io.holdfast.server.ServerFixture;
import io.holdfast.testkit.ManualTime;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust gauges of a real replica (issue 19): how long its checksums' freshness statement has
 * left, and whether the newest published key set lists its signing key as valid now. Read from the
 * registry at once (the {@code /metrics} page is memoised for a second of real time); the replica
 * tells time by a {@link ManualTime} the test moves.
 */
class TrustMetricsReplicaTest {

  private static final String EXPIRES = "holdfast_checksums_statement_expires_seconds ";
  private static final String LISTED = "holdfast_signing_key_listed ";

  @TempDir Path dataDir;

  /** At the start of the first period (12 h, of the default 24 h validity) after the real now. */
  private final ManualTime time = new ManualTime(nextPeriodAfter(Instant.now()));

  private final KeyPair rootKey = pair();
  private ServerFixture replica;

  @BeforeEach
  void start() {
    replica = ServerFixture.startWithClock(dataDir, time.clock());
  }

  @AfterEach
  void stop() {
    replica.close();
  }

  private static Instant nextPeriodAfter(Instant at) {
    long period = Duration.ofHours(12).toMillis();
    return Instant.ofEpochMilli((Math.floorDiv(at.toEpochMilli(), period) + 1) * period);
  }

  private String scrape() {
    return replica.server().metrics().scrape();
  }

  /** Version {@code version}, issued an hour ago by the replica's clock, valid for a day. */
  private byte[] keySet(long version, List<VerificationKey> listed, Set<String> revoked) {
    Instant issuedAt = time.clock().instant().minus(Duration.ofHours(1));
    RootKeys root = root(1, rootKey);
    return signed(
        new KeySet(
            version,
            issuedAt,
            issuedAt.plus(Duration.ofDays(1)),
            listed.stream()
                .map(
                    key ->
                        new KeySet.SigningKey(key, issuedAt, issuedAt.plus(Duration.ofDays(365))))
                .toList(),
            new TreeSet<>(revoked),
            root,
            Optional.empty()),
        rootKey);
  }

  private void publish(byte[] keySet) {
    HttpResponse<byte[]> published =
        replica.send(
            "PUT",
            "/v1/admin/keyset",
            replica.adminToken(),
            keySet,
            "Content-Type",
            "application/json");
    assertThat(published.statusCode()).as(text(published)).isEqualTo(201);
  }

  @Test
  void statementExpiry_countsDownThroughAPeriod_andIsRenewedAtTheNext() {
    replica.server().snapshots().refresh();
    assertThat(scrape())
        .contains(EXPIRES + (24 * 3600) + ".0")
        .contains("holdfast_checksums_statement_validity_seconds " + (24 * 3600) + ".0");

    time.advance(Duration.ofHours(11).plusMinutes(59));
    replica.server().snapshots().refresh();
    assertThat(scrape()).contains(EXPIRES + (12 * 3600 + 60) + ".0");

    time.advance(Duration.ofMinutes(1));
    replica.server().snapshots().refresh();
    assertThat(scrape()).contains(EXPIRES + (24 * 3600) + ".0");
  }

  @Test
  void keyListed_isOneWithoutAKeySet_andFollowsTheNewestKeySet() {
    VerificationKey own = replica.server().verificationKey();
    VerificationKey other = VerificationKey.of(pair().getPublic());
    assertThat(scrape()).as("nothing published, nothing contradicts").contains(LISTED + "1.0");

    publish(keySet(1, List.of(own), Set.of()));
    assertThat(scrape()).as("listed").contains(LISTED + "1.0");

    publish(keySet(2, List.of(own, other), Set.of()));
    time.advance(Duration.ofHours(23));
    assertThat(scrape()).as("the key set expired").contains(LISTED + "0.0");

    publish(keySet(3, List.of(own), Set.of()));
    assertThat(scrape()).as("listed again by a current key set").contains(LISTED + "1.0");

    publish(keySet(4, List.of(other), Set.of()));
    assertThat(scrape()).as("no longer listed").contains(LISTED + "0.0");

    publish(keySet(5, List.of(other), Set.of(own.keyId())));
    assertThat(scrape()).as("revoked").contains(LISTED + "0.0");
  }
}
