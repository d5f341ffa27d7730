package io.holdfast.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The JSON that Holdfast parses and writes on request threads leaves its buffers in one shared
 * pool, not with the (virtual) thread that used them, which would keep them as long as its
 * connection lives.
 */
class SharedJsonBuffersTest {

  private static final RecyclerPool<BufferRecycler> POOL =
      SharedJsonBuffers.mapper().getFactory()._getRecyclerPool();

  /** Runs {@code work} on a thread of its own, then returns how many buffers are pooled. */
  private static int pooledAfter(Runnable work) throws InterruptedException {
    POOL.clear();
    Thread worker = new Thread(work);
    worker.start();
    worker.join();
    return POOL.pooledCount();
  }

  @Test
  void strictParsing_returnsItsBuffersToTheSharedPool() throws Exception {
    StrictJson strict = new StrictJson(1024, 8);

    int pooled =
        pooledAfter(
            () -> {
              try {
                strict.parse("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));
              } catch (JsonInputException e) {
                throw new AssertionError(e);
              }
            });

    assertThat(pooled).as("a per-thread pool counts none (-1)").isEqualTo(1);
  }

  @Test
  void canonicalWriting_returnsItsBuffersToTheSharedPool() throws Exception {
    int pooled =
        pooledAfter(
            () -> CanonicalJson.toBytes(JsonNodeFactory.instance.objectNode().put("b", "x")));

    assertThat(pooled).isEqualTo(1);
  }
}
