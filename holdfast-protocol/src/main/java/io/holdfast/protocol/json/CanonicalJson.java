package io.holdfast.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serialises a JSON tree to canonical bytes: object members sorted by name (by UTF-16 code units,
 * as RFC 8785 orders them), no insignificant whitespace, UTF-8.
 *
 * <p>Two replicas holding the same stored data therefore produce byte-identical documents, hence
 * identical ETags and, with a shared Ed25519 key, identical signatures. Numbers are written as
 * Jackson parsed them from storage; the same stored text always yields the same bytes. Stateless
 * and thread-safe.
 */
public final class CanonicalJson {

  // The factory must come from a mapper: JsonGenerator.writeTree (used for scalar leaves)
  // needs an ObjectCodec, and a bare JsonFactory has none.
  private static final JsonMapper MAPPER = SharedJsonBuffers.mapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  /**
   * Writes scalar leaves exactly as {@code writeTree} would (that is what it ends in), without
   * creating a serializer provider per leaf, which was most of the cost of a rebuild. Only reads
   * its configuration, so one instance serves every thread.
   */
  private static final SerializerProvider SCALARS = MAPPER.getSerializerProviderInstance();

  private CanonicalJson() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] toBytes(JsonNode node) {
    return written(gen -> write(gen, node));
  }

  /** Writes one JSON value to a generator; see {@link #written}. */
  @FunctionalInterface
  public interface Writing {
    void writeTo(JsonGenerator generator) throws IOException;
  }

  /**
   * The bytes {@code writing} writes with the generator {@link #toBytes} writes with. When it
   * writes an object's members in canonical order (names sorted as {@link #toBytes} sorts them, no
   * whitespace), the bytes are those {@link #toBytes} gives for the same tree, without building the
   * tree: a fleet-wide rebuild writes a checksums document and an envelope per instance, and their
   * trees were a good part of what it allocated. Callers of fixed shape only; the order is theirs
   * to keep.
   *
   * <p>The result is the only array made for the bytes of a document up to the generator's buffer
   * (8,000 bytes, pooled): the generator hands its buffer over whole when it closes, and that one
   * piece is copied once. Issue 21: a buffer sized by a guess and then copied out made every
   * checksums document of a rebuild twice over (a 10,000-instance rebuild allocated 90 MB with it,
   * 79 MB without).
   */
  public static byte[] written(Writing writing) {
    CollectedBytes out = new CollectedBytes();
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      writing.writeTo(gen);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.bytes();
  }

  /**
   * {@link #written(Writing)}; {@code expectedSize} is not needed any more.
   *
   * @deprecated use {@link #written(Writing)}
   */
  @Deprecated(since = "0.2.0")
  public static byte[] written(int expectedSize, Writing writing) {
    return written(writing);
  }

  /** The canonical text of {@code node}. */
  public static String toText(JsonNode node) {
    return new String(toBytes(node), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void write(JsonGenerator gen, JsonNode node) throws IOException {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
      fields.sort(Map.Entry.comparingByKey());
      gen.writeStartObject();
      for (Map.Entry<String, JsonNode> field : fields) {
        gen.writeFieldName(field.getKey());
        write(gen, field.getValue());
      }
      gen.writeEndObject();
    } else if (node.isArray()) {
      gen.writeStartArray();
      for (JsonNode element : node) {
        write(gen, element);
      }
      gen.writeEndArray();
    } else if (node instanceof ValueNode value) {
      value.serialize(gen, SCALARS);
    } else {
      gen.writeTree(node);
    }
  }
}
