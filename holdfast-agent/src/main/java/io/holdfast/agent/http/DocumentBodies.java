package io.holdfast.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.holdfast.client.ConfigSnapshot;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Each namespace's content as the bytes of a response, made once per document: a read through the
 * agent then costs a snapshot lookup and a write, not a copy and serialisation of the tree. Keyed
 * by the document's ETag, which names its content exactly. Thread-safe.
 */
final class DocumentBodies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Body(String etag, byte[] bytes) {}

  private final ConcurrentMap<String, Body> byNamespace = new ConcurrentHashMap<>();

  /** The content of a snapshot that has a document (not INITIALIZING). */
  byte[] of(ConfigSnapshot snapshot) {
    Body held = byNamespace.get(snapshot.namespace());
    if (held != null && held.etag().equals(snapshot.etag())) {
      return held.bytes();
    }
    Body made = new Body(snapshot.etag(), serialise(snapshot));
    // A slower thread may put back an older document's body: the next read then makes it again.
    byNamespace.put(snapshot.namespace(), made);
    return made.bytes();
  }

  private static byte[] serialise(ConfigSnapshot snapshot) {
    try {
      return JSON.writeValueAsBytes(snapshot.content());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
