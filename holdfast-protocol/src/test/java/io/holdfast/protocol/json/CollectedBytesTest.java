package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CollectedBytesTest {

  @Test
  void onePieceIsKeptAsWrittenAndIsNotTheCallersArray() {
    byte[] source = "..{\"a\":1}..".getBytes(StandardCharsets.UTF_8);
    CollectedBytes out = new CollectedBytes();

    out.write(source, 2, 7);
    source[2] = 'X';

    assertThat(new String(out.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void piecesAreGatheredInOrderAcrossGrowth() {
    CollectedBytes out = new CollectedBytes();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      String piece = "<" + i + ">";
      expected.append(piece);
      byte[] bytes = piece.getBytes(StandardCharsets.US_ASCII);
      out.write(bytes, 0, bytes.length);
    }
    out.write('!');
    out.write(new byte[0], 0, 0);

    assertThat(new String(out.bytes(), StandardCharsets.US_ASCII)).isEqualTo(expected + "!");
  }

  @Test
  void nothingWrittenIsEmpty() {
    assertThat(new CollectedBytes().bytes()).isEmpty();
  }

  @Test
  void aRangeOutsideTheArrayIsRefused() {
    CollectedBytes out = new CollectedBytes();

    assertThatThrownBy(() -> out.write(new byte[4], 3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aDocumentLargerThanTheGeneratorsBufferComesOutWhole() throws Exception {
    // Jackson's generator flushes its buffer (8,000 bytes) in several writes for this one.
    ObjectNode node = JsonMapper.builder().build().createObjectNode();
    for (int i = 0; i < 3_000; i++) {
      node.put("key-" + i, "value-" + i);
    }

    byte[] bytes = CanonicalJson.toBytes(node);

    assertThat(bytes.length).isGreaterThan(50_000);
    assertThat(JsonMapper.builder().build().readTree(bytes)).isEqualTo(node);
    assertThat(CanonicalJson.written(gen -> gen.writeTree(node)))
        .hasSize(bytes.length); // the same members, in insertion order
  }
}
