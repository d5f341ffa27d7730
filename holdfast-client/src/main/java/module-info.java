/**
 * The Holdfast client SDK: {@code io.holdfast.client} (the client, its snapshots, listeners and the
 * {@link io.holdfast.client.HoldfastConfig} applications read through) and {@code
 * io.holdfast.client.seats} (seat admission against subscriptions). The implementation, {@code
 * io.holdfast.client.internal}, is not exported: it may change in any release.
 */
module io.holdfast.client {
  requires transitive io.holdfast.protocol;
  requires transitive com.fasterxml.jackson.databind;
  // The seat store's API takes a DataSource.
  requires transitive java.sql;
  requires java.net.http;

  exports io.holdfast.client;
  exports io.holdfast.client.seats;
}
