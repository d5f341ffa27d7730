package io.holdfast.protocol.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.holdfast.protocol.json.JsonArbitraries;
import io.holdfast.protocol.json.StrictJson;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EnvelopePropertiesTest {

  private static final StrictJson JSON = new StrictJson(1 << 20, 64);

  @Provide
  Arbitrary<Envelope> envelopes() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange(' ', '\u00ff').ofMaxLength(12);
    Arbitrary<Long> revisions = Arbitraries.longs().between(1, Long.MAX_VALUE);
    Arbitrary<Instant> instants =
        Combinators.combine(
                Arbitraries.longs().between(0, 253_402_300_799L),
                Arbitraries.integers().between(0, 999_999_999))
            .as(Instant::ofEpochSecond);
    Arbitrary<ObjectNode> contents = JsonArbitraries.object(2, true);
    return Combinators.combine(names, names, revisions, instants, contents).as(Envelope::new);
  }

  @Property(tries = 300)
  void parseOfToBytes_roundTrips(@ForAll("envelopes") Envelope envelope) throws Exception {
    Envelope parsed = Envelope.parse(envelope.toBytes(), JSON);

    assertThat(parsed).isEqualTo(envelope);
    assertThat(parsed.toBytes()).isEqualTo(envelope.toBytes());
  }

  @Property(tries = 300)
  void toBytes_isDeterministicForDeepCopies(@ForAll("envelopes") Envelope envelope) {
    Envelope copy =
        new Envelope(
            envelope.instance(),
            envelope.namespace(),
            envelope.revision(),
            envelope.issuedAt(),
            envelope.content().deepCopy());

    assertThat(copy.toBytes()).isEqualTo(envelope.toBytes());
  }
}
