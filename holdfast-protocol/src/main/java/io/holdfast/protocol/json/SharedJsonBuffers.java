package io.holdfast.protocol.json;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson factories and mappers whose working buffers come from one pool that every thread shares.
 *
 * <p>Why: Jackson's default keeps a buffer recycler per thread (about 16 KB once used, held through
 * a soft reference, so a collection does not free it while memory is plentiful). A server runs each
 * connection on a virtual thread of its own, so every keep-alive connection that once parsed a
 * heartbeat or wrote a JSON answer, and every event stream, would hold those buffers for as long as
 * it lives: 160 MB for 10,000 connections. A shared pool holds about as many recyclers as threads
 * use JSON at the same moment. Every mapper and factory in Holdfast that may run on a request's
 * thread is made here.
 */
public final class SharedJsonBuffers {

  private SharedJsonBuffers() {}

  /** A factory builder whose buffers come from the shared pool. */
  public static JsonFactoryBuilder factoryBuilder() {
    return new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
  }

  /** A plain mapper (Jackson's defaults otherwise) whose buffers come from the shared pool. */
  public static JsonMapper mapper() {
    return JsonMapper.builder(factoryBuilder().build()).build();
  }
}
